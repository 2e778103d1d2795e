"""The admin panel's views: one per model, with list columns, search, sorting and filters.

Every write goes through the service the API uses, in one session with one commit
(`ShopModelView.transaction`: core's `finish_session` and `run_callbacks`, as the API's session
dependency), so the after-commit work (e-mails, stock-changed events, removing image files)
runs once committed and never after a rollback; a refused write (a domain error, an invalid
field) is shown above the form and changes nothing. A view that names no service for a write
refuses it.
- users (accounts service): created with `admin_create_user` (password policy, argon2);
  role and is_active through `admin_update_user`, as PATCH /users/{id}: not one's own
  account, never the last active admin (checked under its row lock), a deactivation ends
  every session; a new password through `set_password` (ends every session, e-mails the
  owner). The e-mail address and is_verified are set on creation only (afterwards the owner
  changes the address with a confirmation, as the API asks). The password hash is never
  shown nor exported; accounts are never deleted here (deletion anonymises, see the API);
- profiles (accounts service): `save_profile`, `delete_profile`;
- categories and products (catalog service): `create_category`, `update_category`,
  `delete_category` (only an empty one); `create_product`, `update_product` (a heavier
  weight must fit every warehouse holding the product: the inventory's capacity check),
  `delete_product` (deleted, or archived when an order or the journal refers to it; image
  files removed after the commit);
- warehouses (inventory service): `create_warehouse`, `update_warehouse` (codes upper-cased
  and unique, the code never changes);
- stock, the movement journal, images and inventory task records are read-only: stock only
  changes through the inventory service (the API, the stock API, orders), which journals it.
Orders move on through the orders service (see orders.py).
"""

import uuid
from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager
from typing import Any, ClassVar, TypeVar, cast

from pydantic import BaseModel, ValidationError
from sqladmin import ModelView
from sqladmin.filters import (
    AllUniqueStringValuesFilter,
    BooleanFilter,
    OperationColumnFilter,
    StaticValuesFilter,
)
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from starlette.requests import Request
from wtforms import Form, PasswordField, SelectField, validators  # type: ignore[import-untyped]

from app.accounts import service as accounts_service
from app.accounts.models import Profile, RefreshToken, Role, User
from app.accounts.schemas import NewPasswordIn, ProfileIn, UserAdminCreateIn, UserAdminUpdateIn
from app.catalog import service as catalog_service
from app.catalog.models import Category, Product, ProductImage
from app.catalog.schemas import CategoryIn, CategoryPatch, ProductIn, ProductPatch
from app.core.db import finish_session, run_callbacks
from app.core.errors import DomainError
from app.inventory import service as inventory_service
from app.inventory.models import InventoryTask, MovementKind, Stock, StockMovement, Warehouse
from app.inventory.schemas import WarehouseIn, WarehousePatch

SchemaT = TypeVar("SchemaT", bound=BaseModel)


class AdminInputError(ValueError):
    """Shown above the form (SQLAdmin displays the message of an error raised on save)."""


def validation_message(error: ValidationError) -> str:
    return "; ".join(
        f"{'.'.join(str(part) for part in item['loc']) or 'value'}: {item['msg']}"
        for item in error.errors()
    )


def parse(schema: type[SchemaT], data: dict[str, Any]) -> SchemaT:
    """The form's values as the API's request schema; what it refuses, as a form error."""
    try:
        return schema.model_validate(data)
    except ValidationError as error:
        raise AdminInputError(validation_message(error)) from None


def filled(
    data: dict[str, Any], names: Iterable[str], renamed: dict[str, str] | None = None
) -> dict[str, Any]:
    """The fields `names` of a form's data that were filled in: an empty optional field is
    left out (the service's default, or no change), except a description, which may be
    emptied. `renamed` maps a form field to the schema's name for it."""
    renamed = renamed or {}
    values: dict[str, Any] = {}
    for name in names:
        value = data.get(name)
        if name == "description" and value is not None:
            values[name] = value
        elif value is not None and value != "":
            values[renamed.get(name, name)] = value
    return values


