"""The admin panel: our own login (argon2, signed cookie), what each role sees, users'
passwords hashed and never shown, read-only stock and journal, warehouses through the
inventory service; and the check-admin endpoint nginx uses for /flower."""

import re
import uuid

import httpx
from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from app.accounts import tokens
from app.accounts.models import Role, User
from app.admin.auth import SESSION_COOKIE, SESSION_ID
from app.core.config import get_settings
from app.core.security import verify_password
from app.inventory.models import Warehouse
from tests.fixtures.app import DEFAULT_PASSWORD, client_from, live_email
from tests.fixtures.inventory import LiveInventory
from tests.ops.conftest import ADMIN_PREFIX, CommittedUser, login, session_data


async def test_anonymous_users_are_sent_to_the_login_page(browser: httpx.AsyncClient) -> None:
    for path in ("/admin/", "/admin/user/list", "/admin/product/list"):
        response = await browser.get(path)
        assert response.status_code == 302, path
        assert response.headers["location"].endswith("/admin/login")
    page = await browser.get("/admin/login")
    assert page.status_code == 200
    assert 'name="password"' in page.text


async def test_customers_and_wrong_passwords_are_refused(
    browser: httpx.AsyncClient, committed_user: CommittedUser
) -> None:
    customer = await committed_user(Role.CUSTOMER)
    refused = await login(browser, customer.email)
    assert refused.status_code == 400
    assert set(session_data(browser)) <= {"csrf"}  # the login form's token, nobody logged in
    assert (await browser.get("/admin/product/list")).status_code == 302

    admin = await committed_user(Role.ADMIN)
    wrong = await login(browser, admin.email, "not-the-password")
    assert wrong.status_code == 400
    assert set(session_data(browser)) <= {"csrf"}


async def test_wrong_passwords_from_elsewhere_do_not_lock_an_admin_out(
    app: FastAPI, browser: httpx.AsyncClient, committed_user: CommittedUser
) -> None:
    admin = await committed_user(Role.ADMIN)
    async with client_from(app, "198.51.100.40", "https://testserver") as attacker:
        for _ in range(get_settings().LOGIN_MAX_FAILURES_PER_ACCOUNT_AND_IP):
            assert (await login(attacker, admin.email, "not-the-password")).status_code == 400
        # That address is stopped now, even with the right password...
        assert (await login(attacker, admin.email)).status_code == 400
        assert SESSION_ID not in session_data(attacker)
    # ...but the admin, from their own address, gets in.
    assert (await login(browser, admin.email)).status_code == 302
    assert SESSION_ID in session_data(browser)


async def test_an_admin_logs_in_with_a_signed_http_only_secure_cookie(
    browser: httpx.AsyncClient, committed_user: CommittedUser
) -> None:
    admin = await committed_user(Role.ADMIN)
    response = await login(browser, admin.email.upper())
    assert response.status_code == 302, response.text
    cookie = response.headers["set-cookie"]
    assert cookie.startswith(f"{SESSION_COOKIE}=")
    flags = {part.strip().lower() for part in cookie.split(";")[1:]}
    assert {"httponly", "secure", "samesite=strict", "path=/"} <= flags
    assert DEFAULT_PASSWORD not in cookie
    assert admin.email not in cookie

    for view in (
        "user",
        "profile",
        "refresh-token",
        "category",
        "product",
        "product-image",
        "warehouse",
        "stock",
        "stock-movement",
        "inventory-task",
        "order",
        "order-item",
        "order-allocation",
        "cart",
        "cart-item",
    ):
        page = await browser.get(f"/admin/{view}/list")
        assert page.status_code == 200, (view, page.text[:500])

    # A forged cookie is nobody.
    browser.cookies.set(SESSION_COOKIE, cookie.split(";")[0].split("=", 1)[1][:-3] + "xyz")
    assert (await browser.get("/admin/user/list")).status_code == 302


async def test_the_cookie_is_not_secure_over_plain_http(
    app: FastAPI, committed_user: CommittedUser
) -> None:
    admin = await committed_user(Role.ADMIN)
    transport = httpx.ASGITransport(app=app, client=("192.0.2.31", 50000))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        response = await login(client, admin.email)
    assert response.status_code == 302
    assert "secure" not in response.headers["set-cookie"].lower()


async def test_operators_see_catalog_and_inventory_only(
    browser: httpx.AsyncClient, committed_user: CommittedUser
) -> None:
    operator = await committed_user(Role.OPERATOR)
    assert (await login(browser, operator.email)).status_code == 302
    for view in (
        "category",
        "product",
        "product-image",
        "warehouse",
        "stock",
        "stock-movement",
        "inventory-task",
        "order",
        "order-item",
        "order-allocation",
        "cart",
        "cart-item",
    ):
        assert (await browser.get(f"/admin/{view}/list")).status_code == 200, view
    for view in ("user", "profile", "refresh-token", "idempotency-key"):
        assert (await browser.get(f"/admin/{view}/list")).status_code in (403, 404), view
    index = await browser.get("/admin/")
    assert "/admin/product/list" in index.text
    assert "/admin/user/list" not in index.text


