"""Enqueue Celery jobs only after the transaction that made their data has committed."""

import logging
from typing import Any

from celery import Task
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.concurrency import run_in_threadpool

from app.core.db import after_commit

logger = logging.getLogger(__name__)


def enqueue_after_commit(session: AsyncSession, task: Task[Any, Any], **kwargs: Any) -> None:
    async def send() -> None:
        try:
            # Publishing talks to the broker synchronously: keep it off the event loop.
            await run_in_threadpool(task.apply_async, kwargs=kwargs)
        except Exception:
            # The data is committed already; a lost job must not turn the request into a 500.
            logger.exception("Could not enqueue %s", task.name)

    after_commit(session, send)
