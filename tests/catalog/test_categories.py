"""The category tree: reading it, paths, slugs, staff-only writes, cycles and safe deletes."""

import uuid
from typing import Any

import pytest
from httpx import AsyncClient
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.catalog.models import Category
from tests.catalog.statements import count_statements
from tests.fixtures.app import assert_error
from tests.fixtures.catalog import CategoryFactory, ProductFactory

URL = "/api/v1/categories"


def _find(nodes: list[dict[str, Any]], category_id: uuid.UUID) -> dict[str, Any] | None:
    for node in nodes:
        if node["id"] == str(category_id):
            return node
        found = _find(node["children"], category_id)
        if found:
            return found
    return None


async def test_guest_reads_the_whole_tree_nested_and_ordered(
    client: AsyncClient, make_category: CategoryFactory
) -> None:
    root = await make_category(name="Clothing")
    second = await make_category(name="Tops", parent=root, position=2)
    first = await make_category(name="Trousers", parent=root, position=1)
    leaf = await make_category(name="Shirts", parent=second)

    response = await client.get(URL)
    assert response.status_code == 200
    node = _find(response.json(), root.id)
    assert node is not None
    assert node["parent_id"] is None
    assert [child["name"] for child in node["children"]] == ["Trousers", "Tops"]
    assert node["children"][0]["id"] == str(first.id)
    assert [c["id"] for c in node["children"][1]["children"]] == [str(leaf.id)]
    # Subcategories appear only under their parent, never at the top level.
    assert all(top["id"] != str(leaf.id) for top in response.json())


async def test_tree_is_one_query(
    client: AsyncClient, session: AsyncSession, make_category: CategoryFactory
) -> None:
    root = await make_category()
    for _ in range(5):
        await make_category(parent=await make_category(parent=root))
    async with count_statements(session) as statements:
        assert (await client.get(URL)).status_code == 200
    assert len(statements) == 1, statements


@pytest.mark.parametrize("by", ["id", "slug"])
async def test_read_one_category_with_its_path_and_children(
    client: AsyncClient, make_category: CategoryFactory, by: str
) -> None:
    root = await make_category(name="Home")
    middle = await make_category(name="Kitchen", parent=root)
    category = await make_category(name="Knives", parent=middle)
    child = await make_category(name="Chef knives", parent=category)

    ref = category.id if by == "id" else category.slug
    response = await client.get(f"{URL}/{ref}")
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == str(category.id)
    assert [step["name"] for step in body["path"]] == ["Home", "Kitchen"]
    assert body["path"][0] == {"id": str(root.id), "name": "Home", "slug": root.slug}
    assert [c["id"] for c in body["children"]] == [str(child.id)]

    top = (await client.get(f"{URL}/{root.slug}")).json()
    assert top["path"] == []


async def test_unknown_category_is_404(client: AsyncClient) -> None:
    assert_error(await client.get(f"{URL}/no-such-thing"), 404, "category_not_found")
    assert_error(await client.get(f"{URL}/{uuid.uuid4()}"), 404, "category_not_found")


