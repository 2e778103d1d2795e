"""Fixtures of the operations tests: committed accounts, a real uvicorn of the app."""

import os
import subprocess
import sys
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from app.accounts.models import Role, User
from app.core.config import PROJECT_ROOT
from app.core.embedded import free_port
from app.core.processes import die_with_parent
from app.core.security import hash_password
from tests.fixtures.app import DEFAULT_PASSWORD, live_email

START_TIMEOUT_SECONDS = 60

CommittedUser = Callable[[Role], Awaitable[User]]


@pytest.fixture
async def committed_user(live_client: httpx.AsyncClient, engine: AsyncEngine) -> CommittedUser:
    """Committed accounts (password DEFAULT_PASSWORD), deleted after the test by
    `live_client` (they have `live_email()` addresses)."""

    async def make(role: Role) -> User:
        user = User(
            id=uuid.uuid4(),
            email=live_email(role.value),
            hashed_password=await hash_password(DEFAULT_PASSWORD),
            role=role.value,
            is_active=True,
            is_verified=True,
        )
        async with AsyncSession(engine, expire_on_commit=False) as session:
            session.add(user)
            await session.commit()
        return user

    return make


@dataclass(frozen=True)
class ApiServer:
    """A uvicorn of the app on a free loopback port, logging JSON to `log`."""

    url: str
    port: int
    log: Path

    def log_lines(self) -> list[str]:
        return self.log.read_text(errors="replace").splitlines()


def start_uvicorn(
    log: Path,
    *,
    app: str = "app.main:create_app",
    extra: list[str] | None = None,
    env: dict[str, str] | None = None,
) -> tuple[subprocess.Popen[bytes], int]:
    port = free_port()
    argv = [sys.executable, "-m", "uvicorn", app, "--factory", "--host", "127.0.0.1"]
    argv += ["--port", str(port), "--proxy-headers", "--forwarded-allow-ips", "127.0.0.1"]
    process = subprocess.Popen(
        [*argv, *(extra or [])],
        env={**os.environ, "LOG_FORMAT": "json", **(env or {})},
        cwd=PROJECT_ROOT,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
        preexec_fn=die_with_parent,
    )
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while True:
        assert process.poll() is None, log.read_text()
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health", timeout=2).status_code == 200:
                return process, port
        except httpx.HTTPError:
            pass
        assert time.monotonic() < deadline, log.read_text()
        time.sleep(0.2)


def stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@pytest.fixture(scope="module")
def api_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ApiServer]:
    log = tmp_path_factory.mktemp("api") / "uvicorn.log"
    process, port = start_uvicorn(log)
    try:
        yield ApiServer(url=f"http://127.0.0.1:{port}", port=port, log=log)
    finally:
        stop(process)


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(timeout=10) as client:
        yield client
