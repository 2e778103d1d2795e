"""Unpaid orders expire: a pending order older than ORDER_PAYMENT_TIMEOUT_MINUTES is cancelled
by the shop, its stock released (the journal says why) and its customer e-mailed; younger,
paid and cancelled orders are left alone, and a payment in flight is never overridden. Old
Idempotency-Key records are purged."""

import asyncio
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from httpx import AsyncClient
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from app.catalog.models import Product
from app.core.config import get_settings
from app.inventory.models import StockMovement, Warehouse
from app.orders import service as orders_service
from app.orders import tasks as orders_tasks
from app.orders.exceptions import IllegalTransition
from app.orders.models import IdempotencyKey, Order
from tests.fixtures.inventory import LiveInventory, assert_journal_agrees
from tests.fixtures.mail import SmtpServer, text_body
from tests.fixtures.orders import ORDERS, Customer, LiveShop, Shop
from tests.fixtures.waiting import a_transaction_waits_for_a_lock

UNPAID_FOR = timedelta(minutes=get_settings().ORDER_PAYMENT_TIMEOUT_MINUTES)
PAST = UNPAID_FOR + timedelta(minutes=1)


def _older(order_id: str | uuid.UUID, age: timedelta) -> Any:
    """Make the order placed `age` ago."""
    return (
        update(Order)
        .where(Order.id == uuid.UUID(str(order_id)))
        .values(created_at=func.now() - age)
    )


async def _status(shop: Shop, order_id: str) -> dict[str, Any]:
    response = await shop.client.get(f"{ORDERS}/{order_id}", headers=shop.staff)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def test_an_unpaid_order_past_the_timeout_is_cancelled_and_its_stock_released(
    shop: Shop,
) -> None:
    customer = await shop.customer()
    product = await shop.product(10)
    old = await shop.order(customer, (product, 3))
    young = await shop.order(customer, (product, 1))
    paid = await shop.order(customer, (product, 1))
    cancelled = await shop.order(customer, (product, 1))
    for order, step in ((paid, "pay"), (cancelled, "cancel")):
        moved = await shop.client.post(f"{ORDERS}/{order['id']}/{step}", headers=shop.staff)
        assert moved.status_code == 200, moved.text
    for order in (old, paid, cancelled):
        await shop.session.execute(_older(order["id"], PAST))
    await shop.session.execute(_older(young["id"], UNPAID_FOR - timedelta(minutes=1)))
    assert await shop.level(product) == (10, 5)

    expired = await orders_service.expire_unpaid_orders(shop.session, datetime.now(UTC), UNPAID_FOR)

    assert expired == [uuid.UUID(old["id"])]
    assert await shop.level(product) == (10, 2)  # 3 more available
    body = await _status(shop, old["id"])
    assert body["status"] == "cancelled"
    assert body["cancelled_at"] is not None
    assert body["paid_at"] is None
    assert (await _status(shop, young["id"]))["status"] == "pending"
    assert (await _status(shop, paid["id"]))["status"] == "paid"
    assert (await _status(shop, cancelled["id"]))["status"] == "cancelled"
    release = (
        await shop.session.execute(
            select(StockMovement.quantity, StockMovement.user_id, StockMovement.note).where(
                StockMovement.order_id == uuid.UUID(old["id"]), StockMovement.kind == "release"
            )
        )
    ).one()
    assert release.quantity == -3
    assert release.user_id is None  # the shop did it, not a person
    assert (
        release.note == f"order expired: unpaid for {int(UNPAID_FOR.total_seconds()) // 60} minutes"
    )
    await assert_journal_agrees(shop.session, [shop.warehouse.id])
    # Nothing left to expire.
    again = await orders_service.expire_unpaid_orders(shop.session, datetime.now(UTC), UNPAID_FOR)
    assert again == []


async def test_a_backlog_expires_oldest_first_in_batches(shop: Shop) -> None:
    """Several orders, several products: one batch releases them all, in the lock order."""
    customer = await shop.customer()
    lamp = await shop.product(10)
    shade = await shop.product(10)
    orders = [
        await shop.order(customer, (lamp, 1), (shade, 2)),
        await shop.order(customer, (shade, 1)),
        await shop.order(customer, (lamp, 2), (shade, 1)),
    ]
    for days, order in zip((3, 5, 4), orders, strict=True):
        await shop.session.execute(_older(order["id"], PAST + timedelta(days=days)))

    first = await orders_service.expire_unpaid_orders(
        shop.session, datetime.now(UTC), UNPAID_FOR, limit=2
    )
    second = await orders_service.expire_unpaid_orders(
        shop.session, datetime.now(UTC), UNPAID_FOR, limit=2
    )

    ids = [uuid.UUID(order["id"]) for order in orders]
    assert first == [ids[1], ids[2]]
    assert second == [ids[0]]
    assert await shop.level(lamp) == (10, 0)
    assert await shop.level(shade) == (10, 0)
    await assert_journal_agrees(shop.session, [shop.warehouse.id])


