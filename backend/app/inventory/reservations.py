"""What orders do with stock: reserve it, release it, sell it. Each is one
conditional UPDATE (or upsert) plus its journal row; choosing warehouses by priority is the
orders' business (see warehouses.warehouses_by_priority)."""

import uuid
from typing import Any

from sqlalchemy import func, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.inventory.events import publish_stock_changed
from app.inventory.exceptions import InsufficientStock, NotReserved
from app.inventory.models import MovementKind, Stock, Warehouse
from app.inventory.stock import (
    Line,
    available_of,
    journal,
    product_ref,
    require_active,
)


async def _change_one(
    session: AsyncSession,
    warehouse: Warehouse,
    product_id: uuid.UUID,
    statement: Any,
    kind: MovementKind,
    quantity: int,
    *,
    order_id: uuid.UUID | None,
    user_id: uuid.UUID | None,
    note: str | None,
) -> int | None:
    """Run a one-row conditional UPDATE … RETURNING <quantity after>; journal it when it hit."""
    after: int | None = await session.scalar(statement.execution_options(synchronize_session=False))
    if after is None:
        return None
    await journal(
        session,
        warehouse.id,
        kind,
        [(product_id, quantity, after)],
        user_id=user_id,
        note=note,
        order_id=order_id,
    )
    await publish_stock_changed(session, warehouse.id)
    return after


def _one_row(warehouse: Warehouse, product_id: uuid.UUID) -> Any:
    return update(Stock).where(Stock.warehouse_id == warehouse.id, Stock.product_id == product_id)


async def _out_of_reserved(
    session: AsyncSession,
    warehouse: Warehouse,
    product_id: uuid.UUID,
    quantity: int,
    kind: MovementKind,
    values: dict[str, Any],
    after_column: Any,
    *,
    order_id: uuid.UUID,
    user_id: uuid.UUID | None,
    note: str | None,
) -> int:
    """Units leaving a reservation (release, sale): `values` applied only while at least
    `quantity` is reserved, journalled as -quantity; NotReserved otherwise. No activity
    check: a reservation made before a warehouse was deactivated must still be settled."""
    if quantity <= 0:
        raise ValueError("quantity must be positive")
    statement = (
        _one_row(warehouse, product_id)
        .where(Stock.reserved >= quantity)
        .values(**values, updated_at=func.now())
        .returning(after_column)
    )
    after = await _change_one(
        session, warehouse, product_id, statement, kind, -quantity,
        order_id=order_id, user_id=user_id, note=note,
    )  # fmt: skip
    if after is None:
        raise NotReserved()
    return after


async def reserve(
    session: AsyncSession,
    warehouse: Warehouse,
    product_id: uuid.UUID,
    quantity: int,
    *,
    order_id: uuid.UUID,
    user_id: uuid.UUID | None = None,
    note: str | None = None,
) -> int:
    """Promise `quantity` of what is available to an order (reserved += quantity), in one
    conditional UPDATE; InsufficientStock, nothing changed, when it is not available.
    Returns reserved after. (Choosing warehouses by priority is the orders' business.)"""
    if quantity <= 0:
        raise ValueError("quantity must be positive")
    require_active(warehouse)
    statement = (
        _one_row(warehouse, product_id)
        .where(Stock.on_hand - Stock.reserved >= quantity)
        .values(reserved=Stock.reserved + quantity, updated_at=func.now())
        .returning(Stock.reserved)
    )
    after = await _change_one(
        session, warehouse, product_id, statement, MovementKind.RESERVATION, quantity,
        order_id=order_id, user_id=user_id, note=note,
    )  # fmt: skip
    if after is None:
        product = await product_ref(session, product_id)
        available = await available_of(session, warehouse.id, product_id)
        raise InsufficientStock([Line(product, quantity).shortage(available)])
    return after


async def release(
    session: AsyncSession,
    warehouse: Warehouse,
    product_id: uuid.UUID,
    quantity: int,
    *,
    order_id: uuid.UUID,
    user_id: uuid.UUID | None = None,
    note: str | None = None,
) -> int:
    """Give a reservation back (reserved -= quantity), e.g. for a cancelled order; allowed in
    an inactive warehouse too. NotReserved when less is reserved. Returns reserved after."""
    return await _out_of_reserved(
        session, warehouse, product_id, quantity, MovementKind.RELEASE,
        {"reserved": Stock.reserved - quantity}, Stock.reserved,
        order_id=order_id, user_id=user_id, note=note,
    )  # fmt: skip


async def commit_sale(
    session: AsyncSession,
    warehouse: Warehouse,
    product_id: uuid.UUID,
    quantity: int,
    *,
    order_id: uuid.UUID,
    user_id: uuid.UUID | None = None,
    note: str | None = None,
) -> int:
    """The reserved goods leave with the order: on_hand and reserved both -= quantity, in one
    conditional UPDATE; allowed in an inactive warehouse too. NotReserved when less is
    reserved. Returns on_hand after (the journal row's quantity_after)."""
    return await _out_of_reserved(
        session, warehouse, product_id, quantity, MovementKind.SALE,
        {"on_hand": Stock.on_hand - quantity, "reserved": Stock.reserved - quantity},
        Stock.on_hand,
        order_id=order_id, user_id=user_id, note=note,
    )  # fmt: skip
