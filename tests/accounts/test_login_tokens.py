"""Login, access tokens, refresh-token rotation and reuse detection, logout, throttling."""

from datetime import timedelta
from typing import Any

from httpx import ASGITransport, AsyncClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts.models import RefreshToken
from app.core.config import get_settings
from app.core.security import create_signed_token
from tests.fixtures.app import (
    DEFAULT_PASSWORD,
    UserFactory,
    assert_error,
    client_from,
    login,
    unique_email,
)


async def test_login_returns_a_token_pair_that_opens_the_api(
    client: AsyncClient, make_user: UserFactory
) -> None:
    user = await make_user()
    response = await login(client, user.email.upper())
    assert response.status_code == 200
    pair = response.json()
    assert pair["token_type"] == "bearer"
    assert pair["expires_in"] == 15 * 60
    me = await client.get(
        "/api/v1/users/me", headers={"Authorization": f"Bearer {pair['access_token']}"}
    )
    assert me.status_code == 200
    assert me.json()["email"] == user.email
    assert me.json()["last_login_at"] is not None


async def test_wrong_password_and_unknown_account_answer_alike(
    client: AsyncClient, make_user: UserFactory
) -> None:
    user = await make_user()
    wrong = await login(client, user.email, "not-the-password")
    unknown = await login(client, unique_email("ghost"))
    assert_error(wrong, 401, "invalid_credentials")
    assert_error(unknown, 401, "invalid_credentials")
    assert wrong.json() == unknown.json()
    assert wrong.headers["www-authenticate"] == "Bearer"


async def test_deactivated_account_cannot_log_in(
    client: AsyncClient, make_user: UserFactory
) -> None:
    user = await make_user(is_active=False)
    assert_error(await login(client, user.email), 403, "inactive_user")


async def test_missing_expired_forged_and_misused_access_tokens_are_401(
    client: AsyncClient, make_user: UserFactory
) -> None:
    user = await make_user()
    assert_error(await client.get("/api/v1/users/me"), 401, "not_authenticated")
    expired = create_signed_token(user.id, "access", timedelta(seconds=-5))
    reset_token = create_signed_token(user.id, "password_reset", timedelta(minutes=5), fp="x")
    forged = create_signed_token(user.id, "access", timedelta(minutes=5))[:-3] + "abc"
    for token in (expired, reset_token, forged, "not.a.jwt"):
        response = await client.get(
            "/api/v1/users/me", headers={"Authorization": f"Bearer {token}"}
        )
        assert_error(response, 401, "invalid_token")


async def test_refresh_rotates_and_reuse_revokes_the_family(
    client: AsyncClient, session: AsyncSession, make_user: UserFactory
) -> None:
    user = await make_user()
    first = (await login(client, user.email)).json()
    other_login = (await login(client, user.email)).json()

    second = await client.post(
        "/api/v1/auth/refresh", json={"refresh_token": first["refresh_token"]}
    )
    assert second.status_code == 200
    rotated = second.json()
    assert rotated["refresh_token"] != first["refresh_token"]
    assert rotated["access_token"]

    # An attacker replays the first token: the whole family dies, the legit holder included.
    reused = await client.post(
        "/api/v1/auth/refresh", json={"refresh_token": first["refresh_token"]}
    )
    assert_error(reused, 401, "refresh_token_reused")
    after = await client.post(
        "/api/v1/auth/refresh", json={"refresh_token": rotated["refresh_token"]}
    )
    assert_error(after, 401, "invalid_refresh_token")

    # The revocation was committed although the reuse request failed.
    tokens = (
        await session.scalars(select(RefreshToken).where(RefreshToken.user_id == user.id))
    ).all()
    families = {token.family_id for token in tokens}
    assert len(families) == 2
    live = [token for token in tokens if token.revoked_at is None]
    assert len(live) == 1
    # The other login (another device) is untouched.
    still = await client.post(
        "/api/v1/auth/refresh", json={"refresh_token": other_login["refresh_token"]}
    )
    assert still.status_code == 200


async def test_refresh_tokens_are_stored_hashed(
    client: AsyncClient, session: AsyncSession, make_user: UserFactory
) -> None:
    user = await make_user()
    pair = (await login(client, user.email)).json()
    stored = await session.scalar(select(RefreshToken).where(RefreshToken.user_id == user.id))
    assert stored is not None
    assert pair["refresh_token"] not in stored.token_hash
    assert len(stored.token_hash) == 64


