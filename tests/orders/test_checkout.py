"""Checkout: the cart becomes an order with price snapshots, stock reserved across warehouses
by priority and recorded per line, the cart emptied; or a clear error and nothing changed."""

import uuid
from typing import Any

import pytest
from sqlalchemy import func, select

from app.catalog.models import Product
from app.inventory.models import StockMovement
from app.orders.models import IdempotencyKey, Order
from tests.fixtures.app import assert_error
from tests.fixtures.inventory import snapshot
from tests.fixtures.orders import ADDRESS, CART, ORDERS, Shop


async def _orders(shop: Shop) -> int:
    return (await shop.session.scalar(select(func.count()).select_from(Order))) or 0


async def test_the_whole_shopper_flow_from_an_empty_cart_to_a_delivered_order(
    shop: Shop,
) -> None:
    customer = await shop.customer()
    lamp = await shop.product(5, price="39.90", name="Walnut desk lamp")
    shade = await shop.product(3, price="12.50", name="Linen shade")
    assert (await shop.client.get(CART, headers=customer.headers)).json()["items"] == []
    assert (await shop.add(customer, lamp, 2)).status_code == 201
    assert (await shop.add(customer, shade, 1)).status_code == 201

    placed = await shop.checkout(customer, {"comment": "Ring twice"})
    assert placed.status_code == 201, placed.text
    order = placed.json()
    assert order["number"].startswith("ORD-")
    assert len(order["number"]) >= 10
    assert order["status"] == "pending"
    assert order["user_id"] == str(customer.user.id)
    assert order["total"] == "92.30"
    assert order["currency"] == "EUR"
    assert order["comment"] == "Ring twice"
    assert order["shipping_address"] == ADDRESS  # the profile's default address
    assert order["contact"] == {"email": customer.user.email, "phone": ADDRESS["phone"]}
    lines = {line["sku"]: line for line in order["items"]}
    assert lines[lamp.sku]["unit_price"] == "39.90"
    assert lines[lamp.sku]["quantity"] == 2
    assert lines[lamp.sku]["line_total"] == "79.80"
    assert lines[lamp.sku]["name"] == "Walnut desk lamp"
    assert lines[lamp.sku]["allocations"] is None  # warehouses are the staff's business
    assert await shop.level(lamp) == (5, 2)
    assert await shop.level(shade) == (3, 1)
    assert (await shop.client.get(CART, headers=customer.headers)).json()["items"] == []

    # The order keeps its prices when the catalog's change.
    lamp.price = lamp.price + 10
    await shop.session.flush()
    read = await shop.client.get(f"{ORDERS}/{order['id']}", headers=customer.headers)
    assert read.json()["total"] == "92.30"

    for action, status in (("pay", "paid"), ("ship", "shipped"), ("deliver", "delivered")):
        moved = await shop.client.post(f"{ORDERS}/{order['id']}/{action}", headers=shop.staff)
        assert moved.status_code == 200, moved.text
        assert moved.json()["status"] == status
        assert moved.json()[f"{status}_at"] is not None
    assert await shop.level(lamp) == (3, 0)
    assert await shop.level(shade) == (2, 0)

    mine = await shop.client.get(ORDERS, headers=customer.headers)
    assert [item["status"] for item in mine.json()["items"]] == ["delivered"]


async def test_contact_and_address_in_the_body_win_over_the_profile(shop: Shop) -> None:
    customer = await shop.customer()
    product = await shop.product(5)
    assert (await shop.add(customer, product)).status_code == 201
    address = {**ADDRESS, "full_name": "Charles Babbage", "country": "de", "phone": None}
    placed = await shop.checkout(
        customer,
        {
            "shipping_address": address,
            "contact": {"email": "Other@Example.com", "phone": "+1 555 0100"},
        },
    )
    assert placed.status_code == 201, placed.text
    order = placed.json()
    assert order["shipping_address"]["full_name"] == "Charles Babbage"
    assert order["shipping_address"]["country"] == "DE"
    assert order["contact"]["email"].lower() == "other@example.com"
    assert order["contact"]["phone"] == "+1 555 0100"


