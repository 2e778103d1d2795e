"""User administration: admins only, paginated and filtered, roles and deactivation."""

import asyncio
import uuid

import pytest
from httpx import AsyncClient
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from app.accounts.models import Role, User
from app.accounts.tokens import create_access_token
from tests.fixtures.app import (
    DEFAULT_PASSWORD,
    AuthHeaders,
    UserFactory,
    assert_error,
    live_email,
)


@pytest.mark.parametrize("role", [Role.CUSTOMER, Role.OPERATOR])
async def test_non_admins_are_forbidden(
    client: AsyncClient, make_user: UserFactory, auth_headers: AuthHeaders, role: Role
) -> None:
    user = await make_user(role=role)
    headers = await auth_headers(user)
    assert_error(await client.get("/api/v1/users", headers=headers), 403, "insufficient_role")
    assert_error(
        await client.get(f"/api/v1/users/{user.id}", headers=headers), 403, "insufficient_role"
    )
    response = await client.patch(
        f"/api/v1/users/{user.id}", json={"role": "admin"}, headers=headers
    )
    assert_error(response, 403, "insufficient_role")


async def test_anonymous_is_401_not_403(client: AsyncClient) -> None:
    assert_error(await client.get("/api/v1/users"), 401, "not_authenticated")


async def test_list_filters_and_paginates(
    client: AsyncClient, make_user: UserFactory, auth_headers: AuthHeaders
) -> None:
    admin = await make_user(role=Role.ADMIN)
    headers = await auth_headers(admin)
    marker = uuid.uuid4().hex[:10]
    operators = [
        await make_user(email=f"op-{marker}-{i}@example.com", role=Role.OPERATOR) for i in range(3)
    ]
    await make_user(email=f"cu-{marker}@example.com")

    page1 = await client.get(
        "/api/v1/users", params={"email": marker, "role": "operator", "size": 2}, headers=headers
    )
    assert page1.status_code == 200
    body = page1.json()
    assert (body["total"], body["page"], body["size"], len(body["items"])) == (3, 1, 2, 2)
    page2 = await client.get(
        "/api/v1/users",
        params={"email": marker.upper(), "role": "operator", "size": 2, "page": 2},
        headers=headers,
    )
    items = body["items"] + page2.json()["items"]
    assert {item["email"] for item in items} == {user.email for user in operators}
    beyond = await client.get("/api/v1/users", params={"email": marker, "page": 9}, headers=headers)
    assert beyond.json()["items"] == []
    assert beyond.json()["total"] == 4


@pytest.mark.parametrize("params", [{"size": 0}, {"size": 101}, {"page": 0}, {"role": "superuser"}])
async def test_list_rejects_bad_parameters(
    client: AsyncClient,
    make_user: UserFactory,
    auth_headers: AuthHeaders,
    params: dict[str, object],
) -> None:
    headers = await auth_headers(await make_user(role=Role.ADMIN))
    assert_error(
        await client.get("/api/v1/users", params=params, headers=headers), 422, "validation_error"
    )


async def test_admin_reads_and_updates_a_user(
    client: AsyncClient, make_user: UserFactory, auth_headers: AuthHeaders
) -> None:
    admin = await make_user(role=Role.ADMIN)
    headers = await auth_headers(admin)
    user = await make_user()
    read = await client.get(f"/api/v1/users/{user.id}", headers=headers)
    assert read.json()["email"] == user.email

    promoted = await client.patch(
        f"/api/v1/users/{user.id}", json={"role": "operator"}, headers=headers
    )
    assert promoted.json()["role"] == "operator"
    user_headers = await auth_headers(user)
    deactivated = await client.patch(
        f"/api/v1/users/{user.id}", json={"is_active": False}, headers=headers
    )
    assert deactivated.json()["is_active"] is False
    assert_error(await client.get("/api/v1/users/me", headers=user_headers), 403, "inactive_user")


async def test_admin_cannot_lock_themselves_out(
    client: AsyncClient, make_user: UserFactory, auth_headers: AuthHeaders
) -> None:
    admin = await make_user(role=Role.ADMIN)
    headers = await auth_headers(admin)
    for change in ({"role": "customer"}, {"is_active": False}):
        response = await client.patch(f"/api/v1/users/{admin.id}", json=change, headers=headers)
        assert_error(response, 409, "cannot_modify_self")
    same = await client.patch(f"/api/v1/users/{admin.id}", json={"role": "admin"}, headers=headers)
    assert same.status_code == 200


