"""Periodic account housekeeping (scheduled by beat, see `app.worker`)."""

import asyncio
import logging

from celery import shared_task

from app.accounts import tokens
from app.core.config import get_settings
from app.core.db import task_session

logger = logging.getLogger(__name__)


async def _purge() -> int:
    async with task_session(get_settings()) as session:
        return await tokens.purge_expired(session)


@shared_task(name="app.accounts.tasks.purge_expired_refresh_tokens")
def purge_expired_refresh_tokens() -> int:
    purged = asyncio.run(_purge())
    logger.info("purged %d expired refresh tokens", purged)
    return purged
