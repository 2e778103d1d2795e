"""Fixtures of the operations tests: committed accounts, a browser of the admin panel, a
real uvicorn of the app."""

import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from app.accounts.models import Role, User
from app.core.security import hash_password
from tests.fixtures.api_server import ApiServer, start_uvicorn, stop
from tests.fixtures.app import DEFAULT_PASSWORD, client_from, live_email

CommittedUser = Callable[[Role], Awaitable[User]]


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


async def login(
    client: httpx.AsyncClient, email: str, password: str = DEFAULT_PASSWORD
) -> httpx.Response:
    """Log in to the admin panel (a 302 when it let the user in)."""
    return await client.post("/admin/login", data={"username": email, "password": password})


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
