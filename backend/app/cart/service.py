"""Cart rules: find or open a cart, change its lines, merge a guest's cart at login, and show
it with current prices and availability. Orders use `lock_cart_of_user`, `cart_lines` and
`empty_cart` at checkout.

Plain async functions taking the session; they flush and never commit. Every change of a cart
first locks its row (an UPDATE of updated_at), so the changes of one cart, its merge and its
checkout take turns.
"""

import hashlib
import secrets
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from sqlalchemy import ColumnElement, delete, func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts.models import User
from app.cart.exceptions import (
    CartFull,
    CartItemNotFound,
    CartProductNotFound,
    QuantityLimit,
)
from app.cart.models import MAX_LINES, MAX_QUANTITY, Cart, CartItem
from app.cart.schemas import CartLineOut, CartOut
from app.catalog.models import Product
from app.core.config import get_settings
from app.inventory import service as inventory_service
from app.inventory.exceptions import InsufficientStock, Shortage

ZERO = Decimal("0.00")
# Lines are listed in the order they were added, also within one transaction (a merge):
# clock_timestamp() moves on where now() is the transaction's start.
ADDED_NOW = func.clock_timestamp()


def new_token() -> str:
    return secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class CartLine:
    """A cart line with its product as it is now and the units available."""

    id: uuid.UUID
    product: Product
    quantity: int
    available: int

    @property
    def unit_price(self) -> Decimal:
        return self.product.price

    @property
    def line_total(self) -> Decimal:
        return self.product.price * self.quantity

    @property
    def for_sale(self) -> bool:
        return self.product.for_sale

    @property
    def unavailable(self) -> bool:
        return self.available < self.quantity


@dataclass(frozen=True)
class OpenedCart:
    id: uuid.UUID
    # The guest's new token when this call issued one (only its hash is stored).
    issued_token: str | None = None


# --- finding and locking -------------------------------------------------------------------


def _owned_by(user: User | None, token: str | None) -> ColumnElement[bool] | None:
    if user is not None:
        return Cart.user_id == user.id
    if token:
        return Cart.token_hash == hash_token(token)
    return None


async def find_cart_id(
    session: AsyncSession, *, user: User | None, token: str | None = None
) -> uuid.UUID | None:
    """The cart of the user (or of the guest's token), if there is one; locks nothing."""
    condition = _owned_by(user, token)
    if condition is None:
        return None
    return await session.scalar(select(Cart.id).where(condition))


async def _lock(session: AsyncSession, condition: ColumnElement[bool]) -> uuid.UUID | None:
    """Lock the cart row (and mark it as used now); its id, or None when there is none."""
    return await session.scalar(
        update(Cart)
        .where(condition)
        .values(updated_at=func.now())
        .returning(Cart.id)
        .execution_options(synchronize_session=False)
    )


async def lock_cart_of_user(session: AsyncSession, user_id: uuid.UUID) -> uuid.UUID | None:
    return await _lock(session, Cart.user_id == user_id)


async def _open_user_cart(session: AsyncSession, user_id: uuid.UUID) -> uuid.UUID:
    cart_id = await lock_cart_of_user(session, user_id)
    if cart_id is None:
        # A parallel first add of the same user waits here and then finds this one.
        await session.execute(
            pg_insert(Cart)
            .values(id=uuid.uuid4(), user_id=user_id)
            .on_conflict_do_nothing(index_elements=[Cart.user_id])
        )
        cart_id = await lock_cart_of_user(session, user_id)
    assert cart_id is not None
    return cart_id


async def open_cart(session: AsyncSession, *, user: User | None, token: str | None) -> OpenedCart:
    """The caller's cart, locked, opened if need be. A guest without a (known) token gets a
    new cart and a new token."""
    if user is not None:
        return OpenedCart(await _open_user_cart(session, user.id))
    if token:
        cart_id = await _lock(session, Cart.token_hash == hash_token(token))
        if cart_id is not None:
            return OpenedCart(cart_id)
    issued = new_token()
    cart_id = uuid.uuid4()
    session.add(Cart(id=cart_id, token_hash=hash_token(issued)))
    await session.flush()
    return OpenedCart(cart_id, issued)


# --- reading -------------------------------------------------------------------------------


async def cart_lines(session: AsyncSession, cart_id: uuid.UUID) -> list[CartLine]:
    """The lines in the order they were added, with their products and availability."""
    rows = (
        await session.execute(
            select(CartItem.id, CartItem.quantity, Product)
            .join(Product, Product.id == CartItem.product_id)
            .where(CartItem.cart_id == cart_id)
            .order_by(CartItem.created_at, CartItem.id)
            .execution_options(populate_existing=True)
        )
    ).all()
    available = await inventory_service.available_quantities(
        session, [row.Product.id for row in rows]
    )
    return [CartLine(row.id, row.Product, row.quantity, available[row.Product.id]) for row in rows]


def cart_out(cart_id: uuid.UUID | None, lines: Sequence[CartLine]) -> CartOut:
    items = [
        CartLineOut(
            id=line.id,
            product_id=line.product.id,
            sku=line.product.sku,
            name=line.product.name,
            unit_price=line.unit_price,
            quantity=line.quantity,
            line_total=line.line_total,
            available=max(line.available, 0),
            unpublished=not line.product.is_published,
            archived=line.product.is_archived,
            unavailable=line.unavailable,
        )
        for line in lines
    ]
    return CartOut(
        id=cart_id,
        items=items,
        total=sum((line.line_total for line in lines), ZERO),
        currency=get_settings().CURRENCY,
        can_checkout=bool(lines) and all(line.for_sale and not line.unavailable for line in lines),
    )


