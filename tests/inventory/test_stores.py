"""The stock API contract (DESIGN.md) to the letter: shapes, operations, all-or-nothing
groups, cleaning, and every refusal leaving stock and journal exactly as they were."""

from typing import Any

import pytest
from httpx import AsyncClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts.models import Role
from app.inventory.models import MovementKind, StockMovement
from tests.fixtures.app import AuthHeaders, UserFactory, assert_error
from tests.fixtures.catalog import ProductFactory
from tests.fixtures.inventory import (
    Snapshot,
    StockFactory,
    WarehouseFactory,
    assert_journal_agrees,
    snapshot,
)

URL = "/api/v1/stores"


def report(code: str, *lines: tuple[str, int]) -> dict[str, Any]:
    return {
        "store": {
            "store_id": code,
            "report": [{"item_id": sku, "quantity": quantity} for sku, quantity in lines],
        }
    }


async def test_get_reports_every_line_by_item_id(
    client: AsyncClient,
    staff_headers: dict[str, str],
    make_warehouse: WarehouseFactory,
    make_product: ProductFactory,
    make_stock: StockFactory,
) -> None:
    warehouse = await make_warehouse()
    b = await make_product(sku="B-200")
    a = await make_product(sku="A-100")
    await make_stock(warehouse, b, 7)
    await make_stock(warehouse, a, 3, reserved=2)

    response = await client.get(f"{URL}/{warehouse.code}", headers=staff_headers)

    assert response.status_code == 200, response.text
    # quantity is on hand: reserved units are still in the warehouse.
    assert response.json() == report(warehouse.code, ("A-100", 3), ("B-200", 7))


async def test_an_empty_store_reports_an_empty_list(
    client: AsyncClient, staff_headers: dict[str, str], make_warehouse: WarehouseFactory
) -> None:
    warehouse = await make_warehouse()
    response = await client.get(f"{URL}/{warehouse.code}", headers=staff_headers)
    assert response.json() == report(warehouse.code)


async def test_store_id_and_item_id_are_case_insensitive(
    client: AsyncClient,
    staff_headers: dict[str, str],
    make_warehouse: WarehouseFactory,
    make_product: ProductFactory,
) -> None:
    warehouse = await make_warehouse(code="MAIN-1")
    await make_product(sku="TEE-M")
    response = await client.post(
        f"{URL}/main-1",
        json={"operation": "supply", "item_id": "tee-m", "quantity": 4},
        headers=staff_headers,
    )
    assert response.status_code == 200, response.text
    assert response.json() == report(warehouse.code, ("TEE-M", 4))


async def test_supply_then_demand(
    client: AsyncClient,
    session: AsyncSession,
    staff_headers: dict[str, str],
    make_warehouse: WarehouseFactory,
    make_product: ProductFactory,
) -> None:
    warehouse = await make_warehouse()
    product = await make_product(sku="CUP-1")

    supplied = await client.post(
        f"{URL}/{warehouse.code}",
        json={"operation": "supply", "item_id": "CUP-1", "quantity": 10},
        headers=staff_headers,
    )
    assert supplied.status_code == 200, supplied.text
    assert supplied.json() == report(warehouse.code, ("CUP-1", 10))

    demanded = await client.post(
        f"{URL}/{warehouse.code}",
        json={"operation": "demand", "item_id": "CUP-1", "quantity": 4},
        headers=staff_headers,
    )
    assert demanded.status_code == 200, demanded.text
    assert demanded.json() == report(warehouse.code, ("CUP-1", 6))

    rows = (
        await session.scalars(
            select(StockMovement)
            .where(StockMovement.warehouse_id == warehouse.id)
            .order_by(StockMovement.id)
        )
    ).all()
    assert [(row.kind, row.quantity, row.quantity_after) for row in rows] == [
        ("supply", 10, 10),
        ("demand", -4, 6),
    ]
    assert all(row.product_id == product.id and row.user_id is not None for row in rows)
    await assert_journal_agrees(session, [warehouse.id])


