"""Periodic clean-ups (scheduled by beat in `app.worker`): a domain's function over a session
and the current time, run as a Celery task in a transaction of its own.

    async def purge_old_carts(session: AsyncSession, now: datetime) -> int: ...
    purge_guest_carts = cleanup_task(
        "app.cart.tasks.purge_guest_carts", purge_old_carts, "purged %d guest carts"
    )
"""

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

from celery import shared_task
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.config import get_settings
from app.core.db import task_session

logger = logging.getLogger(__name__)

# Does its work with the session (flushes, never commits) and says how many rows it handled.
Cleanup = Callable[[AsyncSession, datetime], Awaitable[int]]


async def run_cleanup(cleanup: Cleanup, *, batch: int | None = None) -> int:
    """Run `cleanup` in a transaction of its own, committed when it returns; with `batch`,
    again in a new transaction as long as it handled `batch` rows (a backlog is worked off
    in short transactions). The number of rows in all."""
    settings = get_settings()
    total = 0
    while True:
        async with task_session(settings) as session:
            count = await cleanup(session, datetime.now(UTC))
        total += count
        if batch is None or count < batch:
            return total


def cleanup_task(name: str, cleanup: Cleanup, done: str, *, batch: int | None = None) -> Any:
    """The shared task `name` that runs `cleanup` (`run_cleanup`) and logs its count with
    `done` (a %d message)."""

    @shared_task(name=name)
    def task() -> int:
        count = asyncio.run(run_cleanup(cleanup, batch=batch))
        logger.info(done, count)
        return count

    return task
