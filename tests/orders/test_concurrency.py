"""Checkouts and transitions under parallel requests, against an app whose sessions really
commit, each request on its own pooled connection (the app's default pool: 10 + 20 overflow):
never an oversold unit, one order per Idempotency-Key, one winner per transition."""

import asyncio
import uuid
from collections import Counter
from collections.abc import Awaitable, Callable

from httpx import AsyncClient, Response
from sqlalchemy import func, select

from app.inventory.models import StockMovement
from app.orders.models import Order, OrderAllocation, OrderItem
from tests.fixtures.inventory import LiveInventory
from tests.fixtures.orders import ORDERS, LiveShop

CONCURRENCY = 30  # requests in flight: as many as the app's pool has connections


async def in_parallel(
    calls: list[Callable[[], Awaitable[Response]]], limit: int = CONCURRENCY
) -> list[Response]:
    semaphore = asyncio.Semaphore(limit)

    async def run(call: Callable[[], Awaitable[Response]]) -> Response:
        async with semaphore:
            return await call()

    return await asyncio.gather(*(run(call) for call in calls))


async def _orders_of(live_shop: LiveShop, user_ids: list[uuid.UUID]) -> int:
    async with live_shop.engine.connect() as connection:
        count = await connection.scalar(
            select(func.count()).select_from(Order).where(Order.user_id.in_(user_ids))
        )
    return count or 0


async def test_300_parallel_checkouts_of_one_unit_sell_exactly_the_100_in_stock(
    live_client: AsyncClient, live_inventory: LiveInventory, live_shop: LiveShop
) -> None:
    warehouse = await live_inventory.warehouse()
    product = await live_inventory.product()
    await live_inventory.put(warehouse, product, 100)
    customers = await live_shop.customers(300, cart=[(product, 1)])

    def checkout(headers: dict[str, str]) -> Callable[[], Awaitable[Response]]:
        return lambda: live_client.post(ORDERS, json={}, headers=headers)

    responses = await in_parallel([checkout(customer.headers) for customer in customers])

    statuses = Counter(response.status_code for response in responses)
    assert statuses == {201: 100, 409: 200}, statuses
    for response in responses:
        if response.status_code == 409:
            body = response.json()
            assert body["code"] == "insufficient_stock"
            assert body["items"] == [
                {"product_id": str(product.id), "sku": product.sku, "requested": 1, "available": 0}
            ]
    numbers = [response.json()["number"] for response in responses if response.status_code == 201]
    assert len(set(numbers)) == 100

    assert await live_inventory.level(warehouse, product) == (100, 100)
    await live_inventory.check_journal(warehouse)
    user_ids = [customer.user.id for customer in customers]
    assert await _orders_of(live_shop, user_ids) == 100
    async with live_shop.engine.connect() as connection:
        allocated = await connection.scalar(
            select(func.coalesce(func.sum(OrderAllocation.quantity), 0))
            .join(OrderItem, OrderItem.id == OrderAllocation.order_item_id)
            .join(Order, Order.id == OrderItem.order_id)
            .where(Order.user_id.in_(user_ids))
        )
        reservations = await connection.scalar(
            select(func.count())
            .select_from(StockMovement)
            .where(StockMovement.warehouse_id == warehouse.id, StockMovement.kind == "reservation")
        )
        never_negative = await connection.scalar(
            select(func.min(StockMovement.quantity_after)).where(
                StockMovement.warehouse_id == warehouse.id
            )
        )
    assert allocated == 100
    assert reservations == 100
    assert never_negative is not None
    assert never_negative >= 0


async def test_ten_parallel_checkouts_with_one_idempotency_key_make_one_order(
    live_client: AsyncClient, live_inventory: LiveInventory, live_shop: LiveShop
) -> None:
    warehouse = await live_inventory.warehouse()
    product = await live_inventory.product()
    await live_inventory.put(warehouse, product, 50)
    [customer] = await live_shop.customers(1, cart=[(product, 3)])
    headers = {**customer.headers, "Idempotency-Key": f"retry-{uuid.uuid4().hex}"}
    body = {"comment": "please hurry"}

    responses = await in_parallel(
        [lambda: live_client.post(ORDERS, json=body, headers=headers) for _ in range(10)]
    )

    assert sorted(response.status_code for response in responses) == [200] * 9 + [201]
    assert len({response.json()["id"] for response in responses}) == 1
    assert all(response.json()["status"] == "pending" for response in responses)
    assert await _orders_of(live_shop, [customer.user.id]) == 1
    assert await live_inventory.level(warehouse, product) == (50, 3)
    await live_inventory.check_journal(warehouse)

    other_body = await live_client.post(ORDERS, json={"comment": "other"}, headers=headers)
    assert other_body.status_code == 422
    assert other_body.json()["code"] == "idempotency_key_reused"


async def test_parallel_cancels_and_ships_of_one_order_happen_once(
    live_client: AsyncClient, live_inventory: LiveInventory, live_shop: LiveShop
) -> None:
    warehouse = await live_inventory.warehouse()
    product = await live_inventory.product()
    await live_inventory.put(warehouse, product, 10)
    customers = await live_shop.customers(2, cart=[(product, 2)])
    orders = []
    for customer in customers:
        placed = await live_client.post(ORDERS, json={}, headers=customer.headers)
        assert placed.status_code == 201, placed.text
        orders.append(placed.json()["id"])
    staff = live_inventory.headers

    # Ten cancels of one order: one releases, nine hear 409.
    cancels = await in_parallel(
        [
            lambda: live_client.post(f"{ORDERS}/{orders[0]}/cancel", headers=customers[0].headers)
            for _ in range(10)
        ]
    )
    assert sorted(response.status_code for response in cancels) == [200] + [409] * 9
    assert {r.json()["code"] for r in cancels if r.status_code == 409} == {"illegal_transition"}

    # A paid order, shipped and cancelled at once: exactly one of them wins.
    assert (await live_client.post(f"{ORDERS}/{orders[1]}/pay", headers=staff)).status_code == 200

    def step(name: str) -> Callable[[], Awaitable[Response]]:
        return lambda: live_client.post(f"{ORDERS}/{orders[1]}/{name}", headers=staff)

    raced = await in_parallel([step(name) for name in ("ship", "cancel") * 5])
    assert sorted(response.status_code for response in raced) == [200] + [409] * 9
    final = await live_client.get(f"{ORDERS}/{orders[1]}", headers=staff)
    on_hand, reserved = await live_inventory.level(warehouse, product)
    assert reserved == 0
    assert on_hand == (8 if final.json()["status"] == "shipped" else 10)
    await live_inventory.check_journal(warehouse)
    async with live_shop.engine.connect() as connection:
        kinds = Counter(
            await connection.scalars(
                select(StockMovement.kind).where(StockMovement.warehouse_id == warehouse.id)
            )
        )
    assert kinds["release"] + kinds["sale"] == 2  # one per order, never twice
