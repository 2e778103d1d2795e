"""The cart: guests by token, users by account; current prices, availability and flags;
validation and stock errors with the JSON error body and nothing changed."""

import hashlib
import uuid

import pytest
from sqlalchemy import func, select

from app.cart.models import Cart, CartItem
from tests.fixtures.app import assert_error
from tests.fixtures.orders import CART, Shop


async def _cart_count(shop: Shop) -> int:
    return (await shop.session.scalar(select(func.count()).select_from(CartItem))) or 0


async def test_a_guest_gets_a_token_on_the_first_add_and_keeps_the_cart_with_it(
    shop: Shop,
) -> None:
    product = await shop.product(5, price="12.50")
    empty = await shop.client.get(CART)
    assert empty.status_code == 200
    assert empty.json() == {
        "id": None,
        "items": [],
        "total": "0.00",
        "currency": "EUR",
        "can_checkout": False,
        "token": None,
    }

    added = await shop.add({}, product, 2)
    assert added.status_code == 201, added.text
    token = added.headers["X-Cart-Token"]
    body = added.json()
    assert body["token"] == token
    assert body["total"] == "25.00"
    [line] = body["items"]
    assert line["sku"] == product.sku
    assert line["unit_price"] == "12.50"
    assert line["line_total"] == "25.00"
    assert line["available"] == 5
    assert (line["unpublished"], line["archived"], line["unavailable"]) == (False, False, False)
    assert body["can_checkout"] is True

    # Only the token's hash is stored.
    cart = await shop.session.scalar(select(Cart).where(Cart.id == uuid.UUID(body["id"])))
    assert cart is not None
    assert cart.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert cart.user_id is None

    again = await shop.add({"X-Cart-Token": token}, product, 1)
    assert again.status_code == 201
    assert "X-Cart-Token" not in again.headers
    assert again.json()["token"] is None
    assert again.json()["items"][0]["quantity"] == 3
    read = await shop.client.get(CART, headers={"X-Cart-Token": token})
    assert read.json()["id"] == body["id"]
    assert read.json()["total"] == "37.50"

    # Without the token (or with an unknown one) it is someone else's cart.
    assert (await shop.client.get(CART)).json()["items"] == []
    unknown = await shop.client.get(CART, headers={"X-Cart-Token": "not-a-token"})
    assert unknown.json()["items"] == []


async def test_a_user_has_one_cart_with_lines_changed_and_removed(shop: Shop) -> None:
    customer = await shop.customer()
    first = await shop.product(10, price="3.30")
    second = await shop.product(10, price="1.05")
    assert (await shop.add(customer, first, 2)).status_code == 201
    added = await shop.add(customer, second, 3)
    assert "X-Cart-Token" not in added.headers
    body = added.json()
    assert body["token"] is None
    assert [line["quantity"] for line in body["items"]] == [2, 3]
    assert body["total"] == "9.75"
    carts = await shop.session.scalar(
        select(func.count()).select_from(Cart).where(Cart.user_id == customer.user.id)
    )
    assert carts == 1

    line_id = body["items"][0]["id"]
    patched = await shop.client.patch(
        f"{CART}/items/{line_id}", json={"quantity": 5}, headers=customer.headers
    )
    assert patched.status_code == 200
    assert patched.json()["items"][0]["quantity"] == 5
    assert patched.json()["total"] == "19.65"

    removed = await shop.client.delete(f"{CART}/items/{line_id}", headers=customer.headers)
    assert removed.status_code == 200
    assert [line["sku"] for line in removed.json()["items"]] == [second.sku]

    cleared = await shop.client.delete(CART, headers=customer.headers)
    assert cleared.status_code == 204
    after = await shop.client.get(CART, headers=customer.headers)
    assert after.json()["items"] == []
    assert after.json()["total"] == "0.00"


async def test_lines_show_current_prices_and_flag_what_cannot_be_ordered(shop: Shop) -> None:
    customer = await shop.customer()
    lamp = await shop.product(5, price="10.00")
    shade = await shop.product(5)
    bulb = await shop.product(5)
    for product, quantity in ((lamp, 1), (shade, 1), (bulb, 4)):
        assert (await shop.add(customer, product, quantity)).status_code == 201

    lamp.price = lamp.price * 2  # the price changes after it went into the cart
    shade.is_published = False
    await shop.session.flush()
    await shop.make_stock(shop.warehouse, bulb, 0, reserved=3)  # only 2 of 5 left

    body = (await shop.client.get(CART, headers=customer.headers)).json()
    lines = {line["sku"]: line for line in body["items"]}
    assert len(lines) == 3  # nothing dropped
    assert lines[lamp.sku]["unit_price"] == "20.00"
    assert lines[shade.sku]["unpublished"] is True
    assert lines[bulb.sku]["available"] == 2
    assert lines[bulb.sku]["unavailable"] is True
    assert body["can_checkout"] is False

    shade.is_archived = True
    await shop.session.flush()
    body = (await shop.client.get(CART, headers=customer.headers)).json()
    assert {line["sku"]: line["archived"] for line in body["items"]}[shade.sku] is True


