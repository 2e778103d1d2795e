"""Forgotten password, reset links (single use, expiring), change of password."""

from datetime import timedelta
from typing import Any

import pytest
from httpx import AsyncClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts.models import RefreshToken
from app.core.config import get_settings
from app.core.security import create_signed_token, fingerprint
from tests.fixtures.app import (
    DEFAULT_PASSWORD,
    AuthHeaders,
    UserFactory,
    assert_error,
    client_from,
    login,
    unique_email,
)
from tests.fixtures.mail import link_token

NEW_PASSWORD = "a-brand-new-passphrase"


@pytest.mark.usefixtures("celery_worker")
async def test_forgot_and_reset_password_through_the_emailed_link(
    client: AsyncClient, session: AsyncSession, make_user: UserFactory, smtp_server: Any
) -> None:
    user = await make_user()
    old_pair = (await login(client, user.email)).json()

    known = await client.post("/api/v1/auth/forgot-password", json={"email": user.email})
    unknown = await client.post("/api/v1/auth/forgot-password", json={"email": unique_email()})
    assert known.status_code == unknown.status_code == 202
    assert known.json() == unknown.json()

    message = smtp_server.wait_for(user.email, subject_contains="eset")
    token = link_token(message, "/reset-password")
    reset = await client.post(
        "/api/v1/auth/reset-password", json={"token": token, "password": NEW_PASSWORD}
    )
    assert reset.status_code == 204

    assert_error(await login(client, user.email), 401, "invalid_credentials")
    assert (await login(client, user.email, NEW_PASSWORD)).status_code == 200
    # Every refresh token issued before the reset is revoked.
    refreshed = await client.post(
        "/api/v1/auth/refresh", json={"refresh_token": old_pair["refresh_token"]}
    )
    assert refreshed.status_code == 401
    # The link works once.
    again = await client.post(
        "/api/v1/auth/reset-password", json={"token": token, "password": "yet-another-passphrase"}
    )
    assert_error(again, 400, "invalid_reset_token")
    notice = smtp_server.wait_for(user.email, subject_contains="changed")
    assert notice is not None


async def test_reset_refuses_expired_forged_and_foreign_tokens(
    client: AsyncClient, make_user: UserFactory
) -> None:
    user = await make_user()
    fp = fingerprint(user.email, user.hashed_password)
    expired = create_signed_token(user.id, "password_reset", timedelta(seconds=-1), fp=fp)
    verify_token = create_signed_token(
        user.id, "verify_email", timedelta(hours=1), email=user.email
    )
    valid = create_signed_token(user.id, "password_reset", timedelta(hours=1), fp=fp)
    forged = valid[:-4] + ("AAAA" if not valid.endswith("AAAA") else "BBBB")
    for token in (expired, verify_token, forged, "nonsense"):
        response = await client.post(
            "/api/v1/auth/reset-password", json={"token": token, "password": NEW_PASSWORD}
        )
        assert_error(response, 400, "invalid_reset_token")
    assert (await login(client, user.email)).status_code == 200


async def test_reset_applies_the_password_policy(
    client: AsyncClient, make_user: UserFactory
) -> None:
    user = await make_user()
    token = create_signed_token(
        user.id,
        "password_reset",
        timedelta(hours=1),
        fp=fingerprint(user.email, user.hashed_password),
    )
    response = await client.post(
        "/api/v1/auth/reset-password", json={"token": token, "password": "123456789"}
    )
    assert_error(response, 422, "validation_error")
    assert (await login(client, user.email)).status_code == 200


async def test_change_password(
    client: AsyncClient,
    session: AsyncSession,
    make_user: UserFactory,
    auth_headers: AuthHeaders,
) -> None:
    user = await make_user()
    headers = await auth_headers(user)
    wrong = await client.post(
        "/api/v1/auth/change-password",
        json={"current_password": "not-it-at-all", "new_password": NEW_PASSWORD},
        headers=headers,
    )
    assert_error(wrong, 400, "wrong_password")
    weak = await client.post(
        "/api/v1/auth/change-password",
        json={"current_password": DEFAULT_PASSWORD, "new_password": "short"},
        headers=headers,
    )
    assert_error(weak, 422, "validation_error")
    changed = await client.post(
        "/api/v1/auth/change-password",
        json={"current_password": DEFAULT_PASSWORD, "new_password": NEW_PASSWORD},
        headers=headers,
    )
    assert changed.status_code == 200
    own_refresh = changed.json()["refresh_token"]
    tokens = (
        await session.scalars(select(RefreshToken).where(RefreshToken.user_id == user.id))
    ).all()
    # The fixture's session was revoked by the change; only the pair it answered with lives.
    assert sum(token.revoked_at is None for token in tokens) == 1
    refreshed = await client.post("/api/v1/auth/refresh", json={"refresh_token": own_refresh})
    assert refreshed.status_code == 200
    assert (await login(client, user.email, NEW_PASSWORD)).status_code == 200


async def test_change_password_needs_a_login(client: AsyncClient) -> None:
    response = await client.post(
        "/api/v1/auth/change-password",
        json={"current_password": DEFAULT_PASSWORD, "new_password": NEW_PASSWORD},
    )
    assert_error(response, 401, "not_authenticated")


