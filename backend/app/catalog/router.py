"""Catalog routes: the category tree, products, their images and the listing.

Reads are public (staff also see unpublished products); writes need an operator or admin.
"""

import uuid
from collections.abc import Callable, Coroutine
from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, File, Query, Request, Response, UploadFile, status
from fastapi.routing import APIRoute
from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts.dependencies import StaffUser
from app.catalog import service
from app.catalog.dependencies import CategoryById, IsStaff, ProductById, StockViewDep
from app.catalog.exceptions import (
    CategoryCycle,
    CategoryNotEmpty,
    CategoryNotFound,
    ImageNotFound,
    ImageTooLarge,
    InvalidImage,
    InvalidImageOrder,
    InvalidPriceRange,
    LengthRequired,
    ProductArchived,
    ProductNotFound,
    RelevanceNeedsQuery,
    SkuTaken,
    SlugTaken,
    TooManyImages,
    UnknownCategory,
)
from app.catalog.models import Product
from app.catalog.schemas import (
    CategoryDetail,
    CategoryIn,
    CategoryNode,
    CategoryOut,
    CategoryPatch,
    CategoryRef,
    ImageOrderIn,
    ImageOut,
    ProductDeleted,
    ProductIn,
    ProductListItem,
    ProductOut,
    ProductPatch,
    ProductSort,
)
from app.core.config import get_settings
from app.core.db import SessionDep
from app.core.errors import raises
from app.core.pagination import Page, PageParamsDep
from app.core.schemas import DecimalString

categories_router = APIRouter(prefix="/categories", tags=["catalog"])
products_router = APIRouter(prefix="/products", tags=["catalog"])

Money = Annotated[Decimal, DecimalString(whole=10, places=2), Query()]
# Room for the multipart boundaries and headers around the file itself.
MULTIPART_OVERHEAD = 64 * 1024


