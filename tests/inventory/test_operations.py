"""Back-office stock operations over REST: supplies with their cost, counts (adjustments) and
transfers; each refusal leaves stock and journal as they were."""

from decimal import Decimal
from typing import Any

import pytest
from httpx import AsyncClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.inventory.models import MovementKind, StockMovement
from tests.fixtures.app import assert_error
from tests.fixtures.catalog import ProductFactory
from tests.fixtures.inventory import (
    StockedFactory,
    StockFactory,
    WarehouseFactory,
    assert_journal_agrees,
    snapshot,
)

URL = "/api/v1/warehouses"


async def _movements(session: AsyncSession, warehouse_id: Any) -> list[StockMovement]:
    rows = await session.scalars(
        select(StockMovement)
        .where(StockMovement.warehouse_id == warehouse_id)
        .order_by(StockMovement.id)
    )
    return list(rows)


# --- supply --------------------------------------------------------------------------------


async def test_supply_records_the_unit_cost(
    client: AsyncClient,
    session: AsyncSession,
    staff_headers: dict[str, str],
    make_warehouse: WarehouseFactory,
    make_product: ProductFactory,
) -> None:
    warehouse = await make_warehouse()
    await make_product(sku="SUP-A", weight_kg="1.000")
    await make_product(sku="SUP-B", weight_kg="2.000")

    response = await client.post(
        f"{URL}/{warehouse.code}/supply",
        json={
            "items": [
                {"sku": "sup-b", "quantity": 2, "unit_cost": "4.5"},
                {"sku": "SUP-A", "quantity": 3},
            ],
            "note": "delivery 42",
        },
        headers=staff_headers,
    )

    assert response.status_code == 200, response.text
    assert [
        (line["sku"], line["on_hand"], line["total_weight_kg"]) for line in response.json()
    ] == [
        ("SUP-A", 3, "3.000"),
        ("SUP-B", 2, "4.000"),
    ]
    rows = await _movements(session, warehouse.id)
    assert [(row.kind, row.quantity, row.unit_cost, row.note) for row in rows] == [
        ("supply", 3, None, "delivery 42"),
        ("supply", 2, Decimal("4.50"), "delivery 42"),
    ]


@pytest.mark.parametrize(
    "body",
    [
        {"items": []},
        {"items": [{"sku": "A", "quantity": 0}]},
        {"items": [{"sku": "A", "quantity": 1, "unit_cost": "-1"}]},
        {"items": [{"sku": "A", "quantity": 1, "unit_cost": "0.001"}]},
        {"items": [{"sku": "A", "quantity": 1, "unit_cost": 4.5}]},
        {"items": [{"sku": "A", "quantity": 1, "unit_cost": "1e3"}]},
        {"items": [{"sku": "A", "quantity": 1}], "note": "x" * 501},
    ],
    ids=[
        "empty",
        "zero",
        "negative-cost",
        "sub-cent",
        "cost-with-a-fraction",
        "exponent",
        "long-note",
    ],
)
async def test_invalid_supplies_are_refused(
    client: AsyncClient,
    staff_headers: dict[str, str],
    make_warehouse: WarehouseFactory,
    body: dict[str, Any],
) -> None:
    warehouse = await make_warehouse()
    response = await client.post(f"{URL}/{warehouse.code}/supply", json=body, headers=staff_headers)
    assert_error(response, 422, "validation_error")


async def test_an_item_listed_twice_is_refused_by_its_own_rule(
    client: AsyncClient, staff_headers: dict[str, str], make_warehouse: WarehouseFactory
) -> None:
    """Schema-valid (the document cannot say "unique SKUs"), so not a validation_error."""
    warehouse = await make_warehouse()
    body = {"items": [{"sku": "A", "quantity": 1}, {"sku": "a", "quantity": 1}]}
    response = await client.post(f"{URL}/{warehouse.code}/supply", json=body, headers=staff_headers)
    body = assert_error(response, 422, "duplicate_items")
    assert "A is listed twice" in body["detail"]


# --- adjust --------------------------------------------------------------------------------


