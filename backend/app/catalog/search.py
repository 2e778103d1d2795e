"""The product listing: search, filters, sorts and one page, in a fixed number of statements.

A listing runs, whatever the page size:
1. only with `category`: one recursive query resolving the category's subtree to ids;
2. only with `q`: `set_config` of the trigram threshold for this transaction;
3. the count;
4. the page, with each product's category and primary image joined in.

Search (`q`) matches a product when any of these holds:
- full text: the stored tsvector (name and SKU weighted A, description B, configuration
  'simple', see app.catalog.models) matches `websearch_to_tsquery('simple', q)`;
- typo tolerance: every word of q with 3 characters or more is similar to a word of the
  name (pg_trgm strict word similarity, `%>>`), so "blu shrt" finds "Blue shirt" and
  "Nordic blue cotton shirt" but "blue" does not find "black";
- q is the product's SKU.
Relevance: an exact name (or SKU) match first, then ts_rank + strict_word_similarity(q, name).
"""

import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    SQLColumnExpression,
    and_,
    func,
    literal_column,
    or_,
    select,
    true,
)
from sqlalchemy.ext.asyncio import AsyncSession

from app.catalog.categories import subtree_ids
from app.catalog.exceptions import InvalidPriceRange, RelevanceNeedsQuery
from app.catalog.images import media_url
from app.catalog.models import SKU_PATTERN, TEXT_SEARCH_CONFIG, Category, Product, ProductImage
from app.catalog.schemas import CategoryRef, ProductListItem, ProductSort
from app.catalog.stock_view import StockView
from app.core.pagination import PageParams

# Typo tolerance is pg_trgm's strict_word_similarity between each query word and the closest
# whole words of the name (operator %>>, GIN-indexed), which must reach this threshold. The
# default, 0.5, misses one dropped letter in a short word ("shrt" scores 0.375 against
# "shirt", "jaket" 0.44 against "jacket"); plain word_similarity cannot tell "blue" from
# "black" (0.4) at a threshold that still finds "shrt" (0.4), strict scores them 0.22.
# "shirt" and "short" score 0.33 against each other: they stay apart.
WORD_SIMILARITY_THRESHOLD = 0.35
MIN_FUZZY_WORD_LENGTH = 3
MAX_FUZZY_WORDS = 6
_WORD = re.compile(r"\w+")
_CONFIG: ColumnElement[Any] = literal_column(f"'{TEXT_SEARCH_CONFIG}'::regconfig")


@dataclass(frozen=True)
class ProductQuery:
    """What a listing asks for; `category_ids` is a resolved subtree (see `subtree_ids`),
    `stock` gives the in-stock filter and the available column."""

    q: str | None = None
    category_ids: Sequence[uuid.UUID] | None = None
    min_price: Decimal | None = None
    max_price: Decimal | None = None
    sort: ProductSort | None = None
    in_stock: bool = False
    staff: bool = False
    stock: StockView = field(kw_only=True)

    @property
    def effective_sort(self) -> ProductSort:
        if self.sort is not None:
            return self.sort
        return ProductSort.RELEVANCE if self.q else ProductSort.NEWEST


def fuzzy_words(q: str) -> list[str]:
    words = [word for word in _WORD.findall(q.lower()) if len(word) >= MIN_FUZZY_WORD_LENGTH]
    return list(dict.fromkeys(words))[:MAX_FUZZY_WORDS]


def _tsquery(q: str) -> ColumnElement[str]:
    return func.websearch_to_tsquery(_CONFIG, q)


def search_match(q: str) -> ColumnElement[bool]:
    branches: list[ColumnElement[bool]] = [Product.search_vector.op("@@")(_tsquery(q))]
    words = fuzzy_words(q)
    if words:
        # name %>> word  ==  strict_word_similarity(word, name) >= the threshold.
        branches.append(and_(*(Product.name.op("%>>")(word) for word in words)))
    sku = q.strip().upper()
    if re.fullmatch(SKU_PATTERN, sku):
        branches.append(Product.sku == sku)
    return or_(*branches)


def conditions(query: ProductQuery) -> list[SQLColumnExpression[bool]]:
    """Archived products are never listed; only staff see unpublished ones."""
    where: list[SQLColumnExpression[bool]] = [~Product.is_archived]
    if not query.staff:
        where.append(Product.is_published)
    if query.category_ids is not None:
        where.append(Product.category_id.in_(query.category_ids))
    if query.min_price is not None:
        where.append(Product.price >= query.min_price)
    if query.max_price is not None:
        where.append(Product.price <= query.max_price)
    if query.q:
        where.append(search_match(query.q))
    if query.in_stock:
        where.append(query.stock.in_stock(Product.id))
    return where


