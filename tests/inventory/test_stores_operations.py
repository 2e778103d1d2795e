"""The stock API contract (DESIGN.md), its operations: report shapes, supply and demand (one
item or an all-or-nothing group), capacity, and cleaning; each refusal here leaves stock and
journal exactly as they were. Malformed requests: test_stores_refusals.py; who may call it:
test_stores_access.py."""

from httpx import AsyncClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.inventory.models import MovementKind, StockMovement
from tests.fixtures.app import assert_error
from tests.fixtures.catalog import ProductFactory
from tests.fixtures.inventory import (
    STORES_URL,
    StockedFactory,
    StockFactory,
    WarehouseFactory,
    assert_journal_agrees,
    store_group_operation,
    store_operation,
    store_report,
    unchanged,
)


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

    response = await client.get(f"{STORES_URL}/{warehouse.code}", headers=staff_headers)

    assert response.status_code == 200, response.text
    # quantity is on hand: reserved units are still in the warehouse.
    assert response.json() == store_report(warehouse.code, ("A-100", 3), ("B-200", 7))


async def test_an_empty_store_reports_an_empty_list(
    client: AsyncClient, staff_headers: dict[str, str], make_warehouse: WarehouseFactory
) -> None:
    warehouse = await make_warehouse()
    response = await client.get(f"{STORES_URL}/{warehouse.code}", headers=staff_headers)
    assert response.json() == store_report(warehouse.code)


async def test_store_id_and_item_id_are_case_insensitive(
    client: AsyncClient,
    staff_headers: dict[str, str],
    make_warehouse: WarehouseFactory,
    make_product: ProductFactory,
) -> None:
    await make_warehouse(code="MAIN-1")
    await make_product(sku="TEE-M")
    response = await store_operation(client, staff_headers, "main-1", "supply", "tee-m", 4)
    assert response.status_code == 200, response.text
    assert response.json() == store_report("main-1", ("TEE-M", 4))


async def test_every_answer_echoes_store_id_as_written_in_the_path(
    client: AsyncClient,
    staff_headers: dict[str, str],
    make_warehouse: WarehouseFactory,
    make_product: ProductFactory,
) -> None:
    # The example clients create and address their stores as e.g. "abc111" and compare the
    # store_id they get back with the one they sent.
    created = await client.post(
        "/api/v1/warehouses",
        json={"code": "abc111", "name": "Example client's store", "max_weight_kg": "1000"},
        headers=staff_headers,
    )
    assert created.status_code == 201, created.text
    await make_product(sku="ITEM-1")

    for spelling in ("abc111", "ABC111", "Abc111"):
        read = await client.get(f"{STORES_URL}/{spelling}", headers=staff_headers)
        supplied = await store_operation(client, staff_headers, spelling, "supply", "ITEM-1", 1)
        grouped = await store_group_operation(
            client, staff_headers, spelling, "demand", ("ITEM-1", 1)
        )
        cleaned = await client.post(f"{STORES_URL}/{spelling}/clean", headers=staff_headers)
        for response in (read, supplied, grouped, cleaned):
            assert response.status_code == 200, response.text
            assert response.json()["store"]["store_id"] == spelling


async def test_supply_then_demand(
    client: AsyncClient,
    session: AsyncSession,
    staff_headers: dict[str, str],
    make_warehouse: WarehouseFactory,
    make_product: ProductFactory,
) -> None:
    warehouse = await make_warehouse()
    product = await make_product(sku="CUP-1")

    supplied = await store_operation(client, staff_headers, warehouse.code, "supply", "CUP-1", 10)
    assert supplied.status_code == 200, supplied.text
    assert supplied.json() == store_report(warehouse.code, ("CUP-1", 10))

    demanded = await store_operation(client, staff_headers, warehouse.code, "demand", "CUP-1", 4)
    assert demanded.status_code == 200, demanded.text
    assert demanded.json() == store_report(warehouse.code, ("CUP-1", 6))

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
    client: AsyncClient, staff_headers: dict[str, str], make_stocked: StockedFactory
) -> None:
    warehouse, product = await make_stocked(5)
    response = await store_operation(
        client, staff_headers, warehouse.code, "demand", product.sku, 5
    )
    assert response.json() == store_report(warehouse.code, (product.sku, 0))


