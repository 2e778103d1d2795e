"""An order's life: pending → paid → shipped → delivered, or cancelled (from pending or paid,
and by the shop when a pending order stays unpaid too long), and the changes a pending order
allows (address, comment, line quantities, lines).

Every function here first takes the order's row FOR UPDATE and re-reads it, so two parallel
requests on one order (two cancels, a cancel and a ship) take turns and the second sees what
the first did. A status that does not allow the step is 409 `illegal_transition`.
"""

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Final

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts.models import User
from app.catalog.models import Product
from app.inventory.exceptions import InsufficientStock, Shortage
from app.orders import allocation, emails
from app.orders.exceptions import (
    IllegalTransition,
    LastOrderItem,
    OrderItemNotFound,
    OrderNotEditable,
    OrderNotFound,
    PriceChanged,
    ProductNotForSale,
)
from app.orders.models import Order, OrderItem, OrderStatus
from app.orders.queries import get_order
from app.orders.schemas import OrderPatch

PENDING = OrderStatus.PENDING.value


@dataclass(frozen=True)
class Transition:
    action: str  # as in "cannot be <action>"
    sources: frozenset[str]
    target: OrderStatus


PAY: Final = Transition("paid", frozenset({PENDING}), OrderStatus.PAID)
SHIP: Final = Transition("shipped", frozenset({OrderStatus.PAID.value}), OrderStatus.SHIPPED)
DELIVER: Final = Transition(
    "delivered", frozenset({OrderStatus.SHIPPED.value}), OrderStatus.DELIVERED
)
# Customers and staff alike: while the goods are still in the warehouse.
CANCEL: Final = Transition(
    "cancelled", frozenset({PENDING, OrderStatus.PAID.value}), OrderStatus.CANCELLED
)
# The shop's own cancel of an order left unpaid: from pending only, never a paid one.
EXPIRE: Final = Transition("expired", frozenset({PENDING}), OrderStatus.CANCELLED)
# Orders expired per transaction: a large backlog is worked off in several short ones.
EXPIRY_BATCH_SIZE: Final = 100


async def _locked(session: AsyncSession, order_id: uuid.UUID) -> Order:
    order = await get_order(session, order_id, lock=True)
    if order is None:
        raise OrderNotFound()
    return order


async def _move(session: AsyncSession, order_id: uuid.UUID, step: Transition) -> Order:
    order = await _locked(session, order_id)
    if order.status not in step.sources:
        raise IllegalTransition(order.status, step.action)
    order.status = step.target.value
    now = datetime.now(UTC)
    match step.target:
        case OrderStatus.PAID:
            order.paid_at = now
        case OrderStatus.SHIPPED:
            order.shipped_at = now
        case OrderStatus.DELIVERED:
            order.delivered_at = now
        case OrderStatus.CANCELLED:
            order.cancelled_at = now
    return order


async def _finish(session: AsyncSession, order: Order, template: str | None = None) -> Order:
    await session.flush()
    emails.send_status_email(session, order, template)
    return order


async def pay(session: AsyncSession, order_id: uuid.UUID) -> Order:
    return await _finish(session, await _move(session, order_id, PAY))


async def ship(session: AsyncSession, order_id: uuid.UUID, actor: User) -> Order:
    """The reserved units are sold: on_hand and reserved go down, the journal says "sale"."""
    order = await _move(session, order_id, SHIP)
    await allocation.sell_all(session, order.items, user_id=actor.id)
    return await _finish(session, order)


async def deliver(session: AsyncSession, order_id: uuid.UUID) -> Order:
    return await _finish(session, await _move(session, order_id, DELIVER))


async def cancel(session: AsyncSession, order_id: uuid.UUID, actor: User) -> Order:
    """Every reserved unit goes back to the warehouses (the allocations stay as the record)."""
    order = await _move(session, order_id, CANCEL)
    await allocation.release_all(session, order.items, user_id=actor.id)
    return await _finish(session, order)


