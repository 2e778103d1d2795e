"""Admin sessions live in Redis and can be ended from the server: a copied cookie is nobody's
after logout; a role change (even one changed back) or a new password ends the user's
sessions."""

import httpx
from fastapi import FastAPI
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from app.accounts import tokens
from app.accounts.models import Role, User
from app.admin.auth import SESSION_COOKIE
from tests.ops.conftest import CommittedUser, login


def copy_of(app: FastAPI, browser: httpx.AsyncClient) -> httpx.AsyncClient:
    """Another client with the browser's admin cookie, as whoever copied it."""
    transport = httpx.ASGITransport(app=app, client=("192.0.2.40", 50000))
    copy = httpx.AsyncClient(transport=transport, base_url="https://testserver")
    copy.cookies.set(SESSION_COOKIE, browser.cookies[SESSION_COOKIE])
    return copy


async def works(client: httpx.AsyncClient) -> bool:
    response = await client.get("/admin/product/list")
    assert response.status_code in (200, 302), response.status_code
    return response.status_code == 200


async def test_a_copied_cookie_stops_working_at_logout(
    app: FastAPI, browser: httpx.AsyncClient, committed_user: CommittedUser
) -> None:
    admin = await committed_user(Role.ADMIN)
    assert (await login(browser, admin.email)).status_code == 302
    async with copy_of(app, browser) as copy:
        assert await works(copy)
        assert (await copy.get("/api/v1/auth/check-admin")).status_code == 204
        out = await browser.post("/admin/logout")  # the token: login() set the header
        assert out.status_code == 302
        assert not await works(copy)
        assert (await copy.get("/api/v1/auth/check-admin")).status_code == 401


async def test_a_role_change_or_a_new_password_ends_the_users_sessions(
    app: FastAPI,
    browser: httpx.AsyncClient,
    committed_user: CommittedUser,
    engine: AsyncEngine,
) -> None:
    staff, boss = await committed_user(Role.ADMIN), await committed_user(Role.ADMIN)
    assert (await login(browser, staff.email)).status_code == 302
    transport = httpx.ASGITransport(app=app, client=("192.0.2.41", 50000))
    async with httpx.AsyncClient(transport=transport, base_url="https://testserver") as panel:
        assert (await login(panel, boss.email)).status_code == 302

        async def edit_staff(**fields: str) -> None:
            form = {"email": staff.email, "is_active": "y", "is_verified": "y", **fields}
            response = await panel.post(f"/admin/user/edit/{staff.id}", data=form)
            assert response.status_code == 302, response.text[:500]

        # Demoted and promoted again in the panel, with no request in between: out.
        async with copy_of(app, browser) as copy:
            assert await works(copy)
            await edit_staff(role="customer")
            await edit_staff(role="admin")
            assert not await works(copy)
            assert not await works(browser)

        # The same change made elsewhere (here straight in the database): the next request
        # finds the role changed and ends the session, which the old role does not revive.
        assert (await login(browser, staff.email)).status_code == 302
        async with copy_of(app, browser) as copy:
            for role in (Role.CUSTOMER, Role.ADMIN):
                async with engine.begin() as connection:
                    await connection.execute(
                        update(User).where(User.id == staff.id).values(role=role.value)
                    )
                assert not await works(copy)
            assert not await works(browser)

        # A new password, set in the panel: out.
        assert (await login(browser, staff.email)).status_code == 302
        assert await works(browser)
        await edit_staff(role="admin", password="a-brand-new-password")
        assert not await works(browser)


async def test_a_role_changed_and_changed_back_through_the_api_ends_the_sessions(
    app: FastAPI,
    browser: httpx.AsyncClient,
    live_client: httpx.AsyncClient,
    committed_user: CommittedUser,
    engine: AsyncEngine,
) -> None:
    staff, boss = await committed_user(Role.OPERATOR), await committed_user(Role.ADMIN)
    async with AsyncSession(engine) as session:
        pair, _ = await tokens.issue_token_pair(session, boss)
        await session.commit()
    bearer = {"Authorization": f"Bearer {pair.access_token}"}
    assert (await login(browser, staff.email)).status_code == 302
    async with copy_of(app, browser) as copy:
        assert await works(copy)
        for role in ("customer", "operator"):
            response = await live_client.patch(
                f"/api/v1/users/{staff.id}", json={"role": role}, headers=bearer
            )
            assert response.status_code == 200, response.text
        assert not await works(copy)
