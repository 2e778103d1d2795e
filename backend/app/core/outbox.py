"""The transactional outbox: every job is first a row, written in the transaction of the data
it is about, so a job exists exactly when its data was committed.

Publishing happens twice over, which is safe because a task runs once per job id
(`app.core.jobs.run_once`): at once after the commit (`app.core.jobs`, the fast path), and by
the relay (`Relay`, a thread of the worker's main process) for any row that is still
unpublished a little later: the broker was down, or the process died between the commit and
the publish. The relay retries with a doubling delay while the broker is down, and deletes
published rows (and the record of jobs run) after OUTBOX_KEEP_DAYS.
"""

import asyncio
import logging
import threading
import time
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import DateTime, Index, String, Text, delete, func, select, text, update
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import Mapped, mapped_column

from app.core.config import Settings
from app.core.db import Base, create_engine, create_sessionmaker, transaction

logger = logging.getLogger(__name__)

# The keyword argument that carries the outbox row's id to the task (and its Celery task id).
JOB_ID = "job_id"
BATCH_SIZE = 100
PURGE_EVERY_SECONDS = 600.0
LAST_ERROR_LENGTH = 1000

Publish = Callable[[uuid.UUID, str, dict[str, Any]], None]


class OutboxJob(Base):
    """A job to publish: task `task_name` with `kwargs` (plus `job_id`, this row's id)."""

    __tablename__ = "outbox_jobs"
    __table_args__ = (
        # The relay's question: which unpublished jobs are due? Published rows leave the index.
        Index("ix_outbox_jobs_due", "available_at", postgresql_where=text("sent_at IS NULL")),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    task_name: Mapped[str] = mapped_column(String(200))
    kwargs: Mapped[dict[str, Any]] = mapped_column(JSONB)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    # The relay's next attempt: the creation, then later after each broker error.
    available_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
    attempts: Mapped[int] = mapped_column(default=0, server_default="0")
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_error: Mapped[str | None] = mapped_column(Text)


class JobRun(Base):
    """A job that has run (committed with its effect): a second delivery finds it and stops."""

    __tablename__ = "job_runs"

    job_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    finished_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), index=True
    )


def new_job(session: AsyncSession, task_name: str, kwargs: dict[str, Any]) -> OutboxJob:
    """Add the job to `session`'s transaction (it exists once that commits)."""
    job = OutboxJob(id=uuid.uuid4(), task_name=task_name, kwargs=kwargs)
    session.add(job)
    return job


async def mark_sent(session: AsyncSession, job_ids: list[uuid.UUID]) -> None:
    await session.execute(
        update(OutboxJob)
        .where(OutboxJob.id.in_(job_ids), OutboxJob.sent_at.is_(None))
        .values(sent_at=func.now())
        .execution_options(synchronize_session=False)
    )


def retry_delay(attempts: int, max_seconds: int) -> float:
    """1 s after the first failed attempt, then doubling, capped at `max_seconds`."""
    return float(min(max_seconds, 2 ** min(attempts - 1, 30)))


async def relay_due_jobs(
    session: AsyncSession, settings: Settings, publish: Publish, *, limit: int = BATCH_SIZE
) -> int:
    """Publish the due jobs (in `session`'s transaction, which holds their locks) and mark
    them sent; the number published. On a broker error the job and the rest of the batch wait
    (`retry_delay`): the broker is down for all of them."""
    now = await session.scalar(select(func.now()))
    assert now is not None
    jobs = (
        await session.scalars(
            select(OutboxJob)
            .where(
                OutboxJob.sent_at.is_(None),
                OutboxJob.available_at <= now,
                # Younger rows are the fast path's (it publishes right after the commit).
                OutboxJob.created_at <= now - timedelta(seconds=settings.OUTBOX_GRACE_SECONDS),
            )
            .order_by(OutboxJob.available_at)
            .limit(limit)
            # Several workers may run a relay: each takes rows the others have not locked.
            .with_for_update(skip_locked=True)
        )
    ).all()
    published = 0
    for job in jobs:
        try:
            publish(job.id, job.task_name, job.kwargs)
        except Exception as error:
            logger.warning(
                "Outbox: could not publish %s (job %s): %s", job.task_name, job.id, error
            )
            for waiting in jobs[published:]:
                waiting.attempts += 1
                waiting.last_error = f"{type(error).__name__}: {error}"[:LAST_ERROR_LENGTH]
                delay = retry_delay(waiting.attempts, settings.OUTBOX_RETRY_MAX_SECONDS)
                waiting.available_at = now + timedelta(seconds=delay)
            break
        job.sent_at = now
        published += 1
    return published


async def purge(session: AsyncSession, settings: Settings) -> None:
    """Delete the jobs published, and the runs recorded, more than OUTBOX_KEEP_DAYS ago."""
    before = func.now() - timedelta(days=settings.OUTBOX_KEEP_DAYS)
    await session.execute(delete(OutboxJob).where(OutboxJob.sent_at < before))
    await session.execute(delete(JobRun).where(JobRun.finished_at < before))


class Relay:
    """Publishes the outbox's unpublished jobs every OUTBOX_POLL_SECONDS, in a thread (with an
    event loop of its own) until `stop()`. Errors (database or broker down) are logged and the
    loop goes on."""

    def __init__(self, settings: Settings, publish: Publish) -> None:
        self._settings = settings
        self._publish = publish
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._stopping.clear()
        self._thread = threading.Thread(target=self._run, name="outbox-relay", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        self._stopping.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def _run(self) -> None:
        asyncio.run(self._loop())

    async def _loop(self) -> None:
        engine = create_engine(self._settings)
        sessionmaker = create_sessionmaker(engine)
        next_purge = 0.0
        failing = False
        logger.info("Outbox relay started")
        try:
            while not self._stopping.is_set():
                published = 0
                try:
                    published = await self._relay(sessionmaker)
                    if time.monotonic() >= next_purge:
                        async with transaction(sessionmaker) as session:
                            await purge(session, self._settings)
                        next_purge = time.monotonic() + PURGE_EVERY_SECONDS
                    if failing:
                        logger.info("Outbox relay: the database answers again")
                    failing = False
                except Exception:
                    # Said once per outage, not every poll.
                    if not failing:
                        logger.exception("Outbox relay: cannot read the outbox")
                    failing = True
                if published < BATCH_SIZE:
                    # A full batch means more may be due: go on at once.
                    await asyncio.to_thread(self._stopping.wait, self._settings.OUTBOX_POLL_SECONDS)
        finally:
            await engine.dispose()
            logger.info("Outbox relay stopped")

    async def _relay(self, sessionmaker: async_sessionmaker[AsyncSession]) -> int:
        async with transaction(sessionmaker) as session:
            published = await relay_due_jobs(session, self._settings, self._publish)
        if published:
            logger.info("Outbox relay published %d job(s)", published)
        return published