async def test_demanding_everything_available_leaves_zero(
    client: AsyncClient,
    staff_headers: dict[str, str],
    make_warehouse: WarehouseFactory,
    make_product: ProductFactory,
    make_stock: StockFactory,
) -> None:
    warehouse = await make_warehouse()
    product = await make_product()
    await make_stock(warehouse, product, 5)
    response = await client.post(
        f"{URL}/{warehouse.code}",
        json={"operation": "demand", "item_id": product.sku, "quantity": 5},
        headers=staff_headers,
    )
    assert response.json() == report(warehouse.code, (product.sku, 0))


async def test_demand_counts_only_what_is_not_reserved(
    client: AsyncClient,
    session: AsyncSession,
    staff_headers: dict[str, str],
    make_warehouse: WarehouseFactory,
    make_product: ProductFactory,
    make_stock: StockFactory,
) -> None:
    warehouse = await make_warehouse()
    product = await make_product()
    await make_stock(warehouse, product, 10, reserved=8)
    before = await snapshot(session, [warehouse.id])

    refused = await client.post(
        f"{URL}/{warehouse.code}",
        json={"operation": "demand", "item_id": product.sku, "quantity": 3},
        headers=staff_headers,
    )
    body = assert_error(refused, 409, "insufficient_stock")
    assert "available: 2" in body["detail"]
    assert await snapshot(session, [warehouse.id]) == before

    accepted = await client.post(
        f"{URL}/{warehouse.code}",
        json={"operation": "demand", "item_id": product.sku, "quantity": 2},
        headers=staff_headers,
    )
    assert accepted.json() == report(warehouse.code, (product.sku, 8))


async def test_group_supply_and_demand(
    client: AsyncClient,
    session: AsyncSession,
    staff_headers: dict[str, str],
    make_warehouse: WarehouseFactory,
    make_product: ProductFactory,
) -> None:
    warehouse = await make_warehouse()
    for sku in ("G-3", "G-1", "G-2"):
        await make_product(sku=sku)

    supplied = await client.post(
        f"{URL}/{warehouse.code}/group_op",
        json={
            "operation": "supply",
            "items": [
                {"item_id": "G-3", "quantity": 30},
                {"item_id": "G-1", "quantity": 10},
                {"item_id": "G-2", "quantity": 20},
            ],
        },
        headers=staff_headers,
    )
    assert supplied.status_code == 200, supplied.text
    assert supplied.json() == report(warehouse.code, ("G-1", 10), ("G-2", 20), ("G-3", 30))

    demanded = await client.post(
        f"{URL}/{warehouse.code}/group_op",
        json={
            "operation": "demand",
            "items": [{"item_id": "G-2", "quantity": 20}, {"item_id": "G-1", "quantity": 1}],
        },
        headers=staff_headers,
    )
    assert demanded.status_code == 200, demanded.text
    assert demanded.json() == report(warehouse.code, ("G-1", 9), ("G-2", 0), ("G-3", 30))
    await assert_journal_agrees(session, [warehouse.id])


async def test_group_demand_is_all_or_nothing(
    client: AsyncClient,
    session: AsyncSession,
    staff_headers: dict[str, str],
    make_warehouse: WarehouseFactory,
    make_product: ProductFactory,
    make_stock: StockFactory,
) -> None:
    warehouse = await make_warehouse()
    plenty, scarce = await make_product(sku="PLENTY"), await make_product(sku="SCARCE")
    await make_stock(warehouse, plenty, 100)
    await make_stock(warehouse, scarce, 2)
    before = await snapshot(session, [warehouse.id])

    response = await client.post(
        f"{URL}/{warehouse.code}/group_op",
        json={
            "operation": "demand",
            "items": [{"item_id": "PLENTY", "quantity": 50}, {"item_id": "SCARCE", "quantity": 3}],
        },
        headers=staff_headers,
    )

    body = assert_error(response, 409, "insufficient_stock")
    assert "SCARCE" in body["detail"]
    assert await snapshot(session, [warehouse.id]) == before


async def test_group_demand_of_an_item_never_stocked_is_refused(
    client: AsyncClient,
    session: AsyncSession,
    staff_headers: dict[str, str],
    make_warehouse: WarehouseFactory,
    make_product: ProductFactory,
    make_stock: StockFactory,
) -> None:
    warehouse = await make_warehouse()
    stocked, elsewhere = await make_product(), await make_product()
    await make_stock(warehouse, stocked, 5)
    before = await snapshot(session, [warehouse.id])
    response = await client.post(
        f"{URL}/{warehouse.code}/group_op",
        json={
            "operation": "demand",
            "items": [
                {"item_id": stocked.sku, "quantity": 1},
                {"item_id": elsewhere.sku, "quantity": 1},
            ],
        },
        headers=staff_headers,
    )
    assert_error(response, 409, "insufficient_stock")
    assert await snapshot(session, [warehouse.id]) == before


