"""Registration, e-mail confirmation and resending, with real e-mails through Celery and SMTP."""

from typing import Any

import pytest
from httpx import AsyncClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts.models import Profile, User
from app.core.security import create_signed_token
from tests.fixtures.app import DEFAULT_PASSWORD, UserFactory, assert_error, unique_email
from tests.fixtures.mail import link_token

pytestmark = pytest.mark.usefixtures("celery_worker")


async def register(client: AsyncClient, email: str, **extra: Any) -> Any:
    return await client.post(
        "/api/v1/auth/register", json={"email": email, "password": DEFAULT_PASSWORD, **extra}
    )


async def test_register_creates_an_unverified_customer_and_sends_a_link(
    client: AsyncClient, session: AsyncSession, smtp_server: Any
) -> None:
    email = unique_email()
    response = await register(client, email.upper(), first_name=" Ada ", last_name="Lovelace")
    assert response.status_code == 201
    assert set(response.json()) == {"detail"}

    user = await session.scalar(select(User).where(User.email == email))
    assert user is not None
    assert (user.role, user.is_active, user.is_verified) == ("customer", True, False)
    assert user.hashed_password.startswith("$argon2id$")
    profile = await session.get(Profile, user.id)
    assert profile is not None
    assert (profile.first_name, profile.last_name) == ("Ada", "Lovelace")

    message = smtp_server.wait_for(email, subject_contains="onfirm")
    token = link_token(message, "/verify-email")
    assert (
        "http://shop.example.com/verify-email?token=" in message.get_body(("plain",)).get_content()
    )

    verified = await client.post("/api/v1/auth/verify", json={"token": token})
    assert verified.status_code == 200
    assert verified.json()["is_verified"] is True
    assert_error(
        await client.post("/api/v1/auth/verify", json={"token": token}), 400, "already_verified"
    )


async def test_registering_a_taken_email_looks_the_same_and_tells_the_owner(
    client: AsyncClient, make_user: UserFactory, smtp_server: Any
) -> None:
    owner = await make_user()
    fresh = await register(client, unique_email())
    taken = await register(client, owner.email.upper())
    assert taken.status_code == fresh.status_code == 201
    assert taken.json() == fresh.json()
    message = smtp_server.wait_for(owner.email)
    assert "already" in message["Subject"].lower()
    assert "/forgot-password" in message.get_body(("plain",)).get_content()


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"email": "not-an-email", "password": DEFAULT_PASSWORD}, "email"),
        ({"email": "a@example.com", "password": "short1"}, "password"),
        ({"email": "a@example.com", "password": "x" * 129}, "password"),
        ({"email": "a@example.com", "password": "password123"}, "password"),
        ({"email": "a@example.com", "password": "Qwertyuiop"}, "password"),
        ({"email": "a@example.com", "password": DEFAULT_PASSWORD, "first_name": ""}, "first_name"),
        ({"password": DEFAULT_PASSWORD}, "email"),
    ],
)
async def test_register_rejects_bad_input(
    client: AsyncClient, session: AsyncSession, payload: dict[str, Any], field: str
) -> None:
    response = await client.post("/api/v1/auth/register", json=payload)
    body = assert_error(response, 422, "validation_error")
    assert ["body", field] in [error["loc"][:2] for error in body["errors"]]
    assert await session.scalar(select(User).where(User.email == "a@example.com")) is None


async def test_verify_rejects_forged_expired_and_foreign_tokens(
    client: AsyncClient, session: AsyncSession, make_user: UserFactory
) -> None:
    from datetime import timedelta

    user = await make_user(is_verified=False)
    forged = create_signed_token(user.id, "verify_email", timedelta(hours=1), email=user.email)
    forged = forged[:-4] + ("AAAA" if not forged.endswith("AAAA") else "BBBB")
    expired = create_signed_token(user.id, "verify_email", timedelta(seconds=-1), email=user.email)
    wrong_purpose = create_signed_token(
        user.id, "password_reset", timedelta(hours=1), email=user.email
    )
    old_address = create_signed_token(
        user.id, "verify_email", timedelta(hours=1), email="old@example.com"
    )
    for token in (forged, expired, wrong_purpose, old_address, "garbage"):
        response = await client.post("/api/v1/auth/verify", json={"token": token})
        assert_error(response, 400, "invalid_verification_token")
    await session.refresh(user)
    assert user.is_verified is False


async def test_resend_is_202_whatever_the_address(
    client: AsyncClient, make_user: UserFactory, smtp_server: Any
) -> None:
    unverified = await make_user(is_verified=False)
    verified = await make_user(is_verified=True)
    answers = [
        await client.post("/api/v1/auth/verify/resend", json={"email": email})
        for email in (unverified.email, verified.email, unique_email("nobody"))
    ]
    assert {response.status_code for response in answers} == {202}
    assert len({response.text for response in answers}) == 1
    message = smtp_server.wait_for(unverified.email)
    assert link_token(message, "/verify-email")
    # One worker takes jobs in order: once a later e-mail arrives, an earlier one would have.
    sentinel = unique_email("sentinel")
    await client.post("/api/v1/auth/verify/resend", json={"email": sentinel})
    await client.post(
        "/api/v1/auth/register", json={"email": sentinel, "password": DEFAULT_PASSWORD}
    )
    smtp_server.wait_for(sentinel)
    assert smtp_server.messages_to(verified.email) == []
