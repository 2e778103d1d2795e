"""User administration: admins only, paginated and filtered, roles and deactivation."""

import uuid

import pytest
from httpx import AsyncClient

from app.accounts.models import Role
from tests.fixtures.app import AuthHeaders, UserFactory, assert_error


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
