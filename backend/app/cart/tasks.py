"""Periodic cart housekeeping (scheduled by beat, see `app.worker`)."""

import asyncio
import logging
from datetime import UTC, datetime, timedelta

from celery import shared_task

from app.cart import service
from app.core.config import get_settings
from app.core.db import task_session

logger = logging.getLogger(__name__)


async def purge_carts() -> int:
    settings = get_settings()
    async with task_session(settings) as session:
        return await service.purge_guest_carts(
            session, datetime.now(UTC), timedelta(days=settings.GUEST_CART_TTL_DAYS)
        )


@shared_task(name="app.cart.tasks.purge_guest_carts")
def purge_guest_carts() -> int:
    purged = asyncio.run(purge_carts())
    logger.info("purged %d guest carts", purged)
    return purged