async def test_a_demoted_or_deactivated_account_is_out_at_its_next_request(
    browser: httpx.AsyncClient, committed_user: CommittedUser, engine: AsyncEngine
) -> None:
    operator = await committed_user(Role.OPERATOR)
    assert (await login(browser, operator.email)).status_code == 302
    assert (await browser.get("/admin/product/list")).status_code == 200
    async with AsyncSession(engine) as session:
        user = await session.get_one(User, operator.id)
        user.role = Role.CUSTOMER.value
        await session.commit()
    assert (await browser.get("/admin/product/list")).status_code == 302


def csrf_free_form(**fields: str) -> dict[str, str]:
    return dict(fields.items())


async def test_admins_create_users_with_a_hashed_password_never_shown(
    browser: httpx.AsyncClient, committed_user: CommittedUser, engine: AsyncEngine
) -> None:
    admin = await committed_user(Role.ADMIN)
    assert (await login(browser, admin.email)).status_code == 302
    email = live_email("made-in-admin")
    form = (await browser.get("/admin/user/create")).text
    assert 'name="password"' in form
    assert "hashed_password" not in form

    missing = await browser.post(
        "/admin/user/create", data={"email": email, "role": "operator", "is_active": "y"}
    )
    assert missing.status_code == 400
    assert "needs a password" in missing.text
    weak = await browser.post(
        "/admin/user/create",
        data={"email": email, "role": "operator", "is_active": "y", "password": "password"},
    )
    assert weak.status_code == 400
    assert "too common" in weak.text or "at least 8" in weak.text

    created = await browser.post(
        "/admin/user/create",
        data={
            "email": email.upper(),
            "role": "operator",
            "is_active": "y",
            "password": "a-new-staff-password",
        },
    )
    assert created.status_code == 302, created.text
    async with AsyncSession(engine) as session:
        user = await session.scalar(select(User).where(User.email == email))
    assert user is not None
    assert user.role == "operator"
    assert user.hashed_password.startswith("$argon2id$")
    assert await verify_password("a-new-staff-password", user.hashed_password)

    details = await browser.get(f"/admin/user/details/{user.id}")
    assert details.status_code == 200
    assert user.hashed_password not in details.text
    assert "hashed_password" not in details.text
    edit_form = await browser.get(f"/admin/user/edit/{user.id}")
    assert user.hashed_password not in edit_form.text
    exported = await browser.get("/admin/user/export/csv")
    assert exported.status_code == 200
    assert "$argon2" not in exported.text

    # A new password through the edit form: hashed, and the old sessions end.
    async with AsyncSession(engine) as session:
        await tokens.issue_token_pair(session, user)
        await session.commit()
    edited = await browser.post(
        f"/admin/user/edit/{user.id}",
        data={
            "email": email,
            "role": "operator",
            "is_active": "y",
            "is_verified": "y",
            "password": "another-staff-password",
        },
    )
    assert edited.status_code == 302, edited.text
    async with AsyncSession(engine) as session:
        user = await session.get_one(User, user.id)
        live_tokens = await session.scalars(
            select(tokens.RefreshToken).where(
                tokens.RefreshToken.user_id == user.id, tokens.RefreshToken.revoked_at.is_(None)
            )
        )
        assert list(live_tokens) == []
    assert await verify_password("another-staff-password", user.hashed_password)
    # Editing without a password keeps it.
    kept = await browser.post(
        f"/admin/user/edit/{user.id}",
        data={"email": email, "role": "customer", "is_verified": "y", "password": ""},
    )
    assert kept.status_code == 302, kept.text
    async with AsyncSession(engine) as session:
        again = await session.get_one(User, user.id)
    assert again.hashed_password == user.hashed_password
    assert again.role == "customer"
    assert (await browser.get(f"/admin/user/delete?pks={user.id}")).status_code in (403, 404, 405)


async def test_an_admin_cannot_demote_themself(
    browser: httpx.AsyncClient, committed_user: CommittedUser, engine: AsyncEngine
) -> None:
    admin = await committed_user(Role.ADMIN)
    assert (await login(browser, admin.email)).status_code == 302
    response = await browser.post(
        f"/admin/user/edit/{admin.id}",
        data={"email": admin.email, "role": "operator", "is_active": "y", "is_verified": "y"},
    )
    assert response.status_code == 400
    assert "their own role" in response.text
    async with AsyncSession(engine) as session:
        assert (await session.get_one(User, admin.id)).role == "admin"


async def test_stock_and_journal_are_read_only(
    browser: httpx.AsyncClient, committed_user: CommittedUser, live_inventory: LiveInventory
) -> None:
    warehouse = await live_inventory.warehouse()
    product = await live_inventory.product()
    await live_inventory.put(warehouse, product, 5)
    admin = await committed_user(Role.ADMIN)
    assert (await login(browser, admin.email)).status_code == 302

    journal = await browser.get("/admin/stock-movement/list")
    assert journal.status_code == 200
    assert str(product.id) in journal.text or product.sku in journal.text
    for view in ("stock", "stock-movement"):
        assert (await browser.get(f"/admin/{view}/create")).status_code == 403, view
        listing = (await browser.get(f"/admin/{view}/list")).text
        assert f"/admin/{view}/create" not in listing
        assert f"/admin/{view}/edit/" not in listing
    assert await live_inventory.level(warehouse, product) == (5, 0)


