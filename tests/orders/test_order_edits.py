"""Raising a pending order's line is a new sale of those units: only of a product still for
sale, and only at the price the line was ordered at. Refused, nothing changes; lowering a
line stays allowed, whatever became of its product. The same for customers and staff."""

from typing import Any

import pytest

from app.catalog.models import Product
from tests.fixtures.app import assert_error
from tests.fixtures.inventory import assert_journal_agrees, snapshot
from tests.fixtures.orders import ORDERS, Customer, Shop

PRODUCTS = "/api/v1/products"


async def _ordered_lamp(shop: Shop) -> tuple[Customer, Product, dict[str, Any], str]:
    """A customer's pending order of 2 lamps at 10.00 and a shade at 2.50; the lamp line's URL."""
    customer = await shop.customer()
    lamp = await shop.product(10, price="10.00")
    shade = await shop.product(5, price="2.50")
    order = await shop.order(customer, (lamp, 2), (shade, 1))
    line = next(item for item in order["items"] if item["sku"] == lamp.sku)
    return customer, lamp, order, f"{ORDERS}/{order['id']}/items/{line['id']}"


async def _raise_is_refused(shop: Shop, customer: Customer, url: str, code: str) -> Any:
    """Customer and staff alike are refused a raise with `code`, and nothing changes."""
    order_url = url.split("/items/")[0]
    order_before = (await shop.client.get(order_url, headers=shop.staff)).json()
    stock_before = await snapshot(shop.session, [shop.warehouse.id])
    body = None
    for headers in (customer.headers, shop.staff):
        refused = await shop.client.patch(url, json={"quantity": 5}, headers=headers)
        body = assert_error(refused, 409, code)
    assert (await shop.client.get(order_url, headers=shop.staff)).json() == order_before
    assert await snapshot(shop.session, [shop.warehouse.id]) == stock_before
    await assert_journal_agrees(shop.session, [shop.warehouse.id])
    return body


async def _lowering_still_works(shop: Shop, customer: Customer, lamp: Product, url: str) -> None:
    lowered = await shop.client.patch(url, json={"quantity": 1}, headers=customer.headers)
    assert lowered.status_code == 200, lowered.text
    line = next(item for item in lowered.json()["items"] if item["sku"] == lamp.sku)
    assert (line["unit_price"], line["quantity"], line["line_total"]) == ("10.00", 1, "10.00")
    assert lowered.json()["total"] == "12.50"
    assert await shop.level(lamp) == (10, 1)


@pytest.mark.parametrize("new_price", ["12.50", "8.00"])
async def test_a_raise_after_a_price_change_is_refused(shop: Shop, new_price: str) -> None:
    customer, lamp, _, url = await _ordered_lamp(shop)
    repriced = await shop.client.patch(
        f"{PRODUCTS}/{lamp.id}", json={"price": new_price}, headers=shop.staff
    )
    assert repriced.status_code == 200, repriced.text

    body = await _raise_is_refused(shop, customer, url, "price_changed")
    assert (body["unit_price"], body["current_price"]) == ("10.00", new_price)
    await _lowering_still_works(shop, customer, lamp, url)

    # At the line's price again, the extra units are the same sale: a raise goes ahead.
    back = await shop.client.patch(
        f"{PRODUCTS}/{lamp.id}", json={"price": "10.00"}, headers=shop.staff
    )
    assert back.status_code == 200, back.text
    raised = await shop.client.patch(url, json={"quantity": 3}, headers=customer.headers)
    assert raised.status_code == 200, raised.text
    assert raised.json()["total"] == "32.50"
    assert await shop.level(lamp) == (10, 3)


@pytest.mark.parametrize("change", ["unpublish", "archive"])
async def test_a_raise_of_a_product_no_longer_for_sale_is_refused(shop: Shop, change: str) -> None:
    customer, lamp, _, url = await _ordered_lamp(shop)
    product_url = f"{PRODUCTS}/{lamp.id}"
    if change == "unpublish":
        gone = await shop.client.patch(
            product_url, json={"is_published": False}, headers=shop.staff
        )
        assert gone.status_code == 200, gone.text
    else:
        # An ordered product is archived rather than deleted.
        gone = await shop.client.delete(product_url, headers=shop.staff)
        assert gone.status_code == 200, gone.text
        assert gone.json()["outcome"] == "archived"

    await _raise_is_refused(shop, customer, url, "product_not_for_sale")
    await _lowering_still_works(shop, customer, lamp, url)
