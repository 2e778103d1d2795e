"""A seeded catalog of 10,000 products in a scratch database: the demo seed itself, a guest
browsing it through the API, and the query plans of every listing filter and sort.

The plans are read with EXPLAIN under the planner's normal settings (sequential scans
allowed), after the VACUUM ANALYZE that autovacuum would run after such a load.
"""

import itertools
from collections.abc import AsyncIterator
from decimal import Decimal
from typing import Any

import pytest
from httpx import ASGITransport, AsyncClient
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, create_async_engine

from app.catalog.categories import subtree_ids
from app.catalog.models import Category, Product
from app.catalog.schemas import ProductSort
from app.catalog.search import (
    WORD_SIMILARITY_THRESHOLD,
    ProductQuery,
    count_statement,
    page_statement,
)
from app.catalog.seed import SeedReport, seed_demo
from app.core.config import get_settings
from app.inventory import service as inventory_service
from app.inventory.seed import seed_demo_stock
from app.main import create_app
from tests.conftest import servers

PRODUCTS = 10_000


@pytest.fixture(scope="module")
def plans_database_url() -> str:
    return servers.migrated_database("onlineshop_test_catalog_plans")


@pytest.fixture(scope="module")
async def seeded(plans_database_url: str) -> AsyncIterator[tuple[AsyncEngine, SeedReport]]:
    engine = create_async_engine(plans_database_url)
    async with AsyncSession(engine) as session:
        report = await seed_demo(session, products=PRODUCTS)
        await seed_demo_stock(session)
        await session.commit()
    async with engine.connect() as connection:
        autocommit = await connection.execution_options(isolation_level="AUTOCOMMIT")
        await autocommit.execute(text("VACUUM ANALYZE"))
    yield engine, report
    await engine.dispose()


# --- the seed ------------------------------------------------------------------------------


async def test_seed_fills_a_realistic_catalog(seeded: tuple[AsyncEngine, SeedReport]) -> None:
    engine, report = seeded
    print(f"seed-demo: {report.products} products in {report.seconds:.2f} s")
    assert (report.products, report.skipped) == (PRODUCTS, False)
    assert report.categories >= 50
    async with engine.connect() as connection:
        depth = await connection.scalar(
            text(
                "WITH RECURSIVE walk AS (SELECT id, 1 AS depth FROM categories "
                "WHERE parent_id IS NULL UNION ALL SELECT c.id, walk.depth + 1 "
                "FROM categories c JOIN walk ON c.parent_id = walk.id) "
                "SELECT max(depth) FROM walk"
            )
        )
        assert depth == 3
        stats = (
            await connection.execute(
                select(
                    func.count(),
                    func.count(func.distinct(Product.name)),
                    func.count(func.distinct(Product.category_id)),
                    func.min(Product.price),
                    func.max(Product.price),
                    func.min(Product.weight_kg),
                    func.count().filter(Product.is_published),
                )
            )
        ).one()
    count, names, categories, low, high, lightest, published = stats
    assert count == PRODUCTS
    assert names > PRODUCTS * 0.9
    assert categories == 54  # every leaf is stocked
    assert Decimal("1") <= low < Decimal("10")
    assert Decimal("500") < high < Decimal("1000")
    assert lightest > 0
    assert PRODUCTS * 0.9 < published < PRODUCTS


async def test_seed_refuses_a_catalog_that_has_data(
    seeded: tuple[AsyncEngine, SeedReport],
) -> None:
    engine, _ = seeded
    async with AsyncSession(engine) as session:
        report = await seed_demo(session, products=10)
        assert report.skipped
        assert (report.categories, report.products) == (0, 0)
        assert await session.scalar(select(func.count()).select_from(Product)) == PRODUCTS


async def test_seed_is_deterministic_and_can_make_images(engine: AsyncEngine) -> None:
    """Twice into the (empty) test database, rolled back each time."""

    async def run(with_images: bool) -> list[tuple[Any, ...]]:
        async with engine.connect() as connection:
            transaction = await connection.begin()
            session = AsyncSession(bind=connection)
            report = await seed_demo(session, products=60, with_images=with_images)
            assert report.images == (60 if with_images else 0)
            rows = await session.execute(
                select(
                    Product.id, Product.sku, Product.name, Product.price, Product.weight_kg
                ).order_by(Product.sku)
            )
            result = [tuple(row) for row in rows]
            if with_images:
                paths = await session.scalars(text("SELECT path FROM product_images"))
                for path in paths:
                    assert (get_settings().MEDIA_ROOT / path).is_file()
            await session.close()
            await transaction.rollback()
        return result

    first = await run(with_images=False)
    assert len(first) == 60
    assert first == await run(with_images=True)


# --- a guest browsing it -------------------------------------------------------------------


@pytest.fixture(scope="module")
async def seeded_client(
    seeded: tuple[AsyncEngine, SeedReport], plans_database_url: str
) -> AsyncIterator[AsyncClient]:
    settings = get_settings().model_copy(update={"DATABASE_URL": plans_database_url})
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = ASGITransport(app=app)
        async with AsyncClient(transport=transport, base_url="http://testserver") as http:
            yield http


