"""Helpers of the fault tests: real API server processes (on the private servers of
`tests.fixtures.restartable`), and waiting for events."""

import asyncio
import time
from collections.abc import Awaitable, Callable, Iterator

import httpx
import pytest

from tests.fixtures.api_server import ApiServer, start_uvicorn, stop
from tests.fixtures.app import DEFAULT_PASSWORD

# Waiting for something to happen (a server to answer, a job to run): generous, for a loaded
# machine; a test that gets its event sooner goes on at once.
EVENT_TIMEOUT_SECONDS = 60


StartApi = Callable[..., ApiServer]


@pytest.fixture(scope="module")
def start_api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StartApi]:
    """Starts an API server process with the environment plus the given settings (e.g. a
    private server's URL); every one started is stopped after the module."""
    processes = []

    def start(**env: str) -> ApiServer:
        log = tmp_path_factory.mktemp("api") / "uvicorn.log"
        process, port = start_uvicorn(log, env=env)
        processes.append(process)
        return ApiServer(url=f"http://127.0.0.1:{port}", port=port, log=log)

    try:
        yield start
    finally:
        for process in processes:
            stop(process)


def wait_until(
    condition: Callable[[], bool], what: str, timeout: float = EVENT_TIMEOUT_SECONDS
) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"{what}: not within {timeout} s"
        time.sleep(0.1)


async def eventually(condition: Callable[[], Awaitable[bool]], what: str) -> None:
    """`wait_until` for a condition that has to be awaited."""
    try:
        async with asyncio.timeout(EVENT_TIMEOUT_SECONDS):
            while True:
                if await condition():
                    return
                await asyncio.sleep(0.1)
    except TimeoutError:
        raise AssertionError(f"{what}: not within {EVENT_TIMEOUT_SECONDS} s") from None


def login(client: httpx.Client, email: str) -> httpx.Response:
    return client.post("/api/v1/auth/login", data={"username": email, "password": DEFAULT_PASSWORD})
