"""Warehouses: create, list, read with stock and weight, change; validation and roles on
every inventory REST endpoint."""

import uuid
from typing import Any

import pytest
from httpx import AsyncClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.inventory.models import Warehouse
from tests.fixtures.app import assert_error
from tests.fixtures.catalog import ProductFactory
from tests.fixtures.inventory import StockFactory, WarehouseFactory

URL = "/api/v1/warehouses"


def payload(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "code": "berlin-1",
        "name": "Berlin",
        "address": "Lagerstraße 1, 10115 Berlin",
        "max_weight_kg": "1500",
        "priority": 2,
    }
    body.update(changes)
    return body


async def test_staff_create_a_warehouse(
    client: AsyncClient, session: AsyncSession, staff_headers: dict[str, str]
) -> None:
    response = await client.post(URL, json=payload(), headers=staff_headers)

    assert response.status_code == 201, response.text
    body = response.json()
    assert body["code"] == "BERLIN-1"  # upper-cased
    assert body["name"] == "Berlin"
    assert body["address"] == "Lagerstraße 1, 10115 Berlin"
    assert body["max_weight_kg"] == "1500.000"  # a decimal string
    assert body["is_active"] is True
    assert body["priority"] == 2
    assert uuid.UUID(body["id"])
    assert body["created_at"]
    assert body["updated_at"]
    stored = await session.scalar(select(Warehouse).where(Warehouse.code == "BERLIN-1"))
    assert stored is not None


async def test_codes_are_unique(
    client: AsyncClient, staff_headers: dict[str, str], make_warehouse: WarehouseFactory
) -> None:
    await make_warehouse(code="DUP-1")
    response = await client.post(URL, json=payload(code="dup-1"), headers=staff_headers)
    assert_error(response, 409, "warehouse_code_taken")


@pytest.mark.parametrize(
    "changes",
    [
        {"code": ""},
        {"code": "has space"},
        {"code": "-leading-dash"},
        {"code": "x" * 33},
        {"code": "ÜMLAUT"},
        {"name": ""},
        {"name": "   "},
        {"max_weight_kg": "0"},
        {"max_weight_kg": "-1"},
        {"max_weight_kg": "1.0001"},
        {"max_weight_kg": "1000000000"},
        {"max_weight_kg": "lots"},
        {"priority": -1},
        {"address": "x" * 501},
    ],
    ids=repr,
)
async def test_invalid_warehouses_are_refused(
    client: AsyncClient, staff_headers: dict[str, str], changes: dict[str, Any]
) -> None:
    response = await client.post(URL, json=payload(**changes), headers=staff_headers)
    assert_error(response, 422, "validation_error")


async def test_list_is_paginated_in_priority_order(
    client: AsyncClient, staff_headers: dict[str, str], make_warehouse: WarehouseFactory
) -> None:
    # Other tests' warehouses are rolled back; only these exist.
    await make_warehouse(code="LIST-C", priority=1)
    await make_warehouse(code="LIST-B", priority=0)
    await make_warehouse(code="LIST-A", priority=1)
    await make_warehouse(code="LIST-D", priority=5, is_active=False)

    first = await client.get(URL, params={"size": 2}, headers=staff_headers)
    second = await client.get(URL, params={"size": 2, "page": 2}, headers=staff_headers)

    assert first.status_code == 200
    assert first.json()["total"] == 4
    assert (first.json()["page"], first.json()["size"]) == (1, 2)
    codes = [w["code"] for w in first.json()["items"] + second.json()["items"]]
    assert codes == ["LIST-B", "LIST-A", "LIST-C", "LIST-D"]

    active = await client.get(URL, params={"is_active": "false"}, headers=staff_headers)
    assert [w["code"] for w in active.json()["items"]] == ["LIST-D"]
    assert_error(
        await client.get(URL, params={"size": 101}, headers=staff_headers), 422, "validation_error"
    )


async def test_read_a_warehouse_with_its_stock_and_weight(
    client: AsyncClient,
    staff_headers: dict[str, str],
    make_warehouse: WarehouseFactory,
    make_product: ProductFactory,
    make_stock: StockFactory,
) -> None:
    warehouse = await make_warehouse(code="DETAIL-1", max_weight_kg="100")
    chair = await make_product(sku="CHAIR", name="Chair", weight_kg="7.250")
    lamp = await make_product(sku="LAMP", name="Lamp", weight_kg="1.100")
    await make_stock(warehouse, chair, 4, reserved=1)
    await make_stock(warehouse, lamp, 5)

    response = await client.get(f"{URL}/detail-1", headers=staff_headers)

    assert response.status_code == 200, response.text
    body = response.json()
    assert body["code"] == "DETAIL-1"
    assert body["max_weight_kg"] == "100.000"
    assert body["total_weight_kg"] == "34.500"
    assert body["stock"] == [
        {
            "warehouse_code": "DETAIL-1",
            "sku": "CHAIR",
            "name": "Chair",
            "on_hand": 4,
            "reserved": 1,
            "available": 3,
            "unit_weight_kg": "7.250",
            "total_weight_kg": "29.000",
        },
        {
            "warehouse_code": "DETAIL-1",
            "sku": "LAMP",
            "name": "Lamp",
            "on_hand": 5,
            "reserved": 0,
            "available": 5,
            "unit_weight_kg": "1.100",
            "total_weight_kg": "5.500",
        },
    ]