async def test_supply_beyond_the_weight_capacity_is_refused(
    client: AsyncClient,
    session: AsyncSession,
    staff_headers: dict[str, str],
    make_warehouse: WarehouseFactory,
    make_product: ProductFactory,
    make_stock: StockFactory,
) -> None:
    warehouse = await make_warehouse(max_weight_kg="10.000")
    heavy = await make_product(weight_kg="2.500")
    light = await make_product(weight_kg="0.100")
    await make_stock(warehouse, heavy, 3)  # 7.5 kg
    before = await snapshot(session, [warehouse.id])

    single = await client.post(
        f"{URL}/{warehouse.code}",
        json={"operation": "supply", "item_id": heavy.sku, "quantity": 2},  # +5 kg
        headers=staff_headers,
    )
    body = assert_error(single, 409, "capacity_exceeded")
    assert "7.500 kg of at most 10.000 kg" in body["detail"]
    group = await client.post(
        f"{URL}/{warehouse.code}/group_op",
        json={
            "operation": "supply",
            "items": [
                {"item_id": light.sku, "quantity": 5},  # +0.5 kg
                {"item_id": heavy.sku, "quantity": 1},  # +2.5 kg: 10.5 in all
            ],
        },
        headers=staff_headers,
    )
    assert_error(group, 409, "capacity_exceeded")
    assert await snapshot(session, [warehouse.id]) == before

    # Exactly full is allowed.
    full = await client.post(
        f"{URL}/{warehouse.code}",
        json={"operation": "supply", "item_id": heavy.sku, "quantity": 1},
        headers=staff_headers,
    )
    assert full.status_code == 200, full.text


async def test_clean_zeroes_every_quantity(
    client: AsyncClient,
    session: AsyncSession,
    staff_headers: dict[str, str],
    make_warehouse: WarehouseFactory,
    make_product: ProductFactory,
    make_stock: StockFactory,
) -> None:
    warehouse = await make_warehouse()
    other = await make_warehouse()
    a, b = await make_product(sku="CL-A"), await make_product(sku="CL-B")
    await make_stock(warehouse, a, 4)
    await make_stock(warehouse, b, 9)
    await make_stock(other, a, 6)

    response = await client.post(f"{URL}/{warehouse.code}/clean", headers=staff_headers)

    assert response.status_code == 200, response.text
    assert response.json() == report(warehouse.code, ("CL-A", 0), ("CL-B", 0))
    untouched = await client.get(f"{URL}/{other.code}", headers=staff_headers)
    assert untouched.json() == report(other.code, ("CL-A", 6))
    cleaned = (
        await session.scalars(
            select(StockMovement).where(
                StockMovement.warehouse_id == warehouse.id,
                StockMovement.kind == MovementKind.CLEAN.value,
            )
        )
    ).all()
    assert sorted((row.quantity, row.quantity_after) for row in cleaned) == [(-9, 0), (-4, 0)]
    await assert_journal_agrees(session, [warehouse.id, other.id])

    again = await client.post(f"{URL}/{warehouse.code}/clean", headers=staff_headers)
    assert again.json() == report(warehouse.code, ("CL-A", 0), ("CL-B", 0))


async def test_clean_is_refused_while_stock_is_reserved(
    client: AsyncClient,
    session: AsyncSession,
    staff_headers: dict[str, str],
    make_warehouse: WarehouseFactory,
    make_product: ProductFactory,
    make_stock: StockFactory,
) -> None:
    warehouse = await make_warehouse()
    await make_stock(warehouse, await make_product(), 4)
    await make_stock(warehouse, await make_product(), 5, reserved=1)
    before = await snapshot(session, [warehouse.id])

    response = await client.post(f"{URL}/{warehouse.code}/clean", headers=staff_headers)

    assert_error(response, 409, "stock_reserved")
    assert await snapshot(session, [warehouse.id]) == before