async def view_cart(session: AsyncSession, cart_id: uuid.UUID | None) -> CartOut:
    return cart_out(cart_id, await cart_lines(session, cart_id) if cart_id else [])


# --- changing ------------------------------------------------------------------------------


async def _item(session: AsyncSession, cart_id: uuid.UUID, item_id: uuid.UUID) -> CartItem:
    item = await session.scalar(
        select(CartItem)
        .where(CartItem.id == item_id, CartItem.cart_id == cart_id)
        .execution_options(populate_existing=True)
    )
    if item is None:
        raise CartItemNotFound()
    return item


async def _check_available(session: AsyncSession, product: Product, quantity: int) -> None:
    available = (await inventory_service.available_quantities(session, [product.id]))[product.id]
    if quantity > available:
        raise InsufficientStock([Shortage(product.id, product.sku, quantity, max(available, 0))])


async def add_item(
    session: AsyncSession, cart_id: uuid.UUID, product_id: uuid.UUID, quantity: int
) -> None:
    """Put `quantity` units into the (locked) cart, on top of what the line has already."""
    product = await session.get(Product, product_id)
    if product is None or not product.for_sale:
        raise CartProductNotFound()
    item = await session.scalar(
        select(CartItem)
        .where(CartItem.cart_id == cart_id, CartItem.product_id == product_id)
        .execution_options(populate_existing=True)
    )
    wanted = (item.quantity if item else 0) + quantity
    if wanted > MAX_QUANTITY:
        raise QuantityLimit()
    await _check_available(session, product, wanted)
    if item is not None:
        item.quantity = wanted
    else:
        lines = await session.scalar(
            select(func.count()).select_from(CartItem).where(CartItem.cart_id == cart_id)
        )
        if (lines or 0) >= MAX_LINES:
            raise CartFull()
        session.add(
            CartItem(
                id=uuid.uuid4(),
                cart_id=cart_id,
                product_id=product_id,
                quantity=wanted,
                created_at=ADDED_NOW,
            )
        )
    await session.flush()


async def set_quantity(
    session: AsyncSession, cart_id: uuid.UUID, item_id: uuid.UUID, quantity: int
) -> None:
    """Change a line's quantity; more units than before must be available (fewer always may)."""
    item = await _item(session, cart_id, item_id)
    if quantity > item.quantity:
        product = await session.get(Product, item.product_id)
        assert product is not None
        await _check_available(session, product, quantity)
    item.quantity = quantity
    await session.flush()


async def remove_item(session: AsyncSession, cart_id: uuid.UUID, item_id: uuid.UUID) -> None:
    item = await _item(session, cart_id, item_id)
    await session.delete(item)
    await session.flush()


async def empty_cart(session: AsyncSession, cart_id: uuid.UUID) -> None:
    """Remove every line of a cart the caller has locked."""
    await session.execute(
        delete(CartItem)
        .where(CartItem.cart_id == cart_id)
        .execution_options(synchronize_session=False)
    )


async def clear_cart(session: AsyncSession, *, user: User | None, token: str | None) -> None:
    condition = _owned_by(user, token)
    cart_id = None if condition is None else await _lock(session, condition)
    if cart_id is not None:
        await empty_cart(session, cart_id)


async def purge_guest_carts(session: AsyncSession, now: datetime, ttl: timedelta) -> int:
    """Delete the guest carts not changed for `ttl` (their lines go with them); how many went.

    A cart reserves no stock, so nothing is released. A guest changing the cart meanwhile
    holds its row (`_lock`): the DELETE waits, re-reads updated_at and keeps the cart.
    """
    result = await session.execute(
        delete(Cart)
        .where(Cart.user_id.is_(None), Cart.updated_at < now - ttl)
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)


# --- merging a guest's cart ----------------------------------------------------------------


def merged_quantity(mine: int, theirs: int, available: int) -> int:
    """The summed quantity, capped by what is available, never below what the user had. A
    line of which nothing is available comes over as it was (flagged, not dropped)."""
    summed = min(mine + theirs, MAX_QUANTITY)
    capped = max(mine, min(summed, available))
    return capped if capped > 0 else min(theirs, MAX_QUANTITY)


async def merge_guest_cart(session: AsyncSession, user: User, token: str) -> bool:
    """Move the guest cart of `token` into the user's cart and delete it; False when the
    token names no guest cart (already merged, or never issued)."""
    guest_id = await _lock(session, (Cart.token_hash == hash_token(token)) & Cart.user_id.is_(None))
    if guest_id is None:
        return False
    cart_id = await _open_user_cart(session, user.id)
    guest_items = {
        item.product_id: item.quantity
        for item in await session.scalars(select(CartItem).where(CartItem.cart_id == guest_id))
    }
    mine = {
        item.product_id: item
        for item in await session.scalars(
            select(CartItem)
            .where(CartItem.cart_id == cart_id)
            .execution_options(populate_existing=True)
        )
    }
    available = await inventory_service.available_quantities(session, list(guest_items))
    for product_id, quantity in guest_items.items():
        existing = mine.get(product_id)
        merged = merged_quantity(
            existing.quantity if existing else 0, quantity, available[product_id]
        )
        if existing is not None:
            existing.quantity = merged
        else:
            session.add(
                CartItem(
                    id=uuid.uuid4(),
                    cart_id=cart_id,
                    product_id=product_id,
                    quantity=merged,
                    created_at=ADDED_NOW,
                )
            )
    await session.flush()
    await session.execute(
        delete(Cart).where(Cart.id == guest_id).execution_options(synchronize_session=False)
    )
    return True
