"""The user's own account: read, change e-mail, delete; the profile with its address."""

import re
from typing import Any

import pytest
from httpx import AsyncClient
from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts.models import Profile
from app.accounts.schemas import ProfileIn
from tests.fixtures.app import (
    DEFAULT_PASSWORD,
    AuthHeaders,
    UserFactory,
    assert_error,
    login,
    unique_email,
)
from tests.fixtures.mail import link_token

ADDRESS = {
    "full_name": "Ada Lovelace",
    "phone": "+44 20 7946 0958",
    "line1": "12 St James's Square",
    "line2": None,
    "city": "London",
    "region": None,
    "postal_code": "SW1Y 4JH",
    "country": "gb",
}


async def test_read_me_includes_the_profile(
    client: AsyncClient, make_user: UserFactory, auth_headers: AuthHeaders
) -> None:
    user = await make_user(first_name="Ada")
    response = await client.get("/api/v1/users/me", headers=await auth_headers(user))
    assert response.status_code == 200
    body = response.json()
    assert body["email"] == user.email
    assert body["role"] == "customer"
    assert body["profile"]["first_name"] == "Ada"
    assert "hashed_password" not in body


@pytest.mark.usefixtures("celery_worker")
async def test_change_email_takes_effect_when_the_new_address_confirms(
    client: AsyncClient,
    session: AsyncSession,
    make_user: UserFactory,
    auth_headers: AuthHeaders,
    smtp_server: Any,
) -> None:
    user = await make_user()
    old_email = user.email
    headers = await auth_headers(user)
    new_email = unique_email("moved")
    wrong = await client.patch(
        "/api/v1/users/me",
        json={"email": new_email, "current_password": "wrong-password"},
        headers=headers,
    )
    assert_error(wrong, 400, "wrong_password")

    requested = await client.patch(
        "/api/v1/users/me",
        json={"email": new_email, "current_password": DEFAULT_PASSWORD},
        headers=headers,
    )
    assert requested.status_code == 202
    # Nothing changes until the new mailbox answers.
    assert (await client.get("/api/v1/users/me", headers=headers)).json()["email"] == old_email
    message = smtp_server.wait_for(new_email, subject_contains="new")
    token = link_token(message, "/verify-email")
    confirmed = await client.post("/api/v1/auth/verify", json={"token": token})
    assert confirmed.status_code == 200
    assert confirmed.json()["email"] == new_email
    assert confirmed.json()["is_verified"] is True
    assert smtp_server.wait_for(old_email, subject_contains="changed")
    assert (await login(client, new_email)).status_code == 200
    assert_error(await login(client, old_email), 401, "invalid_credentials")
    # The link is spent: it was bound to the address it replaced.
    again = await client.post("/api/v1/auth/verify", json={"token": token})
    assert_error(again, 400, "invalid_verification_token")


@pytest.mark.usefixtures("celery_worker")
async def test_asking_for_a_taken_address_reveals_nothing_and_changes_nothing(
    client: AsyncClient, make_user: UserFactory, auth_headers: AuthHeaders, smtp_server: Any
) -> None:
    user, owner = await make_user(), await make_user()
    user_email, owner_email = user.email, owner.email
    headers = await auth_headers(user)
    free = await client.patch(
        "/api/v1/users/me",
        json={"email": unique_email("free"), "current_password": DEFAULT_PASSWORD},
        headers=headers,
    )
    taken = await client.patch(
        "/api/v1/users/me",
        json={"email": owner_email, "current_password": DEFAULT_PASSWORD},
        headers=headers,
    )
    assert taken.status_code == free.status_code == 202
    assert taken.json() == free.json()
    # Only whoever controls the owner's mailbox could follow the link, and then learns
    # nothing new: the address stays with its owner.
    token = link_token(smtp_server.wait_for(owner_email), "/verify-email")
    refused = await client.post("/api/v1/auth/verify", json={"token": token})
    assert_error(refused, 409, "email_taken")
    assert (await client.get("/api/v1/users/me", headers=headers)).json()["email"] == user_email


