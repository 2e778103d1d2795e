"""Demo data: a realistic, stocked catalog for a first `onlineshop run`, and for benchmarks."""

import asyncio

from app.catalog import service as catalog_service
from app.core.config import Settings
from app.core.db import task_session
from app.inventory import service as inventory_service


async def _seed(settings: Settings, products: int, with_images: bool) -> catalog_service.SeedReport:
    async with task_session(settings) as session:
        report = await catalog_service.seed_demo(
            session, products=products, with_images=with_images, settings=settings
        )
        if not report.skipped:
            await inventory_service.seed_demo_stock(session)
        return report


def seed_demo_catalog(
    settings: Settings, *, products: int, with_images: bool
) -> catalog_service.SeedReport:
    """Fill an empty catalog, and stock it in two demo warehouses; a catalog with data is
    left alone (`skipped` in the report)."""
    return asyncio.run(_seed(settings, products, with_images))
