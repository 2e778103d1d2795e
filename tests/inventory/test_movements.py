"""GET /stock-movements: the journal, newest first, with every filter and pagination."""

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from httpx import AsyncClient, Response
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts.models import Role, User
from app.catalog.models import Product
from app.inventory.models import StockMovement, Warehouse
from tests.fixtures.app import AuthHeaders, UserFactory, assert_error
from tests.fixtures.catalog import ProductFactory
from tests.fixtures.inventory import StockFactory, WarehouseFactory

URL = "/api/v1/stock-movements"


@dataclass
class Journal:
    alice: User
    bob: User
    north: Warehouse
    south: Warehouse
    pen: Product
    ink: Product
    headers: dict[str, str]
    now: datetime


@pytest.fixture
async def journal(
    client: AsyncClient,
    session: AsyncSession,
    make_user: UserFactory,
    auth_headers: AuthHeaders,
    make_warehouse: WarehouseFactory,
    make_product: ProductFactory,
    make_stock: StockFactory,
) -> Journal:
    """Two warehouses, two products, two operators, six movements over three days."""
    alice = await make_user(role=Role.OPERATOR)
    bob = await make_user(role=Role.ADMIN)
    north, south = await make_warehouse(code="NORTH"), await make_warehouse(code="SOUTH")
    pen, ink = await make_product(sku="PEN"), await make_product(sku="INK")
    as_alice, as_bob = await auth_headers(alice), await auth_headers(bob)

    async def op(headers: dict[str, str], store: str, operation: str, sku: str, q: int) -> None:
        response = await client.post(
            f"/api/v1/stores/{store}",
            json={"operation": operation, "item_id": sku, "quantity": q},
            headers=headers,
        )
        assert response.status_code == 200, response.text

    await op(as_alice, "NORTH", "supply", "PEN", 10)  # 1
    await op(as_alice, "NORTH", "supply", "INK", 5)  # 2
    await op(as_bob, "SOUTH", "supply", "PEN", 7)  # 3
    await op(as_bob, "NORTH", "demand", "PEN", 4)  # 4
    await op(as_alice, "SOUTH", "demand", "PEN", 2)  # 5
    await op(as_bob, "NORTH", "demand", "INK", 1)  # 6
    # Spread them over three days: 1-2 two days ago, 3-4 yesterday, 5-6 today.
    now = datetime.now(UTC)
    rows = (
        await session.scalars(
            select(StockMovement.id)
            .where(StockMovement.warehouse_id.in_([north.id, south.id]))
            .order_by(StockMovement.id)
        )
    ).all()
    for index, movement_id in enumerate(rows):
        await session.execute(
            update(StockMovement)
            .where(StockMovement.id == movement_id)
            .values(created_at=now - timedelta(days=2 - index // 2))
        )
    return Journal(alice, bob, north, south, pen, ink, as_alice, now)


def _summary(response: Response) -> list[tuple[str, str, str, int, int]]:
    body = response.json()
    return [
        (m["warehouse_code"], m["sku"], m["kind"], m["quantity"], m["quantity_after"])
        for m in body["items"]
    ]


async def test_newest_first_with_every_field(client: AsyncClient, journal: Journal) -> None:
    response = await client.get(URL, headers=journal.headers)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["total"] == 6
    assert _summary(response) == [
        ("NORTH", "INK", "demand", -1, 4),
        ("SOUTH", "PEN", "demand", -2, 5),
        ("NORTH", "PEN", "demand", -4, 6),
        ("SOUTH", "PEN", "supply", 7, 7),
        ("NORTH", "INK", "supply", 5, 5),
        ("NORTH", "PEN", "supply", 10, 10),
    ]
    newest = body["items"][0]
    bob = journal.bob
    assert newest["user_id"] == str(bob.id)
    assert newest["user_email"] == bob.email
    assert newest["product_name"]
    assert newest["unit_cost"] is None
    assert newest["order_id"] is None
    assert newest["note"] is None
    assert isinstance(newest["id"], int)
    assert newest["created_at"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"warehouse": "north"}, 4),
        ({"warehouse": "SOUTH"}, 2),
        ({"warehouse": "NOWHERE"}, 0),
        ({"sku": "pen"}, 4),
        ({"kind": "supply"}, 3),
        ({"kind": "demand", "warehouse": "NORTH", "sku": "PEN"}, 1),
        ({"order_id": str(uuid.uuid4())}, 0),
    ],
    ids=repr,
)
async def test_filters(
    client: AsyncClient,
    journal: Journal,
    params: dict[str, str],
    expected: int,
) -> None:
    response = await client.get(URL, params=params, headers=journal.headers)
    assert response.status_code == 200, response.text
    assert response.json()["total"] == expected
    assert len(response.json()["items"]) == expected


