"""The admin panel writes through the services the API uses, in one transaction whose
after-commit work runs once committed: a heavier product weight gets the warehouse capacity
check, the last active admin survives two admins demoting each other at once (the guard's row
lock, against a real server), and an admin's write sends its e-mail after the commit, none
when it is refused."""

import asyncio
import html
import uuid
from collections.abc import AsyncIterator

import httpx
import pytest
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from app.accounts.models import Role, User
from app.catalog.models import Product
from app.core.security import verify_password
from tests.fixtures.api_server import ApiServer
from tests.fixtures.app import DEFAULT_PASSWORD, assert_error
from tests.fixtures.inventory import LiveInventory
from tests.fixtures.mail import CeleryWorker, SmtpServer
from tests.ops.conftest import CommittedUser, login

RACE_ROUNDS = 8


def product_form(product: Product, **changes: str) -> dict[str, str]:
    """The product's edit form as the panel shows it, with `changes`."""
    form = {
        "sku": product.sku,
        "slug": product.slug,
        "name": product.name,
        "description": product.description,
        "price": str(product.price),
        "weight_kg": str(product.weight_kg),
        "category": str(product.category_id),
        "is_published": "y" if product.is_published else "",
    }
    return {**form, **changes}


async def stored_product(engine: AsyncEngine, product_id: uuid.UUID) -> Product:
    async with AsyncSession(engine) as session:
        return await session.get_one(Product, product_id)


async def test_a_heavier_weight_gets_the_capacity_check_the_api_runs(
    browser: httpx.AsyncClient,
    live_client: httpx.AsyncClient,
    committed_user: CommittedUser,
    live_inventory: LiveInventory,
    engine: AsyncEngine,
) -> None:
    warehouse = await live_inventory.warehouse(max_weight_kg="10.000")
    product = await live_inventory.product(weight_kg="1.000")
    await live_inventory.put(warehouse, product, 8)  # 8 kg of at most 10
    operator = await committed_user(Role.OPERATOR)
    assert (await login(browser, operator.email)).status_code == 302

    # The API refuses 2 kg a unit (16 kg in a 10 kg warehouse)…
    api = await live_client.patch(
        f"/api/v1/products/{product.id}",
        json={"weight_kg": "2.000", "name": "Heavier by API"},
        headers=live_inventory.headers,
    )
    detail = assert_error(api, 409, "capacity_exceeded")["detail"]
    assert warehouse.code in detail
    # …and so does the admin panel, with the same message, changing nothing.
    refused = await browser.post(
        f"/admin/product/edit/{product.id}",
        data=product_form(product, weight_kg="2.000", name="Heavier in admin"),
    )
    assert refused.status_code == 400, refused.text[:500]
    assert detail in html.unescape(refused.text)
    unchanged = await stored_product(engine, product.id)
    assert (unchanged.weight_kg, unchanged.name) == (product.weight_kg, product.name)

    # A weight the warehouse can take (9.6 kg) is saved.
    accepted = await browser.post(
        f"/admin/product/edit/{product.id}",
        data=product_form(product, weight_kg="1.200", name="A little heavier"),
    )
    assert accepted.status_code == 302, accepted.text[:2000]
    changed = await stored_product(engine, product.id)
    assert (str(changed.weight_kg), changed.name) == ("1.200", "A little heavier")
    assert await live_inventory.level(warehouse, product) == (8, 0)


# --- the last admin --------------------------------------------------------------------------


async def active_admins(engine: AsyncEngine) -> set[uuid.UUID]:
    async with AsyncSession(engine) as session:
        return set(
            await session.scalars(
                select(User.id).where(User.role == Role.ADMIN.value, User.is_active)
            )
        )


@pytest.fixture
async def only_these_admins(engine: AsyncEngine) -> AsyncIterator[None]:
    """Any other active admin (left by other tests) deactivated while the test runs, so that
    the test's admins are the last ones; reactivated afterwards."""
    others = await active_admins(engine)
    async with engine.begin() as connection:
        await connection.execute(update(User).where(User.id.in_(others)).values(is_active=False))
    try:
        yield
    finally:
        async with engine.begin() as connection:
            await connection.execute(update(User).where(User.id.in_(others)).values(is_active=True))


