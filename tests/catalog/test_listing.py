"""GET /products: search, filters, sorts, pagination, visibility, and its statement count."""

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from httpx import AsyncClient
from sqlalchemy.ext.asyncio import AsyncSession

from app.catalog.models import Category
from tests.catalog.statements import count_statements
from tests.fixtures.app import assert_error
from tests.fixtures.catalog import CategoryFactory, ProductFactory

URL = "/api/v1/products"


async def listing(client: AsyncClient, **params: Any) -> dict[str, Any]:
    headers = params.pop("headers", None)
    response = await client.get(URL, params=params, headers=headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def names(body: dict[str, Any]) -> list[str]:
    return [item["name"] for item in body["items"]]


@pytest.fixture
async def shelf(make_category: CategoryFactory, make_product: ProductFactory) -> Category:
    """A category of five products with distinct prices, names and ages."""
    category = await make_category(name="Shelf")
    now = datetime.now(UTC)
    for days, name, price in [
        (5, "Delta", "40.00"),
        (1, "Alpha", "15.50"),
        (3, "Echo", "5.00"),
        (2, "Charlie", "99.99"),
        (4, "Bravo", "15.50"),
    ]:
        await make_product(
            name=name, price=price, category=category, created_at=now - timedelta(days=days)
        )
    return category


async def test_items_carry_what_a_list_needs(client: AsyncClient, shelf: Category) -> None:
    body = await listing(client, category=str(shelf.id), size=2)
    assert body["total"] == 5
    assert (body["page"], body["size"]) == (1, 2)
    item = body["items"][0]
    assert set(item) == {
        "id",
        "sku",
        "slug",
        "name",
        "price",
        "weight_kg",
        "is_published",
        "category",
        "image_url",
        "thumbnail_url",
        "created_at",
        "available",
    }
    assert item["category"] == {"id": str(shelf.id), "name": "Shelf", "slug": shelf.slug}
    assert isinstance(item["price"], str)
    assert item["image_url"] is None


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        (None, ["Alpha", "Charlie", "Echo", "Bravo", "Delta"]),
        ("-created_at", ["Alpha", "Charlie", "Echo", "Bravo", "Delta"]),
        ("name", ["Alpha", "Bravo", "Charlie", "Delta", "Echo"]),
        ("price", ["Echo", None, None, "Delta", "Charlie"]),
        ("-price", ["Charlie", "Delta", None, None, "Echo"]),
    ],
)
async def test_sorts(
    client: AsyncClient, shelf: Category, sort: str | None, expected: list[str | None]
) -> None:
    params: dict[str, Any] = {"category": shelf.slug}
    if sort:
        params["sort"] = sort
    got = names(await listing(client, **params))
    # Alpha and Bravo cost the same: their order is stable (by id) but not by name.
    assert [g if e else None for g, e in zip(got, expected, strict=True)] == expected
    assert {g for g, e in zip(got, expected, strict=True) if e is None} <= {"Alpha", "Bravo"}
    again = names(await listing(client, **params))
    assert again == got


async def test_pages_partition_the_results(client: AsyncClient, shelf: Category) -> None:
    pages = [
        await listing(client, category=shelf.slug, sort="price", size=2, page=page)
        for page in (1, 2, 3, 4)
    ]
    seen = [item["id"] for body in pages for item in body["items"]]
    assert len(seen) == len(set(seen)) == 5
    assert [len(body["items"]) for body in pages] == [2, 2, 1, 0]
    assert all(body["total"] == 5 for body in pages)
    beyond = await listing(client, category=shelf.slug, page=1000, size=100)
    assert beyond["items"] == []
    assert (beyond["total"], beyond["page"], beyond["size"]) == (5, 1000, 100)


@pytest.mark.parametrize(
    "params",
    [
        {"size": 0},
        {"size": 101},
        {"page": 0},
        {"page": -1},
        {"size": "many"},
        {"sort": "weight"},
        {"min_price": "-1"},
        {"max_price": "abc"},
        {"min_price": "1.001"},
        {"q": "x" * 201},
    ],
)
async def test_bad_parameters_are_422(client: AsyncClient, params: dict[str, Any]) -> None:
    assert_error(await client.get(URL, params=params), 422, "validation_error")


async def test_size_100_is_allowed(client: AsyncClient, shelf: Category) -> None:
    body = await listing(client, category=shelf.slug, size=100)
    assert (body["size"], len(body["items"])) == (100, 5)


async def test_price_range_is_inclusive(client: AsyncClient, shelf: Category) -> None:
    body = await listing(
        client, category=shelf.slug, min_price="15.50", max_price="40", sort="name"
    )
    assert names(body) == ["Alpha", "Bravo", "Delta"]
    assert body["total"] == 3
    only_min = await listing(client, category=shelf.slug, min_price="99.99")
    assert names(only_min) == ["Charlie"]
    only_max = await listing(client, category=shelf.slug, max_price="5")
    assert names(only_max) == ["Echo"]
    assert_error(
        await client.get(URL, params={"min_price": "10", "max_price": "9.99"}),
        422,
        "invalid_price_range",
    )


