"""Back-office and stock API operations: supply, demand, counts (adjust), transfers and
cleaning. Each keeps the rules of stock.py and journals what it changed."""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from app.catalog.models import Product
from app.inventory.events import publish_stock_changed
from app.inventory.exceptions import (
    BelowReserved,
    InsufficientStock,
    SameWarehouse,
    StockReserved,
)
from app.inventory.models import MovementKind, Stock, Warehouse
from app.inventory.stock import (
    Line,
    ProductRef,
    StockLevel,
    add_on_hand,
    available_of,
    check_available,
    check_capacity,
    in_lock_order,
    insert_lines,
    journal,
    lines_table,
    lock_for_increase,
    lock_lines,
    require_active,
    take_available,
)


async def supply(
    session: AsyncSession,
    warehouse: Warehouse,
    lines: Sequence[Line],
    *,
    user_id: uuid.UUID | None,
    note: str | None = None,
) -> dict[uuid.UUID, int]:
    """Receive goods: all lines or none. CapacityExceeded (nothing changed) when the stored
    weight would exceed max_weight_kg. Returns on_hand after, by product id."""
    ordered = in_lock_order(lines)
    require_active(warehouse)
    max_weight = await lock_for_increase(session, warehouse)
    await check_capacity(session, warehouse, max_weight, ordered)
    after = await add_on_hand(session, warehouse.id, ordered)
    await journal(
        session,
        warehouse.id,
        MovementKind.SUPPLY,
        [(line.product.id, line.quantity, after[line.product.id]) for line in ordered],
        user_id=user_id,
        note=note,
        unit_costs={line.product.id: line.unit_cost for line in ordered},
    )
    await publish_stock_changed(session, warehouse.id)
    return after


async def demand(
    session: AsyncSession,
    warehouse: Warehouse,
    lines: Sequence[Line],
    *,
    user_id: uuid.UUID | None,
    note: str | None = None,
) -> dict[uuid.UUID, int]:
    """Give goods out of what is available (on_hand - reserved): all lines or none.

    InsufficientStock, with nothing changed, when any line is not covered. One line is one
    conditional UPDATE; several lines are locked in SKU order and checked first, so a refusal
    changes nothing even inside a caller's larger transaction. Returns on_hand after.
    """
    ordered = in_lock_order(lines)
    require_active(warehouse)
    if len(ordered) > 1:
        check_available(await lock_lines(session, [warehouse.id], ordered), warehouse.id, ordered)
    after = await take_available(session, warehouse.id, ordered)
    for line in ordered:
        if line.product.id not in after:
            # Only a single line can get here (several were checked under lock).
            available = await available_of(session, warehouse.id, line.product.id)
            raise InsufficientStock([line.shortage(available)])
    await journal(
        session,
        warehouse.id,
        MovementKind.DEMAND,
        [(line.product.id, -line.quantity, after[line.product.id]) for line in ordered],
        user_id=user_id,
        note=note,
    )
    await publish_stock_changed(session, warehouse.id)
    return after


# --- counts, transfers, cleaning -----------------------------------------------------------


async def adjust(
    session: AsyncSession,
    warehouse: Warehouse,
    product: ProductRef,
    counted: int,
    *,
    reason: str,
    user_id: uuid.UUID | None,
) -> StockLevel:
    """Set on_hand to a counted quantity; the difference is journalled with the reason (a
    count that matches is journalled too, as 0). BelowReserved when the count is less than
    what orders have reserved. Not capacity-checked: a count records what is physically there.
    """
    if counted < 0:
        raise ValueError("a counted quantity cannot be negative")
    require_active(warehouse)
    await session.execute(
        pg_insert(Stock)
        .values(warehouse_id=warehouse.id, product_id=product.id, on_hand=0, reserved=0)
        .on_conflict_do_nothing(index_elements=[Stock.warehouse_id, Stock.product_id])
    )
    before = (
        await session.execute(
            select(Stock.on_hand, Stock.reserved)
            .where(Stock.warehouse_id == warehouse.id, Stock.product_id == product.id)
            .with_for_update()
        )
    ).one()
    if counted < before.reserved:
        raise BelowReserved(
            f"{before.reserved} of {product.sku} are reserved for orders: the count cannot be "
            f"{counted}. Nothing was changed."
        )
    row = (
        await session.execute(
            update(Stock)
            .where(Stock.warehouse_id == warehouse.id, Stock.product_id == product.id)
            .values(on_hand=counted, updated_at=func.now())
            .returning(Stock.on_hand, Stock.reserved)
            .execution_options(synchronize_session=False)
        )
    ).one()
    await journal(
        session,
        warehouse.id,
        MovementKind.ADJUSTMENT,
        [(product.id, counted - before.on_hand, row.on_hand)],
        user_id=user_id,
        note=reason,
    )
    await publish_stock_changed(session, warehouse.id)
    return StockLevel(row.on_hand, row.reserved)


