"""Demo stock: two warehouses holding most of the demo catalog, journalled as supplies.

For a first `onlineshop run` (so that shoppers find goods in stock) and for benchmarks.
Deterministic for a given seed; refuses (writes nothing) when a warehouse exists already.
"""

import random
import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.catalog.models import Product
from app.inventory.models import MovementKind, Stock, StockMovement, Warehouse

DEMO_WAREHOUSES = (
    # code, name, max weight, priority (lower first)
    ("MAIN", "Main warehouse", Decimal("200000"), 1),
    ("NORTH", "North depot", Decimal("50000"), 2),
)
SHARE_IN_STOCK = 0.85
BATCH = 1000


@dataclass(frozen=True)
class StockSeedReport:
    warehouses: int
    stock_lines: int
    skipped: bool = False


async def _insert_batches(session: AsyncSession, table: Any, rows: list[dict[str, Any]]) -> None:
    for start in range(0, len(rows), BATCH):
        await session.execute(insert(table), rows[start : start + BATCH])


async def seed_demo_stock(session: AsyncSession, *, seed: int = 42) -> StockSeedReport:
    """Stock most non-archived products in the demo warehouses. Flushes, never commits."""
    if await session.scalar(select(Warehouse.id).limit(1)) is not None:
        return StockSeedReport(warehouses=0, stock_lines=0, skipped=True)
    rng = random.Random(seed)  # noqa: S311 - demo data, deterministic on purpose
    warehouses = [
        {"id": uuid.uuid4(), "code": code, "name": name, "max_weight_kg": weight, "priority": p}
        for code, name, weight, p in DEMO_WAREHOUSES
    ]
    await session.execute(insert(Warehouse), warehouses)
    product_ids = list(
        await session.scalars(select(Product.id).where(~Product.is_archived).order_by(Product.sku))
    )
    stock: list[dict[str, Any]] = []
    journal: list[dict[str, Any]] = []
    for product_id in product_ids:
        if rng.random() >= SHARE_IN_STOCK:
            continue
        for warehouse in warehouses:
            quantity = rng.randint(1, 40) if warehouse["code"] == "MAIN" else rng.randint(0, 8)
            if not quantity:
                continue
            stock.append(
                {"warehouse_id": warehouse["id"], "product_id": product_id, "on_hand": quantity}
            )
            journal.append(
                {
                    "warehouse_id": warehouse["id"],
                    "product_id": product_id,
                    "kind": MovementKind.SUPPLY.value,
                    "quantity": quantity,
                    "quantity_after": quantity,
                    "note": "demo stock",
                }
            )
    await _insert_batches(session, Stock, stock)
    await _insert_batches(session, StockMovement, journal)
    return StockSeedReport(warehouses=len(warehouses), stock_lines=len(stock))
