"""The building blocks of every stock change, and the rules they keep. (operations.py and
reservations.py use them; nothing else should: they are the inventory's internals.)

Every change of on_hand or reserved goes through the functions of operations.py (supply,
demand, adjust, transfer, clean) and reservations.py (reserve, release, commit_sale); each
writes its journal rows in the same transaction. They take the session, flush and never
commit.

Concurrency, under READ COMMITTED:
- A change of one row is one conditional UPDATE (… WHERE on_hand - reserved >= :q RETURNING),
  so it either happens whole or not at all, and nothing can slip in between check and write.
- Whatever raises the stored weight (a supply, a transfer's receiving side) first takes the
  warehouse row FOR NO KEY UPDATE: those run one at a time per warehouse, each seeing the
  weight the previous one committed, so parallel supplies never exceed max_weight_kg. (NO
  KEY: the journal's foreign key takes KEY SHARE on the warehouse; FOR UPDATE would make
  every concurrent demand queue behind a supply, and could deadlock with one.)
- Lock order, everywhere: warehouse rows first, then stock rows by (product SKU, warehouse
  code). A caller that changes several rows in one transaction (orders reserving several
  lines) must call these functions in that order too.
- The quantity_after of a journal row is what the UPDATE that made the change RETURNed.
"""

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import Integer, Uuid, bindparam, column, func, insert, literal, select, update
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from app.catalog.models import Product
from app.inventory.exceptions import (
    CapacityExceeded,
    InsufficientStock,
    ItemNotFound,
    Shortage,
    WarehouseInactive,
)
from app.inventory.models import MovementKind, Stock, StockMovement, Warehouse


@dataclass(frozen=True)
class ProductRef:
    """What a stock change needs to know of a product."""

    id: uuid.UUID
    sku: str
    weight_kg: Decimal


@dataclass(frozen=True)
class Line:
    """A quantity of a product for an operation (unit_cost only for supplies)."""

    product: ProductRef
    quantity: int
    unit_cost: Decimal | None = None

    def shortage(self, available: int) -> Shortage:
        return Shortage(self.product.id, self.product.sku, self.quantity, max(available, 0))


@dataclass(frozen=True)
class StockLevel:
    on_hand: int
    reserved: int

    @property
    def available(self) -> int:
        return self.on_hand - self.reserved


# --- helpers -------------------------------------------------------------------------------


async def resolve_skus(session: AsyncSession, skus: Iterable[str]) -> dict[str, ProductRef]:
    """The products of these SKUs (upper-case), by SKU; ItemNotFound names the first unknown."""
    wanted = list(dict.fromkeys(skus))
    rows = await session.execute(
        select(Product.id, Product.sku, Product.weight_kg).where(Product.sku.in_(wanted))
    )
    found = {row.sku: ProductRef(row.id, row.sku, row.weight_kg) for row in rows}
    for sku in wanted:
        if sku not in found:
            raise ItemNotFound(sku)
    return found


async def product_ref(session: AsyncSession, product_id: uuid.UUID) -> ProductRef:
    row = (
        await session.execute(
            select(Product.id, Product.sku, Product.weight_kg).where(Product.id == product_id)
        )
    ).one_or_none()
    if row is None:
        raise ItemNotFound()
    return ProductRef(row.id, row.sku, row.weight_kg)


def in_lock_order(lines: Sequence[Line]) -> list[Line]:
    ordered = sorted(lines, key=lambda line: line.product.sku)
    if len({line.product.id for line in ordered}) != len(ordered):
        raise ValueError("a product appears twice in one stock operation")
    if any(line.quantity <= 0 for line in ordered):
        raise ValueError("stock operation quantities must be positive")
    return ordered


def require_active(*warehouses: Warehouse) -> None:
    for warehouse in warehouses:
        if not warehouse.is_active:
            raise WarehouseInactive(warehouse.code)