def demote_form(user: User, *, role: str = "customer", active: bool = True) -> dict[str, str]:
    form = {"email": user.email, "role": role, "is_verified": "y"}
    return {**form, "is_active": "y"} if active else form


async def test_two_admins_demoting_each_other_at_once_leave_one_admin(
    api_server: ApiServer,
    committed_user: CommittedUser,
    only_these_admins: None,
    engine: AsyncEngine,
) -> None:
    """Against a real uvicorn: each request its own transaction, really committed."""
    first, second = await committed_user(Role.ADMIN), await committed_user(Role.ADMIN)
    assert await active_admins(engine) == {first.id, second.id}
    async with (
        httpx.AsyncClient(base_url=api_server.url, timeout=30) as first_browser,
        httpx.AsyncClient(base_url=api_server.url, timeout=30) as second_browser,
    ):
        for round_number in range(RACE_ROUNDS):
            # A demotion ends the demoted admin's panel sessions for good (even once undone):
            # both log in afresh for every round.
            assert (await login(first_browser, first.email)).status_code == 302
            assert (await login(second_browser, second.email)).status_code == 302
            responses = await asyncio.gather(
                first_browser.post(f"/admin/user/edit/{second.id}", data=demote_form(second)),
                second_browser.post(f"/admin/user/edit/{first.id}", data=demote_form(first)),
            )
            left = await active_admins(engine)
            statuses = [response.status_code for response in responses]
            assert len(left) == 1, f"round {round_number}: admins left {left}, {statuses}"
            # The one refused was told why (or was already out: demoted before its request).
            for response in responses:
                if response.status_code == 400:
                    assert "at least one active admin" in html.unescape(response.text)
            async with engine.begin() as connection:
                await connection.execute(
                    update(User)
                    .where(User.id.in_([first.id, second.id]))
                    .values(role=Role.ADMIN.value, is_active=True)
                )

        # Alone, an admin cannot demote nor deactivate the last admin (themself).
        async with engine.begin() as connection:
            await connection.execute(
                update(User).where(User.id == second.id).values(role=Role.CUSTOMER.value)
            )
        assert (await login(first_browser, first.email)).status_code == 302
        for form in (demote_form(first), demote_form(first, role="admin", active=False)):
            refused = await first_browser.post(f"/admin/user/edit/{first.id}", data=form)
            assert refused.status_code == 400, refused.text[:500]
        assert await active_admins(engine) == {first.id}


# --- after the commit ------------------------------------------------------------------------


async def test_an_admins_new_password_is_mailed_after_the_commit_and_not_when_refused(
    browser: httpx.AsyncClient,
    committed_user: CommittedUser,
    engine: AsyncEngine,
    celery_worker: CeleryWorker,
    smtp_server: SmtpServer,
) -> None:
    admin = await committed_user(Role.ADMIN)
    operator = await committed_user(Role.OPERATOR)
    assert (await login(browser, admin.email)).status_code == 302

    # Refused (an admin cannot demote themself): the password stays, no e-mail is sent.
    refused = await browser.post(
        f"/admin/user/edit/{admin.id}",
        data={**demote_form(admin, role="operator"), "password": "a-refused-new-password"},
    )
    assert refused.status_code == 400, refused.text[:500]
    # Accepted: the operator's new password is committed, then the owner is told.
    changed = await browser.post(
        f"/admin/user/edit/{operator.id}",
        data={**demote_form(operator, role="operator"), "password": "an-admin-set-password"},
    )
    assert changed.status_code == 302, changed.text[:2000]

    message = smtp_server.wait_for(operator.email, subject_contains="password was changed")
    assert message["To"] == operator.email
    async with AsyncSession(engine) as session:
        stored = {
            user.id: user
            for user in await session.scalars(
                select(User).where(User.id.in_([admin.id, operator.id]))
            )
        }
    assert await verify_password("an-admin-set-password", stored[operator.id].hashed_password)
    assert await verify_password(DEFAULT_PASSWORD, stored[admin.id].hashed_password)
    assert stored[admin.id].role == Role.ADMIN.value
    # The refused write's e-mail would have been queued first, so it would be here by now.
    assert smtp_server.messages_to(admin.email) == []
