"""A customer never reaches another customer's order: every route answers 404 as if it did not
exist, and nothing changes. Guests need to sign in; staff reach every order."""

import uuid
from typing import Any

import pytest

from tests.fixtures.app import assert_error
from tests.fixtures.inventory import snapshot
from tests.fixtures.orders import ADDRESS, ORDERS, Shop


def _routes(order_id: str, item_id: str) -> list[tuple[str, str, dict[str, Any] | None]]:
    return [
        ("GET", f"{ORDERS}/{order_id}", None),
        ("PATCH", f"{ORDERS}/{order_id}", {"comment": "mine now"}),
        ("PATCH", f"{ORDERS}/{order_id}", {"shipping_address": ADDRESS}),
        ("PATCH", f"{ORDERS}/{order_id}/items/{item_id}", {"quantity": 1}),
        ("DELETE", f"{ORDERS}/{order_id}/items/{item_id}", None),
        ("POST", f"{ORDERS}/{order_id}/cancel", None),
    ]


async def test_another_customers_order_is_404_on_every_route(shop: Shop) -> None:
    alice, bob = await shop.customer(), await shop.customer()
    lamp, shade = await shop.product(5), await shop.product(5)
    order = await shop.order(alice, (lamp, 2), (shade, 1))
    item = order["items"][0]["id"]
    before = await snapshot(shop.session, [shop.warehouse.id])

    for method, url, body in _routes(order["id"], item):
        response = await shop.client.request(method, url, json=body, headers=bob.headers)
        assert_error(response, 404, "order_not_found")
    # The staff steps are refused by role before anything is looked up.
    for step in ("pay", "ship", "deliver"):
        response = await shop.client.post(f"{ORDERS}/{order['id']}/{step}", headers=bob.headers)
        assert_error(response, 403, "insufficient_role")
    assert (await shop.client.get(ORDERS, headers=bob.headers)).json()["items"] == []

    assert await snapshot(shop.session, [shop.warehouse.id]) == before
    unchanged = await shop.client.get(f"{ORDERS}/{order['id']}", headers=alice.headers)
    assert unchanged.json() == {**order, "updated_at": unchanged.json()["updated_at"]}


async def test_guests_must_sign_in(shop: Shop) -> None:
    order = await shop.order(await shop.customer(), (await shop.product(5), 1))
    for method, url, body in _routes(order["id"], order["items"][0]["id"]):
        response = await shop.client.request(method, url, json=body)
        assert_error(response, 401, "not_authenticated")
    assert_error(await shop.client.get(ORDERS), 401, "not_authenticated")


@pytest.mark.parametrize("who", ["owner", "staff"])
async def test_unknown_orders_and_items_are_404(shop: Shop, who: str) -> None:
    customer = await shop.customer()
    order = await shop.order(customer, (await shop.product(5), 1))
    headers = customer.headers if who == "owner" else shop.staff
    for method, url, body in _routes(str(uuid.uuid4()), order["items"][0]["id"]):
        response = await shop.client.request(method, url, json=body, headers=headers)
        assert_error(response, 404, "order_not_found")
    for method in ("PATCH", "DELETE"):
        response = await shop.client.request(
            method,
            f"{ORDERS}/{order['id']}/items/{uuid.uuid4()}",
            json={"quantity": 1} if method == "PATCH" else None,
            headers=headers,
        )
        assert_error(response, 404, "order_item_not_found")
    assert_error(
        await shop.client.get(f"{ORDERS}/not-a-uuid", headers=headers), 422, "validation_error"
    )


async def test_staff_see_and_manage_every_order(shop: Shop) -> None:
    customer = await shop.customer()
    order = await shop.order(customer, (await shop.product(5), 1))
    read = await shop.client.get(f"{ORDERS}/{order['id']}", headers=shop.staff)
    assert read.status_code == 200
    assert read.json()["items"][0]["allocations"] == [
        {"warehouse_code": shop.warehouse.code, "quantity": 1}
    ]
    patched = await shop.client.patch(
        f"{ORDERS}/{order['id']}", json={"comment": "called the customer"}, headers=shop.staff
    )
    assert patched.json()["comment"] == "called the customer"
    cancelled = await shop.client.post(f"{ORDERS}/{order['id']}/cancel", headers=shop.staff)
    assert cancelled.json()["status"] == "cancelled"
