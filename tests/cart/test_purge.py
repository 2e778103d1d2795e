"""Guest carts left alone for GUEST_CART_TTL_DAYS are deleted with their lines; newer guest
carts and users' carts stay."""

import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select, update

from app.cart import service as cart_service
from app.cart.models import Cart, CartItem
from tests.fixtures.orders import CART, Shop

TTL = timedelta(days=30)


async def _guest_cart(shop: Shop, age: timedelta) -> tuple[str, uuid.UUID]:
    """A guest cart with one line, last changed `age` ago: its token and id."""
    added = await shop.add({}, await shop.product(5), 2)
    assert added.status_code == 201, added.text
    cart_id = uuid.UUID(added.json()["id"])
    await _age(shop, cart_id, age)
    return added.headers["X-Cart-Token"], cart_id


async def _age(shop: Shop, cart_id: uuid.UUID, age: timedelta) -> None:
    await shop.session.execute(
        update(Cart).where(Cart.id == cart_id).values(updated_at=func.now() - age)
    )


async def test_old_guest_carts_go_with_their_lines_and_the_others_stay(shop: Shop) -> None:
    old_token, old_id = await _guest_cart(shop, TTL + timedelta(hours=1))
    recent_token, recent_id = await _guest_cart(shop, TTL - timedelta(hours=1))
    customer = await shop.customer()
    assert (await shop.add(customer, await shop.product(5), 1)).status_code == 201
    user_cart_id = await shop.session.scalar(
        select(Cart.id).where(Cart.user_id == customer.user.id)
    )
    assert user_cart_id is not None
    await _age(shop, user_cart_id, TTL * 3)

    purged = await cart_service.purge_guest_carts(shop.session, datetime.now(UTC), TTL)

    assert purged == 1
    left = set(await shop.session.scalars(select(Cart.id)))
    assert old_id not in left
    assert {recent_id, user_cart_id} <= left
    orphans = await shop.session.scalar(
        select(func.count()).select_from(CartItem).where(CartItem.cart_id == old_id)
    )
    assert orphans == 0
    # The old token now finds no cart (an empty one, no error); the recent one still works.
    gone = await shop.client.get(CART, headers={"X-Cart-Token": old_token})
    assert gone.status_code == 200
    assert gone.json()["items"] == []
    kept = await shop.client.get(CART, headers={"X-Cart-Token": recent_token})
    assert [line["quantity"] for line in kept.json()["items"]] == [2]
    mine = await shop.client.get(CART, headers=customer.headers)
    assert len(mine.json()["items"]) == 1


async def test_a_change_makes_an_old_guest_cart_recent_again(shop: Shop) -> None:
    token, cart_id = await _guest_cart(shop, TTL + timedelta(days=1))
    assert (await shop.add({"X-Cart-Token": token}, await shop.product(5), 1)).status_code == 201

    assert await cart_service.purge_guest_carts(shop.session, datetime.now(UTC), TTL) == 0
    assert await shop.session.get(Cart, cart_id) is not None
