"""Redis restarted while the shop serves: the catalog answers throughout, the rate-limited
endpoints refuse with 503 (fail closed) until Redis is back, the live stock sockets come back
(the client reconnects, as the storefront's does), and a job enqueued during the outage runs
once Redis is back (the outbox relay publishes it)."""

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from celery import Celery
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed, InvalidStatus

from app.core.celery_config import build_celery
from app.core.config import Settings
from app.inventory.live import CLOSE_TRY_AGAIN_LATER
from tests.faults.conftest import StartApi
from tests.fixtures.api_server import ApiServer
from tests.fixtures.app import live_email
from tests.fixtures.inventory import LiveInventory
from tests.fixtures.mail import CeleryWorker, own_queue, running_celery_worker
from tests.fixtures.restartable import RestartableRedis
from tests.fixtures.waiting import EVENT_TIMEOUT_SECONDS, eventually

REQUEST_TIMEOUT_SECONDS = 10
ROUNDS_DURING_OUTAGE = 3
# The storefront's first reconnection delay (useLiveStock.ts).
RECONNECT_SECONDS = 1.0


@dataclass
class LiveSocket:
    """The live stock socket of one warehouse, kept open as the storefront does: on a close it
    reconnects after a second and signs in again; every report lands in `reports`."""

    url: str
    token: str
    reports: asyncio.Queue[dict[str, Any]] = field(default_factory=asyncio.Queue)
    closes: list[int | None] = field(default_factory=list)

    async def run(self) -> None:
        while True:
            with contextlib.suppress(OSError, ConnectionClosed, InvalidStatus):
                async with connect(self.url, open_timeout=REQUEST_TIMEOUT_SECONDS) as socket:
                    await socket.send(json.dumps({"token": self.token}))
                    try:
                        async for message in socket:
                            await self.reports.put(json.loads(message))
                    finally:
                        self.closes.append(socket.close_code)
            await asyncio.sleep(RECONNECT_SECONDS)

    async def report_with(self, item_id: str, quantity: int) -> None:
        """Until a report shows `quantity` of `item_id` (earlier reports are skipped)."""
        wanted = {"item_id": item_id, "quantity": quantity}
        async with asyncio.timeout(EVENT_TIMEOUT_SECONDS):
            while wanted not in (await self.reports.get())["store"]["report"]:
                pass


@contextlib.asynccontextmanager
async def live_socket(url: str, token: str) -> AsyncIterator[LiveSocket]:
    socket = LiveSocket(url, token)
    task = asyncio.create_task(socket.run())
    try:
        yield socket
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


@dataclass(frozen=True)
class Shop:
    api: ApiServer
    worker: CeleryWorker


@pytest.fixture
def private_broker(restartable_redis: RestartableRedis) -> Iterator[Celery]:
    """A Celery app on the private Redis (to ping the worker that uses it)."""
    app = build_celery(Settings(REDIS_URL=restartable_redis.url), set_as_current=False)
    yield app
    app.close()


@pytest.fixture
def shop(
    restartable_redis: RestartableRedis,
    private_broker: Celery,
    start_api: StartApi,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Shop]:
    """The API and a worker (its outbox relay polling often), both on the private Redis."""
    with own_queue() as queue:
        settings = {
            "REDIS_URL": restartable_redis.url,
            "CELERY_TASK_DEFAULT_QUEUE": queue,
            "OUTBOX_POLL_SECONDS": "0.5",
            "OUTBOX_GRACE_SECONDS": "1",
            "OUTBOX_RETRY_MAX_SECONDS": "2",
        }
        api = start_api(**settings)
        with running_celery_worker(
            tmp_path_factory.mktemp("redis-fault-worker"),
            queue=queue,
            env=settings,
            broker=private_broker,
        ) as worker:
            yield Shop(api, worker)


async def test_redis_restart(
    shop: Shop, restartable_redis: RestartableRedis, live_inventory: LiveInventory
) -> None:
    warehouse = await live_inventory.warehouse()
    product = await live_inventory.product()
    await live_inventory.put(warehouse, product, 10)
    token = live_inventory.headers["Authorization"].removeprefix("Bearer ")
    socket_url = shop.api.url.replace("http://", "ws://") + f"/ws/stores/{warehouse.code}"
    stranger = live_email("redis-fault")

    async with (
        httpx.AsyncClient(base_url=shop.api.url, timeout=REQUEST_TIMEOUT_SECONDS) as http,
        live_socket(socket_url, token) as socket,
    ):

        async def supply(quantity: int) -> None:
            supplied = await http.post(
                f"/api/v1/stores/{warehouse.code}",
                json={"operation": "supply", "item_id": product.sku, "quantity": quantity},
                headers=live_inventory.headers,
            )
            assert supplied.status_code == 200, supplied.text

        async def rate_limited() -> dict[str, httpx.Response]:
            return {
                "login": await http.post(
                    "/api/v1/auth/login", data={"username": stranger, "password": "a" * 12}
                ),
                "register": await http.post(
                    "/api/v1/auth/register", json={"email": stranger, "password": "b" * 12}
                ),
            }

        await socket.report_with(product.sku, 10)
        restartable_redis.stop()
        outage_began = len(socket.closes)

        for _ in range(ROUNDS_DURING_OUTAGE):
            catalog = await http.get("/api/v1/products")
            assert catalog.status_code == 200, catalog.text
            product_page = await http.get(f"/api/v1/products/{product.slug}")
            assert product_page.status_code == 200, product_page.text
            for name, response in (await rate_limited()).items():
                # Fail closed: without its counters, a limit lets nobody through.
                assert response.status_code == 503, (name, response.text)
                assert response.json()["code"] == "unavailable"
                assert response.headers["Retry-After"]
            ready = await http.get("/health/ready")
            assert ready.status_code == 503
            assert ready.json()["checks"]["redis"].startswith("error"), ready.json()
        # Stock still changes (nobody is told yet), and a job is still accepted: its outbox
        # row waits for the broker.
        await supply(1)
        task = await http.post(
            f"/api/v1/warehouses/{warehouse.code}/weight-tasks", headers=live_inventory.headers
        )
        assert task.status_code == 202, task.text

        async def socket_closed() -> bool:
            return len(socket.closes) > outage_began

        await eventually(socket_closed, "the live socket closed")

        restartable_redis.start()
        # The socket (reconnected) reports the change made during the outage, then the next.
        await socket.report_with(product.sku, 11)
        await supply(5)
        await socket.report_with(product.sku, 16)
        # Closed with "try again later", never dropped (1006) or failed (1011).
        assert set(socket.closes[outage_began:]) == {CLOSE_TRY_AGAIN_LATER}, socket.closes

        answers = await rate_limited()
        assert answers["login"].status_code == 401, answers["login"].text
        assert answers["register"].status_code == 201, answers["register"].text
        assert (await http.get("/health/ready")).status_code == 200

        async def task_finished() -> bool:
            polled = await http.get(
                f"/api/v1/inventory-tasks/{task.json()['task_id']}",
                headers=live_inventory.headers,
            )
            return bool(polled.json()["status"] == "success")

        await eventually(task_finished, "the job enqueued during the outage has run")
    assert "Exception in ASGI application" not in shop.api.tail(10_000)