class UploadRoute(APIRoute):
    """Refuses an upload by its Content-Length before the body is read: an oversized file
    is never spooled to disk. Without a Content-Length (a chunked body) the size is unknown
    up front, so it is refused as well; browsers always send one."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def limited(request: Request) -> Response:
            length = request.headers.get("content-length", "")
            if not length.isdigit():
                raise LengthRequired()
            limit = get_settings().MAX_IMAGE_BYTES
            if int(length) > limit + MULTIPART_OVERHEAD:
                raise ImageTooLarge(f"The image is larger than {limit // 1024} KiB.")
            return await handler(request)

        return limited


images_router = APIRouter(route_class=UploadRoute)


# --- categories ----------------------------------------------------------------------------


@categories_router.get("")
async def read_category_tree(session: SessionDep) -> list[CategoryNode]:
    """The whole tree: top-level categories with their subcategories nested."""
    return await service.category_tree(session)


@categories_router.get("/{ref}")
@raises(CategoryNotFound)
async def read_category(ref: str, session: SessionDep) -> CategoryDetail:
    """One category by id or slug, with its path from the root and its subcategories."""
    category = await service.find_category(session, ref)
    if category is None:
        raise CategoryNotFound()
    path = await service.category_path(session, category)
    children = await service.child_categories(session, category)
    return CategoryDetail(
        **CategoryOut.model_validate(category).model_dump(),
        path=[CategoryRef.model_validate(c) for c in path],
        children=[CategoryRef.model_validate(c) for c in children],
    )


@categories_router.post("", status_code=status.HTTP_201_CREATED)
@raises(UnknownCategory, SlugTaken)
async def create_category(data: CategoryIn, _: StaffUser, session: SessionDep) -> CategoryOut:
    return CategoryOut.model_validate(await service.create_category(session, data))


@categories_router.patch("/{ref}")
@raises(UnknownCategory, SlugTaken, CategoryCycle)
async def update_category(
    data: CategoryPatch, _: StaffUser, category: CategoryById, session: SessionDep
) -> CategoryOut:
    """Rename, re-slug, reorder or move; a move under itself or its subtree is a 409."""
    return CategoryOut.model_validate(await service.update_category(session, category, data))


@categories_router.delete("/{ref}", status_code=status.HTTP_204_NO_CONTENT)
@raises(CategoryNotEmpty)
async def delete_category(_: StaffUser, category: CategoryById, session: SessionDep) -> None:
    """Only an empty category: one with subcategories or products is a 409."""
    await service.delete_category(session, category)


# --- products ------------------------------------------------------------------------------


async def _product_out(
    session: AsyncSession, product_id: uuid.UUID, stock: service.StockView
) -> ProductOut:
    product = await service.load_product(session, product_id)
    assert product is not None
    return await _out(session, product, stock)


async def _out(session: AsyncSession, product: Product, stock: service.StockView) -> ProductOut:
    available = await stock.available_units(session, product.id)
    return ProductOut.of(product, product.category, product.images, available)


@products_router.get("")
@raises(InvalidPriceRange, RelevanceNeedsQuery, UnknownCategory)
async def list_products(
    session: SessionDep,
    params: PageParamsDep,
    staff: IsStaff,
    stock: StockViewDep,
    q: Annotated[str | None, Query(max_length=200, description="search words")] = None,
    category: Annotated[
        str | None,
        Query(max_length=120, description="category id or slug; includes its subcategories"),
    ] = None,
    min_price: Money | None = None,
    max_price: Money | None = None,
    sort: Annotated[
        ProductSort | None,
        Query(description="default: relevance with q, else -created_at"),
    ] = None,
    in_stock: Annotated[
        bool, Query(description="only products that can be ordered now (available > 0)")
    ] = False,
) -> Page[ProductListItem]:
    """Published products (staff: also unpublished; archived never), filtered and sorted."""
    items, total = await service.search_products(
        session,
        params,
        stock=stock,
        q=q,
        category=category,
        min_price=min_price,
        max_price=max_price,
        sort=sort,
        in_stock=in_stock,
        staff=staff,
    )
    return Page(items=items, total=total, page=params.page, size=params.size)


@products_router.get("/{ref}")
@raises(ProductNotFound)
async def read_product(
    ref: str, session: SessionDep, staff: IsStaff, stock: StockViewDep
) -> ProductOut:
    """By id or slug. Guests and customers get a 404 for unpublished or archived products."""
    return await _out(session, await service.find_product(session, ref, staff=staff), stock)


@products_router.post("", status_code=status.HTTP_201_CREATED)
@raises(UnknownCategory, SkuTaken, SlugTaken)
async def create_product(
    data: ProductIn, _: StaffUser, session: SessionDep, stock: StockViewDep
) -> ProductOut:
    product = await service.create_product(session, data)
    return await _product_out(session, product.id, stock)


@products_router.patch("/{ref}")
# A new weight the stock view refuses is a 409 too (the inventory's capacity_exceeded).
@raises(UnknownCategory, SkuTaken, SlugTaken, ProductArchived)
async def update_product(
    data: ProductPatch,
    _: StaffUser,
    product: ProductById,
    session: SessionDep,
    stock: StockViewDep,
) -> ProductOut:
    await service.update_product(session, product, data, stock=stock)
    return await _product_out(session, product.id, stock)


@products_router.delete("/{ref}")
async def delete_product(_: StaffUser, product: ProductById, session: SessionDep) -> ProductDeleted:
    """Deletes the product, or archives it (unpublished, never listed) when an order or
    another record still refers to it: `outcome` says which."""
    product_id = product.id
    outcome = await service.delete_product(session, product)
    return ProductDeleted(id=product_id, outcome=outcome)


@images_router.post("/{ref}/images", status_code=status.HTTP_201_CREATED)
@raises(LengthRequired, ImageTooLarge, InvalidImage, TooManyImages)
async def upload_image(
    _: StaffUser,
    product: ProductById,
    session: SessionDep,
    file: Annotated[UploadFile, File(description="JPEG, PNG or WebP")],
) -> ImageOut:
    """Add an image after the existing ones (at most 5); a thumbnail is made too."""
    data = await service.read_upload(file, get_settings().MAX_IMAGE_BYTES)
    return ImageOut.of(await service.add_image(session, product, data))


# Only an id: `/images/order` is another route's, and its 405 must not name DELETE.
@products_router.delete("/{ref}/images/{image_id:uuid}", status_code=status.HTTP_204_NO_CONTENT)
@raises(ImageNotFound)
async def delete_image(
    image_id: uuid.UUID, _: StaffUser, product: ProductById, session: SessionDep
) -> None:
    await service.delete_image(session, product, image_id)


@products_router.put("/{ref}/images/order")
@raises(InvalidImageOrder)
async def reorder_images(
    data: ImageOrderIn, _: StaffUser, product: ProductById, session: SessionDep
) -> list[ImageOut]:
    """`image_ids` lists every image of the product once, in the new order."""
    images = await service.reorder_images(session, product, data.image_ids)
    return [ImageOut.of(image) for image in images]


products_router.include_router(images_router)
