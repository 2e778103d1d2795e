"""The schema comes from Alembic alone, and the migrations agree with the models both ways."""

import asyncio

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from app.core.migrations import alembic_config
from app.models import metadata
from tests.conftest import servers


async def test_models_and_migrations_agree(engine: AsyncEngine) -> None:
    async with engine.connect() as connection:
        diff = await connection.run_sync(
            lambda sync: compare_metadata(
                MigrationContext.configure(sync, opts={"compare_type": True}), metadata
            )
        )
    assert diff == [], f"models and migrations disagree; add a migration: {diff}"


async def test_every_constraint_is_named_by_the_convention(engine: AsyncEngine) -> None:
    async with engine.connect() as connection:
        names = await connection.scalars(
            text(
                "SELECT conname FROM pg_constraint c JOIN pg_namespace n "
                "ON n.oid = c.connamespace WHERE n.nspname = 'public' "
                "AND c.contype IN ('p', 'f', 'u', 'c') "
                "AND c.conrelid <> 'alembic_version'::regclass"
            )
        )
        unnamed = [name for name in names if name.split("_")[0] not in {"pk", "fk", "uq", "ck"}]
    assert unnamed == []


def _tables(url: str) -> set[str]:
    async def read() -> set[str]:
        engine = create_async_engine(url)
        async with engine.connect() as connection:
            names = await connection.run_sync(lambda sync: inspect(sync).get_table_names())
        await engine.dispose()
        return set(names)

    return asyncio.run(read())


def test_downgrade_to_base_and_upgrade_again() -> None:
    url = servers.fresh_database("onlineshop_test_migrations")
    config = alembic_config(url)
    command.upgrade(config, "head")
    assert set(metadata.tables) <= _tables(url)
    command.downgrade(config, "base")
    assert _tables(url) == {"alembic_version"}
    command.upgrade(config, "head")
    assert set(metadata.tables) <= _tables(url)
