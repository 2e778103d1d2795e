"""The worker killed (SIGKILL) in the middle of a task: Redis gives the unacknowledged job to
the next worker once the visibility timeout has passed, the task runs again, and its effect
happens once: one e-mail, a weight task completed once (a further delivery of the job, as the
outbox relay may make, changes nothing)."""

import asyncio
import threading
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from httpx import AsyncClient
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncEngine

from app.core.jobs import publish_job
from app.core.outbox import JobRun, OutboxJob
from app.inventory.models import InventoryTask, Stock, TaskStatus
from app.inventory.warehouses import WEIGHT_TASK
from app.notifications.service import SEND_EMAIL_TASK
from tests.fixtures.app import live_email
from tests.fixtures.inventory import LiveInventory
from tests.fixtures.mail import (
    CeleryWorker,
    SmtpServer,
    own_queue,
    smtp_env,
    start_celery_worker,
)
from tests.fixtures.waiting import EVENT_TIMEOUT_SECONDS, eventually, lock_waiters

# Short, so that the test waits seconds, not the hour of production, for the redelivery.
VISIBILITY_TIMEOUT_SECONDS = 4


class StallingSmtpServer(SmtpServer):
    """An SMTP server whose next message, once `stall_next()` was called, stalls (the sender
    waits on DATA) until `release()`; then it is refused (451), so only a later delivery can
    arrive."""

    def __init__(self) -> None:
        super().__init__()
        self.stalled = threading.Event()
        self._armed = False
        self._released = threading.Event()

    def stall_next(self) -> None:
        self.stalled.clear()
        self._released.clear()
        self._armed = True

    def release(self) -> None:
        self._released.set()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        if not self._armed:
            return await super().handle_DATA(server, session, envelope)
        self._armed = False
        self.stalled.set()
        await asyncio.to_thread(self._released.wait)
        return "451 4.3.0 Try again later"


class Workers:
    """Workers of one queue, one at a time: the killed one is replaced by the next."""

    def __init__(self, log_dir: Path, queue: str, env: dict[str, str]) -> None:
        self.log_dir, self.queue, self.env = log_dir, queue, env
        self.started: list[CeleryWorker] = []

    def start(self) -> CeleryWorker:
        name = f"fault-worker-{len(self.started)}"
        worker = start_celery_worker(self.log_dir, queue=self.queue, env=self.env, name=name)
        self.started.append(worker)
        return worker

    def running(self) -> CeleryWorker:
        """The worker of the moment (started now when the last one was killed)."""
        if self.started and self.started[-1].is_alive():
            return self.started[-1]
        return self.start()

    def kill(self, worker: CeleryWorker) -> float:
        """SIGKILL: no warm shutdown, the job stays unacknowledged. When it was killed."""
        worker.process.kill()
        worker.process.wait(timeout=EVENT_TIMEOUT_SECONDS)
        return time.monotonic()

    def logs(self) -> str:
        return "\n".join(f"--- {w.nodename}\n{w.tail(30)}" for w in self.started)


@pytest.fixture(scope="module")
def stalling_smtp() -> Iterator[StallingSmtpServer]:
    server = StallingSmtpServer()
    server.start()
    try:
        yield server
    finally:
        server.release()
        server.stop()


@pytest.fixture(scope="module")
def workers(
    stalling_smtp: StallingSmtpServer, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Workers]:
    env = {
        **smtp_env(stalling_smtp.port),
        # The stalled message must not time out before the worker is killed.
        "SMTP_TIMEOUT_SECONDS": str(EVENT_TIMEOUT_SECONDS),
        "CELERY_VISIBILITY_TIMEOUT_SECONDS": str(VISIBILITY_TIMEOUT_SECONDS),
        "EMAIL_RETRY_BACKOFF_SECONDS": "1",
        "EMAIL_RETRY_BACKOFF_MAX_SECONDS": "2",
    }
    with own_queue() as queue:
        # The workers' outbox relay publishes to their queue too.
        env["CELERY_TASK_DEFAULT_QUEUE"] = queue
        running = Workers(tmp_path_factory.mktemp("fault-workers"), queue, env)
        try:
            yield running
        finally:
            for worker in running.started:
                worker.stop()


def wait_for_redelivery(killed_at: float) -> None:
    """Until Redis may hand the dead worker's job out again (the next worker takes it when it
    starts: kombu restores expired unacknowledged jobs then)."""
    time.sleep(max(0.0, killed_at + VISIBILITY_TIMEOUT_SECONDS + 1 - time.monotonic()))


async def job_of(engine: AsyncEngine, task_name: str, **kwargs: str) -> OutboxJob:
    """The one outbox job of task `task_name` with these keyword arguments."""
    async with engine.connect() as connection:
        rows = (
            await connection.execute(
                select(OutboxJob).where(
                    OutboxJob.task_name == task_name,
                    *(OutboxJob.kwargs[key].astext == value for key, value in kwargs.items()),
                )
            )
        ).all()
    assert len(rows) == 1, rows
    return OutboxJob(**rows[0]._asdict())