async def test_a_line_is_split_across_warehouses_by_priority(shop: Shop) -> None:
    # Codes sort the other way round than priorities: reserving still follows priority.
    first = await shop.make_warehouse(code=f"Z-FIRST-{uuid.uuid4().hex[:6].upper()}", priority=0)
    second = await shop.make_warehouse(code=f"A-NEXT-{uuid.uuid4().hex[:6].upper()}", priority=5)
    idle = await shop.make_warehouse(priority=0)
    product = await shop.product(0)
    await shop.make_stock(first, product, 3)
    await shop.make_stock(second, product, 10)
    await shop.make_stock(idle, product, 50)
    idle.is_active = False  # its stock is not for sale
    await shop.session.flush()
    customer = await shop.customer()
    assert (await shop.add(customer, product, 5)).status_code == 201

    order = await shop.order(customer)
    staff_view = await shop.client.get(f"{ORDERS}/{order['id']}", headers=shop.staff)
    [line] = staff_view.json()["items"]
    assert sorted(line["allocations"], key=lambda a: a["warehouse_code"]) == sorted(
        [
            {"warehouse_code": first.code, "quantity": 3},
            {"warehouse_code": second.code, "quantity": 2},
        ],
        key=lambda a: a["warehouse_code"],
    )
    assert await shop.level(product, first) == (3, 3)
    assert await shop.level(product, second) == (10, 2)
    assert await shop.level(product, idle) == (50, 0)
    assert await shop.movements(order["id"]) == [("reservation", 2), ("reservation", 3)]


async def test_short_stock_is_409_listing_each_sku_and_nothing_changes(shop: Shop) -> None:
    customer = await shop.customer()
    plenty = await shop.product(10)
    short = await shop.product(4)
    other = await shop.make_warehouse(priority=1)
    await shop.make_stock(other, short, 1)
    for product, quantity in ((plenty, 2), (short, 5)):
        assert (await shop.add(customer, product, quantity)).status_code == 201
    # The stock goes while the goods wait in the cart.
    await shop.make_stock(shop.warehouse, short, 0, reserved=2)
    before = await snapshot(shop.session, [shop.warehouse.id, other.id])
    orders = await _orders(shop)

    refused = await shop.checkout(customer)
    body = assert_error(refused, 409, "insufficient_stock")
    assert body["items"] == [
        {"product_id": str(short.id), "sku": short.sku, "requested": 5, "available": 3}
    ]
    assert short.sku in body["detail"]
    assert await snapshot(shop.session, [shop.warehouse.id, other.id]) == before
    assert await _orders(shop) == orders
    cart = (await shop.client.get(CART, headers=customer.headers)).json()
    assert [line["quantity"] for line in cart["items"]] == [2, 5]


async def test_checkout_needs_a_confirmed_email(shop: Shop) -> None:
    customer = await shop.customer(verified=False)
    assert (await shop.add(customer, await shop.product(5))).status_code == 201
    assert_error(await shop.checkout(customer), 403, "email_not_verified")
    assert await _orders(shop) == 0


async def test_an_empty_cart_is_409_cart_empty(shop: Shop) -> None:
    customer = await shop.customer()
    assert_error(await shop.checkout(customer), 409, "cart_empty")
    product = await shop.product(5)
    line = (await shop.add(customer, product)).json()["items"][0]["id"]
    await shop.client.delete(f"{CART}/items/{line}", headers=customer.headers)
    assert_error(await shop.checkout(customer), 409, "cart_empty")
    assert_error(await shop.client.post(ORDERS, json={}), 401, "not_authenticated")


async def test_a_cart_with_products_no_longer_for_sale_is_409(shop: Shop) -> None:
    customer = await shop.customer()
    product = await shop.product(5)
    assert (await shop.add(customer, product)).status_code == 201
    product.is_published = False
    await shop.session.flush()
    assert_error(await shop.checkout(customer), 409, "cart_not_orderable")
    assert await shop.level(product) == (5, 0)


async def test_without_an_address_anywhere_checkout_is_422(shop: Shop) -> None:
    customer = await shop.customer(address=None)
    assert (await shop.add(customer, await shop.product(5))).status_code == 201
    assert_error(await shop.checkout(customer), 422, "shipping_address_required")


