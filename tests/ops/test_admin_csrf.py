"""Cross-site requests to the admin panel: nothing changes on a GET (actions and logout ask
first), every state-changing request needs the session's CSRF token (403 and nothing changed
without it), redirects stay on this site, and the cookie is SameSite=Strict."""

import html
import re

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from app.accounts.models import Profile, Role
from app.inventory.models import Warehouse
from app.orders.models import Order
from tests.fixtures.app import DEFAULT_PASSWORD
from tests.fixtures.orders import LiveShop
from tests.ops.conftest import CommittedUser, login, page_csrf_token, session_data
from tests.ops.test_admin_orders import placed_order

EVIL = "https://evil.example/next"


async def order_status(engine: AsyncEngine, order: Order) -> str:
    async with AsyncSession(engine) as session:
        return (await session.get_one(Order, order.id)).status


def refused(response: httpx.Response) -> None:
    assert response.status_code == 403, response.text[:500]
    assert response.json()["code"] == "csrf_failed"


async def test_an_action_is_asked_on_get_and_done_only_on_a_post_with_the_token(
    browser: httpx.AsyncClient,
    live_client: httpx.AsyncClient,
    live_shop: LiveShop,
    committed_user: CommittedUser,
    engine: AsyncEngine,
) -> None:
    order, _, _ = await placed_order(live_shop, live_client)
    operator = await committed_user(Role.OPERATOR)
    assert (await login(browser, operator.email)).status_code == 302
    token = browser.headers.pop("X-CSRF-Token")  # sent below by hand, or not at all
    action = f"/admin/order/action/mark-paid?pks={order.id}"

    # The attack as reported: a GET with a foreign Referer. It only asks, changing nothing.
    asked = await browser.get(action, headers={"Referer": EVIL})
    assert asked.status_code == 200, asked.text[:500]
    assert "Mark the selected pending orders as paid?" in asked.text
    assert "evil.example" not in asked.text
    form = html.unescape(asked.text)
    assert f'action="{action}"' in form
    assert f'name="csrf_token" value="{token}"' in form
    assert await order_status(engine, order) == "pending"

    # A POST without the token, or with another one, is refused and changes nothing.
    refused(await browser.post(action, headers={"Referer": EVIL}))
    refused(await browser.post(action, data={"csrf_token": "forged", "next": EVIL}))
    refused(await browser.post(action, headers={"X-CSRF-Token": token[:-2] + "xx"}))
    assert await order_status(engine, order) == "pending"

    # With the token it is done; a foreign `next` or Referer never becomes the redirect.
    done = await browser.post(
        action, data={"csrf_token": token, "next": EVIL}, headers={"Referer": EVIL}
    )
    assert done.status_code == 302
    assert done.headers["location"] == "https://testserver/admin/order/list"
    assert await order_status(engine, order) == "paid"
    # The page the confirmation came from, when it is ours, is where it goes back to.
    details = f"/admin/order/details/{order.id}"
    again = await browser.post(
        action.replace("mark-paid", "mark-shipped"), data={"csrf_token": token, "next": details}
    )
    assert (again.status_code, again.headers["location"]) == (302, details)
    assert await order_status(engine, order) == "shipped"


async def test_login_needs_the_login_pages_token_and_the_cookie_is_strict(
    browser: httpx.AsyncClient, committed_user: CommittedUser
) -> None:
    admin = await committed_user(Role.ADMIN)
    credentials = {"username": admin.email, "password": DEFAULT_PASSWORD}
    refused(await browser.post("/admin/login", data=credentials))
    token = page_csrf_token((await browser.get("/admin/login")).text)
    refused(await browser.post("/admin/login", data={**credentials, "csrf_token": "x" + token}))
    assert "user_id" not in session_data(browser)

    logged_in = await browser.post("/admin/login", data={**credentials, "csrf_token": token})
    assert logged_in.status_code == 302
    flags = {part.strip().lower() for part in logged_in.headers["set-cookie"].split(";")[1:]}
    assert {"samesite=strict", "httponly", "secure"} <= flags
    # A new session, a new token: the one from before the login is no longer accepted.
    page = (await browser.get("/admin/")).text
    assert page_csrf_token(page) != token
    assert 'name="csrf_token"' in page  # the script that puts it into every POST form


async def test_forms_and_deletes_need_the_token(
    browser: httpx.AsyncClient, committed_user: CommittedUser, engine: AsyncEngine
) -> None:
    admin = await committed_user(Role.ADMIN)
    async with AsyncSession(engine) as session:
        session.add(Profile(user_id=admin.id, first_name="Kept"))
        await session.commit()
    assert (await login(browser, admin.email)).status_code == 302
    token = browser.headers.pop("X-CSRF-Token")
    code = "CSRF-" + token[:6].upper().replace("_", "X").replace("-", "X")
    warehouse = {"code": code, "name": "Forged", "max_weight_kg": "10", "priority": "1"}

    refused(await browser.post("/admin/warehouse/create", data=warehouse))
    refused(await browser.post(f"/admin/profile/edit/{admin.id}", data={"first_name": "Forged"}))
    delete = f"/admin/profile/delete?pks={admin.id}"
    refused(await browser.delete(delete))
    async with AsyncSession(engine) as session:
        assert await session.scalar(select(Warehouse).where(Warehouse.code == code)) is None
        assert (await session.get_one(Profile, admin.id)).first_name == "Kept"

    # As SQLAdmin's own script sends it (with our header), the delete works.
    deleted = await browser.delete(delete, headers={"X-CSRF-Token": token, "Accept": "text/html"})
    assert deleted.status_code == 200
    assert re.fullmatch(r"https://testserver/admin/profile/list\??", deleted.text)
    async with AsyncSession(engine) as session:
        assert await session.get(Profile, admin.id) is None


async def test_logout_is_asked_on_get_and_needs_the_token(
    browser: httpx.AsyncClient, committed_user: CommittedUser
) -> None:
    admin = await committed_user(Role.ADMIN)
    assert (await login(browser, admin.email)).status_code == 302
    token = browser.headers.pop("X-CSRF-Token")

    asked = await browser.get("/admin/logout")
    assert asked.status_code == 200
    assert f'name="csrf_token" value="{token}"' in asked.text
    assert (await browser.get("/admin/user/list")).status_code == 200
    refused(await browser.post("/admin/logout"))
    assert (await browser.get("/admin/user/list")).status_code == 200

    out = await browser.post("/admin/logout", data={"csrf_token": token})
    assert out.status_code == 302
    assert (await browser.get("/admin/user/list")).status_code == 302
