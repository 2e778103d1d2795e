"""The inventory service as other domains use it (orders: reserve, release, sell, take back),
the invariants the database itself enforces, and the stock-changed events on Redis."""

import asyncio
import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest
from httpx import AsyncClient
from redis.asyncio import Redis
from redis.asyncio.client import PubSub
from sqlalchemy import insert, select, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.db import finish_session
from app.inventory import service
from app.inventory.events import channel
from app.inventory.exceptions import (
    BelowReserved,
    InsufficientStock,
    NotReserved,
    StockReserved,
    WarehouseInactive,
)
from app.inventory.models import Stock, StockMovement, Warehouse
from app.inventory.schemas import SkuQuantity, SupplyItem
from app.inventory.stock import stored_weight
from tests.fixtures.catalog import ProductFactory
from tests.fixtures.inventory import (
    StockedFactory,
    StockFactory,
    WarehouseFactory,
    assert_journal_agrees,
    snapshot,
)


async def _level(session: AsyncSession, warehouse: Warehouse, product_id: uuid.UUID) -> Any:
    return (
        await session.execute(
            select(Stock.on_hand, Stock.reserved).where(
                Stock.warehouse_id == warehouse.id, Stock.product_id == product_id
            )
        )
    ).one()


async def test_an_order_reserves_then_sells(
    session: AsyncSession,
    make_stocked: StockedFactory,
) -> None:
    warehouse, product = await make_stocked(10)
    order = uuid.uuid4()

    assert await service.reserve(session, warehouse, product.id, 4, order_id=order) == 4
    assert tuple(await _level(session, warehouse, product.id)) == (10, 4)
    # What is reserved cannot be demanded nor reserved again.
    with pytest.raises(InsufficientStock):
        await service.reserve(session, warehouse, product.id, 7, order_id=uuid.uuid4())
    with pytest.raises(InsufficientStock):
        await service.demand(
            session, warehouse, [SkuQuantity(sku=product.sku, quantity=7)], user_id=None
        )

    assert await service.commit_sale(session, warehouse, product.id, 3, order_id=order) == 7
    assert tuple(await _level(session, warehouse, product.id)) == (7, 1)
    assert await service.release(session, warehouse, product.id, 1, order_id=order) == 0
    assert tuple(await _level(session, warehouse, product.id)) == (7, 0)

    rows = (
        await session.execute(
            select(StockMovement.kind, StockMovement.quantity, StockMovement.quantity_after)
            .where(StockMovement.order_id == order)
            .order_by(StockMovement.id)
        )
    ).all()
    assert [tuple(row) for row in rows] == [
        ("reservation", 4, 4),  # quantity_after: reserved
        ("sale", -3, 7),  # quantity_after: on hand
        ("release", -1, 0),  # quantity_after: reserved
    ]
    await assert_journal_agrees(session, [warehouse.id])


async def test_release_and_sale_need_a_reservation(
    session: AsyncSession,
    make_stocked: StockedFactory,
    make_product: ProductFactory,
) -> None:
    warehouse, product = await make_stocked(10, reserved=2)
    before = await snapshot(session, [warehouse.id])
    with pytest.raises(NotReserved):
        await service.release(session, warehouse, product.id, 3, order_id=uuid.uuid4())
    with pytest.raises(NotReserved):
        await service.commit_sale(session, warehouse, product.id, 3, order_id=uuid.uuid4())
    with pytest.raises(InsufficientStock):
        await service.reserve(
            session, warehouse, (await make_product()).id, 1, order_id=uuid.uuid4()
        )
    assert await snapshot(session, [warehouse.id]) == before


