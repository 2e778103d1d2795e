"""Periodic order housekeeping (scheduled by beat, see `app.worker`): unpaid orders expire,
old Idempotency-Key records go."""

import asyncio
import logging
from datetime import UTC, datetime, timedelta

from celery import shared_task

from app.core.config import get_settings
from app.core.db import task_session
from app.orders import checkout, lifecycle

logger = logging.getLogger(__name__)


async def expire_unpaid() -> int:
    """Expire the orders unpaid for ORDER_PAYMENT_TIMEOUT_MINUTES, a batch per transaction
    (each commits and sends its e-mails) until one comes back short; how many expired."""
    settings = get_settings()
    timeout = timedelta(minutes=settings.ORDER_PAYMENT_TIMEOUT_MINUTES)
    # One cut-off for the whole run: the batches then work off a backlog that only shrinks.
    now = datetime.now(UTC)
    expired = 0
    while True:
        async with task_session(settings) as session:
            batch = await lifecycle.expire_unpaid_orders(session, now, timeout)
        expired += len(batch)
        if len(batch) < lifecycle.EXPIRY_BATCH_SIZE:
            return expired


async def purge_keys() -> int:
    settings = get_settings()
    async with task_session(settings) as session:
        return await checkout.purge_idempotency_keys(
            session, datetime.now(UTC), timedelta(hours=settings.IDEMPOTENCY_KEY_TTL_HOURS)
        )


@shared_task(name="app.orders.tasks.expire_unpaid_orders")
def expire_unpaid_orders() -> int:
    expired = asyncio.run(expire_unpaid())
    logger.info("expired %d unpaid orders", expired)
    return expired


@shared_task(name="app.orders.tasks.purge_idempotency_keys")
def purge_idempotency_keys() -> int:
    purged = asyncio.run(purge_keys())
    logger.info("purged %d idempotency keys", purged)
    return purged