class ShopModelView(ModelView):
    """Defaults for every view; `sessionmaker` is the one the panel was set up with.

    Writes go through a domain service inside `transaction()`; a view that does not override
    a write names no service for it, and refuses it.
    """

    page_size = 50
    page_size_options: ClassVar[list[int]] = [25, 50, 100, 200]
    can_export = True

    @property
    def sessions(self) -> async_sessionmaker[AsyncSession]:
        return cast(async_sessionmaker[AsyncSession], self.session_maker)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        """One session and one commit for an admin write, as the API's session dependency:
        committed, or rolled back on an error (core's `finish_session`); the after-commit
        callbacks run once committed, never after a rollback. A domain error becomes the
        message shown above the form."""
        async with self.sessions() as session:
            try:
                yield session
            except BaseException as error:
                await run_callbacks(await finish_session(session, error))
                if isinstance(error, DomainError):
                    raise AdminInputError(error.message) from error
                raise
            await run_callbacks(await finish_session(session, None))

    async def insert_model(self, request: Request, data: dict[str, Any]) -> Any:
        raise AdminInputError("Not here: this is created through the API.")

    async def update_model(self, request: Request, pk: str, data: dict[str, Any]) -> Any:
        raise AdminInputError("Not here: this is changed through the API.")

    async def delete_model(self, request: Request, pk: Any) -> None:
        raise AdminInputError("Not here: this is deleted through the API.")


class ReadOnlyView(ShopModelView):
    can_create = False
    can_edit = False
    can_delete = False


# --- accounts ------------------------------------------------------------------------------


class UserAdmin(ShopModelView, model=User):
    identity = "user"
    name_plural = "Users"
    icon = "fa-solid fa-user"
    category = "Accounts"
    can_delete = False  # deleting an account anonymises it: the API's DELETE /users/me
    column_list: ClassVar[Any] = [
        User.email,
        User.role,
        User.is_active,
        User.is_verified,
        User.last_login_at,
        User.created_at,
    ]
    column_details_list: ClassVar[Any] = [
        User.id,
        User.email,
        User.role,
        User.is_active,
        User.is_verified,
        User.last_login_at,
        User.deleted_at,
        User.created_at,
        User.updated_at,
    ]
    column_export_list: ClassVar[Any] = column_details_list
    column_searchable_list: ClassVar[Any] = [User.email]
    column_sortable_list: ClassVar[Any] = [
        User.email,
        User.role,
        User.created_at,
        User.last_login_at,
    ]
    column_default_sort: ClassVar[Any] = [(User.created_at, True)]
    column_filters: ClassVar[Any] = [
        StaticValuesFilter(User.role, [(role.value, role.value) for role in Role]),
        BooleanFilter(User.is_active),
        BooleanFilter(User.is_verified),
    ]
    form_columns: ClassVar[Any] = [User.email, User.role, User.is_active, User.is_verified]
    form_create_rules: ClassVar[list[str]] = [
        "email",
        "role",
        "is_active",
        "is_verified",
        "password",
    ]
    form_edit_rules: ClassVar[list[str]] = ["role", "is_active", "password"]
    form_overrides: ClassVar[Any] = {"role": SelectField}
    form_args: ClassVar[Any] = {
        "role": {"choices": [(role.value, role.value) for role in Role]},
    }

    async def scaffold_form(self, rules: list[str] | None = None) -> type[Form]:
        form = await super().scaffold_form(rules)

        class UserForm(form):  # type: ignore[valid-type,misc]
            password = PasswordField(
                "Password",
                validators=[validators.Optional()],
                description="A new password (required for a new user; empty keeps it).",
            )

        return UserForm

    async def insert_model(self, request: Request, data: dict[str, Any]) -> Any:
        if not data.get("password"):
            raise AdminInputError("A new user needs a password.")
        fields = ("email", "password", "role", "is_active", "is_verified")
        values = parse(UserAdminCreateIn, filled(data, fields))
        async with self.transaction() as session:
            return await accounts_service.admin_create_user(session, values)

    async def update_model(self, request: Request, pk: str, data: dict[str, Any]) -> Any:
        """As PATCH /users/{id} (the last-admin guard under its lock), then the password."""
        changes = parse(UserAdminUpdateIn, filled(data, ("role", "is_active")))
        password = parse(NewPasswordIn, data) if data.get("password") else None
        async with self.transaction() as session:
            user = await accounts_service.get_user(session, uuid.UUID(pk))
            actor = await accounts_service.get_user(session, request.state.admin_user_id)
            if user is None or actor is None:
                raise AdminInputError("This account no longer exists.")
            await accounts_service.admin_update_user(session, actor, user, changes)
            if password is not None:
                await accounts_service.set_password(session, user, password.password)
        return user


