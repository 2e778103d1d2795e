"""Probes, the error body for every kind of error, and settings that refuse bad values."""

import pytest
from httpx import ASGITransport, AsyncClient
from pydantic import ValidationError

from app.core.config import DEFAULT_SECRET_KEY, Settings, get_settings
from app.core.embedded import free_port
from app.main import create_app
from tests.fixtures.app import AuthHeaders, UserFactory, assert_error


async def test_liveness(client: AsyncClient) -> None:
    response = await client.get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


async def test_readiness_checks_database_and_redis(client: AsyncClient) -> None:
    response = await client.get("/health/ready")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "redis": "ok"}}


@pytest.mark.parametrize("down", ["database", "redis"])
async def test_readiness_is_503_when_a_dependency_is_down(down: str) -> None:
    settings = get_settings()
    closed = f"127.0.0.1:{free_port()}"
    overrides = (
        {"DATABASE_URL": f"postgresql+asyncpg://postgres@{closed}/none"}
        if down == "database"
        else {"REDIS_URL": f"redis://{closed}/0"}
    )
    app = create_app(settings.model_copy(update=overrides))
    async with (
        app.router.lifespan_context(app),
        AsyncClient(transport=ASGITransport(app=app), base_url="http://t") as client,
    ):
        response = await client.get("/health/ready")
    body = assert_error(response, 503, "not_ready")
    assert body["checks"][down].startswith("error")
    other = "redis" if down == "database" else "database"
    assert body["checks"][other] == "ok"


@pytest.mark.parametrize("down", ["database", "redis"])
async def test_a_request_needing_a_server_that_is_down_is_503(down: str) -> None:
    """Connection refused (a database is also reached through a connect timeout): 503 with
    Retry-After, not a 500."""
    closed = f"127.0.0.1:{free_port()}"
    overrides = (
        {"DATABASE_URL": f"postgresql+asyncpg://postgres@{closed}/none"}
        if down == "database"
        else {"REDIS_URL": f"redis://{closed}/0"}
    )
    app = create_app(get_settings().model_copy(update=overrides))
    async with (
        app.router.lifespan_context(app),
        AsyncClient(transport=ASGITransport(app=app), base_url="http://t") as client,
    ):
        # The catalog needs the database; a login needs Redis first (its rate limits).
        response = await (
            client.get("/api/v1/products")
            if down == "database"
            else client.post("/api/v1/auth/login", data={"username": "a@b.cd", "password": "x"})
        )
    assert_error(response, 503, "unavailable")
    assert int(response.headers["Retry-After"]) > 0


async def test_unknown_route_has_the_error_body(client: AsyncClient) -> None:
    assert_error(await client.get("/api/v1/nothing-here"), 404, "not_found")


async def test_wrong_method_has_the_error_body(client: AsyncClient) -> None:
    assert_error(await client.get("/api/v1/auth/register"), 405, "method_not_allowed")


async def test_validation_error_lists_the_fields(client: AsyncClient) -> None:
    response = await client.post("/api/v1/auth/register", json={"email": "nope"})
    body = assert_error(response, 422, "validation_error")
    fields = {tuple(error["loc"]) for error in body["errors"]}
    assert ("body", "email") in fields
    assert ("body", "password") in fields


async def test_malformed_json_is_a_422_not_a_500(client: AsyncClient) -> None:
    response = await client.post(
        "/api/v1/auth/register",
        content=b"{not json",
        headers={"Content-Type": "application/json"},
    )
    assert_error(response, 422, "validation_error")


async def test_a_value_the_database_refuses_is_a_422_not_a_500(
    client: AsyncClient, make_user: UserFactory, auth_headers: AuthHeaders
) -> None:
    user = await make_user(first_name="Ada")
    headers = await auth_headers(user)
    response = await client.patch(
        "/api/v1/users/me/profile", json={"first_name": "Ada\u0000Lovelace"}, headers=headers
    )
    assert_error(response, 422, "invalid_value")
    login = await client.post(
        "/api/v1/auth/login", data={"username": "a\u0000@example.com", "password": "whatever1"}
    )
    assert_error(login, 422, "invalid_value")
    profile = await client.get("/api/v1/users/me/profile", headers=headers)
    assert profile.json()["first_name"] == "Ada"


def test_production_refuses_the_default_secret() -> None:
    for weak in (DEFAULT_SECRET_KEY, "", "short-but-not-empty"):
        with pytest.raises(ValidationError, match="SECRET_KEY"):
            Settings(ENV="production", SECRET_KEY=weak)
    strong = "a-real-secret-value-of-forty-characters!"
    assert Settings(ENV="production", SECRET_KEY=strong).ENV == "production"


def test_cors_origins_come_from_a_comma_separated_setting(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("CORS_ORIGINS", "https://shop.example.com, http://localhost:5173")
    assert Settings().CORS_ORIGINS == ["https://shop.example.com", "http://localhost:5173"]


async def test_cors_allows_only_configured_origins() -> None:
    settings = get_settings().model_copy(update={"CORS_ORIGINS": ["https://shop.example.com"]})
    app = create_app(settings)
    async with AsyncClient(transport=ASGITransport(app=app), base_url="http://t") as client:
        allowed = await client.get("/health", headers={"Origin": "https://shop.example.com"})
        other = await client.get("/health", headers={"Origin": "https://evil.example.com"})
    assert allowed.headers["access-control-allow-origin"] == "https://shop.example.com"
    assert "x-cart-token" in allowed.headers["access-control-expose-headers"].lower()
    assert "access-control-allow-origin" not in other.headers