async def test_category_filter_includes_the_whole_subtree(
    client: AsyncClient, make_category: CategoryFactory, make_product: ProductFactory
) -> None:
    root = await make_category(name="Sport")
    child = await make_category(name="Running", parent=root)
    grandchild = await make_category(name="Shoes", parent=child)
    sibling = await make_category(name="Swimming", parent=root)
    elsewhere = await make_category(name="Garden")
    await make_product(name="In root", category=root)
    await make_product(name="In child", category=child)
    await make_product(name="In grandchild", category=grandchild)
    await make_product(name="In sibling", category=sibling)
    await make_product(name="Elsewhere", category=elsewhere)

    by_id = await listing(client, category=str(root.id), sort="name")
    assert names(by_id) == ["In child", "In grandchild", "In root", "In sibling"]
    by_slug = await listing(client, category=child.slug, sort="name")
    assert names(by_slug) == ["In child", "In grandchild"]
    assert names(await listing(client, category=grandchild.slug)) == ["In grandchild"]
    assert_error(await client.get(URL, params={"category": "nope"}), 422, "unknown_category")


async def test_guests_and_customers_see_published_products_only(
    client: AsyncClient,
    make_category: CategoryFactory,
    make_product: ProductFactory,
    staff_headers: dict[str, str],
    customer_headers: dict[str, str],
) -> None:
    category = await make_category()
    await make_product(name="Public", category=category)
    await make_product(name="Draft", category=category, is_published=False)
    await make_product(name="Archived", category=category, is_archived=True)

    assert names(await listing(client, category=category.slug)) == ["Public"]
    customer = await listing(client, category=category.slug, headers=customer_headers)
    assert names(customer) == ["Public"]
    staff = await listing(client, category=category.slug, sort="name", headers=staff_headers)
    assert names(staff) == ["Draft", "Public"]
    assert [item["is_published"] for item in staff["items"]] == [False, True]
    draft_search = await listing(client, q="draft", headers=staff_headers)
    assert "Draft" in names(draft_search)
    assert "Draft" not in names(await listing(client, q="draft"))


# --- search --------------------------------------------------------------------------------


async def test_blu_shrt_finds_blue_shirt(
    client: AsyncClient, make_category: CategoryFactory, make_product: ProductFactory
) -> None:
    category = await make_category()
    await make_product(name="Blue shirt", category=category)
    await make_product(name="Nordic blue cotton shirt", category=category)
    await make_product(name="Red wool scarf", category=category)
    await make_product(name="Garden hose", category=category)

    body = await listing(client, q="blu shrt", category=category.slug)
    assert names(body)[0] == "Blue shirt"
    assert "Nordic blue cotton shirt" in names(body)
    assert "Red wool scarf" not in names(body)
    assert "Garden hose" not in names(body)
    assert body["total"] == len(body["items"])


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("jaket", "Leather jacket"),
        ("leathr jacket", "Leather jacket"),
        ("sneekers", "Trail running sneakers"),
        ("shirts", "Blue shirt"),
        ("BLUE SHIRT", "Blue shirt"),
        ("trail-running", "Trail running sneakers"),
    ],
)
async def test_typos_and_case_still_find_the_product(
    client: AsyncClient,
    make_category: CategoryFactory,
    make_product: ProductFactory,
    query: str,
    expected: str,
) -> None:
    category = await make_category()
    for name in ("Leather jacket", "Trail running sneakers", "Blue shirt", "Garden hose"):
        await make_product(name=name, category=category)
    found = names(await listing(client, q=query, category=category.slug))
    assert found[:1] == [expected], found
    assert "Garden hose" not in found


async def test_blue_does_not_find_black(
    client: AsyncClient, make_category: CategoryFactory, make_product: ProductFactory
) -> None:
    """The trigram threshold: one shared "bl" is not a match."""
    category = await make_category()
    await make_product(name="Blue mug", category=category)
    await make_product(name="Black mug", category=category)
    assert names(await listing(client, q="blue", category=category.slug)) == ["Blue mug"]


async def test_an_exact_name_beats_a_description_mention(
    client: AsyncClient, make_category: CategoryFactory, make_product: ProductFactory
) -> None:
    category = await make_category()
    now = datetime.now(UTC)
    # The mentions are newer, so only relevance can put the named product first.
    await make_product(
        name="Cotton scarf",
        category=category,
        description="Warm.",
        created_at=now - timedelta(days=9),
    )
    await make_product(
        name="Wool hat",
        category=category,
        description="Pairs well with our cotton scarf; the cotton scarf is sold separately.",
        created_at=now,
    )
    await make_product(
        name="Red cotton scarf with tassels",
        category=category,
        created_at=now - timedelta(days=1),
    )
    exact = names(await listing(client, q="cotton scarf", category=category.slug))
    assert exact == ["Cotton scarf", "Red cotton scarf with tassels", "Wool hat"]
    one_word = names(await listing(client, q="scarf", category=category.slug))
    assert one_word.index("Wool hat") == 2