class ProfileAdmin(ShopModelView, model=Profile):
    identity = "profile"
    name_plural = "Profiles"
    icon = "fa-solid fa-id-card"
    category = "Accounts"
    can_create = False
    column_list: ClassVar[Any] = [
        Profile.user_id,
        Profile.first_name,
        Profile.last_name,
        Profile.phone,
        Profile.updated_at,
    ]
    column_searchable_list: ClassVar[Any] = [Profile.first_name, Profile.last_name, Profile.phone]
    column_sortable_list: ClassVar[Any] = [Profile.last_name, Profile.updated_at]
    form_columns: ClassVar[Any] = [
        Profile.first_name,
        Profile.last_name,
        Profile.phone,
        Profile.default_address,
    ]

    async def update_model(self, request: Request, pk: str, data: dict[str, Any]) -> Any:
        fields = ("first_name", "last_name", "phone", "default_address")
        values = parse(ProfileIn, filled(data, fields))
        async with self.transaction() as session:
            user = await accounts_service.get_user(session, uuid.UUID(pk))
            if user is None:
                raise AdminInputError("This account no longer exists.")
            return await accounts_service.save_profile(session, user, values, partial=False)

    async def delete_model(self, request: Request, pk: Any) -> None:
        async with self.transaction() as session:
            user = await accounts_service.get_user(session, uuid.UUID(str(pk)))
            if user is not None:
                await accounts_service.delete_profile(session, user)


class RefreshTokenAdmin(ReadOnlyView, model=RefreshToken):
    """Sessions of the API: who is logged in since when; the token hashes stay hidden."""

    identity = "refresh-token"
    name_plural = "Refresh tokens"
    icon = "fa-solid fa-key"
    category = "Accounts"
    can_export = False
    column_list: ClassVar[Any] = [
        RefreshToken.user_id,
        RefreshToken.family_id,
        RefreshToken.created_at,
        RefreshToken.expires_at,
        RefreshToken.revoked_at,
    ]
    column_details_exclude_list: ClassVar[Any] = [RefreshToken.token_hash]
    column_searchable_list: ClassVar[Any] = [RefreshToken.user_id]
    column_sortable_list: ClassVar[Any] = [
        RefreshToken.created_at,
        RefreshToken.expires_at,
        RefreshToken.revoked_at,
    ]
    column_default_sort: ClassVar[Any] = [(RefreshToken.created_at, True)]


# --- catalog -------------------------------------------------------------------------------


class CategoryAdmin(ShopModelView, model=Category):
    identity = "category"
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
            category = await catalog_service.get_category(session, uuid.UUID(pk))
            if category is None:
                raise AdminInputError("This category no longer exists.")
            return await catalog_service.update_category(session, category, changes)

    async def delete_model(self, request: Request, pk: Any) -> None:
        async with self.transaction() as session:
            category = await catalog_service.get_category(session, uuid.UUID(str(pk)))
            if category is not None:
                await catalog_service.delete_category(session, category)


class ProductAdmin(ShopModelView, model=Product):
    identity = "product"
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
            product = await catalog_service.load_product(session, uuid.UUID(pk))
            if product is None:
                raise AdminInputError("This product no longer exists.")
            return await catalog_service.update_product(
                session, product, changes, stock=inventory_service.catalog_stock
            )

    async def delete_model(self, request: Request, pk: Any) -> None:
        """Deleted, or archived when something refers to it; its image files go once the
        deletion is committed."""
        async with self.transaction() as session:
            product = await catalog_service.load_product(session, uuid.UUID(str(pk)))
            if product is not None:
                await catalog_service.delete_product(session, product)


class ProductImageAdmin(ReadOnlyView, model=ProductImage):
    """Images and their files are managed through the API (upload, order, delete)."""

    identity = "product-image"
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


# --- inventory -----------------------------------------------------------------------------


