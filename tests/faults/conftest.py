"""Fixtures of the fault tests: private PostgreSQL and Redis servers that a test may stop and
start again (never the machine's own), and a real API server process on them."""

import asyncio
import shutil
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine
from sqlalchemy.pool import NullPool

from app.accounts.models import Role, User
from app.core.embedded import EmbeddedPostgres
from app.core.migrations import upgrade_to_head
from app.core.security import hash_password
from tests.fixtures.api_server import ApiServer, start_uvicorn, stop
from tests.fixtures.app import DEFAULT_PASSWORD, unique_email

# Waiting for something to happen (a server to answer, a job to run): generous, for a loaded
# machine; a test that gets its event sooner goes on at once.
EVENT_TIMEOUT_SECONDS = 60


class RestartablePostgres(EmbeddedPostgres):
    """An embedded PostgreSQL of the test's own, with one migrated database, `url`.

    `stop()` and `start()` again keep the data and the address (a unix socket under the data
    folder), as a restarted production server would."""

    def __init__(self, data_dir: Path, database: str = "shop") -> None:
        super().__init__(data_dir)
        self.database = database

    def start(self) -> None:
        super().start()  # pg_ctl start -w: it accepts connections once this returns

    def stop(self) -> None:
        super().stop()
        # EmbeddedPostgres.stop() only logs a failed pg_ctl; here a server still up would
        # make the test pass for the wrong reason.
        assert not (self.data_dir / "postmaster.pid").exists(), "PostgreSQL did not stop"

    def create(self) -> None:
        self.start()
        self.create_database(self.database)
        upgrade_to_head(self.url(self.database))

    @property
    def database_url(self) -> str:
        return self.url(self.database)

    def add_user(self, role: Role = Role.CUSTOMER) -> str:
        """A committed, verified account (password DEFAULT_PASSWORD); its e-mail address."""
        email = unique_email(f"fault-{role.value}")

        async def insert() -> None:
            engine = create_async_engine(self.database_url, poolclass=NullPool)
            try:
                async with AsyncSession(engine) as session:
                    session.add(
                        User(
                            id=uuid.uuid4(),
                            email=email,
                            hashed_password=await hash_password(DEFAULT_PASSWORD),
                            role=role.value,
                            is_active=True,
                            is_verified=True,
                        )
                    )
                    await session.commit()
            finally:
                await engine.dispose()

        asyncio.run(insert())
        return email


@pytest.fixture(scope="module")
def private_postgres() -> Iterator[RestartablePostgres]:
    # Not under pytest's temporary folder: a pytest run of another user of the machine may make
    # it private again (0700) while the server runs as its own system user (under root).
    folder = Path(tempfile.mkdtemp(prefix="onlineshop-faults-"))
    server = RestartablePostgres(folder / "postgres")
    server.create()
    try:
        yield server
    finally:
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)


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
