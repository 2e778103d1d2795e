"""Products: create, read by id or slug, update, delete or archive; validation and roles."""

import uuid
from typing import Any

import pytest
from httpx import AsyncClient
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from app.catalog import service
from app.catalog.models import Product
from app.catalog.schemas import DeleteOutcome
from tests.fixtures.app import assert_error
from tests.fixtures.catalog import CategoryFactory, ProductFactory

URL = "/api/v1/products"


def payload(category: uuid.UUID, **changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "sku": "tee-blue-m",
        "name": "Blue shirt",
        "description": "A soft cotton shirt.",
        "price": "19.90",
        "weight_kg": "0.250",
        "category_id": str(category),
        "is_published": True,
    }
    body.update(changes)
    return body


async def _count(session: AsyncSession) -> int:
    return await session.scalar(select(func.count()).select_from(Product)) or 0


async def test_staff_creates_a_product(
    client: AsyncClient, staff_headers: dict[str, str], make_category: CategoryFactory
) -> None:
    category = await make_category(name="Shirts")
    response = await client.post(URL, json=payload(category.id), headers=staff_headers)
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["sku"] == "TEE-BLUE-M"  # upper-cased
    assert body["slug"] == "blue-shirt"
    assert body["price"] == "19.90"  # money is a decimal string
    assert body["weight_kg"] == "0.250"
    assert body["category"] == {"id": str(category.id), "name": "Shirts", "slug": category.slug}
    assert body["category_id"] == str(category.id)
    assert body["is_published"] is True
    assert body["is_archived"] is False
    assert body["images"] == []
    assert body["created_at"]
    assert body["updated_at"]

    by_slug = await client.get(f"{URL}/blue-shirt")
    assert by_slug.status_code == 200
    assert by_slug.json()["id"] == body["id"]
    assert (await client.get(f"{URL}/{body['id']}")).json()["sku"] == "TEE-BLUE-M"


async def test_numbers_are_normalised(
    client: AsyncClient, staff_headers: dict[str, str], make_category: CategoryFactory
) -> None:
    category = await make_category()
    response = await client.post(
        URL, json=payload(category.id, price=5, weight_kg=1.0), headers=staff_headers
    )
    assert response.status_code == 201, response.text
    assert response.json()["price"] == "5.00"
    assert response.json()["weight_kg"] == "1.000"


async def test_slugs_are_unique_and_made_from_the_name(
    client: AsyncClient, staff_headers: dict[str, str], make_category: CategoryFactory
) -> None:
    category = await make_category()
    first = await client.post(URL, json=payload(category.id, sku="A-1"), headers=staff_headers)
    second = await client.post(URL, json=payload(category.id, sku="A-2"), headers=staff_headers)
    assert (first.json()["slug"], second.json()["slug"]) == ("blue-shirt", "blue-shirt-2")
    explicit = await client.post(
        URL, json=payload(category.id, sku="A-3", slug="blue-shirt"), headers=staff_headers
    )
    assert_error(explicit, 409, "slug_taken")


async def test_sku_is_unique_whatever_its_case(
    client: AsyncClient,
    session: AsyncSession,
    staff_headers: dict[str, str],
    make_category: CategoryFactory,
) -> None:
    category = await make_category()
    assert (await client.post(URL, json=payload(category.id), headers=staff_headers)).is_success
    before = await _count(session)
    again = await client.post(
        URL, json=payload(category.id, sku="Tee-Blue-M", name="Other"), headers=staff_headers
    )
    assert_error(again, 409, "sku_taken")
    assert await _count(session) == before


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"price": "-0.01"}, "price"),
        ({"price": "1.999"}, "price"),
        ({"price": "NaN"}, "price"),
        ({"price": "10000000000.00"}, "price"),
        ({"weight_kg": "0"}, "weight_kg"),
        ({"weight_kg": "-1"}, "weight_kg"),
        ({"weight_kg": "0.0001"}, "weight_kg"),
        ({"sku": "has space"}, "sku"),
        ({"sku": "ÄÖÜ"}, "sku"),
        ({"sku": "X" * 65}, "sku"),
        ({"sku": ""}, "sku"),
        ({"name": "  "}, "name"),
        ({"slug": "Not a slug"}, "slug"),
        ({"category_id": "shirts"}, "category_id"),
        ({"category_id": None}, "category_id"),
    ],
)
async def test_invalid_products_are_refused(
    client: AsyncClient,
    session: AsyncSession,
    staff_headers: dict[str, str],
    make_category: CategoryFactory,
    changes: dict[str, Any],
    field: str,
) -> None:
    category = await make_category()
    before = await _count(session)
    response = await client.post(URL, json=payload(category.id, **changes), headers=staff_headers)
    body = assert_error(response, 422, "validation_error")
    assert any(error["loc"][-1] == field for error in body["errors"]), body
    assert await _count(session) == before