async def test_an_inactive_warehouse_still_settles_its_reservations(
    session: AsyncSession,
    make_stocked: StockedFactory,
) -> None:
    warehouse, product = await make_stocked(10, reserved=4)
    warehouse.is_active = False
    await session.flush()
    order = uuid.uuid4()

    for refused in (
        service.reserve(session, warehouse, product.id, 1, order_id=order),
        service.supply(session, warehouse, [SupplyItem(sku=product.sku, quantity=1)], user_id=None),
        service.demand(
            session, warehouse, [SkuQuantity(sku=product.sku, quantity=1)], user_id=None
        ),
        service.adjust(session, warehouse, product.sku, 5, reason="count", user_id=None),
        service.clean(session, warehouse, user_id=None),
    ):
        with pytest.raises(WarehouseInactive):
            await refused
    # Orders placed before the warehouse closed can still be cancelled or shipped.
    assert await service.release(session, warehouse, product.id, 1, order_id=order) == 3
    assert await service.commit_sale(session, warehouse, product.id, 3, order_id=order) == 7


async def test_clean_and_adjust_respect_reservations(
    session: AsyncSession,
    make_stocked: StockedFactory,
) -> None:
    warehouse, product = await make_stocked(5, reserved=5)
    with pytest.raises(StockReserved):
        await service.clean(session, warehouse, user_id=None)
    with pytest.raises(BelowReserved):
        await service.adjust(session, warehouse, product.sku, 4, reason="count", user_id=None)
    await service.release(session, warehouse, product.id, 5, order_id=uuid.uuid4())
    assert await service.clean(session, warehouse, user_id=None) == 1
    assert tuple(await _level(session, warehouse, product.id)) == (0, 0)
    await assert_journal_agrees(session, [warehouse.id])


async def test_warehouses_by_priority(
    session: AsyncSession, make_warehouse: WarehouseFactory
) -> None:
    await make_warehouse(code="PRIO-B", priority=1)
    await make_warehouse(code="PRIO-C", priority=0)
    await make_warehouse(code="PRIO-A", priority=1)
    await make_warehouse(code="PRIO-X", priority=0, is_active=False)
    codes = [w.code for w in await service.warehouses_by_priority(session)]
    assert codes == ["PRIO-C", "PRIO-A", "PRIO-B"]


async def test_stored_weight(
    session: AsyncSession,
    make_warehouse: WarehouseFactory,
    make_product: ProductFactory,
    make_stock: StockFactory,
) -> None:
    warehouse = await make_warehouse()
    await make_stock(warehouse, await make_product(weight_kg="0.125"), 3)
    await make_stock(warehouse, await make_product(weight_kg="2.000"), 2)
    assert str(await stored_weight(session, warehouse.id)) == "4.375"


# --- invariants in the database ------------------------------------------------------------


@pytest.mark.parametrize(
    ("on_hand", "reserved"),
    [(-1, 0), (5, 6), (5, -1)],
)
async def test_the_database_refuses_impossible_stock(
    session: AsyncSession,
    make_stocked: StockedFactory,
    on_hand: int,
    reserved: int,
) -> None:
    warehouse, _product = await make_stocked(5)
    with pytest.raises(IntegrityError, match="ck_stock_"):
        async with session.begin_nested():
            await session.execute(
                update(Stock)
                .where(Stock.warehouse_id == warehouse.id)
                .values(on_hand=on_hand, reserved=reserved)
            )


async def test_a_second_stock_line_for_one_product_is_refused(
    session: AsyncSession,
    make_stocked: StockedFactory,
) -> None:
    warehouse, product = await make_stocked(5)
    with pytest.raises(IntegrityError, match="pk_stock"):
        async with session.begin_nested():
            await session.execute(
                insert(Stock).values(warehouse_id=warehouse.id, product_id=product.id, on_hand=1)
            )


@pytest.mark.parametrize(
    ("kind", "quantity"),
    [("supply", -1), ("demand", 1), ("clean", 0), ("transfer_out", 3), ("theft", -1)],
)
async def test_the_journal_refuses_a_sign_that_does_not_fit_the_kind(
    session: AsyncSession,
    make_warehouse: WarehouseFactory,
    make_product: ProductFactory,
    kind: str,
    quantity: int,
) -> None:
    warehouse = await make_warehouse()
    product = await make_product()
    with pytest.raises(IntegrityError, match="ck_stock_movements_"):
        async with session.begin_nested():
            await session.execute(
                text(
                    "INSERT INTO stock_movements (warehouse_id, product_id, kind, quantity,"
                    " quantity_after) VALUES (:w, :p, :kind, :q, 0)"
                ),
                {"w": warehouse.id, "p": product.id, "kind": kind, "q": quantity},
            )


