"""Demo data: a realistic catalog for a first `onlineshop run`, and for benchmarks."""

import asyncio

from app.catalog.seed import SeedReport, seed_demo
from app.core.config import Settings
from app.core.db import task_session


async def _seed(settings: Settings, products: int, with_images: bool) -> SeedReport:
    async with task_session(settings) as session:
        return await seed_demo(session, products=products, with_images=with_images)


def seed_demo_catalog(settings: Settings, *, products: int, with_images: bool) -> SeedReport:
    """Fill an empty catalog; a catalog with data is left alone (`skipped` in the report)."""
    return asyncio.run(_seed(settings, products, with_images))