def lines_table(lines: Sequence[Line], sign: int = 1) -> Any:
    """The lines as a table (product_id, delta), in lock order, to join an UPDATE with or
    insert from: `unnest` of two array parameters, so the statement is the same (and its
    compiled form cached) whatever the number of lines."""
    return (
        func.unnest(
            bindparam(None, [line.product.id for line in lines], type_=ARRAY(Uuid())),
            bindparam(None, [sign * line.quantity for line in lines], type_=ARRAY(Integer())),
        )
        .table_valued(column("product_id", Uuid()), column("delta", Integer()))
        .render_derived(name="deltas")
    )


def insert_lines(warehouse_id: uuid.UUID, lines: Sequence[Line], *, on_hand: bool) -> Any:
    """INSERT the stock lines of these products (on_hand = quantity, or 0), in lock order."""
    deltas = lines_table(lines)
    return pg_insert(Stock).from_select(
        ["warehouse_id", "product_id", "on_hand", "reserved"],
        select(
            literal(warehouse_id, Uuid()),
            deltas.c.product_id,
            deltas.c.delta if on_hand else literal(0),
            literal(0),
        ),
    )


async def journal(
    session: AsyncSession,
    warehouse_id: uuid.UUID,
    kind: MovementKind,
    moves: Sequence[tuple[uuid.UUID, int, int]],
    *,
    user_id: uuid.UUID | None,
    note: str | None = None,
    order_id: uuid.UUID | None = None,
    unit_costs: dict[uuid.UUID, Decimal | None] | None = None,
) -> None:
    """Append one journal row per (product_id, signed quantity, quantity after)."""
    if not moves:
        return
    costs = unit_costs or {}
    await session.execute(
        insert(StockMovement),
        [
            {
                "warehouse_id": warehouse_id,
                "product_id": product_id,
                "kind": kind.value,
                "quantity": quantity,
                "quantity_after": after,
                "unit_cost": costs.get(product_id),
                "user_id": user_id,
                "order_id": order_id,
                "note": note,
            }
            for product_id, quantity, after in moves
        ],
    )


async def lock_for_increase(session: AsyncSession, warehouse: Warehouse) -> Decimal:
    """Lock the warehouse row for a weight-raising change; its max_weight_kg, re-read."""
    row = (
        await session.execute(
            select(Warehouse.is_active, Warehouse.max_weight_kg)
            .where(Warehouse.id == warehouse.id)
            .with_for_update(key_share=True)
        )
    ).one()
    if not row.is_active:
        raise WarehouseInactive(warehouse.code)
    max_weight: Decimal = row.max_weight_kg
    return max_weight


async def stored_weight(session: AsyncSession, warehouse_id: uuid.UUID) -> Decimal:
    """The sum of on_hand * unit weight over the warehouse's stock, in kilograms."""
    total = await session.scalar(
        select(func.coalesce(func.sum(Stock.on_hand * Product.weight_kg), 0))
        .join(Product, Product.id == Stock.product_id)
        .where(Stock.warehouse_id == warehouse_id)
    )
    return Decimal(total or 0)


async def check_capacity(
    session: AsyncSession, warehouse: Warehouse, max_weight: Decimal, lines: Sequence[Line]
) -> None:
    incoming = sum((line.quantity * line.product.weight_kg for line in lines), Decimal(0))
    stored = await stored_weight(session, warehouse.id)
    if stored + incoming > max_weight:
        raise CapacityExceeded(
            f"The warehouse {warehouse.code} holds {stored} kg of at most {max_weight} kg: "
            f"{incoming} kg more do not fit. Nothing was changed."
        )


