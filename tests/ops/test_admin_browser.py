"""The admin panel in a real chromium, against a real uvicorn: with the CSRF token that its
pages put into forms and AJAX calls, login, a form, SQLAdmin's delete, actions from the
details and list pages (through the page that asks) and logout all work as clicked."""

import json
import uuid

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from app.accounts.models import Profile, Role
from app.inventory.models import Warehouse
from app.orders.models import Order
from tests.fixtures.api_server import ApiServer
from tests.fixtures.app import DEFAULT_PASSWORD
from tests.fixtures.chromium import MISSING_CHROMIUM, Page, chromium_page
from tests.fixtures.orders import LiveShop
from tests.ops.conftest import ADMIN_PREFIX, CommittedUser
from tests.ops.test_admin_orders import placed_order

pytestmark = pytest.mark.skipif(MISSING_CHROMIUM is not None, reason=MISSING_CHROMIUM or "")
CONFIRM = "document.querySelector('form[method=POST] button[type=submit]').click()"


async def fill(page: Page, fields: dict[str, str]) -> None:
    for name, value in fields.items():
        await page.js(f"document.querySelector('[name={name}]').value = {json.dumps(value)}")


async def order_status(engine: AsyncEngine, order: Order) -> str:
    async with AsyncSession(engine) as session:
        return (await session.get_one(Order, order.id)).status


async def test_the_panel_works_as_clicked_in_a_browser(
    api_server: ApiServer,
    committed_user: CommittedUser,
    engine: AsyncEngine,
    live_shop: LiveShop,
    live_client: httpx.AsyncClient,
    cleanup_warehouses: None,
) -> None:
    first, _, _ = await placed_order(live_shop, live_client)
    second, _, _ = await placed_order(live_shop, live_client)
    admin, customer = await committed_user(Role.ADMIN), await committed_user(Role.CUSTOMER)
    async with AsyncSession(engine) as session:
        session.add(Profile(user_id=customer.id, first_name="Deleted in the browser"))
        await session.commit()
    base = api_server.url
    async with chromium_page() as page:
        await page.goto(f"{base}/admin/login")
        await fill(page, {"username": admin.email, "password": DEFAULT_PASSWORD})
        await page.loads("document.querySelector('button[type=submit]').click()")
        assert await page.path() == "/admin/"

        code = f"{ADMIN_PREFIX}{uuid.uuid4().hex[:6].upper()}"
        await page.goto(f"{base}/admin/warehouse/create")
        await fill(page, {"code": code, "name": "Made in a browser", "max_weight_kg": "10"})
        await page.loads("document.querySelector('form[method=POST] [type=submit]').click()")
        assert await page.path() == "/admin/warehouse/list"
        async with AsyncSession(engine) as session:
            assert await session.scalar(select(Warehouse).where(Warehouse.code == code))

        # SQLAdmin's delete: its modal, then its AJAX DELETE (with our header).
        await page.goto(f"{base}/admin/profile/details/{customer.id}")
        await page.js("document.querySelector('[data-bs-target=\"#modal-delete\"]').click()")
        await page.until("document.querySelector('#modal-delete-button').dataset.url")
        await page.loads("document.querySelector('#modal-delete-button').click()")
        assert await page.path() == "/admin/profile/list"
        async with AsyncSession(engine) as session:
            assert await session.get(Profile, customer.id) is None

        # An action from the details page: its link asks first; the answer goes back there.
        details = f"/admin/order/details/{first.id}"
        await page.goto(f"{base}{details}")
        await page.loads(
            "[...document.querySelectorAll('a')]"
            ".find(a => a.textContent.trim() === 'Mark paid').click()"
        )
        assert await page.path() == f"/admin/order/action/mark-paid?pks={first.id}"
        assert await order_status(engine, first) == "pending"
        await page.loads(CONFIRM)
        assert await page.path() == details
        assert await order_status(engine, first) == "paid"

        # From the list: a row selected, the Actions menu, then the same question.
        listing = f"/admin/order/list?search={second.number}"
        await page.goto(f"{base}{listing}")
        await page.js("document.querySelector('input.select-box').checked = true")
        await page.loads("document.querySelector('#action-custom-mark-paid').click()")
        assert await order_status(engine, second) == "pending"
        await page.loads(CONFIRM)
        assert await page.path() == listing
        assert await order_status(engine, second) == "paid"
        assert f"Marked paid: {second.number}" in await page.js("document.body.innerText")

        await page.loads("document.querySelector('a[href$=\"/admin/logout\"]').click()")
        assert await page.path() == "/admin/logout"
        await page.loads(CONFIRM)
        await page.goto(f"{base}/admin/user/list")
        assert await page.path() == "/admin/login"
