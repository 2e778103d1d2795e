"""API_DOCS: Swagger UI, ReDoc and the OpenAPI document for anybody (public), for operators
and admins only (staff: bearer token or admin panel login; others get the 404 of a path that
does not exist), or for nobody (off); `onlineshop openapi` prints the document in every mode."""

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession
from typer.testing import CliRunner

from app.accounts import tokens
from app.accounts.models import Role, User
from app.cli import cli
from app.core.config import Environment, Settings, get_settings
from app.main import create_app
from tests.fixtures.app import assert_error
from tests.ops.conftest import CommittedUser, login

MODES = ("public", "staff", "off")
PATHS = ("/api/openapi.json", "/api/docs", "/api/redoc")
STRONG_SECRET = "a-real-secret-value-of-forty-characters!"


@asynccontextmanager
async def browser_of(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    """A cookie-keeping HTTPS client of a new app with these settings."""
    app = create_app(settings)
    transport = httpx.ASGITransport(app=app, client=("192.0.2.40", 50000))
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=transport, base_url="https://testserver") as client,
    ):
        yield client


def with_docs(mode: str | None, **overrides: object) -> Settings:
    """The test run's settings with this API_DOCS, validated as the environment's would be."""
    # LOG_FORMAT fixed: ENV=production must not switch the test run's logging to JSON.
    values = {**dict(get_settings()), "API_DOCS": mode, "LOG_FORMAT": "text", **overrides}
    return Settings(_env_file=None, **values)


def public_document() -> dict[str, Any]:
    return create_app(with_docs("public")).openapi()


async def bearer(engine: AsyncEngine, user: User) -> dict[str, str]:
    async with AsyncSession(engine) as session:
        pair, _ = await tokens.issue_token_pair(session, user)
        await session.commit()
    return {"Authorization": f"Bearer {pair.access_token}"}


async def assert_hidden(client: httpx.AsyncClient, headers: dict[str, str] | None = None) -> None:
    """Each path answers what a path no route claims answers."""
    nowhere = await client.get("/api/nothing-here", headers=headers)
    for path in PATHS:
        response = await client.get(path, headers=headers)
        assert_error(response, 404, "not_found")
        assert response.json() == nowhere.json(), path


async def assert_served(client: httpx.AsyncClient, headers: dict[str, str] | None = None) -> None:
    document = await client.get("/api/openapi.json", headers=headers)
    assert document.status_code == 200, document.text
    assert "/api/v1/orders" in document.json()["paths"]
    for path in ("/api/docs", "/api/redoc"):
        page = await client.get(path, headers=headers)
        assert page.status_code == 200, (path, page.text)
        assert "/api/openapi.json" in page.text


async def test_public_is_for_anybody_and_the_default_outside_production() -> None:
    async with browser_of(with_docs(None)) as client:
        await assert_served(client)
    # Production opens them only when told to.
    async with browser_of(with_docs(None, ENV=Environment.PRODUCTION)) as client:
        await assert_hidden(client)
    async with browser_of(with_docs("public", ENV=Environment.PRODUCTION)) as client:
        await assert_served(client)

    assert Settings(_env_file=None, ENV=Environment.DEVELOPMENT).api_docs == "public"
    assert Settings(_env_file=None, ENV=Environment.TEST).api_docs == "public"
    production = Settings(_env_file=None, ENV=Environment.PRODUCTION, SECRET_KEY=STRONG_SECRET)
    assert production.api_docs == "staff"
    off = Settings(
        _env_file=None, ENV=Environment.PRODUCTION, SECRET_KEY=STRONG_SECRET, API_DOCS="off"
    )
    assert off.api_docs == "off"
    assert Settings(_env_file=None, API_DOCS="").api_docs == "public"


async def test_staff_docs_answer_operators_and_admins_only(
    committed_user: CommittedUser, engine: AsyncEngine
) -> None:
    customer = await committed_user(Role.CUSTOMER)
    operator = await committed_user(Role.OPERATOR)
    admin = await committed_user(Role.ADMIN)
    async with browser_of(with_docs("staff")) as client:
        await assert_hidden(client)
        await assert_hidden(client, await bearer(engine, customer))
        await assert_hidden(client, {"Authorization": "Bearer nonsense"})

        # Programs: a staff member's bearer token.
        await assert_served(client, await bearer(engine, admin))
        document = await client.get("/api/openapi.json", headers=await bearer(engine, operator))
        assert document.json() == public_document()
        assert document.headers["cache-control"] == "private, no-store"

        # A browser: logged in to the admin panel, its cookie opens the pages and the document.
        assert (await login(client, operator.email)).status_code == 302
        await assert_served(client)
        client.cookies.clear()
        await assert_hidden(client)


async def test_off_hides_them_from_everybody_but_not_from_the_cli(
    committed_user: CommittedUser, engine: AsyncEngine
) -> None:
    admin = await committed_user(Role.ADMIN)
    async with browser_of(with_docs("off")) as client:
        await assert_hidden(client)
        await assert_hidden(client, await bearer(engine, admin))
        assert (await login(client, admin.email)).status_code == 302
        await assert_hidden(client)

    expected = public_document()
    for mode in MODES:
        printed = CliRunner().invoke(cli, ["openapi"], env={"API_DOCS": mode})
        assert printed.exit_code == 0, printed.output
        assert json.loads(printed.output) == expected, mode


@pytest.mark.parametrize("value", ["private", "on"])
def test_an_unknown_mode_is_refused(value: str) -> None:
    with pytest.raises(ValueError, match="API_DOCS"):
        Settings(_env_file=None, API_DOCS=value)
