"""A whole account's life against an app that really commits, with a real Celery worker and
SMTP server; and the account paths that must hold under parallel requests."""

import asyncio
from typing import Any

from httpx import AsyncClient
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from app.accounts.models import RefreshToken, User
from app.core.config import get_settings
from tests.fixtures.app import DEFAULT_PASSWORD, assert_error, live_email
from tests.fixtures.mail import link_token

NEW_PASSWORD = "another-long-passphrase"


async def test_account_lifecycle_end_to_end(
    live_client: AsyncClient, smtp_server: Any, celery_worker: Any
) -> None:
    client = live_client
    email = live_email("shopper")
    registered = await client.post(
        "/api/v1/auth/register",
        json={"email": email, "password": DEFAULT_PASSWORD, "first_name": "Grace"},
    )
    assert registered.status_code == 201

    token = link_token(smtp_server.wait_for(email, subject_contains="onfirm"), "/verify-email")
    assert (await client.post("/api/v1/auth/verify", json={"token": token})).status_code == 200

    login = await client.post(
        "/api/v1/auth/login", data={"username": email, "password": DEFAULT_PASSWORD}
    )
    assert login.status_code == 200
    pair = login.json()
    me = await client.get(
        "/api/v1/users/me", headers={"Authorization": f"Bearer {pair['access_token']}"}
    )
    assert me.json()["is_verified"] is True
    assert me.json()["profile"]["first_name"] == "Grace"

    refreshed = await client.post(
        "/api/v1/auth/refresh", json={"refresh_token": pair["refresh_token"]}
    )
    assert refreshed.status_code == 200
    pair = refreshed.json()
    logout = await client.post("/api/v1/auth/logout", json={"refresh_token": pair["refresh_token"]})
    assert logout.status_code == 204
    assert_error(
        await client.post("/api/v1/auth/refresh", json={"refresh_token": pair["refresh_token"]}),
        401,
        "invalid_refresh_token",
    )

    forgot = await client.post("/api/v1/auth/forgot-password", json={"email": email})
    assert forgot.status_code == 202
    reset_token = link_token(
        smtp_server.wait_for(email, subject_contains="eset"), "/reset-password"
    )
    reset = await client.post(
        "/api/v1/auth/reset-password", json={"token": reset_token, "password": NEW_PASSWORD}
    )
    assert reset.status_code == 204
    old = await client.post(
        "/api/v1/auth/login", data={"username": email, "password": DEFAULT_PASSWORD}
    )
    assert_error(old, 401, "invalid_credentials")
    new = await client.post(
        "/api/v1/auth/login", data={"username": email, "password": NEW_PASSWORD}
    )
    assert new.status_code == 200


async def test_parallel_registrations_of_one_address_make_one_account(
    live_client: AsyncClient, engine: AsyncEngine
) -> None:
    email = live_email("race")
    responses = await asyncio.gather(
        *(
            live_client.post(
                "/api/v1/auth/register", json={"email": email, "password": DEFAULT_PASSWORD}
            )
            for _ in range(20)
        )
    )
    statuses = sorted(response.status_code for response in responses)
    # The per-address-and-client e-mail limit lets exactly that many through, even all at
    # once; the ones that pass race on the unique e-mail and all get the same 201.
    allowed = get_settings().EMAIL_REQUESTS_PER_ADDRESS_AND_IP
    assert statuses == [201] * allowed + [429] * (20 - allowed)
    async with engine.connect() as connection:
        count = await connection.scalar(
            select(func.count()).select_from(User).where(User.email == email)
        )
    assert count == 1


async def test_parallel_refreshes_of_one_token_let_exactly_one_through(
    live_client: AsyncClient, engine: AsyncEngine
) -> None:
    email = live_email("refresh-race")
    await live_client.post(
        "/api/v1/auth/register", json={"email": email, "password": DEFAULT_PASSWORD}
    )
    pair = (
        await live_client.post(
            "/api/v1/auth/login", data={"username": email, "password": DEFAULT_PASSWORD}
        )
    ).json()
    responses = await asyncio.gather(
        *(
            live_client.post("/api/v1/auth/refresh", json={"refresh_token": pair["refresh_token"]})
            for _ in range(10)
        )
    )
    statuses = sorted(response.status_code for response in responses)
    assert statuses == [200] + [401] * 9
    # The losers were reuse: the family, including the winner's new token, is revoked.
    async with engine.connect() as connection:
        live = await connection.scalar(
            select(func.count())
            .select_from(RefreshToken)
            .join(User, User.id == RefreshToken.user_id)
            .where(User.email == email, RefreshToken.revoked_at.is_(None))
        )
    assert live == 0
