"""Catalog writes that must hold under parallel requests, against an app that really commits."""

import asyncio
import shutil
import uuid
from collections.abc import AsyncIterator

import pytest
from httpx import AsyncClient
from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from app.accounts.models import Role, User
from app.accounts.tokens import create_access_token
from app.catalog.models import Category, Product, ProductImage
from app.core.config import get_settings
from tests.fixtures.app import live_email
from tests.fixtures.catalog import image_bytes


@pytest.fixture
async def operator_headers(live_client: AsyncClient, engine: AsyncEngine) -> dict[str, str]:
    """A committed operator (live_client deletes it afterwards) and its access token."""
    user = User(
        id=uuid.uuid4(),
        email=live_email("operator"),
        hashed_password="!unusable",
        role=Role.OPERATOR.value,
        is_verified=True,
    )
    async with AsyncSession(engine, expire_on_commit=False) as session:
        session.add(user)
        await session.commit()
    return {"Authorization": f"Bearer {create_access_token(user)}"}


@pytest.fixture
async def live_category(engine: AsyncEngine) -> AsyncIterator[Category]:
    """A committed category; it and everything made in or under it go afterwards."""
    category = Category(id=uuid.uuid4(), name="Live", slug=f"live-{uuid.uuid4().hex[:12]}")
    async with AsyncSession(engine, expire_on_commit=False) as session:
        session.add(category)
        await session.commit()
    yield category
    async with AsyncSession(engine) as session:
        children = list(
            await session.scalars(select(Category.id).where(Category.parent_id == category.id))
        )
        ids = [category.id, *children]
        products = list(
            await session.scalars(select(Product.id).where(Product.category_id.in_(ids)))
        )
        await session.execute(delete(ProductImage).where(ProductImage.product_id.in_(products)))
        await session.execute(delete(Product).where(Product.id.in_(products)))
        await session.execute(delete(Category).where(Category.id.in_(children)))
        await session.execute(delete(Category).where(Category.id == category.id))
        await session.commit()
    for product_id in products:
        shutil.rmtree(get_settings().MEDIA_ROOT / "products" / str(product_id), True)


async def test_parallel_creates_of_one_name_get_distinct_slugs(
    live_client: AsyncClient, operator_headers: dict[str, str], live_category: Category
) -> None:
    name = f"Twin kettle {uuid.uuid4().hex[:6]}"
    responses = await asyncio.gather(
        *(
            live_client.post(
                "/api/v1/products",
                json={
                    "sku": f"TWIN-{number}-{uuid.uuid4().hex[:6]}",
                    "name": name,
                    "price": "10.00",
                    "weight_kg": "1",
                    "category_id": str(live_category.id),
                },
                headers=operator_headers,
            )
            for number in range(6)
        )
    )
    assert [response.status_code for response in responses] == [201] * 6
    slugs = {response.json()["slug"] for response in responses}
    assert len(slugs) == 6


async def test_parallel_uploads_never_exceed_five_images(
    live_client: AsyncClient,
    engine: AsyncEngine,
    operator_headers: dict[str, str],
    live_category: Category,
) -> None:
    created = await live_client.post(
        "/api/v1/products",
        json={
            "sku": f"RACE-{uuid.uuid4().hex[:8]}",
            "name": "Raced lamp",
            "price": "10.00",
            "weight_kg": "1",
            "category_id": str(live_category.id),
        },
        headers=operator_headers,
    )
    product_id = created.json()["id"]
    data = image_bytes(size=(300, 200))
    responses = await asyncio.gather(
        *(
            live_client.post(
                f"/api/v1/products/{product_id}/images",
                files={"file": ("a.jpg", data, "image/jpeg")},
                headers=operator_headers,
            )
            for _ in range(8)
        )
    )
    assert sorted(response.status_code for response in responses) == [201] * 5 + [409] * 3
    async with engine.connect() as connection:
        positions = await connection.scalars(
            select(ProductImage.position).where(ProductImage.product_id == uuid.UUID(product_id))
        )
        assert sorted(positions) == [0, 1, 2, 3, 4]


async def test_parallel_crossed_moves_cannot_make_a_cycle(
    live_client: AsyncClient,
    engine: AsyncEngine,
    operator_headers: dict[str, str],
    live_category: Category,
) -> None:
    """A under B and B under A at the same time: one wins, the other is a cycle."""
    ids = []
    for name in ("Left", "Right"):
        response = await live_client.post(
            "/api/v1/categories",
            json={"name": f"{name} {uuid.uuid4().hex[:6]}", "parent_id": str(live_category.id)},
            headers=operator_headers,
        )
        ids.append(response.json()["id"])
    left, right = ids
    for _ in range(5):
        responses = await asyncio.gather(
            live_client.patch(
                f"/api/v1/categories/{left}", json={"parent_id": right}, headers=operator_headers
            ),
            live_client.patch(
                f"/api/v1/categories/{right}", json={"parent_id": left}, headers=operator_headers
            ),
        )
        assert sorted(response.status_code for response in responses) == [200, 409]
        # Back under the live category for the next round.
        for category_id in ids:
            reset = await live_client.patch(
                f"/api/v1/categories/{category_id}",
                json={"parent_id": str(live_category.id)},
                headers=operator_headers,
            )
            assert reset.status_code == 200