async def test_a_product_with_stock_is_archived_not_deleted(
    client: AsyncClient,
    staff_headers: dict[str, str],
    make_warehouse: WarehouseFactory,
    make_product: ProductFactory,
    make_stock: StockFactory,
) -> None:
    product = await make_product()
    await make_stock(await make_warehouse(), product, 1)
    response = await client.delete(f"/api/v1/products/{product.id}", headers=staff_headers)
    assert response.status_code == 200, response.text
    assert response.json()["outcome"] == "archived"


# --- stock-changed events ------------------------------------------------------------------


@pytest.fixture
async def subscribe(redis: Redis) -> AsyncIterator[Any]:
    pubsubs: list[PubSub] = []

    async def listen(code: str) -> PubSub:
        pubsub = redis.pubsub()
        await pubsub.subscribe(channel(code))
        await pubsub.get_message(timeout=1)  # the subscription's confirmation
        pubsubs.append(pubsub)
        return pubsub

    yield listen
    for pubsub in pubsubs:
        await pubsub.aclose()


async def _messages(pubsub: PubSub, wait: float = 0.5) -> list[str]:
    received: list[str] = []
    deadline = asyncio.get_running_loop().time() + wait
    while (left := deadline - asyncio.get_running_loop().time()) > 0:
        message = await pubsub.get_message(ignore_subscribe_messages=True, timeout=left)
        if message is not None:
            received.append(message["data"])
    return received


async def test_a_committed_change_publishes_the_code_once(
    client: AsyncClient,
    staff_headers: dict[str, str],
    subscribe: Any,
    make_warehouse: WarehouseFactory,
    make_product: ProductFactory,
) -> None:
    warehouse = await make_warehouse()
    a, b = await make_product(), await make_product()
    pubsub = await subscribe(warehouse.code)

    response = await client.post(
        f"/api/v1/stores/{warehouse.code}/group_op",
        json={
            "operation": "supply",
            "items": [{"item_id": a.sku, "quantity": 1}, {"item_id": b.sku, "quantity": 1}],
        },
        headers=staff_headers,
    )

    assert response.status_code == 200
    assert await _messages(pubsub) == [warehouse.code]


async def test_a_transfer_publishes_both_warehouses(
    client: AsyncClient,
    staff_headers: dict[str, str],
    subscribe: Any,
    make_warehouse: WarehouseFactory,
    make_product: ProductFactory,
    make_stock: StockFactory,
) -> None:
    source, target = await make_warehouse(), await make_warehouse()
    product = await make_product()
    await make_stock(source, product, 3)
    from_source, from_target = await subscribe(source.code), await subscribe(target.code)
    response = await client.post(
        f"/api/v1/warehouses/{source.code}/transfer",
        json={"to_warehouse": target.code, "items": [{"sku": product.sku, "quantity": 1}]},
        headers=staff_headers,
    )
    assert response.status_code == 200
    assert await _messages(from_source) == [source.code]
    assert await _messages(from_target) == [target.code]


async def test_a_refused_or_rolled_back_change_publishes_nothing(
    client: AsyncClient,
    session: AsyncSession,
    staff_headers: dict[str, str],
    subscribe: Any,
    make_warehouse: WarehouseFactory,
    make_product: ProductFactory,
) -> None:
    warehouse = await make_warehouse()
    product = await make_product()
    pubsub = await subscribe(warehouse.code)

    refused = await client.post(
        f"/api/v1/stores/{warehouse.code}",
        json={"operation": "demand", "item_id": product.sku, "quantity": 1},
        headers=staff_headers,
    )
    assert refused.status_code == 409
    await service.supply(
        session, warehouse, [SupplyItem(sku=product.sku, quantity=1)], user_id=None
    )
    await finish_session(session, RuntimeError("the request failed"))

    assert await _messages(pubsub) == []
