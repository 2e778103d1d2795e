"""The request transaction: commit once, then after-commit work; nothing after a rollback."""

import pytest
from fastapi import FastAPI
from httpx import AsyncClient
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from app.accounts.exceptions import RefreshTokenReused
from app.catalog.models import Product
from app.core.db import after_commit, create_sessionmaker, finish_session, run_callbacks
from app.core.errors import Conflict
from tests.fixtures.app import assert_error
from tests.fixtures.catalog import ProductFactory


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


async def test_requests_in_tests_run_the_apps_own_session_in_the_tests_transaction(
    app: FastAPI,
    client: AsyncClient,
    session: AsyncSession,
    staff_headers: dict[str, str],
    make_product: ProductFactory,
) -> None:
    """No stand-in for get_session: a request's commit stays in the test's transaction, and a
    failed request undoes its own writes only, not what the test made before it."""
    assert not app.dependency_overrides
    first = await make_product()
    second = await make_product()
    url = f"/api/v1/products/{second.id}"

    renamed = await client.patch(url, json={"name": "Renamed"}, headers=staff_headers)
    assert renamed.status_code == 200, renamed.text
    # The request wrote through a session of its own: the test's copy is read afresh.
    await session.refresh(second)
    assert second.name == "Renamed"

    # Refused for the taken SKU: nothing of that request stays, all the test made does.
    taken = {"name": "Lost", "sku": first.sku}
    assert_error(await client.patch(url, json=taken, headers=staff_headers), 409, "sku_taken")
    rows = await session.execute(
        select(Product.id, Product.name).where(Product.id.in_([first.id, second.id]))
    )
    assert dict(rows.all()) == {first.id: first.name, second.id: "Renamed"}