# --- refusals: a clear 4xx and nothing changed ----------------------------------------------


@pytest.mark.parametrize(
    "quantity",
    [0, -1, 1.5, 1.0, "10", True, None, 2**31, 10**30, [1], {"n": 1}],
    ids=repr,
)
@pytest.mark.parametrize("operation", ["supply", "demand"])
async def test_a_quantity_that_is_not_a_positive_integer_is_refused(
    client: AsyncClient,
    session: AsyncSession,
    staff_headers: dict[str, str],
    make_warehouse: WarehouseFactory,
    make_product: ProductFactory,
    make_stock: StockFactory,
    operation: str,
    quantity: Any,
) -> None:
    warehouse = await make_warehouse()
    product = await make_product()
    await make_stock(warehouse, product, 10)
    before = await snapshot(session, [warehouse.id])

    single = await client.post(
        f"{URL}/{warehouse.code}",
        json={"operation": operation, "item_id": product.sku, "quantity": quantity},
        headers=staff_headers,
    )
    group = await client.post(
        f"{URL}/{warehouse.code}/group_op",
        json={"operation": operation, "items": [{"item_id": product.sku, "quantity": quantity}]},
        headers=staff_headers,
    )

    assert_error(single, 422, "validation_error")
    assert_error(group, 422, "validation_error")
    assert await snapshot(session, [warehouse.id]) == before


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
    response = await client.post(f"{URL}/{warehouse.code}", json=body, headers=staff_headers)
    assert_error(response, 422, "validation_error")
    assert await snapshot(session, [warehouse.id]) == Snapshot([], 0)


@pytest.mark.parametrize(
    "body",
    [
        {"operation": "supply", "items": []},
        {"operation": "supply"},
        {"operation": "supply", "items": [{"item_id": "A", "quantity": 1}] * 2},
        {"operation": "supply", "items": [{"item_id": "a", "quantity": 1}, {"item_id": "A"}]},
        {"operation": "supply", "items": {"item_id": "A", "quantity": 1}},
    ],
    ids=["empty", "missing", "duplicate", "duplicate-any-case", "not-a-list"],
)
async def test_a_malformed_group_is_refused(
    client: AsyncClient,
    staff_headers: dict[str, str],
    make_warehouse: WarehouseFactory,
    body: dict[str, Any],
) -> None:
    warehouse = await make_warehouse()
    response = await client.post(
        f"{URL}/{warehouse.code}/group_op", json=body, headers=staff_headers
    )
    assert_error(response, 422, "validation_error")


async def test_a_duplicate_item_in_a_group_is_named(
    client: AsyncClient, staff_headers: dict[str, str], make_warehouse: WarehouseFactory
) -> None:
    warehouse = await make_warehouse()
    response = await client.post(
        f"{URL}/{warehouse.code}/group_op",
        json={
            "operation": "supply",
            "items": [{"item_id": "dup-1", "quantity": 1}, {"item_id": "DUP-1", "quantity": 2}],
        },
        headers=staff_headers,
    )
    body = assert_error(response, 422, "validation_error")
    assert "DUP-1 is listed twice" in body["detail"]


async def test_unknown_items_are_refused_and_nothing_changes(
    client: AsyncClient,
    session: AsyncSession,
    staff_headers: dict[str, str],
    make_warehouse: WarehouseFactory,
    make_product: ProductFactory,
    make_stock: StockFactory,
) -> None:
    warehouse = await make_warehouse()
    known = await make_product()
    await make_stock(warehouse, known, 10)
    before = await snapshot(session, [warehouse.id])

    for operation in ("supply", "demand"):
        single = await client.post(
            f"{URL}/{warehouse.code}",
            json={"operation": operation, "item_id": "NO-SUCH-SKU", "quantity": 1},
            headers=staff_headers,
        )
        body = assert_error(single, 404, "item_not_found")
        assert "NO-SUCH-SKU" in body["detail"]
        group = await client.post(
            f"{URL}/{warehouse.code}/group_op",
            json={
                "operation": operation,
                "items": [
                    {"item_id": known.sku, "quantity": 1},
                    {"item_id": "NO-SUCH-SKU", "quantity": 1},
                ],
            },
            headers=staff_headers,
        )
        assert_error(group, 404, "item_not_found")

    assert await snapshot(session, [warehouse.id]) == before