async def test_an_empty_warehouse_weighs_nothing(
    client: AsyncClient, staff_headers: dict[str, str], make_warehouse: WarehouseFactory
) -> None:
    warehouse = await make_warehouse()
    body = (await client.get(f"{URL}/{warehouse.code}", headers=staff_headers)).json()
    assert (body["stock"], body["total_weight_kg"]) == ([], "0.000")


async def test_unknown_warehouses_are_404(
    client: AsyncClient, staff_headers: dict[str, str]
) -> None:
    for method, suffix, body in [
        ("GET", "", None),
        ("PATCH", "", {"name": "x"}),
        ("POST", "/transfer", {"to_warehouse": "B", "items": [{"sku": "X", "quantity": 1}]}),
        ("POST", "/adjust", {"sku": "X", "counted": 1, "reason": "count"}),
        ("POST", "/supply", {"items": [{"sku": "X", "quantity": 1}]}),
        ("POST", "/weight-tasks", None),
    ]:
        response = await client.request(
            method, f"{URL}/NOPE{suffix}", json=body, headers=staff_headers
        )
        assert_error(response, 404, "warehouse_not_found")


async def test_patch_changes_only_what_was_sent(
    client: AsyncClient, staff_headers: dict[str, str], make_warehouse: WarehouseFactory
) -> None:
    warehouse = await make_warehouse(code="PATCH-1", address="Old road 1", priority=3)
    created = (await client.get(f"{URL}/PATCH-1", headers=staff_headers)).json()

    response = await client.patch(
        f"{URL}/patch-1",
        json={"name": "Renamed", "max_weight_kg": "12.5", "is_active": False, "address": None},
        headers=staff_headers,
    )

    assert response.status_code == 200, response.text
    body = response.json()
    assert body["name"] == "Renamed"
    assert body["max_weight_kg"] == "12.500"
    assert body["is_active"] is False
    assert body["address"] is None
    assert body["priority"] == 3
    assert body["code"] == "PATCH-1"
    assert body["id"] == str(warehouse.id)
    assert body["updated_at"] >= created["updated_at"]


@pytest.mark.parametrize(
    "body",
    [{"name": None}, {"max_weight_kg": None}, {"is_active": None}, {"priority": None},
     {"max_weight_kg": "0"}, {"name": ""}],
    ids=repr,
)  # fmt: skip
async def test_patch_refuses_nulls_and_invalid_values(
    client: AsyncClient,
    staff_headers: dict[str, str],
    make_warehouse: WarehouseFactory,
    body: dict[str, Any],
) -> None:
    warehouse = await make_warehouse()
    response = await client.patch(f"{URL}/{warehouse.code}", json=body, headers=staff_headers)
    assert_error(response, 422, "validation_error")


async def test_the_code_cannot_be_patched(
    client: AsyncClient, staff_headers: dict[str, str], make_warehouse: WarehouseFactory
) -> None:
    warehouse = await make_warehouse(code="KEEP-1")
    response = await client.patch(
        f"{URL}/{warehouse.code}", json={"code": "OTHER"}, headers=staff_headers
    )
    assert response.status_code == 200
    assert response.json()["code"] == "KEEP-1"


# --- who may call what ---------------------------------------------------------------------

ENDPOINTS: list[tuple[str, str, dict[str, Any] | None]] = [
    ("GET", URL, None),
    ("POST", URL, payload()),
    ("GET", f"{URL}/{{code}}", None),
    ("PATCH", f"{URL}/{{code}}", {"name": "x"}),
    ("POST", f"{URL}/{{code}}/supply", {"items": [{"sku": "X", "quantity": 1}]}),
    ("POST", f"{URL}/{{code}}/adjust", {"sku": "X", "counted": 1, "reason": "count"}),
    (
        "POST",
        f"{URL}/{{code}}/transfer",
        {"to_warehouse": "B", "items": [{"sku": "X", "quantity": 1}]},
    ),
    ("POST", f"{URL}/{{code}}/weight-tasks", None),
    ("GET", "/api/v1/stock-movements", None),
    ("GET", f"/api/v1/inventory-tasks/{uuid.uuid4()}", None),
]


@pytest.mark.parametrize(("method", "url", "body"), ENDPOINTS, ids=lambda v: str(v)[:40])
async def test_anonymous_get_401_and_customers_403(
    client: AsyncClient,
    session: AsyncSession,
    customer_headers: dict[str, str],
    make_warehouse: WarehouseFactory,
    method: str,
    url: str,
    body: dict[str, Any] | None,
) -> None:
    warehouse = await make_warehouse()
    target = url.format(code=warehouse.code)
    assert_error(await client.request(method, target, json=body), 401, "not_authenticated")
    assert_error(
        await client.request(method, target, json=body, headers=customer_headers),
        403,
        "insufficient_role",
    )
    bad_token = {"Authorization": "Bearer not-a-token"}
    assert_error(
        await client.request(method, target, json=body, headers=bad_token), 401, "invalid_token"
    )
    # Nothing was created or changed for them.
    assert await session.scalar(select(Warehouse.name).where(Warehouse.id == warehouse.id)) == (
        warehouse.name
    )
    assert await session.scalar(select(Warehouse.id).where(Warehouse.code == "BERLIN-1")) is None


async def test_admins_manage_warehouses_too(
    client: AsyncClient, admin_headers: dict[str, str]
) -> None:
    response = await client.post(URL, json=payload(code="ADMIN-1"), headers=admin_headers)
    assert response.status_code == 201
    assert (await client.get(f"{URL}/ADMIN-1", headers=admin_headers)).status_code == 200