async def test_full_text_covers_description_and_sku(
    client: AsyncClient, make_category: CategoryFactory, make_product: ProductFactory
) -> None:
    category = await make_category()
    await make_product(
        name="Kettle", sku="KT-2000.B", category=category, description="Stainless steel body"
    )
    await make_product(name="Teapot", sku="TP-1", category=category)
    assert names(await listing(client, q="stainless", category=category.slug)) == ["Kettle"]
    assert names(await listing(client, q="kt-2000.b", category=category.slug)) == ["Kettle"]
    assert names(await listing(client, q='"steel body"', category=category.slug)) == ["Kettle"]
    assert names(await listing(client, q="kettle -teapot", category=category.slug)) == ["Kettle"]


async def test_search_combines_with_filters_and_other_sorts(
    client: AsyncClient, make_category: CategoryFactory, make_product: ProductFactory
) -> None:
    category = await make_category()
    await make_product(name="Blue shirt slim", price="30.00", category=category)
    await make_product(name="Blue shirt wide", price="20.00", category=category)
    await make_product(name="Blue shirt kids", price="10.00", category=category)
    body = await listing(
        client, q="blue shirt", category=category.slug, sort="-price", max_price="25"
    )
    assert names(body) == ["Blue shirt wide", "Blue shirt kids"]
    assert body["total"] == 2


async def test_relevance_needs_a_query(client: AsyncClient) -> None:
    assert_error(await client.get(URL, params={"sort": "relevance"}), 422, "relevance_needs_query")


async def test_odd_queries_are_harmless(
    client: AsyncClient, make_category: CategoryFactory, make_product: ProductFactory
) -> None:
    category = await make_category()
    await make_product(name="Plain", category=category)
    for query in ["!!!", "'", "a & | b", "%", "_", "\\", "()", "   "]:
        response = await client.get(URL, params={"q": query, "category": category.slug})
        assert response.status_code == 200, (query, response.text)
    blank = await listing(client, q="   ", category=category.slug)
    assert names(blank) == ["Plain"]


# --- cost ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, 2),  # count, page
        ({"min_price": "1", "sort": "price"}, 2),
        ({"category": "{slug}"}, 3),  # + the subtree
        ({"q": "blue shirt"}, 3),  # + the trigram threshold
        ({"q": "blue shirt", "category": "{slug}", "sort": "name"}, 4),
    ],
)
async def test_a_fixed_number_of_statements_whatever_the_page_size(
    client: AsyncClient,
    session: AsyncSession,
    make_category: CategoryFactory,
    make_product: ProductFactory,
    staff_headers: dict[str, str],
    params: dict[str, Any],
    expected: int,
) -> None:
    category = await make_category()
    for number in range(120):
        await make_product(name=f"Blue shirt {number}", category=category, price=f"{number}.50")
    # Images too, so the primary-image join has rows to find.
    counts = {}
    for size in (1, 100):
        query = {k: v.format(slug=category.slug) for k, v in params.items()} | {"size": size}
        async with count_statements(session) as statements:
            body = await listing(client, **query)
        assert len(body["items"]) == size
        counts[size] = len(statements)
    assert counts == {1: expected, 100: expected}, statements
    # Staff: one more, to load the user behind the token.
    async with count_statements(session) as statements:
        await listing(client, headers=staff_headers, size=100)
    assert len(statements) == 3


async def test_in_stock_lists_what_can_be_ordered_now(
    client: AsyncClient,
    make_category: Any,
    make_product: Any,
    make_warehouse: Any,
    session: Any,
) -> None:
    from tests.fixtures.inventory import put_stock

    category = await make_category()
    stocked, promised, idle, _absent = [
        await make_product(name=name, category=category)
        for name in ("Stocked", "Promised", "Idle", "Absent")
    ]
    active, inactive = await make_warehouse(), await make_warehouse()
    await put_stock(session, active, stocked, 3)
    await put_stock(session, inactive, stocked, 4)
    await put_stock(session, active, promised, 2, reserved=2)  # all of it promised to orders
    await put_stock(session, inactive, idle, 5)
    inactive.is_active = False  # its goods cannot be sold now
    await session.flush()

    everything = await listing(client, category=str(category.id), sort="name")
    assert {item["name"]: item["available"] for item in everything["items"]} == {
        "Absent": 0,
        "Idle": 0,
        "Promised": 0,
        "Stocked": 3,
    }
    only = await listing(client, category=str(category.id), in_stock="true")
    assert [item["name"] for item in only["items"]] == ["Stocked"]
    assert only["total"] == 1
    detail = await client.get(f"/api/v1/products/{stocked.id}")
    assert detail.json()["available"] == 3
