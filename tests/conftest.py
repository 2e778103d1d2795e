"""Test session: real PostgreSQL (migrated by Alembic) and Redis; each test rolled back.

The servers are chosen and the environment set when this file is imported, before any app
module reads its settings: TEST_DATABASE_URL / TEST_REDIS_URL when set, else embedded ones.
"""

import os

import pytest

from tests.servers import TestServers

servers = TestServers(
    database_server_url=os.environ.get("TEST_DATABASE_URL") or None,
    redis_url=os.environ.get("TEST_REDIS_URL") or None,
)
servers.start()
# Every process of the test run (the app, Celery workers, the CLI) reads these.
os.environ.update(
    ENV="test",
    DATABASE_URL=servers.fresh_database("onlineshop_test"),
    REDIS_URL=servers.redis_url or "",
    VAR_DIR=str(servers.work_dir / "var"),
    SECRET_KEY="test-secret-key-that-is-long-enough-for-hs256",
    FRONTEND_URL="http://shop.example.com",
    # Whether frontend/dist happens to be built must not change what the app serves at /.
    STOREFRONT_DIST=str(servers.work_dir / "no-storefront"),
    SMTP_HOST="",
    # Redis is shared with whatever else runs there (another test run, say): keep apart.
    REDIS_KEY_PREFIX=f"test-{os.getpid()}",
)
for name in ("FIRST_ADMIN_EMAIL", "FIRST_ADMIN_PASSWORD", "CORS_ORIGINS"):
    os.environ.pop(name, None)

pytest_plugins = [
    "tests.fixtures.app",
    "tests.fixtures.catalog",
    "tests.fixtures.inventory",
    "tests.fixtures.mail",
    "tests.fixtures.orders",
    "tests.fixtures.restartable",
]


def pytest_configure(config: pytest.Config) -> None:
    from app.core.migrations import upgrade_to_head

    upgrade_to_head(os.environ["DATABASE_URL"])


def pytest_unconfigure(config: pytest.Config) -> None:
    servers.stop()