async def test_idempotency_keys_are_purged_after_their_window(shop: Shop) -> None:
    ttl = timedelta(hours=get_settings().IDEMPOTENCY_KEY_TTL_HOURS)
    customer = await shop.customer()
    product = await shop.product(10)
    orders = {}
    for key in ("old-key", "new-key"):
        assert (await shop.add(customer, product, 1)).status_code == 201
        placed = await shop.checkout(customer, key=key)
        assert placed.status_code == 201, placed.text
        orders[key] = placed.json()["id"]
    await shop.session.execute(
        update(IdempotencyKey)
        .where(IdempotencyKey.user_id == customer.user.id, IdempotencyKey.key == "old-key")
        .values(created_at=func.now() - ttl - timedelta(minutes=1))
    )

    assert await orders_service.purge_idempotency_keys(shop.session, datetime.now(UTC), ttl) == 1

    keys = await shop.session.scalars(
        select(IdempotencyKey.key).where(IdempotencyKey.user_id == customer.user.id)
    )
    assert list(keys) == ["new-key"]
    assert (await _status(shop, orders["old-key"]))["status"] == "pending"  # orders stay
    # Within the window a retry still replays; past it, the key is free for a new order.
    assert (await shop.add(customer, product, 1)).status_code == 201
    replayed = await shop.checkout(customer, key="new-key")
    assert replayed.status_code == 200
    assert replayed.json()["id"] == orders["new-key"]
    fresh = await shop.checkout(customer, key="old-key")
    assert fresh.status_code == 201, fresh.text
    assert fresh.json()["id"] not in orders.values()


# --- committed orders: the task, its e-mail, and payments racing the expiry ---------------


async def _live_order(
    live_shop: LiveShop, live_client: AsyncClient, product: Product, *, age: timedelta = PAST
) -> tuple[uuid.UUID, Customer]:
    """A committed pending order of 2 units for a new customer, placed `age` ago."""
    [customer] = await live_shop.customers(1, cart=[(product, 2)])
    placed = await live_client.post(ORDERS, json={}, headers=customer.headers)
    assert placed.status_code == 201, placed.text
    order_id = uuid.UUID(placed.json()["id"])
    async with live_shop.engine.begin() as connection:
        await connection.execute(_older(order_id, age))
    return order_id, customer


@dataclass(frozen=True)
class Unpaid:
    """A committed warehouse with 10 units of a product, 2 of them held by an order placed
    past the payment timeout."""

    warehouse: Warehouse
    product: Product
    order_id: uuid.UUID
    customer: Customer


@pytest.fixture
async def unpaid(
    live_client: AsyncClient, live_inventory: LiveInventory, live_shop: LiveShop
) -> Unpaid:
    warehouse = await live_inventory.warehouse()
    product = await live_inventory.product()
    await live_inventory.put(warehouse, product, 10)
    order_id, customer = await _live_order(live_shop, live_client, product)
    return Unpaid(warehouse, product, order_id, customer)


async def _committed_status(engine: AsyncEngine, order_id: uuid.UUID) -> str | None:
    async with engine.connect() as connection:
        return await connection.scalar(select(Order.status).where(Order.id == order_id))


async def test_the_task_expires_old_orders_and_emails_their_customers(
    live_client: AsyncClient,
    live_inventory: LiveInventory,
    live_shop: LiveShop,
    unpaid: Unpaid,
    celery_worker: Any,
    smtp_server: SmtpServer,
) -> None:
    warehouse, product, old_id = unpaid.warehouse, unpaid.product, unpaid.order_id
    young_id, _ = await _live_order(live_shop, live_client, product, age=timedelta(0))
    assert await live_inventory.level(warehouse, product) == (10, 4)

    # The task as the worker runs it (its own event loop, so in a thread of its own here).
    assert await asyncio.to_thread(orders_tasks.expire_unpaid_orders) == 1

    assert await _committed_status(live_shop.engine, old_id) == "cancelled"
    assert await _committed_status(live_shop.engine, young_id) == "pending"
    assert await live_inventory.level(warehouse, product) == (10, 2)
    await live_inventory.check_journal(warehouse)
    message = smtp_server.wait_for(unpaid.customer.user.email, subject_contains="not paid in time")
    text = text_body(message)
    assert "cancelled because we did not receive its payment in time" in text
    assert f"- {product.name} ({product.sku}): 2 x 1.00 EUR = 2.00 EUR" in text
    assert f"/orders/{old_id}" in text


async def _pay(engine: AsyncEngine, order_id: uuid.UUID) -> None:
    async with AsyncSession(engine, expire_on_commit=False) as session:
        await orders_service.pay(session, order_id)
        await session.commit()


async def test_a_payment_in_flight_wins_over_the_expiry(
    live_inventory: LiveInventory, live_shop: LiveShop, unpaid: Unpaid
) -> None:
    order_id = unpaid.order_id

    async with AsyncSession(live_shop.engine, expire_on_commit=False) as paying:
        await orders_service.pay(paying, order_id)  # holds the order's row, not committed
        # Skipped, not waited for: waiting here would wait for this test forever.
        async with asyncio.timeout(30), AsyncSession(live_shop.engine) as expiring:
            expired = await orders_service.expire_unpaid_orders(
                expiring, datetime.now(UTC), UNPAID_FOR
            )
            await expiring.commit()
        await paying.commit()

    assert order_id not in expired
    assert await _committed_status(live_shop.engine, order_id) == "paid"
    assert await live_inventory.level(unpaid.warehouse, unpaid.product) == (10, 2)


async def test_an_expiry_in_flight_wins_over_a_payment(
    live_inventory: LiveInventory, live_shop: LiveShop, unpaid: Unpaid
) -> None:
    order_id = unpaid.order_id

    async with AsyncSession(live_shop.engine) as expiring:
        expired = await orders_service.expire_unpaid_orders(expiring, datetime.now(UTC), UNPAID_FOR)
        assert expired == [order_id]
        payment = asyncio.create_task(_pay(live_shop.engine, order_id))
        await a_transaction_waits_for_a_lock(
            live_shop.engine
        )  # the payment waits for the order's row
        await expiring.commit()

    with pytest.raises(IllegalTransition):
        await payment
    assert await _committed_status(live_shop.engine, order_id) == "cancelled"
    assert await live_inventory.level(unpaid.warehouse, unpaid.product) == (10, 0)
