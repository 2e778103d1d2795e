"""Demo data: a realistic, stocked catalog for a first `onlineshop run`, and for benchmarks."""

import asyncio

from app.catalog.seed import SeedReport, seed_demo
from app.core.config import Settings
from app.core.db import task_session
from app.inventory.seed import seed_demo_stock


async def _seed(settings: Settings, products: int, with_images: bool) -> SeedReport:
    async with task_session(settings) as session:
        report = await seed_demo(
            session, products=products, with_images=with_images, settings=settings
        )
        if not report.skipped:
            await seed_demo_stock(session)
        return report


def seed_demo_catalog(settings: Settings, *, products: int, with_images: bool) -> SeedReport:
    """Fill an empty catalog, and stock it in two demo warehouses; a catalog with data is
    left alone (`skipped` in the report)."""
    return asyncio.run(_seed(settings, products, with_images))
