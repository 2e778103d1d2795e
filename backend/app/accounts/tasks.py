"""Periodic account housekeeping."""

import asyncio
import logging

from app.accounts import tokens
from app.core.config import get_settings
from app.core.db import task_session
from app.worker import celery_app

logger = logging.getLogger(__name__)


async def _purge() -> int:
    async with task_session(get_settings()) as session:
        return await tokens.purge_expired(session)


@celery_app.task(name="app.accounts.tasks.purge_expired_refresh_tokens")
def purge_expired_refresh_tokens() -> int:
    purged = asyncio.run(_purge())
    logger.info("purged %d expired refresh tokens", purged)
    return purged
