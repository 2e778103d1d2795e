"""Jobs are enqueued by task name through `app.core.jobs`: the API never imports the Celery
app of the worker (`app.worker`) nor a tasks module, while the worker runs those tasks.

Delivery by name to a real worker is proven end to end elsewhere: e-mails through the
notifications service (tests/notifications/test_delivery.py) and the weight task started
over the API (tests/inventory/test_weight_task.py).
"""

import asyncio
import logging
import os
import subprocess
import sys
import textwrap
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core import jobs
from app.core.celery_config import build_celery
from app.core.config import PROJECT_ROOT, Settings, get_settings
from app.core.db import create_engine, finish_session, run_callbacks
from app.core.embedded import free_port
from app.core.jobs import run_once
from app.core.outbox import OutboxJob
from app.inventory.warehouses import WEIGHT_TASK
from app.notifications.service import SEND_EMAIL_TASK, send_email
from tests.fixtures.app import unique_email
from tests.fixtures.mail import CeleryWorker, SmtpServer, link_token
from tests.fixtures.waiting import a_transaction_waits_for_a_lock

TASK_MODULES = (
    "app.notifications.tasks",
    "app.accounts.tasks",
    "app.inventory.tasks",
    "app.cart.tasks",
    "app.orders.tasks",
)


def run_python(code: str) -> None:
    """Run `code` in a fresh interpreter with the test session's settings; fail on an error."""
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        cwd=PROJECT_ROOT,
        env=dict(os.environ),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_app_and_the_services_import_no_worker_and_no_task() -> None:
    run_python(
        f"""
        import sys

        import app.main
        from app.core import jobs
        from app.inventory import service as inventory_service
        from app.notifications import service as notifications_service

        app.main.create_app()
        loaded = [name for name in ("app.worker", *{TASK_MODULES!r}) if name in sys.modules]
        assert not loaded, loaded
        assert jobs._publisher is None, "the publisher is built on first use, not at import"
        """
    )


def test_the_worker_runs_the_tasks_named_by_the_services() -> None:
    """What `celery -A app.worker worker` does when it starts: its app is current, imports
    the task modules, and their shared tasks bind to it, under the names services enqueue."""
    run_python(
        f"""
        from celery import current_app

        from app.worker import celery_app

        assert current_app._get_current_object() is celery_app
        celery_app.loader.import_default_modules()
        from app.inventory import tasks as inventory_tasks
        from app.notifications import tasks as notifications_tasks

        for name in ({SEND_EMAIL_TASK!r}, {WEIGHT_TASK!r}):
            assert celery_app.tasks[name].app is celery_app, name
        assert notifications_tasks.send_email.name == {SEND_EMAIL_TASK!r}
        assert notifications_tasks.send_email.app is celery_app
        assert inventory_tasks.compute_warehouse_weight.name == {WEIGHT_TASK!r}
        assert celery_app.conf.task_default_queue == {Settings().CELERY_TASK_DEFAULT_QUEUE!r}
        """
    )


def test_the_beat_schedule_names_only_tasks_the_worker_runs() -> None:
    """A schedule entry naming no task would be published every time and never run."""
    run_python(
        """
        from app.worker import celery_app

        celery_app.loader.import_default_modules()
        schedule = celery_app.conf.beat_schedule
        assert schedule, "no beat schedule"
        unknown = {name: entry["task"] for name, entry in schedule.items()
                   if entry["task"] not in celery_app.tasks}
        assert not unknown, unknown
        """
    )


def test_the_publisher_has_the_workers_broker_and_queue() -> None:
    """In a process of its own: importing the worker here would make its app the current
    one for every later test of this session."""
    run_python(
        """
        from app.core import jobs
        from app.worker import celery_app

        conf = jobs.publisher().conf
        keys = ("broker_url", "result_backend", "task_serializer", "accept_content")
        for key in (*keys, "task_default_queue"):
            assert conf[key] == celery_app.conf[key], key
        """
    )


async def test_a_redis_that_cannot_take_the_job_is_logged_not_raised(
    session: AsyncSession, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    dead_broker = Settings(REDIS_URL=f"redis://127.0.0.1:{free_port()}/0")
    unreachable = build_celery(dead_broker, set_as_current=False)
    monkeypatch.setattr(jobs, "_publisher", unreachable)

    to = unique_email("dead-broker")
    jobs.enqueue_after_commit(session, SEND_EMAIL_TASK, to=to)
    with caplog.at_level(logging.ERROR, logger="app.core.jobs"):
        await run_callbacks(await finish_session(session, None))

    assert f"Could not enqueue {SEND_EMAIL_TASK}" in caplog.text
    # The job is committed with the data, waiting for the worker's relay.
    job = await session.scalar(select(OutboxJob).where(OutboxJob.kwargs["to"].astext == to))
    assert job is not None
    assert (job.task_name, job.sent_at) == (SEND_EMAIL_TASK, None)


async def test_a_job_is_published_after_the_commit_and_marked_sent(
    session: AsyncSession, celery_worker: CeleryWorker, smtp_server: SmtpServer
) -> None:
    to = unique_email("fast-path")
    context = {"link": "http://shop.example.com/verify-email?token=fast", "expires_hours": 48}
    send_email(session, to=to, template="verify_email", context=context)
    job = await session.scalar(select(OutboxJob).where(OutboxJob.kwargs["to"].astext == to))
    assert job is not None, "the job is a row of the transaction, before the commit"
    assert job.sent_at is None

    await run_callbacks(await finish_session(session, None))

    await session.refresh(job)
    assert job.sent_at is not None
    assert link_token(smtp_server.wait_for(to), "/verify-email") == "fast"


async def test_no_job_after_a_rollback(session: AsyncSession) -> None:
    to = unique_email("rolled-back")
    jobs.enqueue_after_commit(session, SEND_EMAIL_TASK, to=to)
    assert await finish_session(session, RuntimeError("refused")) == []
    rows = select(func.count()).where(OutboxJob.kwargs["to"].astext == to)
    assert await session.scalar(rows) == 0


def test_a_job_runs_once_and_again_after_a_failed_attempt() -> None:
    job_id = str(uuid.uuid4())
    effects: list[str] = []

    def failing() -> None:
        effects.append("failed")
        raise ConnectionError("SMTP down")

    def sending() -> str:
        effects.append("sent")
        return "done"

    with pytest.raises(ConnectionError):
        run_once(job_id, failing)
    assert run_once(job_id, sending) == "done"
    assert run_once(job_id, sending) is None
    assert effects == ["failed", "sent"]
    assert run_once(None, sending) == "done", "a job without an outbox row just runs"


def test_a_concurrent_duplicate_waits_for_the_first_run_then_skips() -> None:
    job_id = str(uuid.uuid4())
    effects: list[str] = []
    running, release = threading.Event(), threading.Event()

    def first() -> None:
        running.set()
        release.wait(60)
        effects.append("first")

    with ThreadPoolExecutor(2) as pool:
        first_run = pool.submit(run_once, job_id, first)
        assert running.wait(60)
        second_run = pool.submit(run_once, job_id, lambda: effects.append("second"))
        wait_until_a_transaction_waits_for_a_lock()
        release.set()
        assert (first_run.result(60), second_run.result(60)) == (None, None)
    assert effects == ["first"]


def wait_until_a_transaction_waits_for_a_lock() -> None:
    """Until a transaction on the test database waits for a lock (the second run, on the
    first's job id)."""

    async def wait() -> None:
        engine = create_engine(get_settings(), pooled=False)
        try:
            await a_transaction_waits_for_a_lock(engine)
        finally:
            await engine.dispose()

    asyncio.run(wait())
