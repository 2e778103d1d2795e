"""Enqueue jobs by task name, only after the transaction that made their data has committed.

A domain names its job, `enqueue_after_commit(session, WEIGHT_TASK, task_id=...)` with
`WEIGHT_TASK = "app.inventory.tasks.compute_warehouse_weight"` a constant next to the call
(its tasks module uses the same constant), and never imports its tasks module nor the Celery
app: those belong to the worker (`app.worker`). The job is published by
a small Celery app of our own, built on first use from the settings with the worker's
configuration (`app.core.celery_config`), so the same broker and default queue.
"""

import logging
import threading
from typing import Any

from celery import Celery
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.concurrency import run_in_threadpool

from app.core.celery_config import build_celery
from app.core.config import get_settings
from app.core.db import after_commit

logger = logging.getLogger(__name__)

_publisher: Celery | None = None
_publisher_lock = threading.Lock()


def publisher() -> Celery:
    """The Celery app that sends jobs, built once, on first use (not at import).

    It knows no task: it only sends by name. It is not made Celery's current app, so that in
    the worker's process the tasks stay bound to the worker's app.
    """
    global _publisher
    with _publisher_lock:
        if _publisher is None:
            settings = get_settings()
            settings.redis_url  # noqa: B018 - raises when REDIS_URL is unset (no AMQP fallback)
            _publisher = build_celery(settings, set_as_current=False)
        return _publisher


def send_job(task_name: str, /, **kwargs: Any) -> None:
    """Publish task `task_name` with `kwargs` now (blocking: it talks to the broker)."""
    publisher().send_task(task_name, kwargs=kwargs)


def enqueue_after_commit(session: AsyncSession, task_name: str, /, **kwargs: Any) -> None:
    """Send task `task_name` with `kwargs` (JSON-serialisable) once `session`'s transaction
    has committed; nothing is sent when it rolls back. A broker that cannot take the job is
    logged, not raised: the data is committed already."""

    async def send() -> None:
        try:
            # Publishing talks to the broker synchronously: keep it off the event loop.
            await run_in_threadpool(send_job, task_name, **kwargs)
        except Exception:
            # The data is committed already; a lost job must not turn the request into a 500.
            logger.exception("Could not enqueue %s", task_name)

    after_commit(session, send)
