"""An order's life: transitions with their stock effects, every illegal one refused, the
changes a pending order allows, and the lists customers and staff see."""

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import update

from app.orders.models import Order
from tests.fixtures.app import assert_error
from tests.fixtures.inventory import assert_journal_agrees, snapshot
from tests.fixtures.orders import ADDRESS, ORDERS, Customer, Shop

STEPS = {"pay": "paid", "ship": "shipped", "deliver": "delivered", "cancel": "cancelled"}
# How to bring a new (pending) order into each status.
PATHS = {
    "pending": [],
    "paid": ["pay"],
    "shipped": ["pay", "ship"],
    "delivered": ["pay", "ship", "deliver"],
    "cancelled": ["cancel"],
}
ALLOWED = {("pending", "pay"), ("paid", "ship"), ("shipped", "deliver")}
ALLOWED |= {("pending", "cancel"), ("paid", "cancel")}


async def _walk(shop: Shop, order_id: str, steps: list[str]) -> dict[str, Any]:
    body: dict[str, Any] = {}
    for step in steps:
        response = await shop.client.post(f"{ORDERS}/{order_id}/{step}", headers=shop.staff)
        assert response.status_code == 200, response.text
        body = response.json()
    return body


async def test_ship_sells_the_reserved_units(shop: Shop) -> None:
    other = await shop.make_warehouse(priority=1)
    product = await shop.product(2)
    await shop.make_stock(other, product, 5)
    order = await shop.order(await shop.customer(), (product, 4))
    assert await shop.level(product) == (2, 2)
    assert await shop.level(product, other) == (5, 2)

    await _walk(shop, order["id"], ["pay", "ship"])
    assert await shop.level(product) == (0, 0)
    assert await shop.level(product, other) == (3, 0)
    kinds = sorted(await shop.movements(order["id"]))
    assert kinds == [("reservation", 2), ("reservation", 2), ("sale", -2), ("sale", -2)]
    await assert_journal_agrees(shop.session, [shop.warehouse.id, other.id])


@pytest.mark.parametrize("status", ["pending", "paid"])
async def test_cancel_releases_the_reservations(shop: Shop, status: str) -> None:
    customer = await shop.customer()
    product = await shop.product(5)
    order = await shop.order(customer, (product, 3))
    await _walk(shop, order["id"], PATHS[status])
    assert await shop.level(product) == (5, 3)

    cancelled = await shop.client.post(f"{ORDERS}/{order['id']}/cancel", headers=customer.headers)
    assert cancelled.status_code == 200, cancelled.text
    assert cancelled.json()["status"] == "cancelled"
    assert cancelled.json()["cancelled_at"] is not None
    assert await shop.level(product) == (5, 0)
    assert await shop.movements(order["id"]) == [("reservation", 3), ("release", -3)]
    await assert_journal_agrees(shop.session, [shop.warehouse.id])


@pytest.mark.parametrize("status", list(PATHS))
@pytest.mark.parametrize("step", list(STEPS))
async def test_every_transition_is_allowed_or_409_illegal_transition(
    shop: Shop, status: str, step: str
) -> None:
    product = await shop.product(5)
    order = await shop.order(await shop.customer(), (product, 1))
    await _walk(shop, order["id"], PATHS[status])
    before = await snapshot(shop.session, [shop.warehouse.id])

    response = await shop.client.post(f"{ORDERS}/{order['id']}/{step}", headers=shop.staff)
    if (status, step) in ALLOWED:
        assert response.status_code == 200, response.text
        assert response.json()["status"] == STEPS[step]
    else:
        assert_error(response, 409, "illegal_transition")
        assert await snapshot(shop.session, [shop.warehouse.id]) == before
        read = await shop.client.get(f"{ORDERS}/{order['id']}", headers=shop.staff)
        assert read.json()["status"] == status


@pytest.mark.parametrize("step", ["pay", "ship", "deliver"])
async def test_customers_cannot_move_orders_along(shop: Shop, step: str) -> None:
    customer = await shop.customer()
    order = await shop.order(customer, (await shop.product(5), 1))
    await _walk(shop, order["id"], {"pay": [], "ship": ["pay"], "deliver": ["pay", "ship"]}[step])
    response = await shop.client.post(f"{ORDERS}/{order['id']}/{step}", headers=customer.headers)
    assert_error(response, 403, "insufficient_role")


