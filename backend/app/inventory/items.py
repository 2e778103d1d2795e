"""Stock operations by SKU, answered with the public schemas: what routers and other domains
ask for (the back-office, the stock API, purchases). Each resolves the SKUs (ItemNotFound names
the first unknown one) and runs the operation of operations.py, which keeps the rules."""

import uuid
from collections.abc import Collection, Sequence
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession
from starlette.concurrency import run_in_threadpool

from app.inventory import operations, reports
from app.inventory.exceptions import WarehouseNotFound
from app.inventory.models import Warehouse
from app.inventory.schemas import (
    Operation,
    SkuQuantity,
    StockLineOut,
    StoreItem,
    StoreOut,
    SupplyItem,
    TransferLineOut,
    TransferOut,
)
from app.inventory.stock import Line, resolve_skus
from app.inventory.warehouses import find_warehouse


async def _lines(
    session: AsyncSession, items: Sequence[tuple[str, int, Decimal | None]]
) -> list[Line]:
    """Lines of (SKU, quantity, unit cost) items, their SKUs resolved in one query."""
    products = await resolve_skus(session, [sku for sku, _, _ in items])
    return [Line(products[sku], quantity, cost) for sku, quantity, cost in items]


def _skus(items: Sequence[SkuQuantity]) -> list[tuple[str, int, Decimal | None]]:
    return [(item.sku, item.quantity, None) for item in items]


async def supply(
    session: AsyncSession,
    warehouse: Warehouse,
    items: Sequence[SupplyItem],
    *,
    user_id: uuid.UUID | None,
    note: str | None = None,
) -> None:
    """Receive goods at their unit cost: all items or none (CapacityExceeded)."""
    lines = await _lines(session, [(item.sku, item.quantity, item.unit_cost) for item in items])
    await operations.supply(session, warehouse, lines, user_id=user_id, note=note)


async def demand(
    session: AsyncSession,
    warehouse: Warehouse,
    items: Sequence[SkuQuantity],
    *,
    user_id: uuid.UUID | None,
    note: str | None = None,
) -> None:
    """Give goods out of what is available: all items or none (InsufficientStock)."""
    lines = await _lines(session, _skus(items))
    await operations.demand(session, warehouse, lines, user_id=user_id, note=note)


async def adjust(
    session: AsyncSession,
    warehouse: Warehouse,
    sku: str,
    counted: int,
    *,
    reason: str,
    user_id: uuid.UUID | None,
) -> StockLineOut:
    """Record a stock count of one SKU; its stock line afterwards."""
    products = await resolve_skus(session, [sku])
    await operations.adjust(
        session, warehouse, products[sku], counted, reason=reason, user_id=user_id
    )
    [line] = await stock_lines_out(session, warehouse, [sku])
    return line


async def transfer(
    session: AsyncSession,
    source: Warehouse,
    target_code: str,
    items: Sequence[SkuQuantity],
    *,
    user_id: uuid.UUID | None,
    note: str | None = None,
) -> TransferOut:
    """Move goods to the warehouse `target_code`, all items or none."""
    target = await find_warehouse(session, target_code)
    if target is None:
        raise WarehouseNotFound(f"No warehouse has the code {target_code}.")
    moved = await operations.transfer(
        session, source, target, await _lines(session, _skus(items)), user_id=user_id, note=note
    )
    return TransferOut(
        from_warehouse=source.code,
        to_warehouse=target.code,
        items=[
            TransferLineOut(
                sku=line.product.sku,
                quantity=line.quantity,
                from_on_hand=line.from_on_hand,
                to_on_hand=line.to_on_hand,
            )
            for line in moved
        ],
    )


async def store_operation(
    session: AsyncSession,
    store: reports.Store,
    operation: Operation,
    items: Sequence[StoreItem],
    *,
    user_id: uuid.UUID | None,
) -> StoreOut:
    """The stock API's supply or demand of every item, all or nothing; the report after."""
    lines = await _lines(session, [(item.item_id, item.quantity, None) for item in items])
    apply = operations.supply if operation is Operation.SUPPLY else operations.demand
    await apply(session, store.warehouse, lines, user_id=user_id)
    return await reports.store_report(session, store)


async def stock_lines_out(
    session: AsyncSession, warehouse: Warehouse, skus: Collection[str] | None = None
) -> list[StockLineOut]:
    """The warehouse's stock lines (only these SKUs when given), by SKU."""
    lines = await reports.stock_lines(session, warehouse.id, skus)
    return [reports.line_out(warehouse.code, line) for line in lines]


async def xlsx_report(session: AsyncSession, warehouse: Warehouse) -> tuple[str, bytes]:
    """The file name and content of the warehouse's current stock as an .xlsx workbook."""
    lines = await reports.stock_lines(session, warehouse.id)
    content = await run_in_threadpool(reports.build_xlsx, warehouse.code, lines)
    return reports.xlsx_filename(warehouse.code), content
