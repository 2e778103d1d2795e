"""Periodic order housekeeping (scheduled by beat, see `app.worker`): unpaid orders expire,
old Idempotency-Key records go."""

from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from app.core.config import get_settings
from app.core.periodic import cleanup_task
from app.orders import checkout, lifecycle


async def expire_a_batch(session: AsyncSession, now: datetime) -> int:
    unpaid_for = timedelta(minutes=get_settings().ORDER_PAYMENT_TIMEOUT_MINUTES)
    return len(await lifecycle.expire_unpaid_orders(session, now, unpaid_for))


async def purge_old_keys(session: AsyncSession, now: datetime) -> int:
    ttl = timedelta(hours=get_settings().IDEMPOTENCY_KEY_TTL_HOURS)
    return await checkout.purge_idempotency_keys(session, now, ttl)


# Each batch commits (and sends its e-mails) before the next one starts.
expire_unpaid_orders = cleanup_task(
    "app.orders.tasks.expire_unpaid_orders",
    expire_a_batch,
    "expired %d unpaid orders",
    batch=lifecycle.EXPIRY_BATCH_SIZE,
)
purge_idempotency_keys = cleanup_task(
    "app.orders.tasks.purge_idempotency_keys", purge_old_keys, "purged %d idempotency keys"
)