async def test_a_pending_order_changes_its_address_and_comment(shop: Shop) -> None:
    customer = await shop.customer()
    order = await shop.order(customer, (await shop.product(5), 1))
    url = f"{ORDERS}/{order['id']}"
    moved = {**ADDRESS, "city": "Manchester", "postal_code": "M1 1AE"}
    patched = await shop.client.patch(
        url, json={"shipping_address": moved, "comment": "back door"}, headers=customer.headers
    )
    assert patched.status_code == 200, patched.text
    assert patched.json()["shipping_address"]["city"] == "Manchester"
    assert patched.json()["comment"] == "back door"

    cleared = await shop.client.patch(url, json={"comment": None}, headers=shop.staff)
    assert cleared.json()["comment"] is None
    assert cleared.json()["shipping_address"]["city"] == "Manchester"
    assert_error(
        await shop.client.patch(url, json={"shipping_address": None}, headers=customer.headers),
        422,
        "validation_error",
    )
    assert_error(
        await shop.client.patch(
            url, json={"shipping_address": {"city": "x"}}, headers=customer.headers
        ),
        422,
        "validation_error",
    )

    await _walk(shop, order["id"], ["pay"])
    refused = await shop.client.patch(url, json={"comment": "late"}, headers=customer.headers)
    assert_error(refused, 409, "order_not_editable")


async def test_line_quantities_change_with_their_reservations(shop: Shop) -> None:
    customer = await shop.customer()
    other = await shop.make_warehouse(priority=1)
    lamp = await shop.product(3, price="10.00")
    await shop.make_stock(other, lamp, 4)
    shade = await shop.product(5, price="2.50")
    order = await shop.order(customer, (lamp, 2), (shade, 1))
    lines = {line["sku"]: line["id"] for line in order["items"]}
    url = f"{ORDERS}/{order['id']}/items/{lines[lamp.sku]}"

    # More: what the first warehouse has left, then the next one.
    grown = await shop.client.patch(url, json={"quantity": 5}, headers=customer.headers)
    assert grown.status_code == 200, grown.text
    assert grown.json()["total"] == "52.50"
    assert await shop.level(lamp) == (3, 3)
    assert await shop.level(lamp, other) == (4, 2)

    # Fewer: given back from the least preferred warehouse first.
    shrunk = await shop.client.patch(url, json={"quantity": 2}, headers=shop.staff)
    assert shrunk.status_code == 200
    assert shrunk.json()["total"] == "22.50"
    line = next(item for item in shrunk.json()["items"] if item["sku"] == lamp.sku)
    assert line["line_total"] == "20.00"
    assert line["allocations"] == [{"warehouse_code": shop.warehouse.code, "quantity": 2}]
    assert await shop.level(lamp) == (3, 2)
    assert await shop.level(lamp, other) == (4, 0)

    # Too many: 409 for the whole line, nothing changed.
    before = await snapshot(shop.session, [shop.warehouse.id, other.id])
    short = await shop.client.patch(url, json={"quantity": 8}, headers=customer.headers)
    body = assert_error(short, 409, "insufficient_stock")
    assert body["items"] == [
        {"product_id": str(lamp.id), "sku": lamp.sku, "requested": 8, "available": 7}
    ]
    assert await snapshot(shop.session, [shop.warehouse.id, other.id]) == before
    await assert_journal_agrees(shop.session, [shop.warehouse.id, other.id])

    for quantity in (0, 1000):
        assert_error(
            await shop.client.patch(url, json={"quantity": quantity}, headers=customer.headers),
            422,
            "validation_error",
        )


async def test_deleting_lines_releases_them_but_the_last_line_stays(shop: Shop) -> None:
    customer = await shop.customer()
    lamp = await shop.product(5, price="10.00")
    shade = await shop.product(5, price="2.50")
    order = await shop.order(customer, (lamp, 2), (shade, 1))
    lines = {line["sku"]: line["id"] for line in order["items"]}

    deleted = await shop.client.delete(
        f"{ORDERS}/{order['id']}/items/{lines[lamp.sku]}", headers=customer.headers
    )
    assert deleted.status_code == 200, deleted.text
    assert [line["sku"] for line in deleted.json()["items"]] == [shade.sku]
    assert deleted.json()["total"] == "2.50"
    assert await shop.level(lamp) == (5, 0)

    last = await shop.client.delete(
        f"{ORDERS}/{order['id']}/items/{lines[shade.sku]}", headers=customer.headers
    )
    assert_error(last, 409, "last_order_item")
    assert await shop.level(shade) == (5, 1)
    gone = await shop.client.delete(
        f"{ORDERS}/{order['id']}/items/{lines[lamp.sku]}", headers=customer.headers
    )
    assert_error(gone, 404, "order_item_not_found")