async def test_missing_category_is_refused(
    client: AsyncClient, session: AsyncSession, staff_headers: dict[str, str]
) -> None:
    before = await _count(session)
    response = await client.post(URL, json=payload(uuid.uuid4()), headers=staff_headers)
    assert_error(response, 422, "unknown_category")
    body = payload(uuid.uuid4())
    del body["category_id"]
    assert_error(await client.post(URL, json=body, headers=staff_headers), 422, "validation_error")
    assert await _count(session) == before


async def test_unpublished_products_are_hidden_from_guests_and_customers(
    client: AsyncClient,
    make_product: ProductFactory,
    staff_headers: dict[str, str],
    customer_headers: dict[str, str],
) -> None:
    draft = await make_product(name="Secret draft", is_published=False)
    archived = await make_product(name="Old thing", is_archived=True)
    for product in (draft, archived):
        for ref in (product.id, product.slug):
            assert_error(await client.get(f"{URL}/{ref}"), 404, "product_not_found")
            assert_error(
                await client.get(f"{URL}/{ref}", headers=customer_headers),
                404,
                "product_not_found",
            )
            staff = await client.get(f"{URL}/{ref}", headers=staff_headers)
            assert staff.status_code == 200
            assert staff.json()["id"] == str(product.id)
    assert_error(await client.get(f"{URL}/{uuid.uuid4()}"), 404, "product_not_found")


async def test_a_bad_token_is_401_even_on_public_reads(
    client: AsyncClient, make_product: ProductFactory
) -> None:
    product = await make_product()
    response = await client.get(f"{URL}/{product.id}", headers={"Authorization": "Bearer nope"})
    assert_error(response, 401, "invalid_token")


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("post", "", {"name": "x"}),
        ("patch", "/{id}", {"name": "Renamed"}),
        ("delete", "/{id}", None),
        ("put", "/{id}/images/order", {"image_ids": []}),
        ("delete", f"/{{id}}/images/{uuid.uuid4()}", None),
    ],
)
async def test_writes_need_staff(
    client: AsyncClient,
    make_product: ProductFactory,
    customer_headers: dict[str, str],
    method: str,
    path: str,
    body: dict[str, Any] | None,
) -> None:
    product = await make_product(name="Untouched")
    url = URL + path.format(id=product.id)
    kwargs: dict[str, Any] = {"json": body} if body is not None else {}
    assert_error(await client.request(method, url, **kwargs), 401, "not_authenticated")
    assert_error(
        await client.request(method, url, headers=customer_headers, **kwargs),
        403,
        "insufficient_role",
    )
    assert (await client.get(f"{URL}/{product.id}")).json()["name"] == "Untouched"


