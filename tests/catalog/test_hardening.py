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
