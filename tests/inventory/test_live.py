"""Live stock over websockets, across two real API processes sharing PostgreSQL and Redis:
a change made through one reaches a socket held by the other."""

import asyncio
import json
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from app.accounts.models import Role, User
from app.accounts.tokens import ACCESS_PURPOSE, create_access_token, password_fingerprint
from app.core.embedded import free_port
from app.core.processes import die_with_parent
from app.core.security import create_signed_token
from tests.fixtures.app import live_email
from tests.fixtures.inventory import LiveInventory

START_TIMEOUT_SECONDS = 60
MESSAGE_TIMEOUT_SECONDS = 15


@pytest.fixture(scope="module")
def api_urls(tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[str]]:
    """Two uvicorn processes of the app, as behind a load balancer."""
    logs = tmp_path_factory.mktemp("api-processes")
    processes: list[tuple[subprocess.Popen[bytes], Path]] = []
    urls = []
    for index in range(2):
        port = free_port()
        log = logs / f"api-{index}.log"
        argv = [sys.executable, "-m", "uvicorn", "app.main:create_app", "--factory"]
        process = subprocess.Popen(
            [*argv, "--host", "127.0.0.1", "--port", str(port)],
            env=dict(os.environ),
            stdout=log.open("wb"),
            stderr=subprocess.STDOUT,
            preexec_fn=die_with_parent,
        )
        processes.append((process, log))
        urls.append(f"127.0.0.1:{port}")
    try:
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        for (process, log), url in zip(processes, urls, strict=True):
            while True:
                assert process.poll() is None, log.read_text()
                try:
                    if httpx.get(f"http://{url}/health/ready", timeout=2).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                assert time.monotonic() < deadline, log.read_text()
                time.sleep(0.2)
        yield urls
    finally:
        for process, _ in processes:
            process.terminate()
        for process, _ in processes:
            process.wait(timeout=15)


def socket_url(api: str, store: str, token: str | None = None) -> str:
    """The socket's address; with `token`, in the older form that carries it in the query."""
    query = f"?token={token}" if token is not None else ""
    return f"ws://{api}/ws/stores/{store}{query}"


async def sign_in(socket: ClientConnection, token: str) -> None:
    await socket.send(json.dumps({"token": token}))


async def next_report(socket: ClientConnection) -> dict[str, Any]:
    message = await asyncio.wait_for(socket.recv(), MESSAGE_TIMEOUT_SECONDS)
    report: dict[str, Any] = json.loads(message)
    return report


async def close_code(url: str, first_message: str | None = None) -> int:
    async with connect(url) as socket:
        if first_message is not None:
            await socket.send(first_message)
        with pytest.raises(ConnectionClosed) as closed:
            await next_report(socket)
    assert closed.value.rcvd is not None
    return closed.value.rcvd.code


async def test_a_change_through_one_process_reaches_a_socket_on_the_other(
    api_urls: list[str], live_inventory: LiveInventory
) -> None:
    first, second = api_urls
    warehouse = await live_inventory.warehouse()
    product = await live_inventory.product()
    token = live_inventory.headers["Authorization"].removeprefix("Bearer ")

    # The socket answers under the store_id as written in its path, like the stock API.
    store_id = warehouse.code.lower()
    async with (
        connect(socket_url(first, store_id)) as socket,
        httpx.AsyncClient(headers=live_inventory.headers, timeout=10) as http,
    ):
        await sign_in(socket, token)
        assert await next_report(socket) == {"store": {"store_id": store_id, "report": []}}

        supplied = await http.post(
            f"http://{second}/api/v1/stores/{warehouse.code}",
            json={"operation": "supply", "item_id": product.sku, "quantity": 7},
        )
        assert supplied.status_code == 200, supplied.text
        update = await next_report(socket)
        assert update["store"] == {
            "store_id": store_id,
            "report": [{"item_id": product.sku, "quantity": 7}],
        }

        demanded = await http.post(
            f"http://{first}/api/v1/stores/{warehouse.code}",
            json={"operation": "demand", "item_id": product.sku, "quantity": 2},
        )
        assert demanded.status_code == 200, demanded.text
        update = await next_report(socket)
        assert update["store"]["report"] == [{"item_id": product.sku, "quantity": 5}]

        # A refused operation changed nothing, so nothing is sent.
        refused = await http.post(
            f"http://{second}/api/v1/stores/{warehouse.code}",
            json={"operation": "demand", "item_id": product.sku, "quantity": 50},
        )
        assert refused.status_code == 409
        with pytest.raises(TimeoutError):
            await asyncio.wait_for(socket.recv(), 2)


async def test_sockets_without_the_right_to_watch_are_closed_with_a_code(
    api_urls: list[str], live_inventory: LiveInventory
) -> None:
    api = api_urls[0]
    warehouse = await live_inventory.warehouse()
    token = live_inventory.headers["Authorization"].removeprefix("Bearer ")
    customer = User(
        id=uuid.uuid4(),
        email=live_email("customer"),
        hashed_password="!",
        role=Role.CUSTOMER.value,
        is_verified=True,
    )
    async with AsyncSession(live_inventory.engine, expire_on_commit=False) as session:
        session.add(customer)
        await session.commit()

    url = socket_url(api, warehouse.code)
    assert await close_code(url) == 4401  # silent past AUTH_TIMEOUT_SECONDS
    assert await close_code(url, "not json") == 4401
    assert await close_code(url, json.dumps({"token": None})) == 4401
    assert await close_code(url, json.dumps({"token": "not-a-token"})) == 4401
    assert await close_code(url, json.dumps({"token": create_access_token(customer)})) == 4403
    assert await close_code(socket_url(api, "NO-SUCH-STORE"), json.dumps({"token": token})) == 4404
    # The older form, the token in the query, is checked alike.
    assert await close_code(socket_url(api, warehouse.code, "not-a-token")) == 4401
    assert await close_code(socket_url(api, warehouse.code, create_access_token(customer))) == 4403
    assert await close_code(socket_url(api, "NO-SUCH-STORE", token)) == 4404


async def test_the_token_in_the_query_still_opens_a_socket(
    api_urls: list[str], live_inventory: LiveInventory
) -> None:
    warehouse = await live_inventory.warehouse()
    token = live_inventory.headers["Authorization"].removeprefix("Bearer ")
    async with connect(socket_url(api_urls[0], warehouse.code, token)) as socket:
        assert await next_report(socket) == {"store": {"store_id": warehouse.code, "report": []}}


async def test_a_socket_closes_when_its_token_expires(
    api_urls: list[str], live_inventory: LiveInventory
) -> None:
    warehouse = await live_inventory.warehouse()
    operator = live_inventory.operator
    short_lived = create_signed_token(
        operator.id, ACCESS_PURPOSE, timedelta(seconds=2), pwd=password_fingerprint(operator)
    )
    async with connect(socket_url(api_urls[0], warehouse.code)) as socket:
        await sign_in(socket, short_lived)
        assert await next_report(socket) == {"store": {"store_id": warehouse.code, "report": []}}
        with pytest.raises(ConnectionClosed) as closed:
            await next_report(socket)
    assert closed.value.rcvd is not None
    assert closed.value.rcvd.code == 4401


async def test_a_store_code_the_database_cannot_read_is_an_unknown_store(
    api_urls: list[str], live_inventory: LiveInventory
) -> None:
    token = live_inventory.headers["Authorization"].removeprefix("Bearer ")
    url = socket_url(api_urls[0], "BAD%00CODE")
    assert await close_code(url, json.dumps({"token": token})) == 4404