async def test_staff_updates_a_product(
    client: AsyncClient,
    staff_headers: dict[str, str],
    make_product: ProductFactory,
    make_category: CategoryFactory,
) -> None:
    product = await make_product(name="Mug", is_published=False)
    other = await make_category(name="Kitchen")
    response = await client.patch(
        f"{URL}/{product.id}",
        json={
            "name": "Big mug",
            "price": "7.5",
            "sku": "mug-xl",
            "category_id": str(other.id),
            "is_published": True,
        },
        headers=staff_headers,
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["name"] == "Big mug"
    assert body["slug"] == product.slug  # renaming keeps the links
    assert body["price"] == "7.50"
    assert body["sku"] == "MUG-XL"
    assert body["category"]["name"] == "Kitchen"
    assert body["is_published"] is True
    assert (await client.get(f"{URL}/{product.id}")).status_code == 200

    for bad in ({"price": "-1"}, {"weight_kg": "0"}, {"name": None}, {"category_id": None}):
        assert_error(
            await client.patch(f"{URL}/{product.id}", json=bad, headers=staff_headers),
            422,
            "validation_error",
        )
    unknown = await client.patch(
        f"{URL}/{product.id}", json={"category_id": str(uuid.uuid4())}, headers=staff_headers
    )
    assert_error(unknown, 422, "unknown_category")
    assert (await client.get(f"{URL}/{product.id}")).json()["price"] == "7.50"


async def test_patch_refuses_a_taken_sku(
    client: AsyncClient, staff_headers: dict[str, str], make_product: ProductFactory
) -> None:
    first = await make_product()
    second = await make_product()
    first_slug, second_id = first.slug, second.id
    response = await client.patch(
        f"{URL}/{second_id}", json={"sku": first.sku.lower()}, headers=staff_headers
    )
    assert_error(response, 409, "sku_taken")
    slug = await client.patch(
        f"{URL}/{second_id}", json={"slug": first_slug}, headers=staff_headers
    )
    assert_error(slug, 409, "slug_taken")
    renamed = await client.patch(
        f"{URL}/{second_id}", json={"slug": "A-New-Slug"}, headers=staff_headers
    )
    assert renamed.json()["slug"] == "a-new-slug"
    assert (await client.get(f"{URL}/a-new-slug")).json()["id"] == str(second_id)


async def test_archived_products_cannot_be_published_until_restored(
    client: AsyncClient, staff_headers: dict[str, str], make_product: ProductFactory
) -> None:
    product = await make_product(is_archived=True)
    url = f"{URL}/{product.id}"
    assert_error(
        await client.patch(url, json={"is_published": True}, headers=staff_headers),
        409,
        "product_archived",
    )
    restored = await client.patch(
        url, json={"is_archived": False, "is_published": True}, headers=staff_headers
    )
    assert restored.status_code == 200
    assert restored.json()["is_archived"] is False
    assert (await client.get(url)).status_code == 200
    archived = await client.patch(url, json={"is_archived": True}, headers=staff_headers)
    assert archived.json()["is_published"] is False


async def test_delete_removes_a_product_nothing_refers_to(
    client: AsyncClient,
    session: AsyncSession,
    staff_headers: dict[str, str],
    make_product: ProductFactory,
) -> None:
    product = await make_product()
    response = await client.delete(f"{URL}/{product.id}", headers=staff_headers)
    assert response.status_code == 200
    assert response.json() == {"id": str(product.id), "outcome": "deleted"}
    assert await session.scalar(select(Product.id).where(Product.id == product.id)) is None
    assert_error(
        await client.delete(f"{URL}/{product.id}", headers=staff_headers), 404, "product_not_found"
    )


async def test_archive_hides_a_product_but_keeps_it(
    client: AsyncClient,
    session: AsyncSession,
    staff_headers: dict[str, str],
    make_product: ProductFactory,
) -> None:
    product = await make_product(name="Referenced lamp")
    await service.archive_product(session, product)

    assert_error(await client.get(f"{URL}/{product.id}"), 404, "product_not_found")
    listed = await client.get(URL, params={"q": "Referenced lamp"}, headers=staff_headers)
    assert listed.json()["total"] == 0
    kept = await client.get(f"{URL}/{product.id}", headers=staff_headers)
    assert kept.json()["is_archived"] is True
    assert kept.json()["is_published"] is False


async def test_delete_archives_a_product_that_a_record_still_refers_to(
    client: AsyncClient,
    session: AsyncSession,
    staff_headers: dict[str, str],
    make_product: ProductFactory,
) -> None:
    """An order line (here a stand-in table, rolled back with the test) keeps the product:
    the delete hits the foreign key and archives instead."""
    product = await make_product()
    await session.execute(
        text(
            "CREATE TABLE test_order_lines (product_id uuid NOT NULL "
            "REFERENCES products (id) ON DELETE RESTRICT)"
        )
    )
    await session.execute(text("INSERT INTO test_order_lines VALUES (:id)"), {"id": product.id})
    response = await client.delete(f"{URL}/{product.id}", headers=staff_headers)
    assert response.status_code == 200
    assert response.json()["outcome"] == DeleteOutcome.ARCHIVED
    assert_error(await client.get(f"{URL}/{product.id}"), 404, "product_not_found")
    still = await session.scalar(select(Product.is_archived).where(Product.id == product.id))
    assert still is True
