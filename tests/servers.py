"""PostgreSQL and Redis for the test session: the machine's own when TEST_DATABASE_URL /
TEST_REDIS_URL name them, else embedded ones started here and stopped at the end."""

import asyncio
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import asyncpg

from app.core.config import to_asyncpg_url
from app.core.embedded import EmbeddedPostgres, EmbeddedRedis


def database_url(server_url: str, name: str) -> str:
    """The URL of database `name` on the server that `server_url` points at."""
    base, _, query = to_asyncpg_url(server_url).partition("?")
    prefix = base.rsplit("/", 1)[0]
    return f"{prefix}/{name}" + (f"?{query}" if query else "")


def _plain(url: str) -> str:
    return url.replace("postgresql+asyncpg://", "postgresql://", 1)


async def _recreate(server_url: str, name: str, *, create: bool = True) -> None:
    connection = await asyncpg.connect(_plain(database_url(server_url, "postgres")))
    try:
        await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if create:
            await connection.execute(f'CREATE DATABASE "{name}"')
    finally:
        await connection.close()


@dataclass
class TestServers:
    database_server_url: str | None
    redis_url: str | None
    work_dir: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="onlineshop-")))
    _postgres: EmbeddedPostgres | None = None
    _redis: EmbeddedRedis | None = None
    _databases: list[str] = field(default_factory=list)

    def start(self) -> None:
        if self.database_server_url is None:
            self._postgres = EmbeddedPostgres(self.work_dir / "postgres")
            self._postgres.start()
            self.database_server_url = self._postgres.url("postgres")
        if self.redis_url is None:
            self._redis = EmbeddedRedis(self.work_dir / "redis")
            self._redis.start()
            self.redis_url = self._redis.url

    def fresh_database(self, name: str) -> str:
        """An empty database for this run; named per process, so that two test runs on one
        server never drop each other's databases. Dropped again by `stop()`."""
        assert self.database_server_url is not None
        unique = f"{name}_{os.getpid()}"
        asyncio.run(_recreate(self.database_server_url, unique))
        self._databases.append(unique)
        return database_url(self.database_server_url, unique)

    def migrated_database(self, name: str) -> str:
        """A `fresh_database` with the schema at the head migration."""
        from app.core.migrations import upgrade_to_head

        url = self.fresh_database(name)
        upgrade_to_head(url)
        return url

    def stop(self) -> None:
        if self._postgres is None and self.database_server_url is not None:
            for name in self._databases:
                asyncio.run(_recreate(self.database_server_url, name, create=False))
        if self._redis is not None:
            self._redis.stop()
        if self._postgres is not None:
            self._postgres.stop()
        shutil.rmtree(self.work_dir, ignore_errors=True)