@dataclass(frozen=True)
class TransferredLine:
    product: ProductRef
    quantity: int
    from_on_hand: int
    to_on_hand: int


async def transfer(
    session: AsyncSession,
    source: Warehouse,
    target: Warehouse,
    lines: Sequence[Line],
    *,
    user_id: uuid.UUID | None,
    note: str | None = None,
) -> list[TransferredLine]:
    """Move goods between warehouses, atomically: every line or none. The source must have
    them available (InsufficientStock), the target room for their weight (CapacityExceeded).
    """
    if source.id == target.id:
        raise SameWarehouse()
    ordered = in_lock_order(lines)
    require_active(source, target)
    max_weight = await lock_for_increase(session, target)
    # The receiving lines must exist to be locked with the sending ones, in one order.
    await session.execute(
        insert_lines(target.id, ordered, on_hand=False).on_conflict_do_nothing(
            index_elements=[Stock.warehouse_id, Stock.product_id]
        )
    )
    levels = await lock_lines(session, [source.id, target.id], ordered)
    check_available(levels, source.id, ordered)
    await check_capacity(session, target, max_weight, ordered)

    sent = await take_available(session, source.id, ordered)
    deltas = lines_table(ordered)
    rows = await session.execute(
        update(Stock)
        .where(Stock.warehouse_id == target.id, Stock.product_id == deltas.c.product_id)
        .values(on_hand=Stock.on_hand + deltas.c.delta, updated_at=func.now())
        .returning(Stock.product_id, Stock.on_hand)
        .execution_options(synchronize_session=False)
    )
    received = {row.product_id: row.on_hand for row in rows}
    assert len(sent) == len(received) == len(ordered), "locked lines changed under the lock"

    suffix = f": {note}" if note else ""
    await journal(
        session,
        source.id,
        MovementKind.TRANSFER_OUT,
        [(line.product.id, -line.quantity, sent[line.product.id]) for line in ordered],
        user_id=user_id,
        note=f"to {target.code}{suffix}",
    )
    await journal(
        session,
        target.id,
        MovementKind.TRANSFER_IN,
        [(line.product.id, line.quantity, received[line.product.id]) for line in ordered],
        user_id=user_id,
        note=f"from {source.code}{suffix}",
    )
    await publish_stock_changed(session, source.id)
    await publish_stock_changed(session, target.id)
    return [
        TransferredLine(
            line.product, line.quantity, sent[line.product.id], received[line.product.id]
        )
        for line in ordered
    ]


async def clean(
    session: AsyncSession,
    warehouse: Warehouse,
    *,
    user_id: uuid.UUID | None,
    note: str | None = None,
) -> int:
    """Every on_hand to zero (goods written off or taken out), journalled per product.

    Refused with StockReserved, nothing changed, while any stock is reserved: those goods are
    promised to orders, which must be cancelled or shipped first. Returns the lines zeroed.
    """
    require_active(warehouse)
    rows = await session.execute(
        select(Stock.product_id, Stock.on_hand, Stock.reserved)
        .join(Product, Product.id == Stock.product_id)
        .where(Stock.warehouse_id == warehouse.id, Stock.on_hand > 0)
        .order_by(Product.sku)
        .with_for_update(of=Stock)
    )
    before = {row.product_id: StockLevel(row.on_hand, row.reserved) for row in rows}
    if any(level.reserved for level in before.values()):
        raise StockReserved()
    if not before:
        return 0
    changed = await session.execute(
        update(Stock)
        .where(Stock.warehouse_id == warehouse.id, Stock.product_id.in_(list(before)))
        .values(on_hand=0, updated_at=func.now())
        .returning(Stock.product_id, Stock.on_hand)
        .execution_options(synchronize_session=False)
    )
    await journal(
        session,
        warehouse.id,
        MovementKind.CLEAN,
        [(row.product_id, -before[row.product_id].on_hand, row.on_hand) for row in changed],
        user_id=user_id,
        note=note,
    )
    await publish_stock_changed(session, warehouse.id)
    return len(before)
