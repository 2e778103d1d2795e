"""Helpers of the fault tests: real API server processes (on the private servers of
`tests.fixtures.restartable`)."""

from collections.abc import Callable, Iterator

import httpx
import pytest

from tests.fixtures.api_server import ApiServer, start_uvicorn, stop
from tests.fixtures.app import DEFAULT_PASSWORD

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


def login(client: httpx.Client, email: str) -> httpx.Response:
    return client.post("/api/v1/auth/login", data={"username": email, "password": DEFAULT_PASSWORD})