async def test_warehouses_are_created_and_changed_through_the_inventory_service(
    browser: httpx.AsyncClient,
    committed_user: CommittedUser,
    engine: AsyncEngine,
    cleanup_warehouses: None,
) -> None:
    operator = await committed_user(Role.OPERATOR)
    assert (await login(browser, operator.email)).status_code == 302
    code = f"{ADMIN_PREFIX}{uuid.uuid4().hex[:6]}"
    fields = {
        "name": "Admin-made",
        "address": "",
        "max_weight_kg": "250",
        "priority": "3",
        "is_active": "y",
    }
    created = await browser.post("/admin/warehouse/create", data={"code": code.lower(), **fields})
    assert created.status_code == 302, created.text
    async with AsyncSession(engine) as session:
        warehouse = await session.scalar(select(Warehouse).where(Warehouse.code == code.upper()))
    assert warehouse is not None
    assert warehouse.priority == 3

    taken = await browser.post("/admin/warehouse/create", data={"code": code, **fields})
    assert taken.status_code == 400
    assert "already exists" in taken.text

    edit_form = await browser.get(f"/admin/warehouse/edit/{warehouse.id}")
    assert edit_form.status_code == 200
    assert not re.search(r'name="code"', edit_form.text)
    changed = await browser.post(
        f"/admin/warehouse/edit/{warehouse.id}",
        data={**fields, "name": "Renamed", "code": "HIJACK"},
    )
    assert changed.status_code == 302, changed.text
    async with AsyncSession(engine) as session:
        again = await session.get_one(Warehouse, warehouse.id)
    assert (again.code, again.name) == (code.upper(), "Renamed")


async def test_check_admin_answers_nginx_for_flower(
    browser: httpx.AsyncClient,
    live_client: httpx.AsyncClient,
    committed_user: CommittedUser,
    engine: AsyncEngine,
) -> None:
    assert (await browser.get("/api/v1/auth/check-admin")).status_code == 401
    operator = await committed_user(Role.OPERATOR)
    assert (await login(browser, operator.email)).status_code == 302
    assert (await browser.get("/api/v1/auth/check-admin")).status_code == 403
    browser.cookies.clear()
    admin = await committed_user(Role.ADMIN)
    assert (await login(browser, admin.email)).status_code == 302
    assert (await browser.get("/api/v1/auth/check-admin")).status_code == 204

    async with AsyncSession(engine) as session:
        pair, _ = await tokens.issue_token_pair(session, admin)
        await session.commit()
    bearer = {"Authorization": f"Bearer {pair.access_token}"}
    assert (await live_client.get("/api/v1/auth/check-admin", headers=bearer)).status_code == 204
    bad = {"Authorization": "Bearer nonsense"}
    assert (await live_client.get("/api/v1/auth/check-admin", headers=bad)).status_code == 401
    forged = {"Cookie": f"{SESSION_COOKIE}=eyJ1c2VyX2lkIjogIngifQ==.forged.sig"}
    assert (await live_client.get("/api/v1/auth/check-admin", headers=forged)).status_code == 401


async def test_operators_edit_products(
    browser: httpx.AsyncClient,
    committed_user: CommittedUser,
    live_inventory: LiveInventory,
    engine: AsyncEngine,
) -> None:
    from app.catalog.models import Product

    product = await live_inventory.product()
    operator = await committed_user(Role.OPERATOR)
    assert (await login(browser, operator.email)).status_code == 302
    listing = await browser.get("/admin/product/list", params={"search": product.sku})
    assert listing.status_code == 200
    assert product.sku in listing.text
    assert (await browser.get(f"/admin/product/details/{product.id}")).status_code == 200
    form = await browser.get(f"/admin/product/edit/{product.id}")
    assert form.status_code == 200, form.text[:300]
    changed = await browser.post(
        f"/admin/product/edit/{product.id}",
        data={
            "sku": product.sku.lower(),
            "slug": product.slug,
            "name": "Renamed in admin",
            "description": "",
            "price": "2.50",
            "weight_kg": "1.5",
            "category": str(live_inventory.category_id),
            "is_published": "y",
        },
    )
    assert changed.status_code == 302, changed.text[:2000]
    async with AsyncSession(engine) as session:
        again = await session.get_one(Product, product.id)
    assert (again.sku, again.name, str(again.price)) == (product.sku, "Renamed in admin", "2.50")


def test_each_app_keeps_its_own_admin_sessions() -> None:
    """SQLAdmin configures view classes: a second app (as tests make) must not rebind the
    first one's panel to its database."""
    from app.core.config import get_settings
    from app.main import create_app

    first = create_app(get_settings())
    second = create_app(get_settings())
    assert first.state.admin.views
    for view in first.state.admin.views:
        assert view.session_maker is first.state.sessionmaker
    for view in second.state.admin.views:
        assert view.session_maker is second.state.sessionmaker