async def test_adding_more_than_is_available_is_409_with_the_shortage(shop: Shop) -> None:
    customer = await shop.customer()
    product = await shop.product(3)
    assert (await shop.add(customer, product, 2)).status_code == 201
    before = await _cart_count(shop)

    refused = await shop.add(customer, product, 2)
    body = assert_error(refused, 409, "insufficient_stock")
    assert body["items"] == [
        {"product_id": str(product.id), "sku": product.sku, "requested": 4, "available": 3}
    ]
    assert await _cart_count(shop) == before
    cart = (await shop.client.get(CART, headers=customer.headers)).json()
    assert cart["items"][0]["quantity"] == 2

    line_id = cart["items"][0]["id"]
    patched = await shop.client.patch(
        f"{CART}/items/{line_id}", json={"quantity": 4}, headers=customer.headers
    )
    assert assert_error(patched, 409, "insufficient_stock")["items"][0]["requested"] == 4
    # Fewer always may.
    fewer = await shop.client.patch(
        f"{CART}/items/{line_id}", json={"quantity": 1}, headers=customer.headers
    )
    assert fewer.status_code == 200


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"quantity": 1}, "validation_error"),
        ({"product_id": "not-a-uuid", "quantity": 1}, "validation_error"),
        ({"product_id": str(uuid.uuid4()), "quantity": 0}, "validation_error"),
        ({"product_id": str(uuid.uuid4()), "quantity": 1000}, "validation_error"),
        ({"product_id": str(uuid.uuid4()), "quantity": "many"}, "validation_error"),
    ],
)
async def test_invalid_lines_are_422_and_change_nothing(
    shop: Shop, body: dict[str, object], code: str
) -> None:
    customer = await shop.customer()
    response = await shop.client.post(f"{CART}/items", json=body, headers=customer.headers)
    assert_error(response, 422, code)
    assert await _cart_count(shop) == 0


async def test_products_not_for_sale_cannot_be_added(shop: Shop) -> None:
    customer = await shop.customer()
    hidden = await shop.product(5, is_published=False)
    archived = await shop.product(5, is_archived=True)
    for product in (hidden, archived):
        assert_error(await shop.add(customer, product), 404, "product_not_found")
    unknown = await shop.client.post(
        f"{CART}/items",
        json={"product_id": str(uuid.uuid4()), "quantity": 1},
        headers=customer.headers,
    )
    assert_error(unknown, 404, "product_not_found")
    assert await _cart_count(shop) == 0


async def test_a_line_holds_at_most_999(shop: Shop) -> None:
    customer = await shop.customer()
    product = await shop.product(2000)
    assert (await shop.add(customer, product, 999)).status_code == 201
    assert_error(await shop.add(customer, product, 1), 422, "quantity_limit")
    cart = (await shop.client.get(CART, headers=customer.headers)).json()
    assert cart["items"][0]["quantity"] == 999


async def test_another_shoppers_cart_items_are_404(shop: Shop) -> None:
    alice = await shop.customer()
    bob = await shop.customer()
    product = await shop.product(5)
    line_id = (await shop.add(alice, product, 1)).json()["items"][0]["id"]
    guest = await shop.add({}, product, 1)
    guest_line = guest.json()["items"][0]["id"]

    for headers, item in (
        (bob.headers, line_id),
        (bob.headers, guest_line),
        ({}, line_id),
        ({"X-Cart-Token": guest.headers["X-Cart-Token"]}, line_id),
        (alice.headers, str(uuid.uuid4())),
    ):
        patched = await shop.client.patch(
            f"{CART}/items/{item}", json={"quantity": 2}, headers=headers
        )
        assert_error(patched, 404, "cart_item_not_found")
        deleted = await shop.client.delete(f"{CART}/items/{item}", headers=headers)
        assert_error(deleted, 404, "cart_item_not_found")
    assert (await shop.client.get(CART, headers=alice.headers)).json()["items"][0]["quantity"] == 1
    # Bob emptying his cart leaves Alice's alone.
    assert (await shop.client.delete(CART, headers=bob.headers)).status_code == 204
    assert len((await shop.client.get(CART, headers=alice.headers)).json()["items"]) == 1


async def test_a_bad_bearer_token_is_401_not_a_guest(shop: Shop) -> None:
    response = await shop.client.get(CART, headers={"Authorization": "Bearer nonsense"})
    assert_error(response, 401, "invalid_token")