async def test_demand_counts_only_what_is_not_reserved(
    client: AsyncClient,
    session: AsyncSession,
    staff_headers: dict[str, str],
    make_stocked: StockedFactory,
) -> None:
    warehouse, product = await make_stocked(10, reserved=8)

    async with unchanged(session, [warehouse.id]):
        refused = await store_operation(
            client, staff_headers, warehouse.code, "demand", product.sku, 3
        )
        body = assert_error(refused, 409, "insufficient_stock")
        assert "available: 2" in body["detail"]

    accepted = await store_operation(
        client, staff_headers, warehouse.code, "demand", product.sku, 2
    )
    assert accepted.json() == store_report(warehouse.code, (product.sku, 8))


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

    supplied = await store_group_operation(
        client, staff_headers, warehouse.code, "supply", ("G-3", 30), ("G-1", 10), ("G-2", 20)
    )
    assert supplied.status_code == 200, supplied.text
    assert supplied.json() == store_report(warehouse.code, ("G-1", 10), ("G-2", 20), ("G-3", 30))

    demanded = await store_group_operation(
        client, staff_headers, warehouse.code, "demand", ("G-2", 20), ("G-1", 1)
    )
    assert demanded.status_code == 200, demanded.text
    assert demanded.json() == store_report(warehouse.code, ("G-1", 9), ("G-2", 0), ("G-3", 30))
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

    async with unchanged(session, [warehouse.id]):
        response = await store_group_operation(
            client, staff_headers, warehouse.code, "demand", ("PLENTY", 50), ("SCARCE", 3)
        )

        body = assert_error(response, 409, "insufficient_stock")
        assert "SCARCE" in body["detail"]


async def test_group_demand_of_an_item_never_stocked_is_refused(
    client: AsyncClient,
    session: AsyncSession,
    staff_headers: dict[str, str],
    make_stocked: StockedFactory,
    make_product: ProductFactory,
) -> None:
    warehouse, stocked = await make_stocked(5)
    elsewhere = await make_product()
    async with unchanged(session, [warehouse.id]):
        response = await store_group_operation(
            client,
            staff_headers,
            warehouse.code,
            "demand",
            (stocked.sku, 1),
            (elsewhere.sku, 1),
        )
        assert_error(response, 409, "insufficient_stock")


async def test_supply_beyond_the_weight_capacity_is_refused(
    client: AsyncClient,
    session: AsyncSession,
    staff_headers: dict[str, str],
    make_stocked: StockedFactory,
    make_product: ProductFactory,
) -> None:
    warehouse, heavy = await make_stocked(3, max_weight_kg="10.000", weight_kg="2.500")  # 7.5 kg
    light = await make_product(weight_kg="0.100")

    async with unchanged(session, [warehouse.id]):
        single = await store_operation(
            client,
            staff_headers,
            warehouse.code,
            "supply",
            heavy.sku,
            2,  # +5 kg
        )
        body = assert_error(single, 409, "capacity_exceeded")
        assert "7.500 kg of at most 10.000 kg" in body["detail"]
        group = await store_group_operation(
            client,
            staff_headers,
            warehouse.code,
            "supply",
            (light.sku, 5),  # +0.5 kg
            (heavy.sku, 1),  # +2.5 kg: 10.5 in all
        )
        assert_error(group, 409, "capacity_exceeded")

    # Exactly full is allowed.
    full = await store_operation(client, staff_headers, warehouse.code, "supply", heavy.sku, 1)
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

    response = await client.post(f"{STORES_URL}/{warehouse.code}/clean", headers=staff_headers)

    assert response.status_code == 200, response.text
    assert response.json() == store_report(warehouse.code, ("CL-A", 0), ("CL-B", 0))
    untouched = await client.get(f"{STORES_URL}/{other.code}", headers=staff_headers)
    assert untouched.json() == store_report(other.code, ("CL-A", 6))
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

    again = await client.post(f"{STORES_URL}/{warehouse.code}/clean", headers=staff_headers)
    assert again.json() == store_report(warehouse.code, ("CL-A", 0), ("CL-B", 0))


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

    async with unchanged(session, [warehouse.id]):
        response = await client.post(f"{STORES_URL}/{warehouse.code}/clean", headers=staff_headers)

        assert_error(response, 409, "stock_reserved")
