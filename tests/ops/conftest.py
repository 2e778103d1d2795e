"""Fixtures of the operations tests: committed accounts, a browser of the admin panel, a
real uvicorn of the app."""

import json
import re
import uuid
from base64 import b64decode
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from app.accounts.models import Role, User
from app.admin.auth import SESSION_COOKIE
from app.core.security import hash_password
from app.inventory.models import Warehouse
from tests.fixtures.api_server import ApiServer, start_uvicorn, stop
from tests.fixtures.app import DEFAULT_PASSWORD, client_from, live_email

CommittedUser = Callable[[Role], Awaitable[User]]
# The codes of the warehouses the admin tests make (deleted by `cleanup_warehouses`).
ADMIN_PREFIX = "LIVE-ADM-"


@pytest.fixture
async def cleanup_warehouses(engine: AsyncEngine) -> AsyncIterator[None]:
    yield
    async with engine.begin() as connection:
        await connection.execute(delete(Warehouse).where(Warehouse.code.like(f"{ADMIN_PREFIX}%")))


@pytest.fixture
async def committed_user(live_client: httpx.AsyncClient, engine: AsyncEngine) -> CommittedUser:
    """Committed accounts (password DEFAULT_PASSWORD), deleted after the test by
    `live_client` (they have `live_email()` addresses)."""

    async def make(role: Role) -> User:
        user = User(
            id=uuid.uuid4(),
            email=live_email(role.value),
            hashed_password=await hash_password(DEFAULT_PASSWORD),
            role=role.value,
            is_active=True,
            is_verified=True,
        )
        async with AsyncSession(engine, expire_on_commit=False) as session:
            session.add(user)
            await session.commit()
        return user

    return make


@pytest.fixture
async def browser(app: FastAPI, live_client: httpx.AsyncClient) -> AsyncIterator[httpx.AsyncClient]:
    """A client that keeps cookies, as a browser would, over HTTPS (to the app whose
    sessions really commit, as `live_client`'s)."""
    async with client_from(app, "192.0.2.30", "https://testserver") as client:
        yield client


def session_data(client: httpx.AsyncClient) -> dict[str, object]:
    """What the client's admin session cookie holds (signed, not encrypted: readable)."""
    cookie = client.cookies.get(SESSION_COOKIE)
    if cookie is None:
        return {}
    data: dict[str, object] = json.loads(b64decode(cookie.split(".")[0]))
    return data


CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)"')


def page_csrf_token(page: str) -> str:
    """The CSRF token an admin page carries (its meta tag, which its script puts in forms)."""
    match = CSRF_META.search(page)
    assert match, page[:500]
    return match.group(1)


async def login(
    client: httpx.AsyncClient, email: str, password: str = DEFAULT_PASSWORD
) -> httpx.Response:
    """Log in to the admin panel as a browser does, with the login page's CSRF token (a 302
    when it let the user in). Then the client sends the session's token with every request
    (X-CSRF-Token), as the panel's pages put it into their forms and AJAX calls."""
    client.headers.pop("X-CSRF-Token", None)  # a former session's
    token = page_csrf_token((await client.get("/admin/login")).text)
    response = await client.post(
        "/admin/login", data={"username": email, "password": password, "csrf_token": token}
    )
    if response.status_code == 302:
        client.headers["X-CSRF-Token"] = page_csrf_token((await client.get("/admin/")).text)
    return response


@pytest.fixture(scope="module")
def api_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ApiServer]:
    log = tmp_path_factory.mktemp("api") / "uvicorn.log"
    process, port = start_uvicorn(log)
    try:
        yield ApiServer(url=f"http://127.0.0.1:{port}", port=port, log=log)
    finally:
        stop(process)


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(timeout=10) as client:
        yield client