async def test_wrong_current_passwords_are_throttled(
    client: AsyncClient, make_user: UserFactory, auth_headers: AuthHeaders
) -> None:
    user = await make_user()
    headers = await auth_headers(user)
    for _ in range(get_settings().LOGIN_MAX_FAILURES_PER_ACCOUNT_AND_IP):
        response = await client.post(
            "/api/v1/auth/change-password",
            json={"current_password": "a-wrong-guess-1", "new_password": NEW_PASSWORD},
            headers=headers,
        )
        assert_error(response, 400, "wrong_password")
    blocked = await client.post(
        "/api/v1/auth/change-password",
        json={"current_password": DEFAULT_PASSWORD, "new_password": NEW_PASSWORD},
        headers=headers,
    )
    assert_error(blocked, 429, "too_many_requests")
    # Guessing through the API locked the login from this address too: one budget per
    # account and address.
    assert_error(await login(client, user.email), 429, "too_many_requests")


@pytest.mark.usefixtures("celery_worker")
async def test_a_reset_link_dies_when_the_address_changes(
    client: AsyncClient, make_user: UserFactory, auth_headers: AuthHeaders, smtp_server: Any
) -> None:
    user = await make_user()
    old_email = user.email
    await client.post("/api/v1/auth/forgot-password", json={"email": old_email})
    reset_token = link_token(
        smtp_server.wait_for(old_email, subject_contains="eset"), "/reset-password"
    )

    new_email = unique_email("moved")
    requested = await client.patch(
        "/api/v1/users/me",
        json={"email": new_email, "current_password": DEFAULT_PASSWORD},
        headers=await auth_headers(user),
    )
    assert requested.status_code == 202
    change_token = link_token(smtp_server.wait_for(new_email), "/verify-email")
    assert (
        await client.post("/api/v1/auth/verify", json={"token": change_token})
    ).status_code == 200

    stale = await client.post(
        "/api/v1/auth/reset-password", json={"token": reset_token, "password": NEW_PASSWORD}
    )
    assert_error(stale, 400, "invalid_reset_token")


async def test_email_requests_are_limited_per_address_whether_or_not_it_exists(
    client: AsyncClient, make_user: UserFactory
) -> None:
    limit = get_settings().EMAIL_REQUESTS_PER_ADDRESS_AND_IP
    for email in ((await make_user()).email, unique_email("nobody")):
        answers = [
            await client.post("/api/v1/auth/forgot-password", json={"email": email})
            for _ in range(limit)
        ]
        assert {answer.status_code for answer in answers} == {202}
        refused = await client.post("/api/v1/auth/forgot-password", json={"email": email})
        assert_error(refused, 429, "too_many_requests")
        assert refused.headers["retry-after"]


async def test_email_requests_are_limited_per_client(app: Any, redis: Any) -> None:
    from httpx import ASGITransport

    transport = ASGITransport(app=app, client=("198.51.100.9", 40000))
    async with AsyncClient(transport=transport, base_url="http://testserver") as sender:
        for _ in range(get_settings().EMAIL_REQUESTS_PER_IP):
            response = await sender.post(
                "/api/v1/auth/verify/resend", json={"email": unique_email("spam")}
            )
            assert response.status_code == 202
        refused = await sender.post("/api/v1/auth/verify/resend", json={"email": unique_email()})
    assert_error(refused, 429, "too_many_requests")


@pytest.mark.usefixtures("celery_worker")
async def test_a_flood_of_reset_requests_from_elsewhere_leaves_the_owner_their_own(
    app: Any, client: AsyncClient, make_user: UserFactory, smtp_server: Any
) -> None:
    user = await make_user()
    limit = get_settings().EMAIL_REQUESTS_PER_ADDRESS_AND_IP
    async with client_from(app, "198.51.100.30") as attacker:
        for _ in range(limit):
            flood = await attacker.post("/api/v1/auth/forgot-password", json={"email": user.email})
            assert flood.status_code == 202
        refused = await attacker.post("/api/v1/auth/forgot-password", json={"email": user.email})
        assert_error(refused, 429, "too_many_requests")
    own = await client.post("/api/v1/auth/forgot-password", json={"email": user.email})
    assert own.status_code == 202
    # The flood's e-mails, and one more: the owner's own.
    for _ in range(limit + 1):
        smtp_server.wait_for(user.email, subject_contains="eset")


async def test_email_requests_from_many_addresses_meet_the_address_ceiling(
    app: Any, client: AsyncClient, make_user: UserFactory
) -> None:
    email = (await make_user()).email
    settings = get_settings()
    for n in range(settings.EMAIL_ADDRESS_CEILING):
        async with client_from(app, f"127.2.0.{n + 1}") as sender:
            response = await sender.post("/api/v1/auth/forgot-password", json={"email": email})
            assert response.status_code == 202
    refused = await client.post("/api/v1/auth/forgot-password", json={"email": email})
    assert_error(refused, 429, "too_many_requests")
    retry_after = int(refused.headers["retry-after"])
    assert 0 < retry_after <= settings.EMAIL_ADDRESS_CEILING_WINDOW_SECONDS