async def test_adjust_sets_the_counted_quantity_and_journals_the_difference(
    client: AsyncClient,
    session: AsyncSession,
    staff_headers: dict[str, str],
    make_warehouse: WarehouseFactory,
    make_product: ProductFactory,
    make_stock: StockFactory,
) -> None:
    warehouse = await make_warehouse()
    product = await make_product(sku="COUNT-1", weight_kg="0.500")
    await make_stock(warehouse, product, 10, reserved=2)

    down = await client.post(
        f"{URL}/{warehouse.code}/adjust",
        json={"sku": "count-1", "counted": 7, "reason": "3 broken"},
        headers=staff_headers,
    )
    assert down.status_code == 200, down.text
    assert down.json() == {
        "warehouse_code": warehouse.code,
        "sku": "COUNT-1",
        "name": product.name,
        "on_hand": 7,
        "reserved": 2,
        "available": 5,
        "unit_weight_kg": "0.500",
        "total_weight_kg": "3.500",
    }
    same = await client.post(
        f"{URL}/{warehouse.code}/adjust",
        json={"sku": "COUNT-1", "counted": 7, "reason": "recount"},
        headers=staff_headers,
    )
    up = await client.post(
        f"{URL}/{warehouse.code}/adjust",
        json={"sku": "COUNT-1", "counted": 12, "reason": "found a box"},
        headers=staff_headers,
    )
    assert (same.json()["on_hand"], up.json()["on_hand"]) == (7, 12)

    adjustments = [
        (row.quantity, row.quantity_after, row.note)
        for row in await _movements(session, warehouse.id)
        if row.kind == MovementKind.ADJUSTMENT.value
    ]
    assert adjustments == [(-3, 7, "3 broken"), (0, 7, "recount"), (5, 12, "found a box")]
    await assert_journal_agrees(session, [warehouse.id])


async def test_adjust_creates_the_stock_line_of_a_new_product(
    client: AsyncClient,
    session: AsyncSession,
    staff_headers: dict[str, str],
    make_warehouse: WarehouseFactory,
    make_product: ProductFactory,
) -> None:
    warehouse = await make_warehouse()
    product = await make_product()
    response = await client.post(
        f"{URL}/{warehouse.code}/adjust",
        json={"sku": product.sku, "counted": 4, "reason": "first count"},
        headers=staff_headers,
    )
    assert response.json()["on_hand"] == 4
    await assert_journal_agrees(session, [warehouse.id])


async def test_adjust_cannot_go_below_what_is_reserved(
    client: AsyncClient,
    session: AsyncSession,
    make_stocked: StockedFactory,
    staff_headers: dict[str, str],
) -> None:
    warehouse, product = await make_stocked(10, reserved=6)
    before = await snapshot(session, [warehouse.id])
    response = await client.post(
        f"{URL}/{warehouse.code}/adjust",
        json={"sku": product.sku, "counted": 5, "reason": "count"},
        headers=staff_headers,
    )
    body = assert_error(response, 409, "below_reserved")
    assert "6 of" in body["detail"]
    assert await snapshot(session, [warehouse.id]) == before


@pytest.mark.parametrize(
    "body",
    [
        {"sku": "A", "counted": -1, "reason": "x"},
        {"sku": "A", "counted": 1.5, "reason": "x"},
        {"sku": "A", "counted": "3", "reason": "x"},
        {"sku": "A", "counted": 1},
        {"sku": "A", "counted": 1, "reason": "  "},
    ],
    ids=["negative", "fraction", "string", "no-reason", "blank-reason"],
)
async def test_invalid_adjustments_are_refused(
    client: AsyncClient,
    staff_headers: dict[str, str],
    make_warehouse: WarehouseFactory,
    body: dict[str, Any],
) -> None:
    warehouse = await make_warehouse()
    response = await client.post(f"{URL}/{warehouse.code}/adjust", json=body, headers=staff_headers)
    assert_error(response, 422, "validation_error")


async def test_adjust_names_an_unknown_sku(
    client: AsyncClient, staff_headers: dict[str, str], make_warehouse: WarehouseFactory
) -> None:
    warehouse = await make_warehouse()
    response = await client.post(
        f"{URL}/{warehouse.code}/adjust",
        json={"sku": "nope", "counted": 1, "reason": "x"},
        headers=staff_headers,
    )
    assert_error(response, 404, "item_not_found")


# --- transfer ------------------------------------------------------------------------------


async def test_transfer_moves_goods_atomically_and_journals_both_sides(
    client: AsyncClient,
    session: AsyncSession,
    staff_headers: dict[str, str],
    make_warehouse: WarehouseFactory,
    make_product: ProductFactory,
    make_stock: StockFactory,
) -> None:
    source, target = await make_warehouse(code="SRC-1"), await make_warehouse(code="DST-1")
    a, b = await make_product(sku="TR-A"), await make_product(sku="TR-B")
    await make_stock(source, a, 10)
    await make_stock(source, b, 5)
    await make_stock(target, b, 1)

    response = await client.post(
        f"{URL}/src-1/transfer",
        json={
            "to_warehouse": "dst-1",
            "items": [{"sku": "TR-B", "quantity": 5}, {"sku": "tr-a", "quantity": 4}],
            "note": "rebalance",
        },
        headers=staff_headers,
    )

    assert response.status_code == 200, response.text
    assert response.json() == {
        "from_warehouse": "SRC-1",
        "to_warehouse": "DST-1",
        "items": [
            {"sku": "TR-A", "quantity": 4, "from_on_hand": 6, "to_on_hand": 4},
            {"sku": "TR-B", "quantity": 5, "from_on_hand": 0, "to_on_hand": 6},
        ],
    }
    out = [
        (r.kind, r.quantity, r.quantity_after, r.note) for r in await _movements(session, source.id)
    ]
    into = [
        (r.kind, r.quantity, r.quantity_after, r.note) for r in await _movements(session, target.id)
    ]
    assert out[-2:] == [
        ("transfer_out", -4, 6, "to DST-1: rebalance"),
        ("transfer_out", -5, 0, "to DST-1: rebalance"),
    ]
    assert into[-2:] == [
        ("transfer_in", 4, 4, "from SRC-1: rebalance"),
        ("transfer_in", 5, 6, "from SRC-1: rebalance"),
    ]
    await assert_journal_agrees(session, [source.id, target.id])


