"""Checkout: the user's cart becomes an order, in one transaction.

1. With an Idempotency-Key, its record (user, key, hash of the body) is inserted first. A
   parallel request with the same key waits on that primary key until the first commits,
   then finds the record: the same body gets the first order, another body 422
   `idempotency_key_reused`. If the first rolled back (e.g. short stock), the record is gone
   and the retry goes ahead on its own.
2. The cart's row is locked (its changes, merges and checkouts take turns), its lines read
   with the products' current prices: the order's lines snapshot SKU, name and price.
3. The order is written, the key record pointed at it, the cart emptied. A key record is
   kept IDEMPOTENCY_KEY_TTL_HOURS at least (`purge_idempotency_keys`): within that window a
   retry replays the order, after it the key is free again.
4. Last (the stock rows stay locked until the commit), stock is reserved across warehouses
   by priority (allocation.reserve), all or nothing: short stock is 409
   `insufficient_stock` listing each short SKU, and the whole transaction rolls back.
5. The "order placed" e-mail leaves after the commit.
"""

import hashlib
import json
import uuid
from datetime import datetime, timedelta
from decimal import Decimal

from sqlalchemy import delete, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts import service as accounts_service
from app.accounts.models import User
from app.accounts.schemas import Address
from app.cart import service as cart_service
from app.core import metrics
from app.core.config import get_settings
from app.core.db import after_commit
from app.orders import allocation, emails
from app.orders.exceptions import (
    CartEmpty,
    CartNotOrderable,
    EmailNotVerified,
    IdempotencyKeyReused,
    OrderNotFound,
    ShippingAddressRequired,
)
from app.orders.models import (
    ORDER_NUMBER_PREFIX,
    ORDER_NUMBER_SEQUENCE,
    IdempotencyKey,
    Order,
    OrderItem,
    OrderStatus,
)
from app.orders.queries import get_order
from app.orders.schemas import CheckoutIn


def request_hash(data: CheckoutIn) -> str:
    """SHA-256 of the body's canonical JSON (defaults filled in, keys sorted): two bodies
    that mean the same hash the same."""
    canonical = json.dumps(data.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


async def _claim_key(
    session: AsyncSession, user_id: uuid.UUID, key: str, digest: str
) -> uuid.UUID | None:
    """None when this request holds the key now; else the order of the earlier request."""
    while True:
        claimed = await session.scalar(
            pg_insert(IdempotencyKey)
            .values(user_id=user_id, key=key, request_hash=digest)
            .on_conflict_do_nothing()
            .returning(IdempotencyKey.key)
        )
        if claimed is not None:
            return None
        row = (
            await session.execute(
                select(IdempotencyKey.request_hash, IdempotencyKey.order_id).where(
                    IdempotencyKey.user_id == user_id, IdempotencyKey.key == key
                )
            )
        ).one_or_none()
        if row is not None:
            break
        # The earlier record was purged (past its lifetime) between the two statements:
        # the key is free again, so claim it.
    if row.request_hash != digest:
        raise IdempotencyKeyReused()
    order_id: uuid.UUID | None = row.order_id
    if order_id is None:
        raise AssertionError("an idempotency record is committed with its order")
    return order_id


async def _shipping(
    session: AsyncSession, user: User, data: CheckoutIn
) -> tuple[Address, str, str | None]:
    """The address and contact: as sent, else from the profile and the account."""
    profile = await accounts_service.get_profile(session, user)
    address = data.shipping_address
    if address is None and profile is not None and profile.default_address:
        address = Address.model_validate(profile.default_address)
    if address is None:
        raise ShippingAddressRequired()
    phone = data.contact.phone or address.phone or (profile.phone if profile else None)
    return address, data.contact.email or user.email, phone


async def _next_number(session: AsyncSession) -> str:
    value = await session.scalar(select(ORDER_NUMBER_SEQUENCE.next_value()))
    return f"{ORDER_NUMBER_PREFIX}{value:06d}"


async def place_order(
    session: AsyncSession, user: User, data: CheckoutIn, idempotency_key: str | None
) -> tuple[Order, bool]:
    """The new order and True; or, for a repeated Idempotency-Key, the first order and False."""
    if not user.is_verified:
        raise EmailNotVerified()
    if idempotency_key is not None:
        earlier = await _claim_key(session, user.id, idempotency_key, request_hash(data))
        if earlier is not None:
            order = await get_order(session, earlier)
            if order is None:
                raise OrderNotFound()
            return order, False
    address, email, phone = await _shipping(session, user, data)
    cart_id = await cart_service.lock_cart_of_user(session, user.id)
    lines = await cart_service.cart_lines(session, cart_id) if cart_id else []
    if cart_id is None or not lines:
        raise CartEmpty()
    if not all(line.for_sale for line in lines):
        raise CartNotOrderable()

    items = [
        OrderItem(
            id=uuid.uuid4(),
            product_id=line.product.id,
            sku=line.product.sku,
            name=line.product.name,
            unit_price=line.unit_price,
            quantity=line.quantity,
            line_total=line.line_total,
            allocations=[],
        )
        for line in sorted(lines, key=lambda line: line.product.sku)
    ]
    order = Order(
        id=uuid.uuid4(),
        number=await _next_number(session),
        user_id=user.id,
        status=OrderStatus.PENDING.value,
        total=sum((item.line_total for item in items), Decimal("0.00")),
        currency=get_settings().CURRENCY,
        shipping_address=address.model_dump(mode="json"),
        contact_email=email,
        contact_phone=phone,
        comment=data.comment or None,
        items=items,
    )
    session.add(order)
    await session.flush()
    if idempotency_key is not None:
        await session.execute(
            update(IdempotencyKey)
            .where(IdempotencyKey.user_id == user.id, IdempotencyKey.key == idempotency_key)
            .values(order_id=order.id)
        )
    await cart_service.empty_cart(session, cart_id)
    # Last: the stock rows stay locked from here to the commit, so that is kept short.
    await allocation.reserve(
        session,
        [allocation.Need(item, item.quantity) for item in items],
        order_id=order.id,
        user_id=user.id,
    )
    emails.send_status_email(session, order)
    _count_once_committed(session, order.total)
    return order, True


def _count_once_committed(session: AsyncSession, total: Decimal) -> None:
    """The Prometheus orders metrics, counted only when the order's transaction commits."""

    async def count() -> None:
        metrics.record_order_placed(total)

    after_commit(session, count)


async def purge_idempotency_keys(session: AsyncSession, now: datetime, ttl: timedelta) -> int:
    """Delete the key records older than `ttl` (their orders stay); how many went."""
    result = await session.execute(
        delete(IdempotencyKey).where(IdempotencyKey.created_at < now - ttl)
    )
    return int(getattr(result, "rowcount", 0) or 0)