async def test_expired_and_unknown_refresh_tokens_are_refused(
    client: AsyncClient, session: AsyncSession, make_user: UserFactory
) -> None:
    user = await make_user()
    pair = (await login(client, user.email)).json()
    stored = await session.scalar(select(RefreshToken).where(RefreshToken.user_id == user.id))
    assert stored is not None
    stored.expires_at = stored.created_at - timedelta(seconds=1)
    await session.flush()
    for token in (pair["refresh_token"], "unknown-token"):
        response = await client.post("/api/v1/auth/refresh", json={"refresh_token": token})
        assert_error(response, 401, "invalid_refresh_token")


async def test_logout_revokes_the_refresh_token(
    client: AsyncClient, make_user: UserFactory
) -> None:
    user = await make_user()
    pair = (await login(client, user.email)).json()
    response = await client.post(
        "/api/v1/auth/logout", json={"refresh_token": pair["refresh_token"]}
    )
    assert response.status_code == 204
    again = await client.post("/api/v1/auth/refresh", json={"refresh_token": pair["refresh_token"]})
    assert_error(again, 401, "invalid_refresh_token")
    # Logging out twice, or with an unknown token, is harmless.
    twice = await client.post("/api/v1/auth/logout", json={"refresh_token": pair["refresh_token"]})
    assert twice.status_code == 204


async def test_refresh_is_refused_once_the_account_is_deactivated(
    client: AsyncClient, session: AsyncSession, make_user: UserFactory
) -> None:
    user = await make_user()
    pair = (await login(client, user.email)).json()
    user.is_active = False
    await session.flush()
    response = await client.post(
        "/api/v1/auth/refresh", json={"refresh_token": pair["refresh_token"]}
    )
    assert_error(response, 401, "invalid_refresh_token")
    me = await client.get(
        "/api/v1/users/me", headers={"Authorization": f"Bearer {pair['access_token']}"}
    )
    assert_error(me, 403, "inactive_user")


async def test_login_is_throttled_per_account_and_address(
    client: AsyncClient, make_user: UserFactory
) -> None:
    user = await make_user()
    limit = get_settings().LOGIN_MAX_FAILURES_PER_ACCOUNT_AND_IP
    for _ in range(limit):
        assert_error(await login(client, user.email, "wrong-password"), 401, "invalid_credentials")
    blocked = await login(client, user.email)  # even the right password waits now
    assert_error(blocked, 429, "too_many_requests")
    retry_after = int(blocked.headers["retry-after"])
    assert 0 < retry_after <= get_settings().LOGIN_THROTTLE_WINDOW_SECONDS
    # Another account from the same address is not affected by this account's lock.
    other = await make_user()
    assert (await login(client, other.email)).status_code == 200


async def test_an_attackers_wrong_passwords_do_not_lock_the_owner_out(
    app: Any, client: AsyncClient, make_user: UserFactory
) -> None:
    user = await make_user()
    async with client_from(app, "198.51.100.20") as attacker:
        for _ in range(get_settings().LOGIN_MAX_FAILURES_PER_ACCOUNT_AND_IP):
            response = await login(attacker, user.email, "wrong-password")
            assert_error(response, 401, "invalid_credentials")
        assert_error(await login(attacker, user.email), 429, "too_many_requests")
    # The owner, from an address with no failures, gets in with the right password.
    assert (await login(client, user.email)).status_code == 200


async def test_wrong_passwords_spread_over_many_addresses_meet_the_account_ceiling(
    app: Any, client: AsyncClient, make_user: UserFactory
) -> None:
    user = await make_user()
    settings = get_settings()
    ceiling = settings.LOGIN_ACCOUNT_CEILING

    async def guess_from(n: int) -> Any:
        async with client_from(app, f"127.1.{n // 256}.{n % 256}") as attacker:
            return await login(attacker, user.email, "wrong-password")

    # One guess from each of many addresses: none is held back by the others' guesses...
    for n in range(ceiling - 1):
        assert_error(await guess_from(n), 401, "invalid_credentials")
    # ...the owner still gets in, and that does not clear the others' count...
    assert (await login(client, user.email)).status_code == 200
    assert_error(await guess_from(ceiling - 1), 401, "invalid_credentials")
    # ...but past the ceiling every address waits, for the ceiling's window at most.
    assert_error(await guess_from(ceiling), 429, "too_many_requests")
    blocked = await login(client, user.email)
    assert_error(blocked, 429, "too_many_requests")
    assert 0 < int(blocked.headers["retry-after"]) <= settings.LOGIN_ACCOUNT_CEILING_WINDOW_SECONDS