async def test_delete_me_needs_the_password_then_deactivates_and_anonymises(
    client: AsyncClient, session: AsyncSession, make_user: UserFactory, auth_headers: AuthHeaders
) -> None:
    user = await make_user(first_name="Ada")
    email = user.email
    pair = (await login(client, email)).json()
    headers = {"Authorization": f"Bearer {pair['access_token']}"}
    wrong = await client.request(
        "DELETE", "/api/v1/users/me", json={"current_password": "not-mine-at-all"}, headers=headers
    )
    assert_error(wrong, 400, "wrong_password")
    missing = await client.delete("/api/v1/users/me", headers=headers)
    assert_error(missing, 422, "validation_error")

    deleted = await client.request(
        "DELETE", "/api/v1/users/me", json={"current_password": DEFAULT_PASSWORD}, headers=headers
    )
    assert deleted.status_code == 204
    await session.refresh(user)
    assert user.is_active is False
    assert user.deleted_at is not None
    assert email not in user.email
    assert user.email.endswith("@deleted.invalid")
    assert await session.get(Profile, user.id) is None
    assert_error(await client.get("/api/v1/users/me", headers=headers), 401, "invalid_token")
    refresh = await client.post(
        "/api/v1/auth/refresh", json={"refresh_token": pair["refresh_token"]}
    )
    assert_error(refresh, 401, "invalid_refresh_token")
    assert_error(await login(client, email), 401, "invalid_credentials")
    # The address is free again.
    again = await client.post(
        "/api/v1/auth/register", json={"email": email, "password": DEFAULT_PASSWORD}
    )
    assert again.status_code == 201


async def test_profile_put_patch_get_delete(
    client: AsyncClient, make_user: UserFactory, auth_headers: AuthHeaders
) -> None:
    user = await make_user()
    headers = await auth_headers(user)
    empty = await client.get("/api/v1/users/me/profile", headers=headers)
    assert empty.json() == {
        "first_name": None,
        "last_name": None,
        "phone": None,
        "default_address": None,
    }

    put = await client.put(
        "/api/v1/users/me/profile",
        json={"first_name": "Ada", "last_name": "Lovelace", "default_address": ADDRESS},
        headers=headers,
    )
    assert put.status_code == 200
    assert put.json()["default_address"]["country"] == "GB"

    patch = await client.patch(
        "/api/v1/users/me/profile", json={"phone": "+44 1234 567890"}, headers=headers
    )
    assert patch.json()["first_name"] == "Ada"
    assert patch.json()["phone"] == "+44 1234 567890"
    assert patch.json()["default_address"]["city"] == "London"

    replaced = await client.put(
        "/api/v1/users/me/profile", json={"first_name": "Augusta"}, headers=headers
    )
    assert replaced.json() == {
        "first_name": "Augusta",
        "last_name": None,
        "phone": None,
        "default_address": None,
    }

    assert (await client.delete("/api/v1/users/me/profile", headers=headers)).status_code == 204
    after = await client.get("/api/v1/users/me/profile", headers=headers)
    assert after.json()["first_name"] is None


@pytest.mark.parametrize(
    "payload",
    [
        {"phone": "call me"},
        {"default_address": {**ADDRESS, "country": "Germany"}},
        {"default_address": {**ADDRESS, "line1": ""}},
        {"default_address": {"city": "London"}},
        {"first_name": "x" * 101},
    ],
)
async def test_profile_rejects_bad_input(
    client: AsyncClient, make_user: UserFactory, auth_headers: AuthHeaders, payload: dict[str, Any]
) -> None:
    user = await make_user(first_name="Ada")
    headers = await auth_headers(user)
    response = await client.patch("/api/v1/users/me/profile", json=payload, headers=headers)
    assert_error(response, 422, "validation_error")
    unchanged = await client.get("/api/v1/users/me/profile", headers=headers)
    assert unchanged.json()["first_name"] == "Ada"
    assert unchanged.json()["phone"] is None


async def test_profile_needs_a_login(client: AsyncClient) -> None:
    assert_error(await client.get("/api/v1/users/me/profile"), 401, "not_authenticated")


async def test_two_first_profile_saves_at_once_both_succeed(
    live_client: AsyncClient, engine: Any
) -> None:
    import asyncio

    from tests.fixtures.app import live_email

    email = live_email("profile")
    await live_client.post(
        "/api/v1/auth/register", json={"email": email, "password": DEFAULT_PASSWORD}
    )
    token = (await login(live_client, email)).json()["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    answers = await asyncio.gather(
        *(
            live_client.put(
                "/api/v1/users/me/profile", json={"first_name": f"Name{i}"}, headers=headers
            )
            for i in range(10)
        )
    )
    assert [answer.status_code for answer in answers] == [200] * 10


@pytest.mark.parametrize(
    ("phone", "valid"),
    [("+44 20 7946 0958", True), ("(030) 1234-56", True), ("    1", False), (" 12345", False)],
)
def test_a_phone_is_valid_exactly_when_the_document_says_so(phone: str, valid: bool) -> None:
    """The fuzzer's find: "    1" matched the documented pattern, then was stripped to "1"."""
    pattern = ProfileIn.model_json_schema()["properties"]["phone"]["anyOf"][0]["pattern"]
    assert bool(re.fullmatch(pattern, phone)) is valid
    try:
        ProfileIn.model_validate({"phone": phone})
    except ValidationError:
        assert not valid
    else:
        assert valid
