"""The servers the shop talks to: configured ones, or embedded ones under VAR_DIR; and the
migrations that prepare the database."""

import contextlib
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from alembic import command

from app.core.config import Settings
from app.core.embedded import EmbeddedPostgres, EmbeddedRedis
from app.core.migrations import alembic_config, upgrade_to_head
from app.launcher.console import say

logger = logging.getLogger(__name__)

DATABASE_NAME = "onlineshop"


@dataclass(frozen=True)
class Services:
    """Where PostgreSQL and Redis answer, embedded or configured."""

    database_url: str
    redis_url: str | None

    def environment(self) -> dict[str, str]:
        """The variables the children need on top of the launcher's own environment."""
        env = {"DATABASE_URL": self.database_url}
        if self.redis_url:
            env["REDIS_URL"] = self.redis_url
        return env


@contextlib.contextmanager
def services(settings: Settings, *, redis: bool = True) -> Iterator[Services]:
    """The configured servers, or embedded ones under VAR_DIR for the settings left unset.

    Embedded servers are stopped on exit (Redis first, then PostgreSQL); their data stays.
    """
    with contextlib.ExitStack() as stack:
        database_url = settings.DATABASE_URL
        if database_url is None:
            postgres = EmbeddedPostgres(settings.VAR_DIR / "postgres")
            say(f"Starting the embedded PostgreSQL ({postgres.data_dir}) …")
            stack.callback(_stop, "PostgreSQL", postgres.stop)
            postgres.start()
            postgres.create_database(DATABASE_NAME)
            database_url = postgres.url(DATABASE_NAME)
        redis_url = settings.REDIS_URL
        if redis and redis_url is None:
            embedded_redis = EmbeddedRedis(settings.VAR_DIR / "redis")
            say(f"Starting the embedded Redis ({embedded_redis.data_dir}) …")
            stack.callback(_stop, "Redis", embedded_redis.stop)
            embedded_redis.start()
            redis_url = embedded_redis.url
        yield Services(database_url=database_url, redis_url=redis_url)


def _stop(name: str, stop: Callable[[], None]) -> None:
    say(f"Stopping the embedded {name} …")
    try:
        stop()
    except Exception:
        logger.exception("Could not stop the embedded %s", name)


def migrate(database_url: str) -> None:
    say("Applying database migrations …")
    upgrade_to_head(database_url)


def make_revision(database_url: str, message: str, *, autogenerate: bool) -> None:
    """A new migration file; the database is brought to head first so the diff is honest."""
    config = alembic_config(database_url)
    command.upgrade(config, "head")
    command.revision(config, message=message, autogenerate=autogenerate)
