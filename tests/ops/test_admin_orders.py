"""Orders in the admin panel: staff see them and move them on with "Mark paid" and "Mark
shipped", which go through the orders service (stock sold and journalled, nothing changed on
a refused step); and the orders metrics count what checkout placed, once committed."""

import uuid
from decimal import Decimal

import httpx
import pytest
from prometheus_client import REGISTRY
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from app.accounts.models import Role
from app.catalog.models import Product
from app.inventory.models import Warehouse
from app.orders.models import Order
from tests.fixtures.orders import ORDERS, LiveShop
from tests.ops.conftest import CommittedUser, login


def value(name: str) -> float:
    return REGISTRY.get_sample_value(name) or 0.0


@pytest.fixture
async def browser(
    live_client: httpx.AsyncClient, committed_user: CommittedUser
) -> httpx.AsyncClient:
    """An operator logged in to the admin panel (sharing live_client's app)."""
    operator = await committed_user(Role.OPERATOR)
    assert (await login(live_client, operator.email)).status_code == 302
    return live_client


async def placed_order(
    live_shop: LiveShop, live_client: httpx.AsyncClient
) -> tuple[Order, Warehouse, Product]:
    inventory = live_shop.inventory
    warehouse = await inventory.warehouse()
    product = await inventory.product()
    await inventory.put(warehouse, product, 5)
    (customer,) = await live_shop.customers(1, cart=[(product, 2)])
    placed, value_before = value("shop_orders_placed_total"), value("shop_orders_value_total")
    response = await live_client.post(ORDERS, json={}, headers=customer.headers)
    assert response.status_code == 201, response.text
    body = response.json()
    assert value("shop_orders_placed_total") == placed + 1
    assert value("shop_orders_value_total") == pytest.approx(
        value_before + float(Decimal(body["total"]))
    )
    async with AsyncSession(live_shop.engine) as session:
        order = await session.get_one(Order, uuid.UUID(body["id"]))
    return order, warehouse, product


async def test_staff_mark_orders_paid_then_shipped_through_the_service(
    live_shop: LiveShop, browser: httpx.AsyncClient, engine: AsyncEngine
) -> None:
    order, warehouse, product = await placed_order(live_shop, browser)
    listing = await browser.get("/admin/order/list")
    assert listing.status_code == 200
    assert order.number in listing.text
    assert "Mark paid" in listing.text
    details = await browser.get(f"/admin/order/details/{order.id}")
    assert details.status_code == 200
    for view in ("order-item", "order-allocation", "cart", "cart-item"):
        assert (await browser.get(f"/admin/{view}/list")).status_code == 200, view
    assert (await browser.get("/admin/idempotency-key/list")).status_code in (403, 404)
    assert (await browser.get(f"/admin/order/edit/{order.id}")).status_code == 403

    # Shipping a pending order is refused and changes nothing.
    refused = await browser.post(f"/admin/order/action/mark-shipped?pks={order.id}")
    assert refused.status_code == 302
    async with AsyncSession(engine) as session:
        assert (await session.get_one(Order, order.id)).status == "pending"
    assert await live_shop.inventory.level(warehouse, product) == (5, 2)

    paid = await browser.post(f"/admin/order/action/mark-paid?pks={order.id}")
    assert paid.status_code == 302
    async with AsyncSession(engine) as session:
        assert (await session.get_one(Order, order.id)).status == "paid"

    shipped = await browser.post(f"/admin/order/action/mark-shipped?pks={order.id}")
    assert shipped.status_code == 302
    async with AsyncSession(engine) as session:
        again = await session.get_one(Order, order.id)
    assert again.status == "shipped"
    assert again.shipped_at is not None
    # Sold: on hand and reserved both down by the order's 2 units, and journalled.
    assert await live_shop.inventory.level(warehouse, product) == (3, 0)
    await live_shop.inventory.check_journal(warehouse)
    # What each action did is said on the next page.
    page = (await browser.get("/admin/order/list")).text
    assert f"Marked paid: {order.number}" in page
    assert f"Marked shipped: {order.number}" in page
    assert "Not changed" in page
