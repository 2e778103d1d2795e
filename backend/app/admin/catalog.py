"""The admin views of the catalog (through the catalog service):
- categories and products (catalog service): `create_category`, `update_category`,
  `delete_category` (only an empty one); `create_product`, `update_product` (a heavier
  weight must fit every warehouse holding the product: the inventory's capacity check),
  `delete_product` (deleted, or archived when an order or the journal refers to it; image
  files removed after the commit).
"""

from collections.abc import Sequence
from typing import Any, ClassVar

from sqladmin import ModelView
from sqladmin.filters import (
    BooleanFilter,
)
from starlette.requests import Request

from app.admin.views import ReadOnlyView, ShopModelView, filled, parse
from app.catalog import service as catalog_service
from app.catalog.models import Category, Product, ProductImage
from app.catalog.schemas import CategoryIn, CategoryPatch, ProductIn, ProductPatch
from app.inventory import service as inventory_service


class CategoryAdmin(ShopModelView, model=Category):
    identity = "category"
    for_operators = True
    name_plural = "Categories"
    icon = "fa-solid fa-sitemap"
    category = "Catalog"
    column_list: ClassVar[Any] = [
        Category.name,
        Category.slug,
        Category.parent_id,
        Category.position,
        Category.updated_at,
    ]
    column_searchable_list: ClassVar[Any] = [Category.name, Category.slug]
    column_sortable_list: ClassVar[Any] = [Category.name, Category.slug, Category.position]
    column_default_sort: ClassVar[Any] = [(Category.name, False)]
    form_columns: ClassVar[Any] = [
        Category.name,
        Category.slug,
        Category.description,
        Category.position,
    ]

    async def insert_model(self, request: Request, data: dict[str, Any]) -> Any:
        values = parse(CategoryIn, filled(data, ("name", "slug", "description", "position")))
        async with self.transaction() as session:
            return await catalog_service.create_category(session, values)

    async def update_model(self, request: Request, pk: str, data: dict[str, Any]) -> Any:
        changes = parse(CategoryPatch, filled(data, ("name", "slug", "description", "position")))
        async with self.transaction() as session:
            category = await self.load_existing(
                session, catalog_service.get_category, pk, "category"
            )
            return await catalog_service.update_category(session, category, changes)

    async def delete_model(self, request: Request, pk: Any) -> None:
        await self.delete_through(pk, catalog_service.get_category, catalog_service.delete_category)


class ProductAdmin(ShopModelView, model=Product):
    identity = "product"
    for_operators = True
    name_plural = "Products"
    icon = "fa-solid fa-box"
    category = "Catalog"
    # Deleting archives a product that orders or the journal refer to (as the API does).
    column_list: ClassVar[Any] = [
        Product.sku,
        Product.name,
        Product.price,
        Product.weight_kg,
        Product.category,
        Product.is_published,
        Product.is_archived,
        Product.updated_at,
    ]
    column_details_exclude_list: ClassVar[Any] = [Product.search_vector, Product.images]
    column_export_list: ClassVar[Any] = [
        Product.sku,
        Product.slug,
        Product.name,
        Product.price,
        Product.weight_kg,
        Product.category_id,
        Product.is_published,
        Product.is_archived,
    ]
    column_searchable_list: ClassVar[Any] = [Product.sku, Product.name, Product.slug]
    column_sortable_list: ClassVar[Any] = [
        Product.sku,
        Product.name,
        Product.price,
        Product.updated_at,
    ]
    column_default_sort: ClassVar[Any] = [(Product.updated_at, True)]
    column_filters: ClassVar[Any] = [
        BooleanFilter(Product.is_published),
        BooleanFilter(Product.is_archived),
    ]
    form_columns: ClassVar[Any] = [
        Product.sku,
        Product.slug,
        Product.name,
        Product.description,
        Product.price,
        Product.weight_kg,
        Product.category,
        Product.is_published,
        Product.is_archived,
    ]

    form_create_rules: ClassVar[list[str]] = [
        "sku",
        "slug",
        "name",
        "description",
        "price",
        "weight_kg",
        "category",
        "is_published",
    ]
    _fields = ("sku", "slug", "name", "description", "price", "weight_kg", "category")
    _renamed: ClassVar[dict[str, str]] = {"category": "category_id"}

    async def insert_model(self, request: Request, data: dict[str, Any]) -> Any:
        fields = (*self._fields, "is_published")
        values = parse(ProductIn, filled(data, fields, self._renamed))
        async with self.transaction() as session:
            return await catalog_service.create_product(session, values)

    async def update_model(self, request: Request, pk: str, data: dict[str, Any]) -> Any:
        """As PATCH /products/{id}: a heavier weight must fit every warehouse holding the
        product (CapacityExceeded, nothing changed)."""
        fields = (*self._fields, "is_published", "is_archived")
        changes = parse(ProductPatch, filled(data, fields, self._renamed))
        async with self.transaction() as session:
            product = await self.load_existing(session, catalog_service.load_product, pk, "product")
            return await catalog_service.update_product(
                session, product, changes, stock=inventory_service.catalog_stock
            )

    async def delete_model(self, request: Request, pk: Any) -> None:
        """Deleted, or archived when something refers to it; its image files go once the
        deletion is committed."""
        await self.delete_through(pk, catalog_service.load_product, catalog_service.delete_product)


class ProductImageAdmin(ReadOnlyView, model=ProductImage):
    """Images and their files are managed through the API (upload, order, delete)."""

    identity = "product-image"
    for_operators = True
    name_plural = "Product images"
    icon = "fa-solid fa-image"
    category = "Catalog"
    column_list: ClassVar[Any] = [
        ProductImage.product_id,
        ProductImage.position,
        ProductImage.path,
        ProductImage.content_type,
        ProductImage.width,
        ProductImage.height,
        ProductImage.size_bytes,
    ]
    column_details_exclude_list: ClassVar[Any] = [ProductImage.product]
    column_searchable_list: ClassVar[Any] = [ProductImage.path]
    column_sortable_list: ClassVar[Any] = [ProductImage.position, ProductImage.size_bytes]


CATALOG_VIEWS: Sequence[type[ModelView]] = (
    CategoryAdmin,
    ProductAdmin,
    ProductImageAdmin,
)