async def check_weight_change(
    session: AsyncSession, product_id: uuid.UUID, old_weight: Decimal, new_weight: Decimal
) -> None:
    """A product made heavier must still fit every warehouse holding it (the catalog asks).

    The holding warehouses are locked as for a supply (FOR NO KEY UPDATE, in code order), so
    a supply running meanwhile waits and then counts the new weight.
    """
    if new_weight <= old_weight:
        return
    holders = await session.execute(
        select(Warehouse.id, Warehouse.code, Warehouse.max_weight_kg, Stock.on_hand)
        .join(Stock, Stock.warehouse_id == Warehouse.id)
        .where(Stock.product_id == product_id, Stock.on_hand > 0)
        .order_by(Warehouse.code)
        .with_for_update(of=Warehouse, key_share=True)
    )
    for warehouse_id, code, max_weight, on_hand in holders:
        stored = await stored_weight(session, warehouse_id)
        extra = on_hand * (new_weight - old_weight)
        if stored + extra > max_weight:
            raise CapacityExceeded(
                f"The warehouse {code} holds {stored} kg of at most {max_weight} kg: this weight"
                f" would add {extra} kg. Nothing was changed."
            )


async def add_on_hand(
    session: AsyncSession, warehouse_id: uuid.UUID, lines: Sequence[Line]
) -> dict[uuid.UUID, int]:
    """on_hand += quantity, creating the stock lines that do not exist yet; on_hand after."""
    statement = insert_lines(warehouse_id, lines, on_hand=True)
    upsert = statement.on_conflict_do_update(
        index_elements=[Stock.warehouse_id, Stock.product_id],
        set_={"on_hand": Stock.on_hand + statement.excluded.on_hand, "updated_at": func.now()},
    ).returning(Stock.product_id, Stock.on_hand)
    rows = await session.execute(upsert)
    return {row.product_id: row.on_hand for row in rows}


async def take_available(
    session: AsyncSession, warehouse_id: uuid.UUID, lines: Sequence[Line]
) -> dict[uuid.UUID, int]:
    """on_hand -= quantity where on_hand - reserved covers it, in one statement; on_hand after
    for the rows it changed (a line missing from the result was not covered)."""
    deltas = lines_table(lines)
    rows = await session.execute(
        update(Stock)
        .where(
            Stock.warehouse_id == warehouse_id,
            Stock.product_id == deltas.c.product_id,
            Stock.on_hand - Stock.reserved >= deltas.c.delta,
        )
        .values(on_hand=Stock.on_hand - deltas.c.delta, updated_at=func.now())
        .returning(Stock.product_id, Stock.on_hand)
        .execution_options(synchronize_session=False)
    )
    return {row.product_id: row.on_hand for row in rows}


async def available_of(
    session: AsyncSession, warehouse_id: uuid.UUID, product_id: uuid.UUID
) -> int:
    available = await session.scalar(
        select(Stock.on_hand - Stock.reserved).where(
            Stock.warehouse_id == warehouse_id, Stock.product_id == product_id
        )
    )
    return int(available or 0)


async def lock_lines(
    session: AsyncSession, warehouse_ids: Sequence[uuid.UUID], lines: Sequence[Line]
) -> dict[tuple[uuid.UUID, uuid.UUID], StockLevel]:
    """Lock the existing stock rows of these products in these warehouses, in lock order."""
    rows = await session.execute(
        select(Stock.warehouse_id, Stock.product_id, Stock.on_hand, Stock.reserved)
        .join(Product, Product.id == Stock.product_id)
        .join(Warehouse, Warehouse.id == Stock.warehouse_id)
        .where(
            Stock.warehouse_id.in_(warehouse_ids),
            Stock.product_id.in_([line.product.id for line in lines]),
        )
        .order_by(Product.sku, Warehouse.code)
        .with_for_update(of=Stock)
    )
    return {
        (row.warehouse_id, row.product_id): StockLevel(row.on_hand, row.reserved) for row in rows
    }


def check_available(
    levels: dict[tuple[uuid.UUID, uuid.UUID], StockLevel],
    warehouse_id: uuid.UUID,
    lines: Sequence[Line],
) -> None:
    for line in lines:
        level = levels.get((warehouse_id, line.product.id), StockLevel(0, 0))
        if level.available < line.quantity:
            raise InsufficientStock([line.shortage(level.available)])
