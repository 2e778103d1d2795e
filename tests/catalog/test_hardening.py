"""Hostile or extreme input to the catalog: refused with a 4xx, never a broken tree or a 500."""

import uuid
from typing import Any

import pytest
from httpx import AsyncClient
from sqlalchemy.ext.asyncio import AsyncSession

from app.catalog.models import Category
from tests.fixtures.app import assert_error


async def test_no_cycle_however_deep_the_tree(
    client: AsyncClient, session: AsyncSession, staff_headers: dict[str, str]
) -> None:
    chain: list[Category] = []
    for depth in range(70):  # deeper than any walk limit
        category = Category(
            id=uuid.uuid4(),
            name=f"Level {depth}",
            slug=f"deep-{uuid.uuid4().hex[:12]}",
            parent_id=chain[-1].id if chain else None,
        )
        session.add(category)
        chain.append(category)
    await session.flush()
    root_id, deepest_id = chain[0].id, chain[-1].id
    response = await client.patch(
        f"/api/v1/categories/{root_id}", json={"parent_id": str(deepest_id)}, headers=staff_headers
    )
    assert_error(response, 409, "category_cycle")
    tree = (await client.get("/api/v1/categories")).json()
    assert str(root_id) in {node["id"] for node in tree}


@pytest.mark.parametrize(
    "change",
    [
        {"name": "Bell\u0007 ringer"},
        {"name": "Two\nlines"},
        {"description": "nul \u0000 inside"},
        {"slug": "123e4567-e89b-12d3-a456-426614174000"},
    ],
)
async def test_names_and_slugs_that_would_break_exports_or_lookups_are_refused(
    client: AsyncClient, make_product: Any, staff_headers: dict[str, str], change: dict[str, str]
) -> None:
    product = await make_product(name="Plain name")
    response = await client.patch(
        f"/api/v1/products/{product.id}", json=change, headers=staff_headers
    )
    assert_error(response, 422, "validation_error")
    after = await client.get(f"/api/v1/products/{product.id}", headers=staff_headers)
    assert after.json()["name"] == "Plain name"


async def test_two_images_cannot_share_a_position(session: AsyncSession, make_product: Any) -> None:
    """The database itself keeps images in distinct positions (checked at commit; forced
    here, since the test's transaction never commits)."""
    from sqlalchemy import text
    from sqlalchemy.exc import IntegrityError

    from app.catalog.models import ProductImage

    product = await make_product()
    for _ in range(2):
        session.add(
            ProductImage(
                product_id=product.id,
                position=0,
                path="p.webp",
                thumbnail_path="t.webp",
                content_type="image/webp",
                width=1,
                height=1,
                size_bytes=1,
            )
        )
    await session.flush()
    with pytest.raises(IntegrityError, match="uq_product_images_product_id_position"):
        async with session.begin_nested():
            await session.execute(text("SET CONSTRAINTS ALL IMMEDIATE"))


async def test_a_heavier_product_must_still_fit_its_warehouses(
    client: AsyncClient,
    session: AsyncSession,
    make_product: Any,
    make_warehouse: Any,
    staff_headers: dict[str, str],
) -> None:
    from tests.fixtures.inventory import put_stock

    product = await make_product(weight_kg="1.000")
    warehouse = await make_warehouse(max_weight_kg="100.000")
    await put_stock(session, warehouse, product, 50)  # 50 kg of 100

    too_heavy = await client.patch(
        f"/api/v1/products/{product.id}", json={"weight_kg": "2.500"}, headers=staff_headers
    )
    assert_error(too_heavy, 409, "capacity_exceeded")
    fits = await client.patch(
        f"/api/v1/products/{product.id}", json={"weight_kg": "2.000"}, headers=staff_headers
    )
    assert fits.status_code == 200, fits.text
    assert fits.json()["weight_kg"] == "2.000"
    lighter = await client.patch(
        f"/api/v1/products/{product.id}", json={"weight_kg": "0.500"}, headers=staff_headers
    )
    assert lighter.status_code == 200
