"""Demo stock: most products stocked in two warehouses, journalled, and only once."""

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.inventory.models import Stock, StockMovement, Warehouse
from app.inventory.seed import seed_demo_stock


async def test_demo_stock_is_journalled_and_seeded_once(
    session: AsyncSession, make_product: Any
) -> None:
    for _ in range(40):
        await make_product()
    report = await seed_demo_stock(session)
    assert (report.warehouses, report.skipped) == (2, False)
    assert report.stock_lines > 20
    codes = set(await session.scalars(select(Warehouse.code)))
    assert {"MAIN", "NORTH"} <= codes
    on_hand = await session.scalar(select(func.sum(Stock.on_hand)))
    journalled = await session.scalar(
        select(func.sum(StockMovement.quantity)).where(StockMovement.note == "demo stock")
    )
    assert on_hand == journalled
    assert (await seed_demo_stock(session)).skipped