async def test_transfer_refusals_change_nothing(
    client: AsyncClient,
    session: AsyncSession,
    staff_headers: dict[str, str],
    make_warehouse: WarehouseFactory,
    make_product: ProductFactory,
    make_stock: StockFactory,
) -> None:
    source = await make_warehouse()
    target = await make_warehouse(max_weight_kg="5.000")
    inactive = await make_warehouse(is_active=False)
    a = await make_product(weight_kg="1.000")
    b = await make_product(weight_kg="1.000")
    await make_stock(source, a, 10, reserved=3)
    await make_stock(source, b, 10)
    await make_stock(target, b, 2)  # 2 kg of 5
    ids = [source.id, target.id, inactive.id]
    before = await snapshot(session, ids)

    async def transfer(to: str, items: list[dict[str, Any]], source_code: str = source.code) -> Any:
        return await client.post(
            f"{URL}/{source_code}/transfer",
            json={"to_warehouse": to, "items": items},
            headers=staff_headers,
        )

    # Only 7 of a are available (3 reserved).
    assert_error(
        await transfer(target.code, [{"sku": b.sku, "quantity": 1}, {"sku": a.sku, "quantity": 8}]),
        409,
        "insufficient_stock",
    )
    # 2 + 4 kg > 5 kg.
    assert_error(
        await transfer(target.code, [{"sku": a.sku, "quantity": 2}, {"sku": b.sku, "quantity": 2}]),
        409,
        "capacity_exceeded",
    )
    assert_error(
        await transfer(inactive.code, [{"sku": b.sku, "quantity": 1}]), 409, "warehouse_inactive"
    )
    assert_error(
        await transfer(source.code, [{"sku": b.sku, "quantity": 1}], inactive.code),
        409,
        "warehouse_inactive",
    )
    assert_error(
        await transfer(source.code, [{"sku": b.sku, "quantity": 1}]), 422, "same_warehouse"
    )
    assert_error(
        await transfer("NOWHERE", [{"sku": b.sku, "quantity": 1}]), 404, "warehouse_not_found"
    )
    assert_error(
        await transfer(target.code, [{"sku": "NO-SKU", "quantity": 1}]), 404, "item_not_found"
    )
    assert_error(await transfer(target.code, []), 422, "validation_error")
    assert_error(
        await transfer(target.code, [{"sku": b.sku, "quantity": -2}]), 422, "validation_error"
    )

    assert await snapshot(session, ids) == before

    # What fits goes through.
    ok = await transfer(target.code, [{"sku": a.sku, "quantity": 1}, {"sku": b.sku, "quantity": 2}])
    assert ok.status_code == 200, ok.text
    await assert_journal_agrees(session, ids)


async def test_supply_refusals_change_nothing(
    client: AsyncClient,
    session: AsyncSession,
    staff_headers: dict[str, str],
    make_warehouse: WarehouseFactory,
    make_product: ProductFactory,
    make_stock: StockFactory,
) -> None:
    small = await make_warehouse(max_weight_kg="1.000")
    closed = await make_warehouse(is_active=False)
    product = await make_product(weight_kg="0.400")
    await make_stock(small, product, 2)  # 0.8 kg of 1
    ids = [small.id, closed.id]
    before = await snapshot(session, ids)

    async def supply(code: str, sku: str, quantity: int) -> Any:
        return await client.post(
            f"{URL}/{code}/supply",
            json={"items": [{"sku": sku, "quantity": quantity, "unit_cost": "1.00"}]},
            headers=staff_headers,
        )

    assert_error(await supply(small.code, product.sku, 1), 409, "capacity_exceeded")
    assert_error(await supply(closed.code, product.sku, 1), 409, "warehouse_inactive")
    assert_error(await supply(small.code, "NO-SKU", 1), 404, "item_not_found")
    assert await snapshot(session, ids) == before
