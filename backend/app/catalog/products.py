"""Product rules: visibility, SKU and slug keys, delete-or-archive, and the ordered images.

Plain async functions taking the session; they flush and never commit.
"""

import uuid

from sqlalchemy import ColumnElement, SQLColumnExpression, case, delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload, selectinload
from starlette.concurrency import run_in_threadpool

from app.catalog import images as image_files
from app.catalog.exceptions import (
    ImageNotFound,
    InvalidImageOrder,
    ProductArchived,
    ProductNotFound,
    SkuTaken,
    SlugTaken,
    TooManyImages,
    UnknownCategory,
)
from app.catalog.models import MAX_IMAGES_PER_PRODUCT, Category, Product, ProductImage
from app.catalog.schemas import DeleteOutcome, ProductIn, ProductPatch
from app.catalog.slugs import by_id_or_slug, insert_with_slug
from app.catalog.stock_view import StockView
from app.core.config import get_settings
from app.core.db import after_commit, violated_constraint

SLUG_MAX_LENGTH = 200
SLUG_ATTEMPTS = 3


def visible_to(staff: bool) -> list[SQLColumnExpression[bool]]:
    """Staff see every product; guests and customers only published ones (never archived)."""
    return [] if staff else [Product.is_published, ~Product.is_archived]


def _by_ref(ref: str) -> ColumnElement[bool]:
    return by_id_or_slug(Product.id, Product.slug, ref)


async def load_product(session: AsyncSession, product_id: uuid.UUID) -> Product | None:
    """The product with its category and images loaded (and refreshed from the database)."""
    return await session.scalar(
        select(Product)
        .where(Product.id == product_id)
        .options(joinedload(Product.category), selectinload(Product.images))
        .execution_options(populate_existing=True)
    )


async def find_product(session: AsyncSession, ref: str, *, staff: bool) -> Product:
    """By id or slug, with category and images; ProductNotFound when hidden from this user."""
    product = await session.scalar(
        select(Product)
        .where(_by_ref(ref), *visible_to(staff))
        .options(joinedload(Product.category), selectinload(Product.images))
        .limit(1)
        .execution_options(populate_existing=True)
    )
    if product is None:
        raise ProductNotFound()
    return product


async def _lock(session: AsyncSession, product_id: uuid.UUID) -> None:
    """Row lock on the product: its image count and positions change one request at a time.

    NO KEY UPDATE: stock changes (which take KEY SHARE through their foreign key) need not
    wait for an image upload. A product deleted meanwhile is not found.
    """
    locked = await session.scalar(
        select(Product.id).where(Product.id == product_id).with_for_update(key_share=True)
    )
    if locked is None:
        raise ProductNotFound()


async def _check_category(session: AsyncSession, category_id: uuid.UUID) -> None:
    if await session.get(Category, category_id) is None:
        raise UnknownCategory()


async def _flush(session: AsyncSession, product: Product | None = None) -> None:
    try:
        async with session.begin_nested():
            if product is not None:
                session.add(product)
            await session.flush()
    except IntegrityError as error:
        constraint = violated_constraint(error) or ""
        if constraint == "uq_products_sku":
            raise SkuTaken() from error
        if constraint == "uq_products_slug":
            raise SlugTaken() from error
        if constraint == "fk_products_category_id_categories":
            raise UnknownCategory() from error
        raise


async def create_product(session: AsyncSession, data: ProductIn) -> Product:
    await _check_category(session, data.category_id)

    def build(slug: str) -> Product:
        return Product(
            id=uuid.uuid4(),
            sku=data.sku,
            slug=slug,
            name=data.name,
            description=data.description,
            price=data.price,
            weight_kg=data.weight_kg,
            category_id=data.category_id,
            is_published=data.is_published,
            is_archived=False,
        )

    return await insert_with_slug(
        session,
        Product.slug,
        data.name,
        data.slug,
        build=build,
        flush=lambda product: _flush(session, product),
        max_length=SLUG_MAX_LENGTH,
        fallback="product",
        attempts=SLUG_ATTEMPTS,
    )


async def update_product(
    session: AsyncSession, product: Product, data: ProductPatch, *, stock: StockView
) -> Product:
    """Change what `data` sets; a heavier weight must still fit the warehouses that hold the
    product (`stock` checks it)."""
    changes = data.changes()
    if "category_id" in changes and changes["category_id"] != product.category_id:
        await _check_category(session, changes["category_id"])
    archived = changes.get("is_archived", product.is_archived)
    if archived and changes.get("is_published"):
        raise ProductArchived()
    if archived:
        changes["is_published"] = False
    if "weight_kg" in changes:
        await stock.check_weight_change(
            session, product.id, product.weight_kg, changes["weight_kg"]
        )
    for name, value in changes.items():
        setattr(product, name, value)
    await _flush(session)
    return product


# --- delete or archive ---------------------------------------------------------------------


