"""Periodic cart housekeeping (scheduled by beat, see `app.worker`)."""

from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from app.cart import service
from app.core.config import get_settings
from app.core.periodic import cleanup_task


async def purge_old_guest_carts(session: AsyncSession, now: datetime) -> int:
    ttl = timedelta(days=get_settings().GUEST_CART_TTL_DAYS)
    return await service.purge_guest_carts(session, now, ttl)


purge_guest_carts = cleanup_task(
    "app.cart.tasks.purge_guest_carts", purge_old_guest_carts, "purged %d guest carts"
)
