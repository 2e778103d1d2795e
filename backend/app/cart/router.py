"""Cart routes: guests (with an X-Cart-Token) and signed-in users, each their own cart."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Header, Response, status

from app.accounts.dependencies import CurrentUser
from app.cart import service
from app.cart.dependencies import CART_TOKEN_HEADER, ShopperDep
from app.cart.exceptions import CartFull, CartItemNotFound, CartProductNotFound, QuantityLimit
from app.cart.schemas import CartItemIn, CartItemPatch, CartOut
from app.core.db import SessionDep
from app.core.errors import raises
from app.inventory.exceptions import InsufficientStock

cart_router = APIRouter(prefix="/cart", tags=["cart"])


async def _open(session: SessionDep, shopper: ShopperDep, response: Response) -> service.OpenedCart:
    opened = await service.open_cart(session, user=shopper.user, token=shopper.token)
    if opened.issued_token:
        response.headers[CART_TOKEN_HEADER] = opened.issued_token
    return opened


async def _answer(session: SessionDep, opened: service.OpenedCart) -> CartOut:
    cart = await service.view_cart(session, opened.id)
    cart.token = opened.issued_token
    return cart


@cart_router.get("")
async def read_cart(session: SessionDep, shopper: ShopperDep) -> CartOut:
    """Anyone: the cart with current prices, availability and flags (empty when there is
    none yet; nothing is created)."""
    cart_id = await service.find_cart_id(session, user=shopper.user, token=shopper.token)
    return await service.view_cart(session, cart_id)


@cart_router.post("/items", status_code=status.HTTP_201_CREATED)
@raises(CartProductNotFound, QuantityLimit, CartFull, InsufficientStock)
async def add_item(
    data: CartItemIn, session: SessionDep, shopper: ShopperDep, response: Response
) -> CartOut:
    """Anyone: add units of a product for sale (on top of the line's quantity). A guest's first
    add opens a cart and answers its token (body `token` and the X-Cart-Token header)."""
    opened = await _open(session, shopper, response)
    await service.add_item(session, opened.id, data.product_id, data.quantity)
    return await _answer(session, opened)


@cart_router.patch("/items/{item_id}")
@raises(CartItemNotFound, InsufficientStock)
async def update_item(
    item_id: uuid.UUID,
    data: CartItemPatch,
    session: SessionDep,
    shopper: ShopperDep,
    response: Response,
) -> CartOut:
    """Anyone, in their own cart: set a line's quantity."""
    opened = await _open(session, shopper, response)
    await service.set_quantity(session, opened.id, item_id, data.quantity)
    return await _answer(session, opened)


@cart_router.delete("/items/{item_id}")
@raises(CartItemNotFound)
async def delete_item(
    item_id: uuid.UUID, session: SessionDep, shopper: ShopperDep, response: Response
) -> CartOut:
    """Anyone, in their own cart: remove a line."""
    opened = await _open(session, shopper, response)
    await service.remove_item(session, opened.id, item_id)
    return await _answer(session, opened)


@cart_router.delete("", status_code=status.HTTP_204_NO_CONTENT)
async def clear_cart(session: SessionDep, shopper: ShopperDep) -> None:
    """Anyone: remove every line."""
    await service.clear_cart(session, user=shopper.user, token=shopper.token)


@cart_router.post("/merge")
async def merge_cart(
    user: CurrentUser,
    session: SessionDep,
    token: Annotated[str, Header(alias=CART_TOKEN_HEADER, min_length=1, max_length=128)],
) -> CartOut:
    """Any user, right after login, with the guest's X-Cart-Token: the guest cart's lines join
    the user's cart (quantities summed, capped by availability) and the guest cart is deleted.
    An unknown or already merged token changes nothing."""
    await service.merge_guest_cart(session, user, token)
    return await service.view_cart(session, await service.find_cart_id(session, user=user))
