"""Category rules: the tree, paths and subtrees, slugs, moves without cycles, safe deletes.

Plain async functions taking the session; they flush and never commit.
"""

import uuid

from sqlalchemy import ColumnElement, func, literal, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.catalog.exceptions import (
    CategoryCycle,
    CategoryNotEmpty,
    SlugTaken,
    UnknownCategory,
)
from app.catalog.models import Category, Product
from app.catalog.schemas import CategoryIn, CategoryNode, CategoryPatch
from app.catalog.slugs import by_id_or_slug, insert_with_slug
from app.core.db import violated_constraint

SLUG_MAX_LENGTH = 120
SLUG_ATTEMPTS = 3
# Taken (transaction-scoped) by every change of a parent_id: two concurrent moves could each
# pass the cycle check and together make a loop; serialised, the second sees the first.
CATEGORY_TREE_LOCK = 0x63617467_74726565  # "catgtree"
# A tree deeper than this is a loop left by hand-edited data: stop walking.
MAX_DEPTH = 64


def _by_ref(ref: str) -> ColumnElement[bool]:
    return by_id_or_slug(Category.id, Category.slug, ref)


async def get_category(session: AsyncSession, category_id: uuid.UUID) -> Category | None:
    return await session.get(Category, category_id)


async def find_category(session: AsyncSession, ref: str) -> Category | None:
    """By id or slug."""
    return await session.scalar(select(Category).where(_by_ref(ref)).limit(1))


async def category_tree(session: AsyncSession) -> list[CategoryNode]:
    """Every category, nested, siblings by position then name: one query."""
    categories = await session.scalars(
        select(Category).order_by(Category.position, Category.name, Category.id)
    )
    nodes = {
        category.id: CategoryNode(
            id=category.id,
            name=category.name,
            slug=category.slug,
            parent_id=category.parent_id,
            description=category.description,
            position=category.position,
        )
        for category in categories
    }
    roots: list[CategoryNode] = []
    for node in nodes.values():  # dicts keep the query's order
        parent = nodes.get(node.parent_id) if node.parent_id else None
        (parent.children if parent else roots).append(node)
    return roots


async def ancestor_ids(session: AsyncSession, category_id: uuid.UUID) -> list[uuid.UUID]:
    """`category_id` and its ancestors, nearest first (a recursive CTE)."""
    walk = (
        select(Category.id, Category.parent_id, literal(0).label("depth"))
        .where(Category.id == category_id)
        .cte("ancestors", recursive=True)
    )
    walk = walk.union_all(
        select(Category.id, Category.parent_id, walk.c.depth + 1)
        .join(walk, Category.id == walk.c.parent_id)
        .where(walk.c.depth < MAX_DEPTH)
    )
    return list(await session.scalars(select(walk.c.id).order_by(walk.c.depth)))


async def category_path(session: AsyncSession, category: Category) -> list[Category]:
    """The ancestors of `category`, from the root down to its parent."""
    if category.parent_id is None:
        return []
    ids = await ancestor_ids(session, category.parent_id)
    found = {c.id: c for c in await session.scalars(select(Category).where(Category.id.in_(ids)))}
    return [found[i] for i in reversed(ids) if i in found]


async def child_categories(session: AsyncSession, category: Category) -> list[Category]:
    return list(
        await session.scalars(
            select(Category)
            .where(Category.parent_id == category.id)
            .order_by(Category.position, Category.name, Category.id)
        )
    )


async def subtree_ids(session: AsyncSession, ref: str) -> list[uuid.UUID]:
    """The category named by id or slug and everything below it; UnknownCategory if none."""
    anchor = select(Category.id).where(_by_ref(ref)).cte("subtree", recursive=True)
    # UNION, not UNION ALL: a loop in hand-edited data ends instead of recursing forever.
    tree = anchor.union(select(Category.id).join(anchor, Category.parent_id == anchor.c.id))
    ids = list(await session.scalars(select(tree.c.id)))
    if not ids:
        raise UnknownCategory(f"There is no category {ref!r}.")
    return ids


async def _check_parent(session: AsyncSession, parent_id: uuid.UUID) -> None:
    if await session.get(Category, parent_id) is None:
        raise UnknownCategory("The parent category does not exist.")


async def _flush(session: AsyncSession, category: Category | None = None) -> None:
    """Flush in a savepoint, turning unique-key and foreign-key errors into domain errors."""
    try:
        async with session.begin_nested():
            if category is not None:
                session.add(category)
            await session.flush()
    except IntegrityError as error:
        constraint = violated_constraint(error) or ""
        if constraint == "uq_categories_slug":
            raise SlugTaken() from error
        if constraint == "fk_categories_parent_id_categories":
            raise UnknownCategory("The parent category does not exist.") from error
        raise


async def create_category(session: AsyncSession, data: CategoryIn) -> Category:
    if data.parent_id is not None:
        await _check_parent(session, data.parent_id)

    def build(slug: str) -> Category:
        return Category(
            id=uuid.uuid4(),
            name=data.name,
            slug=slug,
            parent_id=data.parent_id,
            description=data.description,
            position=data.position,
        )

    return await insert_with_slug(
        session,
        Category.slug,
        data.name,
        data.slug,
        build=build,
        flush=lambda category: _flush(session, category),
        max_length=SLUG_MAX_LENGTH,
        fallback="category",
        attempts=SLUG_ATTEMPTS,
    )


async def update_category(
    session: AsyncSession, category: Category, data: CategoryPatch
) -> Category:
    changes = data.changes()
    if "parent_id" in changes and changes["parent_id"] != category.parent_id:
        await _check_move(session, category, changes["parent_id"])
    for name, value in changes.items():
        setattr(category, name, value)
    await _flush(session)
    return category


async def _check_move(
    session: AsyncSession, category: Category, parent_id: uuid.UUID | None
) -> None:
    """A new parent must exist and must not be the category itself or one below it."""
    await session.execute(select(func.pg_advisory_xact_lock(CATEGORY_TREE_LOCK)))
    if parent_id is None:
        return
    await _check_parent(session, parent_id)
    # Walk down from the category (however deep the tree): the new parent must not be in it.
    if parent_id in await subtree_ids(session, str(category.id)):
        raise CategoryCycle()


async def delete_category(session: AsyncSession, category: Category) -> None:
    """Only an empty category goes: no subcategories and no products (archived ones count)."""
    children = select(func.count()).where(Category.parent_id == category.id).scalar_subquery()
    products = select(func.count()).where(Product.category_id == category.id).scalar_subquery()
    counts = (await session.execute(select(children, products))).one()
    if counts[0] or counts[1]:
        raise CategoryNotEmpty(
            f"The category still has {counts[0]} subcategories and {counts[1]} products; "
            "move or delete them first."
        )
    try:
        async with session.begin_nested():
            await session.delete(category)
            await session.flush()
    except IntegrityError as error:
        # A subcategory or product added since the count: the foreign keys RESTRICT.
        raise CategoryNotEmpty() from error