async def test_staff_creates_a_category_with_a_slug_made_from_the_name(
    client: AsyncClient, staff_headers: dict[str, str], make_category: CategoryFactory
) -> None:
    parent = await make_category()
    response = await client.post(
        URL,
        json={"name": "  Crème Brûlée & Co. ", "parent_id": str(parent.id), "position": 3},
        headers=staff_headers,
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["name"] == "Crème Brûlée & Co."
    assert body["slug"] == "creme-brulee-co"
    assert body["parent_id"] == str(parent.id)
    assert body["position"] == 3
    assert body["description"] == ""

    again = await client.post(URL, json={"name": "Crème brûlée, co"}, headers=staff_headers)
    assert again.json()["slug"] == "creme-brulee-co-2"
    third = await client.post(URL, json={"name": "Creme Brulee Co"}, headers=staff_headers)
    assert third.json()["slug"] == "creme-brulee-co-3"
    # Nothing ASCII left in the name: a fallback slug, still unique.
    kanji = await client.post(URL, json={"name": "食器"}, headers=staff_headers)
    assert kanji.status_code == 201
    assert kanji.json()["slug"].startswith("category")


async def test_an_explicit_slug_must_be_free_and_well_formed(
    client: AsyncClient, staff_headers: dict[str, str], make_category: CategoryFactory
) -> None:
    existing = await make_category()
    taken = await client.post(
        URL, json={"name": "Other", "slug": existing.slug}, headers=staff_headers
    )
    assert_error(taken, 409, "slug_taken")
    bad = await client.post(
        URL, json={"name": "Other", "slug": "no spaces!"}, headers=staff_headers
    )
    assert_error(bad, 422, "validation_error")
    upper = await client.post(
        URL, json={"name": "Other", "slug": "Mixed-Case"}, headers=staff_headers
    )
    assert upper.status_code == 201
    assert upper.json()["slug"] == "mixed-case"


async def test_create_under_an_unknown_parent_is_refused(
    client: AsyncClient, session: AsyncSession, staff_headers: dict[str, str]
) -> None:
    before = await session.scalar(select(func.count()).select_from(Category))
    response = await client.post(
        URL, json={"name": "Orphan", "parent_id": str(uuid.uuid4())}, headers=staff_headers
    )
    assert_error(response, 422, "unknown_category")
    assert await session.scalar(select(func.count()).select_from(Category)) == before


@pytest.mark.parametrize(
    ("method", "path", "payload"),
    [
        ("post", "", {"name": "New"}),
        ("patch", "/{id}", {"name": "Renamed"}),
        ("delete", "/{id}", None),
    ],
)
async def test_writes_need_staff(
    client: AsyncClient,
    make_category: CategoryFactory,
    customer_headers: dict[str, str],
    method: str,
    path: str,
    payload: dict[str, Any] | None,
) -> None:
    category = await make_category(name="Untouched")
    url = URL + path.format(id=category.id)
    kwargs: dict[str, Any] = {"json": payload} if payload else {}
    assert_error(await client.request(method, url, **kwargs), 401, "not_authenticated")
    assert_error(
        await client.request(method, url, headers=customer_headers, **kwargs),
        403,
        "insufficient_role",
    )
    assert (await client.get(f"{URL}/{category.id}")).json()["name"] == "Untouched"


async def test_staff_renames_and_moves_a_category(
    client: AsyncClient, staff_headers: dict[str, str], make_category: CategoryFactory
) -> None:
    old_parent = await make_category()
    new_parent = await make_category()
    category = await make_category(name="Mugs", parent=old_parent)
    slug = category.slug

    response = await client.patch(
        f"{URL}/{category.id}",
        json={"name": "Cups", "parent_id": str(new_parent.id), "description": "Hot drinks"},
        headers=staff_headers,
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["name"] == "Cups"
    assert body["slug"] == slug  # renaming keeps the links
    assert body["parent_id"] == str(new_parent.id)
    assert body["description"] == "Hot drinks"

    to_root = await client.patch(
        f"{URL}/{category.id}", json={"parent_id": None}, headers=staff_headers
    )
    assert to_root.json()["parent_id"] is None
    null_name = await client.patch(
        f"{URL}/{category.id}", json={"name": None}, headers=staff_headers
    )
    assert_error(null_name, 422, "validation_error")


async def test_a_move_that_makes_a_cycle_is_409(
    client: AsyncClient, staff_headers: dict[str, str], make_category: CategoryFactory
) -> None:
    root = await make_category()
    child = await make_category(parent=root)
    grandchild = await make_category(parent=child)

    for new_parent in (root, child, grandchild):
        response = await client.patch(
            f"{URL}/{root.id}", json={"parent_id": str(new_parent.id)}, headers=staff_headers
        )
        assert_error(response, 409, "category_cycle")
    assert (await client.get(f"{URL}/{root.id}")).json()["parent_id"] is None

    unknown = await client.patch(
        f"{URL}/{child.id}", json={"parent_id": str(uuid.uuid4())}, headers=staff_headers
    )
    assert_error(unknown, 422, "unknown_category")
    # A move sideways is fine.
    other = await make_category()
    moved = await client.patch(
        f"{URL}/{grandchild.id}", json={"parent_id": str(other.id)}, headers=staff_headers
    )
    assert moved.status_code == 200


async def test_delete_refuses_a_category_with_children_or_products(
    client: AsyncClient,
    session: AsyncSession,
    staff_headers: dict[str, str],
    make_category: CategoryFactory,
    make_product: ProductFactory,
) -> None:
    parent = await make_category()
    child = await make_category(parent=parent)
    with_products = await make_category()
    await make_product(category=with_products, is_archived=True)

    body = assert_error(
        await client.delete(f"{URL}/{parent.id}", headers=staff_headers), 409, "category_not_empty"
    )
    assert "1 subcategories" in body["detail"]
    body = assert_error(
        await client.delete(f"{URL}/{with_products.id}", headers=staff_headers),
        409,
        "category_not_empty",
    )
    assert "1 products" in body["detail"]
    assert await session.get(Category, parent.id) is not None

    assert (await client.delete(f"{URL}/{child.id}", headers=staff_headers)).status_code == 204
    assert (await client.delete(f"{URL}/{parent.id}", headers=staff_headers)).status_code == 204
    assert_error(await client.get(f"{URL}/{parent.id}"), 404, "category_not_found")
    assert_error(
        await client.delete(f"{URL}/{parent.id}", headers=staff_headers), 404, "category_not_found"
    )