async def test_unknown_and_malformed_user_ids(
    client: AsyncClient, make_user: UserFactory, auth_headers: AuthHeaders
) -> None:
    headers = await auth_headers(await make_user(role=Role.ADMIN))
    user = await make_user()
    user_id = user.id
    assert_error(
        await client.get(f"/api/v1/users/{uuid.uuid4()}", headers=headers), 404, "user_not_found"
    )
    assert_error(await client.get("/api/v1/users/42", headers=headers), 422, "validation_error")
    bad_role = await client.patch(
        f"/api/v1/users/{user_id}", json={"role": "root"}, headers=headers
    )
    assert_error(bad_role, 422, "validation_error")
    assert (await client.get(f"/api/v1/users/{user_id}", headers=headers)).json()["role"] == (
        "customer"
    )


async def test_deactivation_ends_the_users_sessions(
    client: AsyncClient, make_user: UserFactory, auth_headers: AuthHeaders
) -> None:
    admin_headers = await auth_headers(await make_user(role=Role.ADMIN))
    user = await make_user()
    pair = (
        await client.post(
            "/api/v1/auth/login", data={"username": user.email, "password": DEFAULT_PASSWORD}
        )
    ).json()
    await client.patch(f"/api/v1/users/{user.id}", json={"is_active": False}, headers=admin_headers)
    await client.patch(f"/api/v1/users/{user.id}", json={"is_active": True}, headers=admin_headers)
    # Reactivated, but the sessions from before stay revoked.
    refreshed = await client.post(
        "/api/v1/auth/refresh", json={"refresh_token": pair["refresh_token"]}
    )
    assert_error(refreshed, 401, "invalid_refresh_token")


async def test_a_deleted_account_cannot_be_reactivated(
    client: AsyncClient, make_user: UserFactory, auth_headers: AuthHeaders
) -> None:
    admin_headers = await auth_headers(await make_user(role=Role.ADMIN))
    user = await make_user()
    user_id = user.id
    deleted = await client.request(
        "DELETE",
        "/api/v1/users/me",
        json={"current_password": DEFAULT_PASSWORD},
        headers=await auth_headers(user),
    )
    assert deleted.status_code == 204
    response = await client.patch(
        f"/api/v1/users/{user_id}", json={"is_active": True}, headers=admin_headers
    )
    assert_error(response, 409, "account_deleted")


async def test_two_admins_demoting_each_other_at_once_leave_one_admin(
    live_client: AsyncClient, engine: AsyncEngine
) -> None:
    admins = []
    async with AsyncSession(engine, expire_on_commit=False) as session:
        # The only admins: every other admin of the test database is inactive meanwhile.
        others = list(
            await session.scalars(select(User).where(User.role == Role.ADMIN.value, User.is_active))
        )
        for other in others:
            other.is_active = False
        for _ in range(2):
            admin = User(
                id=uuid.uuid4(),
                email=live_email("admin"),
                hashed_password="!unusable",
                role=Role.ADMIN.value,
                is_verified=True,
            )
            session.add(admin)
            admins.append(admin)
        await session.commit()
    try:
        headers = [{"Authorization": f"Bearer {create_access_token(a)}"} for a in admins]
        answers = await asyncio.gather(
            live_client.patch(
                f"/api/v1/users/{admins[1].id}", json={"role": "customer"}, headers=headers[0]
            ),
            live_client.patch(
                f"/api/v1/users/{admins[0].id}", json={"role": "customer"}, headers=headers[1]
            ),
        )
        statuses = sorted(answer.status_code for answer in answers)
        # One wins; the other finds itself demoted (403) or the last admin (409).
        assert statuses[0] == 200
        assert statuses[1] in {403, 409}
        async with engine.connect() as connection:
            remaining = await connection.scalar(
                select(func.count())
                .select_from(User)
                .where(User.id.in_([a.id for a in admins]), User.role == Role.ADMIN.value)
            )
        assert remaining == 1
    finally:
        async with AsyncSession(engine) as session:
            for other in others:
                await session.execute(
                    update(User).where(User.id == other.id).values(is_active=True)
                )
            await session.commit()
