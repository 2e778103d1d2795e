"""Enqueue jobs by task name, only after the transaction that made their data has committed.

A domain names its job, `enqueue_after_commit(session, WEIGHT_TASK, task_id=...)` with
`WEIGHT_TASK = "app.inventory.tasks.compute_warehouse_weight"` a constant next to the call
(its tasks module uses the same constant), and never imports its tasks module nor the Celery
app: those belong to the worker (`app.worker`). The job is published by
a small Celery app of our own, built on first use from the settings with the worker's
configuration (`app.core.celery_config`), so the same broker and default queue.

A job is a row of the transactional outbox (`app.core.outbox`), so no job is lost when the
broker is down or the process dies after the commit; a task runs once per job (`run_once`).
"""

import asyncio
import logging
import threading
import uuid
from collections.abc import Callable
from typing import Any, TypeVar

from celery import Celery
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession
from starlette.concurrency import run_in_threadpool

from app.core.celery_config import build_celery
from app.core.config import get_settings
from app.core.db import after_commit, create_engine
from app.core.errors import is_unavailable
from app.core.outbox import JOB_ID, JobRun, mark_sent, new_job

logger = logging.getLogger(__name__)

T = TypeVar("T")

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


def publish_job(job_id: uuid.UUID, task_name: str, kwargs: dict[str, Any]) -> None:
    """Publish outbox job `job_id`: its id is the Celery task id and the task's `job_id`.

    No result is read back: `ignore_result` also spares the result store's subscription, a
    second connection that is retried at length while Redis is down.
    """
    publisher().send_task(
        task_name, kwargs={**kwargs, JOB_ID: str(job_id)}, task_id=str(job_id), ignore_result=True
    )


def enqueue_after_commit(session: AsyncSession, task_name: str, /, **kwargs: Any) -> None:
    """Run task `task_name` with `kwargs` (JSON-serialisable) once `session`'s transaction has
    committed; never when it rolls back.

    The job is an outbox row of that transaction (`app.core.outbox`). Once committed, it is
    published at once and marked sent in a short transaction of its own; when the broker
    cannot take it, that is logged, not raised (the data is committed already), and the
    worker's relay publishes the row later. The task receives `job_id` too, and must run once
    per job id (`run_once`): a job may be published twice.
    """
    job = new_job(session, task_name, kwargs)
    # The same bind and mode as `session`: the engine, or in the tests their connection.
    bind, join_mode = session.bind, session.sync_session.join_transaction_mode

    async def publish() -> None:
        try:
            # Publishing talks to the broker synchronously: keep it off the event loop.
            await run_in_threadpool(publish_job, job.id, task_name, kwargs)
        except Exception:
            # The data is committed already; a lost job must not turn the request into a 500.
            logger.exception(
                "Could not enqueue %s (job %s); the relay will retry", task_name, job.id
            )
            return
        try:
            async with AsyncSession(bind, join_transaction_mode=join_mode) as marking:
                await mark_sent(marking, [job.id])
                await marking.commit()
        except Exception:
            # Harmless but for a second publish by the relay: the task runs once per job.
            logger.exception("Job %s was published but not marked sent", job.id)

    after_commit(session, publish)


class JobStoreUnavailable(Exception):
    """The database that records job runs cannot be reached now: the job must be tried again
    later (tasks list it in `autoretry_for`), not failed; its outbox row is sent already."""


def run_once(job_id: str | None, effect: Callable[[], T]) -> T | None:
    """Run `effect` unless job `job_id` has run already; its result, or None when it had.

    In one database transaction: record the job id (a second delivery of the job waits on it,
    then finds it), run `effect`, commit. When `effect` raises, nothing is recorded and a retry
    runs it again. A database that cannot be reached raises JobStoreUnavailable. `job_id` None
    (a job queued before the outbox, without an id): just run `effect`.
    """
    if job_id is None:
        return effect()
    # `effect` may run an event loop of its own (asyncio.run): this one only runs between.
    with asyncio.Runner() as runner:
        engine = create_engine(get_settings(), pooled=False)
        try:
            try:
                connection = runner.run(engine.connect().start())
                recorded = runner.run(_record_run(connection, uuid.UUID(job_id)))
            except Exception as error:
                if is_unavailable(error):
                    raise JobStoreUnavailable(str(error)) from error
                raise
            try:
                if not recorded:
                    logger.info("Job %s has run already: skipped", job_id)
                    return None
                result = effect()
                runner.run(connection.commit())
                return result
            finally:
                runner.run(connection.close())  # rolls back when not committed
        finally:
            runner.run(engine.dispose())


async def _record_run(connection: AsyncConnection, job_id: uuid.UUID) -> bool:
    """Record the run of `job_id`; False when it is recorded already (after waiting for a
    concurrent run of it to finish)."""
    inserted = await connection.scalar(
        insert(JobRun)
        .values(job_id=job_id)
        .on_conflict_do_nothing(index_elements=[JobRun.job_id])
        .returning(JobRun.job_id)
    )
    return inserted is not None