def order_keys(query: ProductQuery) -> list[tuple[SQLColumnExpression[Any], bool]]:
    """(expression, descending) pairs; each sort ends with the id so pages never overlap."""
    sort = query.effective_sort
    if sort is ProductSort.RELEVANCE:
        assert query.q, "relevance needs a query"
        q = query.q
        exact = or_(func.lower(Product.name) == func.lower(q), Product.sku == q.strip().upper())
        relevance = func.ts_rank(Product.search_vector, _tsquery(q)) + func.strict_word_similarity(
            q, Product.name
        )
        return [(exact, True), (relevance, True), (Product.created_at, True), (Product.id, True)]
    keys: dict[ProductSort, list[tuple[SQLColumnExpression[Any], bool]]] = {
        ProductSort.PRICE: [(Product.price, False), (Product.id, False)],
        ProductSort.PRICE_DESC: [(Product.price, True), (Product.id, True)],
        ProductSort.NAME: [(Product.name, False), (Product.id, False)],
        ProductSort.NEWEST: [(Product.created_at, True), (Product.id, True)],
    }
    return keys[sort]


def count_statement(query: ProductQuery) -> Select[int]:
    return select(func.count()).select_from(Product).where(*conditions(query))


def page_statement(query: ProductQuery, *, offset: int, limit: int) -> Select[*tuple[Any, ...]]:
    """The page's ids are chosen first (an index-ordered scan that stops at the limit); only
    those rows are then joined to their category and their first image."""
    keys = order_keys(query)
    page = (
        select(
            Product.id.label("product_id"),
            *(expression.label(f"k{index}") for index, (expression, _) in enumerate(keys)),
        )
        .where(*conditions(query))
        .order_by(*(expression.desc() if desc else expression for expression, desc in keys))
        .offset(offset)
        .limit(limit)
        .subquery("page")
    )
    primary_image = (
        select(ProductImage.path, ProductImage.thumbnail_path)
        .where(ProductImage.product_id == Product.id)
        .order_by(ProductImage.position)
        .limit(1)
        .lateral("primary_image")
    )
    ordering = [page.c[f"k{index}"] for index in range(len(keys))]
    return (
        select(
            Product.id,
            Product.sku,
            Product.slug,
            Product.name,
            Product.price,
            Product.weight_kg,
            Product.is_published,
            Product.created_at,
            Category.id.label("category_id"),
            Category.name.label("category_name"),
            Category.slug.label("category_slug"),
            primary_image.c.path.label("image_path"),
            primary_image.c.thumbnail_path.label("thumbnail_path"),
            # Only for the page's rows: bounded by the page size, inside this one statement.
            query.stock.available(Product.id).label("available"),
        )
        .select_from(page)
        .join(Product, Product.id == page.c.product_id)
        .join(Category, Category.id == Product.category_id)
        .outerjoin(primary_image, true())
        .order_by(
            *(
                column.desc() if desc else column
                for column, (_, desc) in zip(ordering, keys, strict=True)
            )
        )
    )


async def list_products(
    session: AsyncSession, query: ProductQuery, params: PageParams
) -> tuple[list[ProductListItem], int]:
    """One page of products and how many match in all."""
    if query.q:
        await session.execute(
            select(
                func.set_config(
                    "pg_trgm.strict_word_similarity_threshold", str(WORD_SIMILARITY_THRESHOLD), True
                )
            )
        )
    total: int = await session.scalar(count_statement(query)) or 0
    rows = await session.execute(page_statement(query, offset=params.offset, limit=params.size))
    items = [
        ProductListItem(
            id=row.id,
            sku=row.sku,
            slug=row.slug,
            name=row.name,
            price=row.price,
            weight_kg=row.weight_kg,
            is_published=row.is_published,
            category=CategoryRef(
                id=row.category_id, name=row.category_name, slug=row.category_slug
            ),
            image_url=media_url(row.image_path) if row.image_path else None,
            thumbnail_url=media_url(row.thumbnail_path) if row.thumbnail_path else None,
            available=row.available,
            created_at=row.created_at,
        )
        for row in rows
    ]
    return items, total


async def search_products(
    session: AsyncSession,
    params: PageParams,
    *,
    stock: StockView,
    q: str | None = None,
    category: str | None = None,
    min_price: Decimal | None = None,
    max_price: Decimal | None = None,
    sort: ProductSort | None = None,
    in_stock: bool = False,
    staff: bool = False,
) -> tuple[list[ProductListItem], int]:
    """Check the listing's parameters, resolve `category` (id or slug) to its subtree, list."""
    q = (q or "").strip() or None
    if min_price is not None and max_price is not None and min_price > max_price:
        raise InvalidPriceRange()
    if sort is ProductSort.RELEVANCE and not q:
        raise RelevanceNeedsQuery()
    category_ids = await subtree_ids(session, category) if category else None
    query = ProductQuery(
        q=q,
        category_ids=category_ids,
        min_price=min_price,
        max_price=max_price,
        sort=sort,
        in_stock=in_stock,
        staff=staff,
        stock=stock,
    )
    return await list_products(session, query, params)
