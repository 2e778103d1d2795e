"""The stock API contract (DESIGN.md), its refusals of bad requests: a clear 4xx and stock and
journal exactly as they were. Refusals of well-formed operations (stock, capacity,
reservations): test_stores_operations.py."""

from typing import Any

import pytest
from httpx import AsyncClient
from sqlalchemy.ext.asyncio import AsyncSession

from tests.fixtures.app import assert_error
from tests.fixtures.inventory import (
    STORE_CALLS,
    STORES_URL,
    Snapshot,
    StockedFactory,
    WarehouseFactory,
    snapshot,
    store_group_operation,
    store_operation,
    unchanged,
)


@pytest.mark.parametrize(
    "quantity",
    # 1.0 is not here: JSON (and its Schema) has one number 1, however it is written.
    [0, -1, 1.5, "10", True, None, 2**31, 10**30, [1], {"n": 1}],
    ids=repr,
)
@pytest.mark.parametrize("operation", ["supply", "demand"])
async def test_a_quantity_that_is_not_a_positive_integer_is_refused(
    client: AsyncClient,
    session: AsyncSession,
    staff_headers: dict[str, str],
    make_stocked: StockedFactory,
    operation: str,
    quantity: Any,
) -> None:
    warehouse, product = await make_stocked(10)

    async with unchanged(session, [warehouse.id]):
        single = await store_operation(
            client, staff_headers, warehouse.code, operation, product.sku, quantity
        )
        group = await store_group_operation(
            client, staff_headers, warehouse.code, operation, (product.sku, quantity)
        )

        assert_error(single, 422, "validation_error")
        assert_error(group, 422, "validation_error")


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"operation": "supply", "item_id": "X"},
        {"operation": "supply", "quantity": 1},
        {"item_id": "X", "quantity": 1},
        {"operation": "steal", "item_id": "X", "quantity": 1},
        {"operation": "supply", "item_id": "", "quantity": 1},
        {"operation": "supply", "item_id": 12, "quantity": 1},
    ],
    ids=repr,
)
async def test_a_malformed_operation_is_refused(
    client: AsyncClient,
    session: AsyncSession,
    staff_headers: dict[str, str],
    make_warehouse: WarehouseFactory,
    body: dict[str, Any],
) -> None:
    warehouse = await make_warehouse()
    response = await client.post(f"{STORES_URL}/{warehouse.code}", json=body, headers=staff_headers)
    assert_error(response, 422, "validation_error")
    assert await snapshot(session, [warehouse.id]) == Snapshot([], 0)


@pytest.mark.parametrize(
    "body",
    [
        {"operation": "supply", "items": []},
        {"operation": "supply"},
        {"operation": "supply", "items": [{"item_id": "a", "quantity": 1}, {"item_id": "A"}]},
        {"operation": "supply", "items": {"item_id": "A", "quantity": 1}},
    ],
    ids=["empty", "missing", "no-quantity", "not-a-list"],
)
async def test_a_malformed_group_is_refused(
    client: AsyncClient,
    staff_headers: dict[str, str],
    make_warehouse: WarehouseFactory,
    body: dict[str, Any],
) -> None:
    warehouse = await make_warehouse()
    response = await client.post(
        f"{STORES_URL}/{warehouse.code}/group_op", json=body, headers=staff_headers
    )
    assert_error(response, 422, "validation_error")


async def test_a_duplicate_item_in_a_group_is_named(
    client: AsyncClient, staff_headers: dict[str, str], make_warehouse: WarehouseFactory
) -> None:
    warehouse = await make_warehouse()
    response = await store_group_operation(
        client, staff_headers, warehouse.code, "supply", ("dup-1", 1), ("DUP-1", 2)
    )
    body = assert_error(response, 422, "duplicate_items")
    assert "DUP-1 is listed twice" in body["detail"]


async def test_unknown_items_are_refused_and_nothing_changes(
    client: AsyncClient,
    session: AsyncSession,
    staff_headers: dict[str, str],
    make_stocked: StockedFactory,
) -> None:
    warehouse, known = await make_stocked(10)

    async with unchanged(session, [warehouse.id]):
        for operation in ("supply", "demand"):
            single = await store_operation(
                client, staff_headers, warehouse.code, operation, "NO-SUCH-SKU", 1
            )
            body = assert_error(single, 404, "item_not_found")
            assert "NO-SUCH-SKU" in body["detail"]
            group = await store_group_operation(
                client,
                staff_headers,
                warehouse.code,
                operation,
                (known.sku, 1),
                ("NO-SUCH-SKU", 1),
            )
            assert_error(group, 404, "item_not_found")


@pytest.mark.parametrize(("method", "suffix", "body"), STORE_CALLS)
async def test_an_unknown_store_is_a_404(
    client: AsyncClient,
    staff_headers: dict[str, str],
    method: str,
    suffix: str,
    body: dict[str, Any] | None,
) -> None:
    response = await client.request(
        method, f"{STORES_URL}/NO-SUCH-STORE{suffix}", json=body, headers=staff_headers
    )
    assert_error(response, 404, "store_not_found")


async def test_an_inactive_store_reports_but_refuses_operations(
    client: AsyncClient,
    session: AsyncSession,
    staff_headers: dict[str, str],
    make_stocked: StockedFactory,
) -> None:
    warehouse, product = await make_stocked(3)
    warehouse.is_active = False
    await session.flush()

    async with unchanged(session, [warehouse.id]):
        report = await client.get(f"{STORES_URL}/{warehouse.code}", headers=staff_headers)
        assert report.status_code == 200
        for operation in ("supply", "demand"):
            response = await store_operation(
                client, staff_headers, warehouse.code, operation, product.sku, 1
            )
            assert_error(response, 409, "warehouse_inactive")
        assert_error(
            await client.post(f"{STORES_URL}/{warehouse.code}/clean", headers=staff_headers),
            409,
            "warehouse_inactive",
        )


async def test_a_quantity_that_overflows_the_stock_is_refused(
    client: AsyncClient,
    session: AsyncSession,
    staff_headers: dict[str, str],
    make_stocked: StockedFactory,
) -> None:
    warehouse, product = await make_stocked(
        2**31 - 10, max_weight_kg="999999999.999", weight_kg="0.001"
    )
    async with unchanged(session, [warehouse.id]):
        response = await store_operation(
            client, staff_headers, warehouse.code, "supply", product.sku, 100
        )
        assert_error(response, 422, "invalid_value")
