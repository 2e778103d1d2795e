"""The request transaction: commit once, then after-commit work; nothing after a rollback."""

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from app.accounts.exceptions import RefreshTokenReused
from app.core.db import after_commit, create_sessionmaker, finish_session, run_callbacks
from app.core.errors import Conflict


async def _run(engine: AsyncEngine, error: BaseException | None) -> tuple[list[str], bool]:
    """Insert a row and register a callback, finish with `error`; what ran, and did it stay?"""
    ran: list[str] = []

    async def callback() -> None:
        ran.append("sent")

    async with engine.begin() as connection:
        await connection.execute(text("CREATE TABLE IF NOT EXISTS db_probe (note text)"))
    async with create_sessionmaker(engine)() as session:
        await session.execute(text("INSERT INTO db_probe VALUES ('x')"))
        after_commit(session, callback)
        await run_callbacks(await finish_session(session, error))
    async with engine.begin() as connection:
        kept = bool(await connection.scalar(text("SELECT count(*) FROM db_probe")))
        await connection.execute(text("DROP TABLE db_probe"))
    return ran, kept


async def test_after_commit_work_runs_after_a_commit(engine: AsyncEngine) -> None:
    assert await _run(engine, None) == (["sent"], True)


@pytest.mark.parametrize("error", [Conflict(), ValueError("boom")])
async def test_nothing_is_kept_or_sent_after_an_error(
    engine: AsyncEngine, error: BaseException
) -> None:
    assert await _run(engine, error) == ([], False)


async def test_an_error_that_must_keep_its_writes_commits(engine: AsyncEngine) -> None:
    assert await _run(engine, RefreshTokenReused()) == (["sent"], True)