async def expire_unpaid_orders(
    session: AsyncSession, now: datetime, unpaid_for: timedelta, *, limit: int = EXPIRY_BATCH_SIZE
) -> list[uuid.UUID]:
    """Cancel up to `limit` orders still pending (unpaid) `unpaid_for` after checkout, oldest
    first, as a cancel does: their reserved units go back (the journal's note says why, no
    user: the shop did it) and each customer gets the `order_expired` e-mail. Returns the
    ids; fewer than `limit` means no other expired order was free to take.

    An order another transaction holds right now (being paid, cancelled or edited) is
    skipped, not waited for (SKIP LOCKED): a payment in flight wins, and a later run sees
    the order again if it stayed pending. The stock of the whole batch is released in one
    pass, in the shop's lock order, so the batch cannot deadlock with a checkout.
    """
    ids = list(
        await session.scalars(
            select(Order.id)
            .where(Order.status == PENDING, Order.created_at < now - unpaid_for)
            .order_by(Order.created_at, Order.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
    )
    orders = [await _move(session, order_id, EXPIRE) for order_id in ids]
    minutes = int(unpaid_for.total_seconds() // 60)
    await allocation.release_all(
        session,
        [item for order in orders for item in order.items],
        user_id=None,
        note=f"order expired: unpaid for {minutes} minutes",
    )
    for order in orders:
        await _finish(session, order, emails.EXPIRED_TEMPLATE)
    return ids


# --- changes while pending -----------------------------------------------------------------


async def _editable(session: AsyncSession, order_id: uuid.UUID) -> Order:
    order = await _locked(session, order_id)
    if order.status != PENDING:
        raise OrderNotEditable()
    return order


def _line(order: Order, item_id: uuid.UUID) -> OrderItem:
    item = next((item for item in order.items if item.id == item_id), None)
    if item is None:
        raise OrderItemNotFound()
    return item


def _recompute(order: Order) -> None:
    order.total = sum((item.line_total for item in order.items), Decimal("0.00"))


async def update_order(session: AsyncSession, order_id: uuid.UUID, data: OrderPatch) -> Order:
    order = await _editable(session, order_id)
    changes = data.changes()
    if "shipping_address" in changes:
        assert data.shipping_address is not None
        order.shipping_address = data.shipping_address.model_dump(mode="json")
    if "comment" in changes:
        order.comment = data.comment or None
    await session.flush()
    return order


async def _check_still_sold_as_ordered(session: AsyncSession, item: OrderItem) -> None:
    """More units of a line are a new sale: the product must still be for sale, and at the
    line's price. The units already ordered keep their price, and a line has one price, so at
    another price the customer orders the extra units anew (409 `price_changed`) rather than
    getting them at the old price or repricing what was agreed."""
    product = await session.get_one(Product, item.product_id, populate_existing=True)
    if not product.for_sale:
        raise ProductNotForSale()
    if product.price != item.unit_price:
        raise PriceChanged(item.unit_price, product.price)


async def set_item_quantity(
    session: AsyncSession, order_id: uuid.UUID, item_id: uuid.UUID, quantity: int, actor: User
) -> Order:
    """More units are reserved (by priority, as at checkout) or fewer released. Raising needs
    the product still for sale at the line's price (409 `product_not_for_sale`,
    `price_changed`); short stock is 409 `insufficient_stock`; refused, nothing changes.
    Lowering is always allowed, and the line keeps its price."""
    order = await _editable(session, order_id)
    item = _line(order, item_id)
    difference = quantity - item.quantity
    if difference > 0:
        await _check_still_sold_as_ordered(session, item)
        try:
            await allocation.reserve(
                session, [allocation.Need(item, difference)], order_id=order.id, user_id=actor.id
            )
        except InsufficientStock as error:
            # Said of the whole line: the units it holds count as available to it.
            raise InsufficientStock(
                [
                    Shortage(s.product_id, s.sku, quantity, s.available + item.quantity)
                    for s in error.shortages
                ]
            ) from None
    elif difference < 0:
        await allocation.release_some(
            session, item, -difference, order_id=order.id, user_id=actor.id
        )
    item.quantity = quantity
    item.line_total = item.unit_price * quantity
    _recompute(order)
    await session.flush()
    return order


async def delete_item(
    session: AsyncSession, order_id: uuid.UUID, item_id: uuid.UUID, actor: User
) -> Order:
    """Release the line's units and drop it. The last line cannot go (409 `last_order_item`):
    an order without lines is a cancelled order, and cancelling is a step of its own."""
    order = await _editable(session, order_id)
    item = _line(order, item_id)
    if len(order.items) == 1:
        raise LastOrderItem()
    await allocation.release_all(session, [item], user_id=actor.id)
    order.items.remove(item)
    _recompute(order)
    await session.flush()
    return order