@pytest.mark.parametrize(
    ("method", "suffix", "body"),
    [
        ("GET", "", None),
        ("POST", "", {"operation": "supply", "item_id": "X", "quantity": 1}),
        ("POST", "/group_op", {"operation": "supply", "items": [{"item_id": "X", "quantity": 1}]}),
        ("POST", "/clean", None),
        ("GET", "/xlsx_report", None),
    ],
)
async def test_an_unknown_store_is_a_404(
    client: AsyncClient,
    staff_headers: dict[str, str],
    method: str,
    suffix: str,
    body: dict[str, Any] | None,
) -> None:
    response = await client.request(
        method, f"{URL}/NO-SUCH-STORE{suffix}", json=body, headers=staff_headers
    )
    assert_error(response, 404, "store_not_found")


async def test_an_inactive_store_reports_but_refuses_operations(
    client: AsyncClient,
    session: AsyncSession,
    staff_headers: dict[str, str],
    make_warehouse: WarehouseFactory,
    make_product: ProductFactory,
    make_stock: StockFactory,
) -> None:
    warehouse = await make_warehouse()
    product = await make_product()
    await make_stock(warehouse, product, 3)
    warehouse.is_active = False
    await session.flush()
    before = await snapshot(session, [warehouse.id])

    assert (await client.get(f"{URL}/{warehouse.code}", headers=staff_headers)).status_code == 200
    for operation in ("supply", "demand"):
        response = await client.post(
            f"{URL}/{warehouse.code}",
            json={"operation": operation, "item_id": product.sku, "quantity": 1},
            headers=staff_headers,
        )
        assert_error(response, 409, "warehouse_inactive")
    assert_error(
        await client.post(f"{URL}/{warehouse.code}/clean", headers=staff_headers),
        409,
        "warehouse_inactive",
    )
    assert await snapshot(session, [warehouse.id]) == before


async def test_a_quantity_that_overflows_the_stock_is_refused(
    client: AsyncClient,
    session: AsyncSession,
    staff_headers: dict[str, str],
    make_warehouse: WarehouseFactory,
    make_product: ProductFactory,
    make_stock: StockFactory,
) -> None:
    warehouse = await make_warehouse(max_weight_kg="999999999.999")
    product = await make_product(weight_kg="0.001")
    await make_stock(warehouse, product, 2**31 - 10)
    before = await snapshot(session, [warehouse.id])
    response = await client.post(
        f"{URL}/{warehouse.code}",
        json={"operation": "supply", "item_id": product.sku, "quantity": 100},
        headers=staff_headers,
    )
    assert_error(response, 422, "invalid_value")
    assert await snapshot(session, [warehouse.id]) == before


# --- who may call it -----------------------------------------------------------------------

CALLS: list[tuple[str, str, dict[str, Any] | None]] = [
    ("GET", "", None),
    ("POST", "", {"operation": "supply", "item_id": "X", "quantity": 1}),
    ("POST", "/group_op", {"operation": "supply", "items": [{"item_id": "X", "quantity": 1}]}),
    ("POST", "/clean", None),
    ("GET", "/xlsx_report", None),
]


@pytest.mark.parametrize(("method", "suffix", "body"), CALLS)
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
        anonymous = await client.request(method, f"{URL}/{store}{suffix}", json=body)
        assert_error(anonymous, 401, "not_authenticated")
        customer = await client.request(
            method, f"{URL}/{store}{suffix}", json=body, headers=customer_headers
        )
        assert_error(customer, 403, "insufficient_role")


async def test_admins_may_call_it(
    client: AsyncClient,
    admin_headers: dict[str, str],
    make_warehouse: WarehouseFactory,
) -> None:
    warehouse = await make_warehouse()
    response = await client.get(f"{URL}/{warehouse.code}", headers=admin_headers)
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
    await client.post(
        f"{URL}/{warehouse.code}",
        json={"operation": "supply", "item_id": product.sku, "quantity": 1},
        headers=await auth_headers(operator),
    )
    user_ids = await session.scalars(
        select(StockMovement.user_id).where(StockMovement.warehouse_id == warehouse.id)
    )
    assert list(user_ids) == [operator.id]