async def test_lines_of_an_order_that_is_not_pending_do_not_change(shop: Shop) -> None:
    customer = await shop.customer()
    lamp, shade = await shop.product(5), await shop.product(5)
    order = await shop.order(customer, (lamp, 2), (shade, 1))
    await _walk(shop, order["id"], ["pay"])
    item = order["items"][0]["id"]
    url = f"{ORDERS}/{order['id']}/items/{item}"
    assert_error(
        await shop.client.patch(url, json={"quantity": 1}, headers=shop.staff),
        409,
        "order_not_editable",
    )
    assert_error(await shop.client.delete(url, headers=shop.staff), 409, "order_not_editable")
    assert await shop.level(lamp) == (5, 2)


async def _age(shop: Shop, order_id: str, days: int) -> None:
    await shop.session.execute(
        update(Order)
        .where(Order.id == uuid.UUID(order_id))
        .values(created_at=datetime.now(UTC) - timedelta(days=days))
    )


async def test_lists_are_newest_first_filtered_and_paginated(shop: Shop) -> None:
    alice, bob = await shop.customer(), await shop.customer()
    product = await shop.product(50)
    made: dict[str, list[str]] = {"alice": [], "bob": []}
    for age, who, name in ((30, alice, "alice"), (10, alice, "alice"), (5, bob, "bob")):
        order = await shop.order(who, (product, 1))
        await _age(shop, order["id"], age)
        made[name].append(order["id"])
    await _walk(shop, made["alice"][1], ["pay"])

    mine = (await shop.client.get(ORDERS, headers=alice.headers)).json()
    assert [item["id"] for item in mine["items"]] == [made["alice"][1], made["alice"][0]]
    assert mine["total"] == 2
    # A customer's user_id filter is ignored: always their own.
    theirs = await shop.client.get(
        ORDERS, params={"user_id": str(bob.user.id)}, headers=alice.headers
    )
    assert {item["user_id"] for item in theirs.json()["items"]} == {str(alice.user.id)}

    async def staff(**params: Any) -> list[str]:
        params.setdefault("size", 100)
        response = await shop.client.get(ORDERS, params=params, headers=shop.staff)
        assert response.status_code == 200, response.text
        return [item["id"] for item in response.json()["items"]]

    everyone = made["alice"] + made["bob"]
    assert [i for i in await staff() if i in everyone] == [
        made["bob"][0],
        made["alice"][1],
        made["alice"][0],
    ]
    assert await staff(user_id=str(bob.user.id)) == made["bob"]
    assert [i for i in await staff(status="paid") if i in everyone] == [made["alice"][1]]
    today = datetime.now(UTC).date()
    recent = await staff(
        date_from=str(today - timedelta(days=12)), date_to=str(today - timedelta(days=4))
    )
    assert [i for i in recent if i in everyone] == [made["bob"][0], made["alice"][1]]
    page = await shop.client.get(ORDERS, params={"page": 2, "size": 1}, headers=alice.headers)
    assert page.json()["items"][0]["id"] == made["alice"][0]
    assert (page.json()["page"], page.json()["size"], page.json()["total"]) == (2, 1, 2)

    bad = await shop.client.get(
        ORDERS, params={"date_from": "2026-02-01", "date_to": "2026-01-01"}, headers=shop.staff
    )
    assert_error(bad, 422, "invalid_date_range")
    assert_error(
        await shop.client.get(ORDERS, params={"status": "lost"}, headers=shop.staff),
        422,
        "validation_error",
    )


async def test_staff_cancel_until_shipped_and_customers_their_own(shop: Shop) -> None:
    customer: Customer = await shop.customer()
    product = await shop.product(5)
    order = await shop.order(customer, (product, 1))
    await _walk(shop, order["id"], ["pay", "ship"])
    for headers in (customer.headers, shop.staff):
        assert_error(
            await shop.client.post(f"{ORDERS}/{order['id']}/cancel", headers=headers),
            409,
            "illegal_transition",
        )