async def test_filter_by_user_and_product(client: AsyncClient, journal: Journal) -> None:
    headers = journal.headers
    by_alice = await client.get(URL, params={"user_id": str(journal.alice.id)}, headers=headers)
    assert [m[2] for m in _summary(by_alice)] == ["demand", "supply", "supply"]
    by_product = await client.get(URL, params={"product_id": str(journal.ink.id)}, headers=headers)
    assert {m[1] for m in _summary(by_product)} == {"INK"}


async def test_filter_by_day_range_includes_both_ends(
    client: AsyncClient, journal: Journal
) -> None:
    today = journal.now.date()
    headers = journal.headers

    async def total(**params: object) -> int:
        response = await client.get(URL, params=params, headers=headers)
        assert response.status_code == 200, response.text
        return int(response.json()["total"])

    assert await total(date_from=str(today)) == 2
    assert await total(date_to=str(today - timedelta(days=1))) == 4
    assert await total(date_from=str(today - timedelta(days=1)), date_to=str(today)) == 4
    assert (
        await total(
            date_from=str(today - timedelta(days=1)), date_to=str(today - timedelta(days=1))
        )
        == 2
    )
    assert await total(date_from=str(today + timedelta(days=1))) == 0

    wrong = await client.get(
        URL,
        params={"date_from": str(today), "date_to": str(today - timedelta(days=1))},
        headers=headers,
    )
    assert_error(wrong, 422, "invalid_date_range")
    assert_error(
        await client.get(URL, params={"date_from": "yesterday"}, headers=headers),
        422,
        "validation_error",
    )
    assert_error(
        await client.get(URL, params={"kind": "theft"}, headers=headers),
        422,
        "validation_error",
    )


async def test_pages(client: AsyncClient, journal: Journal) -> None:
    headers = journal.headers
    pages = [
        await client.get(URL, params={"size": 4, "page": page}, headers=headers)
        for page in (1, 2, 3)
    ]
    assert [len(p.json()["items"]) for p in pages] == [4, 2, 0]
    assert all(p.json()["total"] == 6 for p in pages)
    ids = [m["id"] for p in pages for m in p.json()["items"]]
    assert ids == sorted(ids, reverse=True)
    assert len(set(ids)) == 6


async def test_the_warehouse_filter_ignores_case(client: AsyncClient, journal: Journal) -> None:
    response = await client.get(
        URL, params={"warehouse": journal.north.code.lower()}, headers=journal.headers
    )
    assert {m["warehouse_code"] for m in response.json()["items"]} == {"NORTH"}


async def test_extreme_days_are_a_clear_422(client: AsyncClient, journal: Journal) -> None:
    for params in ({"date_to": "9999-12-31"}, {"date_from": "9999-12-31"}):
        response = await client.get(URL, params=params, headers=journal.headers)
        assert response.status_code == 422, response.text
        assert response.json()["code"] == "validation_error"
    latest = await client.get(URL, params={"date_to": "9999-12-30"}, headers=journal.headers)
    assert latest.status_code == 200
