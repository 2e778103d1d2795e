"""No job is lost: the transactional outbox with the broker down and after a crash, end to end.

These tests need committed data (the relay reads only committed rows), so they run on a
database of their own with an app of their own, and a private Redis as the broker that they
stop and start (`RestartableRedis`). A real worker runs the relay and the tasks, pointed at
both, and sends its e-mails to `smtp_server`. The relay's rules (backoff, grace) are checked
last, in the test's rolled-back transaction.
"""

import asyncio
import os
import subprocess
import sys
import textwrap
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from celery import Celery
from httpx import ASGITransport, AsyncClient
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, create_async_engine

from app.accounts import tokens
from app.accounts.models import Profile, Role, User
from app.cart.models import Cart, CartItem
from app.catalog.models import Category, Product
from app.core import jobs
from app.core.celery_config import build_celery
from app.core.config import PROJECT_ROOT, Settings, get_settings
from app.core.outbox import JobRun, OutboxJob, new_job, purge, relay_due_jobs
from app.inventory.models import InventoryTask, Warehouse
from app.inventory.warehouses import WEIGHT_TASK
from app.main import create_app
from app.notifications.service import SEND_EMAIL_TASK
from tests.conftest import servers
from tests.fixtures.inventory import put_stock
from tests.fixtures.mail import (
    CeleryWorker,
    SmtpServer,
    link_token,
    running_celery_worker,
    smtp_env,
)
from tests.fixtures.orders import ADDRESS, ORDERS
from tests.fixtures.restartable import RestartableRedis, running_restartable_redis
from tests.fixtures.waiting import eventually

DELIVERY_TIMEOUT_SECONDS = 90
VERIFY_CONTEXT = {"link": "http://shop.example.com/verify-email?token=t", "expires_hours": 48}


async def until(condition: Callable[[], Awaitable[bool]]) -> None:
    await eventually(condition, "the jobs' effects", within=DELIVERY_TIMEOUT_SECONDS)


@pytest.fixture(scope="module")
def database_url() -> str:
    return servers.migrated_database("onlineshop_test_outbox")


@pytest.fixture(scope="module")
async def outbox_engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_async_engine(database_url)
    yield engine
    await engine.dispose()


@pytest.fixture(scope="module")
def broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RestartableRedis]:
    with running_restartable_redis(tmp_path_factory.mktemp("broker")) as redis:
        yield redis


@pytest.fixture(scope="module")
def queue() -> str:
    return f"test-outbox-{uuid.uuid4().hex[:12]}"


@pytest.fixture(scope="module")
def publisher(broker: RestartableRedis, queue: str) -> Iterator[Celery]:
    """The app's publisher, on the private broker (its cache and rate limits stay on the
    session's Redis: only the broker goes down)."""
    private = build_celery(
        Settings(REDIS_URL=broker.url, CELERY_TASK_DEFAULT_QUEUE=queue), set_as_current=False
    )
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(jobs, "_publisher", private)
        yield private