async def test_a_guest_browses_searches_and_pages_through_everything(
    seeded_client: AsyncClient,
) -> None:
    client = seeded_client
    tree = (await client.get("/api/v1/categories")).json()
    assert len(tree) == 6
    clothing = next(node for node in tree if node["slug"] == "clothing")
    assert all(len(aisle["children"]) == 3 for aisle in clothing["children"])

    found = (await client.get("/api/v1/products", params={"q": "blu shrt"})).json()
    assert found["total"] > 0
    assert all("blue" in item["name"] and "shirt" in item["name"] for item in found["items"])

    seen: set[str] = set()
    page, total = 1, None
    params = {"category": "clothing", "min_price": "20", "sort": "price", "size": 100}
    while True:
        body = (await client.get("/api/v1/products", params={**params, "page": page})).json()
        total = body["total"]
        if not body["items"]:
            break
        prices = [Decimal(item["price"]) for item in body["items"]]
        assert prices == sorted(prices)
        assert prices[0] >= 20
        seen.update(item["id"] for item in body["items"])
        page += 1
    assert len(seen) == total > 500

    everything = (await client.get("/api/v1/products", params={"size": 100})).json()
    assert everything["total"] > PRODUCTS * 0.9
    last = (
        await client.get(
            "/api/v1/products", params={"size": 100, "page": -(-everything["total"] // 100)}
        )
    ).json()
    assert 0 < len(last["items"]) <= 100


# --- the plans -----------------------------------------------------------------------------

SORTS: list[ProductSort | None] = [None, *ProductSort]


async def _filters(session: AsyncSession) -> dict[str, dict[str, Any]]:
    department = await subtree_ids(session, "clothing")
    aisle = await subtree_ids(session, "tops")
    shelf = await subtree_ids(session, "shirts")
    band = {"min_price": Decimal("100"), "max_price": Decimal("200")}
    return {
        "none": {},
        "q typo": {"q": "blu shrt"},
        "q words": {"q": "blue shirt"},
        "q one word": {"q": "kettle"},
        "q sku": {"q": "CLOSHI-000100"},
        "department": {"category_ids": department},
        "aisle": {"category_ids": aisle},
        "shelf": {"category_ids": shelf},
        "price band": band,
        "min price": {"min_price": Decimal("500")},
        "max price": {"max_price": Decimal("10")},
        "department + price band": {"category_ids": department, **band},
        "q + department": {"q": "blue shirt", "category_ids": department},
        "q + price band": {
            "q": "blue shirt",
            "min_price": Decimal("20"),
            "max_price": Decimal("80"),
        },
        "q + shelf + price": {"q": "shirt", "category_ids": shelf, "max_price": Decimal("60")},
        "in stock": {"in_stock": True},
        "in stock + shelf": {"in_stock": True, "category_ids": shelf},
        "in stock + q": {"in_stock": True, "q": "blue shirt"},
    }


async def test_no_listing_scans_the_products_table(
    seeded: tuple[AsyncEngine, SeedReport],
) -> None:
    engine, _ = seeded
    scans: list[str] = []
    checked = 0
    async with AsyncSession(engine) as session:
        filters = await _filters(session)
        connection = await session.connection()
        await connection.execute(
            select(
                func.set_config(
                    "pg_trgm.strict_word_similarity_threshold", str(WORD_SIMILARITY_THRESHOLD), True
                )
            )
        )
        assert await connection.scalar(text("SHOW enable_seqscan")) == "on"
        for staff, (name, fields), sort in itertools.product((False, True), filters.items(), SORTS):
            if sort is ProductSort.RELEVANCE and "q" not in fields:
                continue
            query = ProductQuery(
                staff=staff, sort=sort, **fields, stock=inventory_service.catalog_stock
            )
            statements = {
                "count": count_statement(query),
                "first page": page_statement(query, offset=0, limit=20),
                "page 40 of 100": page_statement(query, offset=3900, limit=100),
            }
            for kind, statement in statements.items():
                compiled = statement.compile(
                    dialect=connection.dialect, compile_kwargs={"literal_binds": True}
                )
                rows = await connection.exec_driver_sql(f"EXPLAIN {compiled}")
                plan = "\n".join(row[0] for row in rows)
                checked += 1
                if "Seq Scan on products" in plan:
                    who = "staff" if staff else "guest"
                    scans.append(f"{who}, {name}, sort={sort}, {kind}:\n{plan}")
    assert checked > 250
    assert scans == [], "\n\n".join(scans)


async def test_the_seeded_categories_are_in_place(seeded: tuple[AsyncEngine, SeedReport]) -> None:
    engine, report = seeded
    async with AsyncSession(engine) as session:
        assert await session.scalar(select(func.count()).select_from(Category)) == (
            report.categories
        )