async def test_login_is_throttled_per_address(
    app: Any, make_user: UserFactory, client: AsyncClient
) -> None:
    limit = get_settings().LOGIN_MAX_FAILURES_PER_IP
    users = [await make_user() for _ in range(2)]
    transport = ASGITransport(app=app, client=("198.51.100.7", 40000))
    async with AsyncClient(transport=transport, base_url="http://testserver") as attacker:
        for attempt in range(limit):
            response = await login(attacker, unique_email(f"spray{attempt}"), "wrong-password")
            assert_error(response, 401, "invalid_credentials")
        assert_error(await login(attacker, users[0].email), 429, "too_many_requests")
    # A shopper from another address logs in normally.
    assert (await login(client, users[1].email)).status_code == 200


async def test_successful_login_clears_the_account_counter(
    client: AsyncClient, make_user: UserFactory
) -> None:
    user = await make_user()
    limit = get_settings().LOGIN_MAX_FAILURES_PER_ACCOUNT_AND_IP
    for _ in range(limit - 1):
        await login(client, user.email, "wrong-password")
    assert (await login(client, user.email)).status_code == 200
    for _ in range(limit - 1):
        assert_error(await login(client, user.email, "wrong-password"), 401, "invalid_credentials")


async def test_login_form_validation(client: AsyncClient) -> None:
    response = await client.post("/api/v1/auth/login", data={"username": "a@example.com"})
    assert_error(response, 422, "validation_error")
    response = await client.post("/api/v1/auth/login", json={"username": "a", "password": "b"})
    assert_error(response, 422, "validation_error")


async def test_a_password_change_voids_earlier_access_tokens(
    client: AsyncClient, make_user: UserFactory
) -> None:
    user = await make_user()
    old = (await login(client, user.email)).json()["access_token"]
    changed = await client.post(
        "/api/v1/auth/change-password",
        json={"current_password": DEFAULT_PASSWORD, "new_password": "a-brand-new-passphrase"},
        headers={"Authorization": f"Bearer {old}"},
    )
    assert changed.status_code == 200
    new = changed.json()["access_token"]
    assert_error(
        await client.get("/api/v1/users/me", headers={"Authorization": f"Bearer {old}"}),
        401,
        "invalid_token",
    )
    me = await client.get("/api/v1/users/me", headers={"Authorization": f"Bearer {new}"})
    assert me.status_code == 200


async def test_successful_logins_do_not_use_up_the_address_budget(
    app: Any, make_user: UserFactory, client: AsyncClient
) -> None:
    user = await make_user()
    transport = ASGITransport(app=app, client=("198.51.100.8", 40000))
    async with AsyncClient(transport=transport, base_url="http://testserver") as office:
        for _ in range(get_settings().LOGIN_MAX_FAILURES_PER_IP + 5):
            assert (await login(office, user.email)).status_code == 200


async def test_redis_down_is_a_503_not_a_500(make_user: UserFactory) -> None:
    from app.core.embedded import free_port
    from app.main import create_app

    settings = get_settings().model_copy(update={"REDIS_URL": f"redis://127.0.0.1:{free_port()}/0"})
    app = create_app(settings)
    async with AsyncClient(transport=ASGITransport(app=app), base_url="http://t") as client:
        response = await login(client, unique_email())
    assert_error(response, 503, "unavailable")
    assert response.headers["retry-after"]


async def test_expired_refresh_tokens_are_purged_by_a_scheduled_job(
    client: AsyncClient, session: AsyncSession, make_user: UserFactory
) -> None:
    from app.accounts.tokens import purge_expired
    from app.worker import celery_app

    user = await make_user()
    await login(client, user.email)
    await login(client, user.email)
    stored = (
        await session.scalars(select(RefreshToken).where(RefreshToken.user_id == user.id))
    ).all()
    stored[0].expires_at = stored[0].created_at - timedelta(days=1)
    await session.flush()
    assert await purge_expired(session) >= 1
    left = (
        await session.scalars(select(RefreshToken.id).where(RefreshToken.user_id == user.id))
    ).all()
    assert left == [stored[1].id]
    celery_app.loader.import_default_modules()  # what a worker does when it starts
    schedule = celery_app.conf.beat_schedule["purge-expired-refresh-tokens"]
    assert schedule["task"] in celery_app.tasks
