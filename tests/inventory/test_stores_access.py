"""The stock API contract (DESIGN.md), who may call it: staff and admins only, on every
endpoint, and the journal records which user made each change."""

from typing import Any

import pytest
from httpx import AsyncClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts.models import Role
from app.inventory.models import StockMovement
from tests.fixtures.app import AuthHeaders, UserFactory, assert_error
from tests.fixtures.catalog import ProductFactory
from tests.fixtures.inventory import STORE_CALLS, STORES_URL, WarehouseFactory, store_operation


@pytest.mark.parametrize(("method", "suffix", "body"), STORE_CALLS)
async def test_anonymous_callers_get_401_and_customers_403(
    client: AsyncClient,
    customer_headers: dict[str, str],
    make_warehouse: WarehouseFactory,
    method: str,
    suffix: str,
    body: dict[str, Any] | None,
) -> None:
    warehouse = await make_warehouse()
    for store in (warehouse.code, "NO-SUCH-STORE"):
        anonymous = await client.request(method, f"{STORES_URL}/{store}{suffix}", json=body)
        assert_error(anonymous, 401, "not_authenticated")
        customer = await client.request(
            method, f"{STORES_URL}/{store}{suffix}", json=body, headers=customer_headers
        )
        assert_error(customer, 403, "insufficient_role")


async def test_admins_may_call_it(
    client: AsyncClient,
    admin_headers: dict[str, str],
    make_warehouse: WarehouseFactory,
) -> None:
    warehouse = await make_warehouse()
    response = await client.get(f"{STORES_URL}/{warehouse.code}", headers=admin_headers)
    assert response.status_code == 200


async def test_the_journal_records_who(
    client: AsyncClient,
    session: AsyncSession,
    make_user: UserFactory,
    auth_headers: AuthHeaders,
    make_warehouse: WarehouseFactory,
    make_product: ProductFactory,
) -> None:
    operator = await make_user(role=Role.OPERATOR)
    warehouse = await make_warehouse()
    product = await make_product()
    await store_operation(
        client, await auth_headers(operator), warehouse.code, "supply", product.sku, 1
    )
    user_ids = await session.scalars(
        select(StockMovement.user_id).where(StockMovement.warehouse_id == warehouse.id)
    )
    assert list(user_ids) == [operator.id]
