"""A job delivered while PostgreSQL is down waits the outage out: a task cannot tell whether
its job ran before (`run_once` needs the database), so it is tried again later instead of
failing. Its outbox row is marked sent already, so a failed task would be a lost e-mail."""

import asyncio
import uuid

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from app.core.jobs import publish_job
from app.core.outbox import JobRun
from app.notifications.service import SEND_EMAIL_TASK
from tests.fixtures.app import live_email
from tests.fixtures.mail import SmtpServer, own_queue, running_celery_worker, smtp_env
from tests.fixtures.restartable import RestartablePostgres
from tests.fixtures.waiting import EVENT_TIMEOUT_SECONDS, wait_until
from tests.notifications.samples import SAMPLE_CONTEXTS

TEMPLATE = "password_changed"


async def runs_of(database_url: str, job_id: uuid.UUID) -> int:
    engine = create_async_engine(database_url, poolclass=NullPool)
    try:
        async with engine.connect() as connection:
            count = await connection.scalar(
                select(func.count()).select_from(JobRun).where(JobRun.job_id == job_id)
            )
    finally:
        await engine.dispose()
    return int(count or 0)


def test_an_email_job_delivered_during_a_database_outage_is_sent_once_it_is_back(
    restartable_postgres: RestartablePostgres,
    smtp_server: SmtpServer,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    env = {
        **smtp_env(smtp_server.port),
        "DATABASE_URL": restartable_postgres.database_url,
        "DATABASE_CONNECT_TIMEOUT_SECONDS": "2",
        "EMAIL_RETRY_BACKOFF_SECONDS": "1",
        "EMAIL_RETRY_BACKOFF_MAX_SECONDS": "2",
    }
    to = live_email("database-outage")
    job_id = uuid.uuid4()
    with own_queue() as queue:
        env["CELERY_TASK_DEFAULT_QUEUE"] = queue
        log_dir = tmp_path_factory.mktemp("outage-worker")
        with running_celery_worker(log_dir, queue=queue, env=env, name="outage") as worker:
            restartable_postgres.stop()
            try:
                publish_job(
                    job_id,
                    SEND_EMAIL_TASK,
                    {"to": to, "template": TEMPLATE, "context": SAMPLE_CONTEXTS[TEMPLATE]},
                )
                # At least one attempt met the outage and was put off, not failed.
                wait_until(
                    lambda: "JobStoreUnavailable" in worker.log_path.read_text(errors="replace"),
                    "a retry for the unreachable database",
                )
                assert smtp_server.messages_to(to) == []
            finally:
                restartable_postgres.start()

            message = smtp_server.wait_for(to, EVENT_TIMEOUT_SECONDS)
            assert smtp_server.messages_to(to) == [message], worker.tail(40)
            assert "raised unexpected" not in worker.log_path.read_text(errors="replace")
    assert asyncio.run(runs_of(restartable_postgres.database_url, job_id)) == 1