async def archive_product(session: AsyncSession, product: Product) -> Product:
    """Hide the product for good: unpublished, out of every listing, its rows kept."""
    product.is_archived = True
    product.is_published = False
    await session.flush()
    return product


def _remove_files_after_commit(session: AsyncSession, paths: list[str]) -> None:
    if not paths:
        return
    root = get_settings().MEDIA_ROOT

    async def remove() -> None:
        await run_in_threadpool(image_files.remove_files, root, paths)

    after_commit(session, remove)


async def delete_product(session: AsyncSession, product: Product) -> DeleteOutcome:
    """Delete the product when nothing refers to it, else archive it. Its image files go once
    the deletion is committed.

    What must keep pointing at a product (an order line, a stock line or movement, records of
    the domains above the catalog) does so by a foreign key with ON DELETE RESTRICT: the
    delete is tried in a savepoint, and a refusal archives the product instead. The catalog
    need not know who refers to it, and a reference made concurrently is safe too.
    """
    await _lock(session, product.id)
    image_rows = await session.execute(
        select(ProductImage.path, ProductImage.thumbnail_path).where(
            ProductImage.product_id == product.id
        )
    )
    paths = [path for row in image_rows for path in row]
    try:
        async with session.begin_nested():
            await session.execute(delete(Product).where(Product.id == product.id))
    except IntegrityError:
        await archive_product(session, product)
        return DeleteOutcome.ARCHIVED
    session.expunge(product)
    _remove_files_after_commit(session, paths)
    return DeleteOutcome.DELETED


# --- images --------------------------------------------------------------------------------


async def add_image(session: AsyncSession, product: Product, data: bytes) -> ProductImage:
    """Decode and store an uploaded image as the product's last; at most 5 per product."""
    settings = get_settings()
    processed = await run_in_threadpool(
        image_files.process_image, data, thumbnail_size=settings.THUMBNAIL_SIZE
    )
    await _lock(session, product.id)
    count = await session.scalar(select(func.count()).where(ProductImage.product_id == product.id))
    if (count or 0) >= MAX_IMAGES_PER_PRODUCT:
        raise TooManyImages()
    image_id = uuid.uuid4()
    path, thumbnail_path = image_files.product_image_paths(
        product.id, image_id, processed.extension
    )
    files = {path: processed.data, thumbnail_path: processed.thumbnail}
    await run_in_threadpool(image_files.write_files, settings.MEDIA_ROOT, files)
    image = ProductImage(
        id=image_id,
        product_id=product.id,
        position=count or 0,
        path=path,
        thumbnail_path=thumbnail_path,
        content_type=processed.content_type,
        width=processed.width,
        height=processed.height,
        size_bytes=len(processed.data),
    )
    session.add(image)
    try:
        await session.flush()
    except BaseException:
        # No row, no files. (Files of a transaction that fails later stay as orphans,
        # which nothing links to; a row without its files would be worse.)
        await run_in_threadpool(image_files.remove_files, settings.MEDIA_ROOT, list(files))
        raise
    return image


async def product_images(session: AsyncSession, product_id: uuid.UUID) -> list[ProductImage]:
    return list(
        await session.scalars(
            select(ProductImage)
            .where(ProductImage.product_id == product_id)
            .order_by(ProductImage.position)
            .execution_options(populate_existing=True)
        )
    )


async def delete_image(session: AsyncSession, product: Product, image_id: uuid.UUID) -> None:
    """Delete one image; the ones after it move up. The files go after the commit."""
    await _lock(session, product.id)
    image = await session.scalar(
        select(ProductImage).where(
            ProductImage.id == image_id, ProductImage.product_id == product.id
        )
    )
    if image is None:
        raise ImageNotFound()
    paths = [image.path, image.thumbnail_path]
    await session.delete(image)
    await session.flush()
    ranked = (
        select(
            ProductImage.id,
            (func.row_number().over(order_by=ProductImage.position) - 1).label("position"),
        )
        .where(ProductImage.product_id == product.id)
        .subquery()
    )
    await session.execute(
        update(ProductImage)
        .where(ProductImage.id == ranked.c.id, ProductImage.position != ranked.c.position)
        .values(position=ranked.c.position)
        .execution_options(synchronize_session=False)
    )
    _remove_files_after_commit(session, paths)


async def reorder_images(
    session: AsyncSession, product: Product, image_ids: list[uuid.UUID]
) -> list[ProductImage]:
    """Put the images in the order of `image_ids`, which must list each of them once."""
    await _lock(session, product.id)
    current = set(
        await session.scalars(select(ProductImage.id).where(ProductImage.product_id == product.id))
    )
    if len(image_ids) != len(current) or set(image_ids) != current:
        raise InvalidImageOrder()
    if image_ids:
        await session.execute(
            update(ProductImage)
            .where(ProductImage.product_id == product.id)
            .values(
                position=case(
                    {image_id: index for index, image_id in enumerate(image_ids)},
                    value=ProductImage.id,
                )
            )
            .execution_options(synchronize_session=False)
        )
    return await product_images(session, product.id)