class WarehouseAdmin(ShopModelView, model=Warehouse):
    """Created and changed through the inventory service; never deleted (the journal names
    them): deactivate one instead."""

    identity = "warehouse"
    name_plural = "Warehouses"
    icon = "fa-solid fa-warehouse"
    category = "Inventory"
    can_delete = False
    column_list: ClassVar[Any] = [
        Warehouse.code,
        Warehouse.name,
        Warehouse.max_weight_kg,
        Warehouse.is_active,
        Warehouse.priority,
        Warehouse.updated_at,
    ]
    column_searchable_list: ClassVar[Any] = [Warehouse.code, Warehouse.name]
    column_sortable_list: ClassVar[Any] = [
        Warehouse.code,
        Warehouse.name,
        Warehouse.priority,
        Warehouse.max_weight_kg,
    ]
    column_default_sort: ClassVar[Any] = [(Warehouse.priority, False), (Warehouse.code, False)]
    column_filters: ClassVar[Any] = [BooleanFilter(Warehouse.is_active)]
    form_columns: ClassVar[Any] = [
        Warehouse.code,
        Warehouse.name,
        Warehouse.address,
        Warehouse.max_weight_kg,
        Warehouse.is_active,
        Warehouse.priority,
    ]
    form_edit_rules: ClassVar[list[str]] = [
        "name",
        "address",
        "max_weight_kg",
        "is_active",
        "priority",
    ]

    async def insert_model(self, request: Request, data: dict[str, Any]) -> Any:
        values = parse(WarehouseIn, data)
        async with self.transaction() as session:
            return await inventory_service.create_warehouse(session, values)

    async def update_model(self, request: Request, pk: str, data: dict[str, Any]) -> Any:
        changes = parse(WarehousePatch, {k: v for k, v in data.items() if k != "code"})
        async with self.transaction() as session:
            warehouse = await inventory_service.get_warehouse(session, uuid.UUID(pk))
            if warehouse is None:
                raise AdminInputError("This warehouse no longer exists.")
            await inventory_service.update_warehouse(session, warehouse, changes)
        return warehouse


class StockAdmin(ReadOnlyView, model=Stock):
    """Read-only: supplies, demands, counts and transfers go through the API, which journals
    them (`/api/v1/warehouses/{code}/...`, the stock API)."""

    identity = "stock"
    name_plural = "Stock"
    icon = "fa-solid fa-cubes"
    category = "Inventory"
    column_list: ClassVar[Any] = [
        Stock.warehouse_id,
        Stock.product_id,
        Stock.on_hand,
        Stock.reserved,
        Stock.updated_at,
    ]
    column_sortable_list: ClassVar[Any] = [Stock.on_hand, Stock.reserved, Stock.updated_at]
    column_default_sort: ClassVar[Any] = [(Stock.updated_at, True)]
    column_filters: ClassVar[Any] = [
        OperationColumnFilter(Stock.on_hand),
        OperationColumnFilter(Stock.reserved),
    ]


class StockMovementAdmin(ReadOnlyView, model=StockMovement):
    """The journal: append-only, written by the inventory service in the change's
    transaction."""

    identity = "stock-movement"
    name_plural = "Stock movements"
    icon = "fa-solid fa-right-left"
    category = "Inventory"
    column_list: ClassVar[Any] = [
        StockMovement.id,
        StockMovement.created_at,
        StockMovement.kind,
        StockMovement.warehouse_id,
        StockMovement.product_id,
        StockMovement.quantity,
        StockMovement.quantity_after,
        StockMovement.unit_cost,
        StockMovement.user_id,
        StockMovement.order_id,
    ]
    column_searchable_list: ClassVar[Any] = [StockMovement.note]
    column_sortable_list: ClassVar[Any] = [
        StockMovement.id,
        StockMovement.created_at,
        StockMovement.quantity,
    ]
    column_default_sort: ClassVar[Any] = [(StockMovement.id, True)]
    column_filters: ClassVar[Any] = [
        StaticValuesFilter(StockMovement.kind, [(kind.value, kind.value) for kind in MovementKind]),
        OperationColumnFilter(StockMovement.quantity),
    ]


class InventoryTaskAdmin(ReadOnlyView, model=InventoryTask):
    identity = "inventory-task"
    name_plural = "Inventory tasks"
    icon = "fa-solid fa-list-check"
    category = "Inventory"
    column_list: ClassVar[Any] = [
        InventoryTask.kind,
        InventoryTask.status,
        InventoryTask.warehouse_id,
        InventoryTask.user_id,
        InventoryTask.created_at,
        InventoryTask.finished_at,
    ]
    column_sortable_list: ClassVar[Any] = [InventoryTask.created_at, InventoryTask.finished_at]
    column_default_sort: ClassVar[Any] = [(InventoryTask.created_at, True)]
    column_filters: ClassVar[Any] = [
        AllUniqueStringValuesFilter(InventoryTask.status),
        AllUniqueStringValuesFilter(InventoryTask.kind),
    ]


VIEWS: Sequence[type[ModelView]] = (
    UserAdmin,
    ProfileAdmin,
    RefreshTokenAdmin,
    CategoryAdmin,
    ProductAdmin,
    ProductImageAdmin,
    WarehouseAdmin,
    StockAdmin,
    StockMovementAdmin,
    InventoryTaskAdmin,
)