async def runs_of(engine: AsyncEngine, job_id: uuid.UUID) -> int:
    async with engine.connect() as connection:
        count = await connection.scalar(
            select(text("count(*)")).select_from(JobRun).where(JobRun.job_id == job_id)
        )
    return int(count or 0)


async def wait_for_log(worker: CeleryWorker, needle: str) -> None:
    async def logged() -> bool:
        return needle in worker.log_path.read_text(errors="replace")

    await eventually(logged, f"{needle!r} in the log of {worker.nodename}")


async def test_an_email_whose_worker_was_killed_is_sent_once(
    live_client: AsyncClient,
    engine: AsyncEngine,
    stalling_smtp: StallingSmtpServer,
    workers: Workers,
) -> None:
    first = workers.running()
    stalling_smtp.stall_next()
    email = live_email("killed-worker")
    registered = await live_client.post(
        "/api/v1/auth/register", json={"email": email, "password": "a-long-enough-password"}
    )
    assert registered.status_code == 201, registered.text
    assert await asyncio.to_thread(stalling_smtp.stalled.wait, EVENT_TIMEOUT_SECONDS), (
        workers.logs()
    )

    killed_at = workers.kill(first)  # while it waits for the SMTP server's answer
    stalling_smtp.release()
    await asyncio.to_thread(wait_for_redelivery, killed_at)
    second = workers.start()

    await asyncio.to_thread(stalling_smtp.wait_for, email, EVENT_TIMEOUT_SECONDS)
    job = await job_of(engine, SEND_EMAIL_TASK, to=email)
    assert await runs_of(engine, job.id) == 1
    # Delivered once more (as the relay does when it could not tell that a publish went
    # through): the worker finds the job run and sends nothing.
    publish_job(job.id, job.task_name, job.kwargs)
    await wait_for_log(second, f"Job {job.id} has run already")
    assert len(stalling_smtp.messages_to(email)) == 1, workers.logs()


@asynccontextmanager
async def stock_locked(engine: AsyncEngine) -> AsyncIterator[asyncio.Event]:
    """The stock table locked against reads until the event is set (or the block ends): a
    weight task that has claimed its record waits there, in the middle of its work."""
    release = asyncio.Event()
    locked = asyncio.Event()

    async def hold() -> None:
        async with engine.connect() as connection, connection.begin():
            await connection.execute(
                text(f"LOCK TABLE {Stock.__tablename__} IN ACCESS EXCLUSIVE MODE")
            )
            locked.set()
            await release.wait()

    holder = asyncio.create_task(hold())
    await locked.wait()
    try:
        yield release
    finally:
        release.set()
        await holder


async def task_of(engine: AsyncEngine, task_id: uuid.UUID) -> Any:
    async with engine.connect() as connection:
        return (
            await connection.execute(select(InventoryTask).where(InventoryTask.id == task_id))
        ).one()


async def test_a_weight_task_whose_worker_was_killed_completes_once(
    live_client: AsyncClient,
    live_inventory: LiveInventory,
    engine: AsyncEngine,
    workers: Workers,
) -> None:
    warehouse = await live_inventory.warehouse()
    await live_inventory.put(warehouse, await live_inventory.product(weight_kg="1.500"), 4)
    first = workers.running()
    async with stock_locked(engine) as release:
        started = await live_client.post(
            f"/api/v1/warehouses/{warehouse.code}/weight-tasks", headers=live_inventory.headers
        )
        assert started.status_code == 202, started.text
        task_id = uuid.UUID(started.json()["task_id"])

        async def waiting_in_the_middle() -> bool:
            task = await task_of(engine, task_id)
            return task.status == TaskStatus.RUNNING.value and await lock_waiters(engine) > 0

        await eventually(waiting_in_the_middle, "the task waiting for the stock")
        killed_at = workers.kill(first)  # while it waits for the stock
        release.set()
    await asyncio.to_thread(wait_for_redelivery, killed_at)
    second = workers.start()

    async def succeeded() -> bool:
        return bool((await task_of(engine, task_id)).status == TaskStatus.SUCCESS.value)

    await eventually(succeeded, "the task run again")
    task = await task_of(engine, task_id)
    assert task.result["total_weight_kg"] == "6.000", task.result
    job = await job_of(engine, WEIGHT_TASK, task_id=str(task_id))
    assert await runs_of(engine, job.id) == 1
    publish_job(job.id, job.task_name, job.kwargs)
    await wait_for_log(second, f"Job {job.id} has run already")
    assert await task_of(engine, task_id) == task  # finished once: the same record
