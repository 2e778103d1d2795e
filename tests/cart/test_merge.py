"""A guest's cart joins the user's cart at login: quantities summed, capped by availability,
the guest cart deleted."""

import pytest
from sqlalchemy import select

from app.cart.models import Cart
from app.cart.service import hash_token, merged_quantity
from tests.fixtures.app import DEFAULT_PASSWORD, assert_error
from tests.fixtures.orders import CART, Shop


@pytest.mark.parametrize(
    ("mine", "theirs", "available", "merged"),
    [
        (2, 3, 10, 5),  # summed
        (2, 3, 4, 4),  # capped by availability
        (5, 3, 4, 5),  # never below what the user had
        (0, 3, 2, 2),
        (0, 3, 0, 3),  # nothing available: comes over as it was, flagged
        (900, 900, 5000, 999),  # at most 999
    ],
)
def test_merged_quantity(mine: int, theirs: int, available: int, merged: int) -> None:
    assert merged_quantity(mine, theirs, available) == merged


async def _guest_cart(shop: Shop, *lines: tuple[object, int]) -> str:
    token = ""
    for product, quantity in lines:
        headers = {"X-Cart-Token": token} if token else {}
        response = await shop.add(headers, product, quantity)  # type: ignore[arg-type]
        assert response.status_code == 201, response.text
        token = token or response.headers["X-Cart-Token"]
    return token


async def test_post_cart_merge_sums_caps_and_deletes_the_guest_cart(shop: Shop) -> None:
    customer = await shop.customer()
    both = await shop.product(6)
    guest_only = await shop.product(10)
    scarce = await shop.product(2)
    assert (await shop.add(customer, both, 2)).status_code == 201
    token = await _guest_cart(shop, (both, 3), (guest_only, 4), (scarce, 2))
    await shop.make_stock(shop.warehouse, scarce, 0, reserved=1)  # 1 of 2 left now

    merged = await shop.client.post(
        f"{CART}/merge", headers={**customer.headers, "X-Cart-Token": token}
    )
    assert merged.status_code == 200, merged.text
    quantities = {line["sku"]: line["quantity"] for line in merged.json()["items"]}
    assert quantities == {both.sku: 5, guest_only.sku: 4, scarce.sku: 1}
    assert (
        await shop.session.scalar(select(Cart.id).where(Cart.token_hash == hash_token(token)))
        is None
    )

    # The token is spent: merging again changes nothing, and a guest with it has no cart.
    again = await shop.client.post(
        f"{CART}/merge", headers={**customer.headers, "X-Cart-Token": token}
    )
    assert {line["sku"]: line["quantity"] for line in again.json()["items"]} == quantities
    assert (await shop.client.get(CART, headers={"X-Cart-Token": token})).json()["items"] == []


async def test_a_signed_in_request_with_the_guest_token_merges_it(shop: Shop) -> None:
    """The storefront logs in and keeps sending its X-Cart-Token: the next cart call merges."""
    user = await shop.make_user()
    product = await shop.product(5)
    token = await _guest_cart(shop, (product, 2))

    login = await shop.client.post(
        "/api/v1/auth/login", data={"username": user.email, "password": DEFAULT_PASSWORD}
    )
    assert login.status_code == 200, login.text
    bearer = {"Authorization": f"Bearer {login.json()['access_token']}"}

    cart = await shop.client.get(CART, headers={**bearer, "X-Cart-Token": token})
    assert [(line["sku"], line["quantity"]) for line in cart.json()["items"]] == [(product.sku, 2)]
    assert (await shop.client.get(CART, headers=bearer)).json()["items"][0]["quantity"] == 2
    assert (await shop.client.get(CART, headers={"X-Cart-Token": token})).json()["items"] == []


async def test_merge_needs_a_user_and_a_token(shop: Shop) -> None:
    customer = await shop.customer()
    token = await _guest_cart(shop, (await shop.product(5), 1))
    assert_error(
        await shop.client.post(f"{CART}/merge", headers={"X-Cart-Token": token}),
        401,
        "not_authenticated",
    )
    assert_error(
        await shop.client.post(f"{CART}/merge", headers=customer.headers), 422, "validation_error"
    )
    # The guest cart is still there.
    assert len((await shop.client.get(CART, headers={"X-Cart-Token": token})).json()["items"]) == 1