@pytest.mark.parametrize(
    "body",
    [
        {"shipping_address": {**ADDRESS, "country": "Germany"}},
        {"shipping_address": {"full_name": "No street"}},
        {"contact": {"email": "not-an-address"}},
        {"contact": {"phone": "call me"}},
        {"comment": "x" * 2001},
        {"shipping_address": None, "comment": 5},
    ],
)
async def test_invalid_checkout_bodies_are_422_and_change_nothing(
    shop: Shop, body: dict[str, Any]
) -> None:
    customer = await shop.customer()
    product = await shop.product(5)
    assert (await shop.add(customer, product)).status_code == 201
    assert_error(await shop.checkout(customer, body), 422, "validation_error")
    assert await _orders(shop) == 0
    assert await shop.level(product) == (5, 0)
    assert len((await shop.client.get(CART, headers=customer.headers)).json()["items"]) == 1


async def test_the_same_idempotency_key_and_body_give_the_first_order(shop: Shop) -> None:
    customer = await shop.customer()
    product = await shop.product(5)
    assert (await shop.add(customer, product, 2)).status_code == 201
    body = {"comment": "gift"}

    first = await shop.checkout(customer, body, key="checkout-1")
    assert first.status_code == 201
    again = await shop.checkout(customer, body, key="checkout-1")
    assert again.status_code == 200
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert await _orders(shop) == 1
    assert await shop.level(product) == (5, 2)

    other_body = await shop.checkout(customer, {"comment": "not a gift"}, key="checkout-1")
    assert_error(other_body, 422, "idempotency_key_reused")
    # Another key is another checkout: the cart is empty now.
    assert_error(await shop.checkout(customer, body, key="checkout-2"), 409, "cart_empty")
    # A failed checkout keeps no record of its key.
    keys = await shop.session.scalars(
        select(IdempotencyKey.key).where(IdempotencyKey.user_id == customer.user.id)
    )
    assert list(keys) == ["checkout-1"]


async def test_keys_are_per_user(shop: Shop) -> None:
    alice = await shop.customer()
    bob = await shop.customer()
    product = await shop.product(5)
    for who in (alice, bob):
        assert (await shop.add(who, product)).status_code == 201
    one = await shop.checkout(alice, key="same")
    two = await shop.checkout(bob, key="same")
    assert (one.status_code, two.status_code) == (201, 201)
    assert one.json()["id"] != two.json()["id"]


async def test_order_numbers_are_unique_and_increasing(shop: Shop) -> None:
    product = await shop.product(10)
    numbers = []
    for _ in range(3):
        customer = await shop.customer()
        numbers.append((await shop.order(customer, (product, 1)))["number"])
    assert len(set(numbers)) == 3
    assert [int(number.removeprefix("ORD-")) for number in numbers] == sorted(
        int(number.removeprefix("ORD-")) for number in numbers
    )


async def test_a_product_named_by_an_order_is_archived_not_deleted(shop: Shop) -> None:
    ordered = await shop.product(5)
    unordered = await shop.product(0)
    await shop.order(await shop.customer(), (ordered, 1))

    archived = await shop.client.delete(f"/api/v1/products/{ordered.id}", headers=shop.staff)
    assert archived.status_code == 200, archived.text
    assert archived.json()["outcome"] == "archived"
    deleted = await shop.client.delete(f"/api/v1/products/{unordered.id}", headers=shop.staff)
    assert deleted.json()["outcome"] == "deleted"
    assert await shop.session.get(Product, ordered.id) is not None


async def test_checkout_journal_rows_name_the_order_and_the_customer(shop: Shop) -> None:
    customer = await shop.customer()
    product = await shop.product(5)
    order = await shop.order(customer, (product, 2))
    row = (
        await shop.session.execute(
            select(StockMovement.kind, StockMovement.user_id, StockMovement.quantity_after).where(
                StockMovement.order_id == uuid.UUID(order["id"])
            )
        )
    ).one()
    assert row.kind == "reservation"
    assert row.user_id == customer.user.id
    assert row.quantity_after == 2
