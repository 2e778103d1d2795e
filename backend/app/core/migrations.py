"""Alembic, called from code: the launcher, the CLI and the tests build the schema this way."""

from alembic import command
from alembic.config import Config

from app.core.config import PROJECT_ROOT


def alembic_config(database_url: str) -> Config:
    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.attributes["database_url"] = database_url
    # The caller's logging is configured already; alembic's fileConfig would replace it.
    config.attributes["configure_logger"] = False
    return config


def upgrade_to_head(database_url: str) -> None:
    """`alembic upgrade head`. alembic/env.py runs its own event loop: call from sync code."""
    command.upgrade(alembic_config(database_url), "head")