@pytest.fixture(scope="module")
def worker(
    database_url: str,
    broker: RestartableRedis,
    queue: str,
    publisher: Celery,
    smtp_server: SmtpServer,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[CeleryWorker]:
    """A worker, and so a relay, on the private broker and this module's database."""
    env = {
        **smtp_env(smtp_server.port),
        "DATABASE_URL": database_url,
        "REDIS_URL": broker.url,
        "CELERY_TASK_DEFAULT_QUEUE": queue,
        "OUTBOX_POLL_SECONDS": "0.2",
        "OUTBOX_GRACE_SECONDS": "1",
        "OUTBOX_RETRY_MAX_SECONDS": "1",
    }
    with running_celery_worker(
        tmp_path_factory.mktemp("outbox-worker"), queue=queue, env=env, name="outbox-worker"
    ) as worker:
        yield worker


@pytest.fixture(scope="module")
async def outbox_client(database_url: str, publisher: Celery) -> AsyncIterator[AsyncClient]:
    """The app on this module's database; its requests commit."""
    app = create_app(get_settings().model_copy(update={"DATABASE_URL": database_url}))
    transport = ASGITransport(app=app, client=("203.0.113.40", 50000))
    async with (
        app.router.lifespan_context(app),
        AsyncClient(transport=transport, base_url="http://testserver") as http,
    ):
        yield http


@dataclass
class Shop:
    """Committed data of this module's database: a warehouse with a product, and people."""

    engine: AsyncEngine
    warehouse: Warehouse
    product: Product

    async def user(self, role: Role = Role.CUSTOMER) -> tuple[User, dict[str, str]]:
        user = User(
            id=uuid.uuid4(),
            email=f"{role.value}-{uuid.uuid4().hex[:10]}@example.com",
            hashed_password="!",
            role=role.value,
            is_verified=True,
            is_active=True,
        )
        async with AsyncSession(self.engine, expire_on_commit=False) as session:
            session.add(user)
            session.add(Profile(user_id=user.id, default_address=ADDRESS))
            await session.commit()
        return user, {"Authorization": f"Bearer {tokens.create_access_token(user)}"}

    async def fill_cart(self, user: User, quantity: int) -> None:
        async with AsyncSession(self.engine) as session:
            cart = Cart(id=uuid.uuid4(), user_id=user.id)
            session.add(cart)
            session.add(
                CartItem(
                    id=uuid.uuid4(), cart_id=cart.id, product_id=self.product.id, quantity=quantity
                )
            )
            await session.commit()

    async def jobs(self, *job_ids: uuid.UUID) -> list[OutboxJob]:
        async with AsyncSession(self.engine) as session:
            query = select(OutboxJob).order_by(OutboxJob.created_at)
            if job_ids:
                query = query.where(OutboxJob.id.in_(job_ids))
            return list((await session.scalars(query)).all())

    async def runs(self, job_ids: set[uuid.UUID]) -> int:
        async with AsyncSession(self.engine) as session:
            count = await session.scalar(
                select(func.count()).select_from(JobRun).where(JobRun.job_id.in_(job_ids))
            )
        return count or 0


@pytest.fixture(scope="module")
async def shop(outbox_engine: AsyncEngine) -> Shop:
    engine = outbox_engine
    code = f"WH-{uuid.uuid4().hex[:6].upper()}"
    warehouse = Warehouse(
        id=uuid.uuid4(), code=code, name=code, max_weight_kg=Decimal(1000), priority=0
    )
    category = Category(id=uuid.uuid4(), name="Lamps", slug=f"lamps-{uuid.uuid4().hex[:6]}")
    sku = f"SKU-{uuid.uuid4().hex[:8].upper()}"
    product = Product(
        id=uuid.uuid4(),
        sku=sku,
        slug=sku.lower(),
        name="Walnut desk lamp",
        description="",
        price=Decimal("39.90"),
        weight_kg=Decimal("1.500"),
        category_id=category.id,
        is_published=True,
    )
    async with AsyncSession(engine, expire_on_commit=False) as session:
        session.add_all([warehouse, category])
        await session.flush()
        session.add(product)
        await session.flush()
        await put_stock(session, warehouse, product, 100)
        await session.commit()
    return Shop(engine=engine, warehouse=warehouse, product=product)


async def test_jobs_written_while_the_broker_is_down_run_once_it_is_back(
    outbox_client: AsyncClient,
    shop: Shop,
    broker: RestartableRedis,
    worker: CeleryWorker,
    smtp_server: SmtpServer,
) -> None:
    customer, customer_headers = await shop.user()
    await shop.fill_cart(customer, 2)
    _, operator_headers = await shop.user(Role.OPERATOR)
    newcomer = f"newcomer-{uuid.uuid4().hex[:10]}@example.com"
    before = {job.id for job in await shop.jobs()}

    broker.stop()
    try:
        registered = await outbox_client.post(
            "/api/v1/auth/register",
            json={"email": newcomer, "password": "correct-horse-battery-staple"},
        )
        assert registered.status_code == 201, registered.text
        ordered = await outbox_client.post(ORDERS, json={}, headers=customer_headers)
        assert ordered.status_code == 201, ordered.text
        started = await outbox_client.post(
            f"/api/v1/warehouses/{shop.warehouse.code}/weight-tasks", headers=operator_headers
        )
        assert started.status_code == 202, started.text

        jobs_written = [job for job in await shop.jobs() if job.id not in before]
        written = {job.id for job in jobs_written}
        assert sorted(job.task_name for job in jobs_written) == sorted(
            [SEND_EMAIL_TASK, SEND_EMAIL_TASK, WEIGHT_TASK]
        )

        # The relay tries meanwhile, and fails: the jobs wait, unpublished.
        async def all_tried() -> bool:
            return all(job.attempts > 0 for job in await shop.jobs(*written))

        await until(all_tried)
        waiting = await shop.jobs(*written)
        assert all(job.sent_at is None and job.last_error for job in waiting), waiting
    finally:
        broker.start()

    async def all_sent() -> bool:
        return all(job.sent_at is not None for job in await shop.jobs(*written))

    await until(all_sent)

    welcome = smtp_server.wait_for(newcomer, timeout=DELIVERY_TIMEOUT_SECONDS)
    assert link_token(welcome, "/verify-email")
    number = ordered.json()["number"]
    smtp_server.wait_for(customer.email, subject_contains=number, timeout=DELIVERY_TIMEOUT_SECONDS)
    task_id = uuid.UUID(started.json()["task_id"])

    async def finished() -> bool:
        return await _task_status(shop.engine, task_id) not in {"pending", "running"}

    await until(finished)
    assert await _task_status(shop.engine, task_id) == "success"

    # Each job ran once, whatever the relay and the fast path published.
    async def all_ran() -> bool:
        return await shop.runs(written) == len(written)

    await until(all_ran)
    assert len(smtp_server.messages_to(newcomer)) == 1
    assert len(smtp_server.messages_to(customer.email)) == 1


async def _task_status(engine: AsyncEngine, task_id: uuid.UUID) -> str | None:
    async with AsyncSession(engine) as session:
        return await session.scalar(select(InventoryTask.status).where(InventoryTask.id == task_id))


def test_a_crash_between_the_commit_and_the_publish_loses_nothing(
    database_url: str, worker: CeleryWorker, smtp_server: SmtpServer, tmp_path: Path
) -> None:
    """A process commits an e-mail's job and dies before its after-commit publish: the
    worker's relay publishes it."""
    to = f"crash-{uuid.uuid4().hex[:10]}@example.com"
    code = f"""
        import asyncio, os

        from app.core.config import get_settings
        from app.core.db import create_engine, create_sessionmaker, finish_session
        from app.notifications.service import send_email

        async def main():
            settings = get_settings()
            async with create_sessionmaker(create_engine(settings, pooled=False))() as session:
                send_email(session, to={to!r}, template="verify_email", context={VERIFY_CONTEXT!r})
                await finish_session(session, None)  # committed; the callbacks never run
            os._exit(0)  # the crash

        asyncio.run(main())
    """
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        cwd=PROJECT_ROOT,
        env={**os.environ, "DATABASE_URL": database_url},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr

    message = smtp_server.wait_for(to, timeout=DELIVERY_TIMEOUT_SECONDS)
    assert link_token(message, "/verify-email") == "t"
    assert "Outbox relay published" in worker.tail(400)


async def test_a_job_published_twice_sends_one_email(
    shop: Shop, worker: CeleryWorker, smtp_server: SmtpServer
) -> None:
    to = f"twice-{uuid.uuid4().hex[:10]}@example.com"
    job_id = uuid.uuid4()
    kwargs: dict[str, Any] = {"to": to, "template": "verify_email", "context": VERIFY_CONTEXT}

    await asyncio.to_thread(jobs.publish_job, job_id, SEND_EMAIL_TASK, kwargs)
    smtp_server.wait_for(to, timeout=DELIVERY_TIMEOUT_SECONDS)
    await asyncio.to_thread(jobs.publish_job, job_id, SEND_EMAIL_TASK, kwargs)

    skipped = f"Job {job_id} has run already: skipped"

    async def seen_again() -> bool:
        return skipped in worker.tail(400)

    await until(seen_again)
    assert len(smtp_server.messages_to(to)) == 1
    assert await shop.runs({job_id}) == 1


# --- the relay's rules, in the test's rolled-back transaction --------------------------------


async def test_the_relay_backs_off_while_the_broker_is_down_then_publishes(
    session: AsyncSession,
) -> None:
    settings = Settings(OUTBOX_GRACE_SECONDS=10, OUTBOX_RETRY_MAX_SECONDS=4)
    now = await session.scalar(select(func.now()))  # the transaction's: constant in this test
    assert now is not None
    first, second = (new_job(session, "tests.task", {"n": n}) for n in (1, 2))
    for job in (first, second):
        job.created_at = job.available_at = now - timedelta(minutes=1)
    young = new_job(session, "tests.task", {"n": 3})  # within the grace: the fast path's
    await session.flush()
    tried: list[uuid.UUID] = []

    def broker_down(job_id: uuid.UUID, task_name: str, kwargs: dict[str, Any]) -> None:
        tried.append(job_id)
        raise ConnectionError("broker down")

    for attempts, delay in ((1, 1), (2, 2), (3, 4), (4, 4)):
        assert await relay_due_jobs(session, settings, broker_down) == 0
        await session.flush()
        # The first error holds back the whole batch: the broker is down for all.
        for job in (first, second):
            assert job.attempts == attempts
            assert job.available_at == now + timedelta(seconds=delay)
            assert job.last_error == "ConnectionError: broker down"
            assert job.sent_at is None
        assert await relay_due_jobs(session, settings, broker_down) == 0, "not due yet"
        first.available_at = second.available_at = now  # time passes
    assert young.id not in tried
    assert len(tried) == 4

    published: list[tuple[uuid.UUID, str, dict[str, Any]]] = []

    def broker_up(job_id: uuid.UUID, task_name: str, kwargs: dict[str, Any]) -> None:
        published.append((job_id, task_name, kwargs))

    assert await relay_due_jobs(session, settings, broker_up) == 2
    assert sorted(published, key=lambda call: call[2]["n"]) == [
        (first.id, "tests.task", {"n": 1}),
        (second.id, "tests.task", {"n": 2}),
    ]
    await session.flush()
    assert first.sent_at == second.sent_at == now
    assert young.sent_at is None
    assert await relay_due_jobs(session, settings, broker_up) == 0, "sent jobs stay sent"


async def test_published_jobs_and_runs_are_purged_after_the_keep_days(
    session: AsyncSession,
) -> None:
    settings = Settings(OUTBOX_KEEP_DAYS=7)
    now = await session.scalar(select(func.now()))
    assert now is not None
    old, recent, unsent = (new_job(session, "tests.task", {}) for _ in range(3))
    old.sent_at = now - timedelta(days=8)
    recent.sent_at = now - timedelta(days=6)
    unsent.created_at = unsent.available_at = now - timedelta(days=30)
    old_run = JobRun(job_id=uuid.uuid4(), finished_at=now - timedelta(days=8))
    recent_run = JobRun(job_id=uuid.uuid4(), finished_at=now - timedelta(days=6))
    session.add_all([old_run, recent_run])
    await session.flush()

    await purge(session, settings)

    ids = {old.id, recent.id, unsent.id}
    left = await session.scalars(select(OutboxJob.id).where(OutboxJob.id.in_(ids)))
    assert set(left) == {recent.id, unsent.id}
    runs = {old_run.job_id, recent_run.job_id}
    assert set(await session.scalars(select(JobRun.job_id).where(JobRun.job_id.in_(runs)))) == {
        recent_run.job_id
    }
