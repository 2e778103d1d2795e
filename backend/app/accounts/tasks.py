"""Periodic account housekeeping (scheduled by beat, see `app.worker`)."""

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts import tokens
from app.core.periodic import cleanup_task


async def purge_expired(session: AsyncSession, now: datetime) -> int:
    return await tokens.purge_expired(session)


purge_expired_refresh_tokens = cleanup_task(
    "app.accounts.tasks.purge_expired_refresh_tokens",
    purge_expired,
    "purged %d expired refresh tokens",
)
