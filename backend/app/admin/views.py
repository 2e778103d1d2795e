"""The admin panel's views: one per model, with list columns, search, sorting and filters.

What keeps the data right:
- users: the password hash is never shown nor exported; a new password goes through the
  password policy and argon2 (the "password" field); an admin cannot demote or deactivate
  themself, nor the last active admin; accounts are never deleted here (deletion anonymises,
  see the API);
- warehouses are created and changed through the inventory service (codes upper-cased and
  unique, the code never changes);
- stock, the movement journal, images and inventory task records are read-only: stock only
  changes through the inventory service (the API, the stock API, orders), which journals it.
"""

import uuid
from collections.abc import Sequence
from typing import Any, ClassVar, cast

from pydantic import TypeAdapter, ValidationError
from sqladmin import ModelView
from sqladmin.filters import (
    AllUniqueStringValuesFilter,
    BooleanFilter,
    OperationColumnFilter,
    StaticValuesFilter,
)
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from starlette.requests import Request
from wtforms import Form, PasswordField, SelectField, validators  # type: ignore[import-untyped]

from app.accounts import tokens
from app.accounts.models import Profile, RefreshToken, Role, User
from app.accounts.passwords import NewPassword
from app.catalog.models import Category, Product, ProductImage
from app.core.security import hash_password
from app.inventory import service as inventory_service
from app.inventory.models import InventoryTask, MovementKind, Stock, StockMovement, Warehouse
from app.inventory.schemas import WarehouseIn, WarehousePatch

_new_password = TypeAdapter(NewPassword)


class AdminInputError(ValueError):
    """Shown above the form (SQLAdmin displays the message of an error raised on save)."""


def validation_message(error: ValidationError) -> str:
    return "; ".join(
        f"{'.'.join(str(part) for part in item['loc']) or 'value'}: {item['msg']}"
        for item in error.errors()
    )


class ShopModelView(ModelView):
    """Defaults for every view; `sessionmaker` is the one the panel was set up with."""

    page_size = 50
    page_size_options: ClassVar[list[int]] = [25, 50, 100, 200]
    can_export = True

    @property
    def sessions(self) -> async_sessionmaker[AsyncSession]:
        return cast(async_sessionmaker[AsyncSession], self.session_maker)


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

    async def on_model_change(
        self, data: dict[str, Any], model: Any, is_created: bool, request: Request
    ) -> None:
        assert isinstance(model, User)
        password = data.pop("password", None) or None
        if "email" in data:
            data["email"] = str(data["email"]).strip().lower()
        if is_created and password is None:
            raise AdminInputError("A new user needs a password.")
        if password is not None:
            try:
                _new_password.validate_python(password)
            except ValidationError as error:
                raise AdminInputError(f"password: {validation_message(error)}") from None
            data["hashed_password"] = await hash_password(password)
        if not is_created:
            await self._guard_admins(model, data, request)

    async def _guard_admins(self, user: User, data: dict[str, Any], request: Request) -> None:
        demoted = data.get("role", user.role) != Role.ADMIN.value
        deactivated = not data.get("is_active", user.is_active)
        if user.deleted_at is not None and data.get("is_active"):
            raise AdminInputError("A deleted account cannot be reactivated.")
        if not (demoted or deactivated) or user.role != Role.ADMIN.value:
            return
        if user.id == getattr(request.state, "admin_user_id", None):
            raise AdminInputError("You cannot demote or deactivate your own account.")
        async with self.sessions() as session:
            others = await session.scalar(
                select(func.count())
                .select_from(User)
                .where(User.role == Role.ADMIN.value, User.is_active, User.id != user.id)
            )
        if not others:
            raise AdminInputError("This is the last active admin: promote another one first.")

    async def after_model_change(
        self, data: dict[str, Any], model: Any, is_created: bool, request: Request
    ) -> None:
        assert isinstance(model, User)
        if not is_created and ("hashed_password" in data or not model.is_active):
            # Like the API: a new password or a deactivation ends every session.
            async with self.sessions() as session:
                await tokens.revoke_all_for_user(session, model.id)
                await session.commit()


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


class ProductAdmin(ShopModelView, model=Product):
    identity = "product"
    name_plural = "Products"
    icon = "fa-solid fa-box"
    category = "Catalog"
    # Orders and stock refer to products: set is_archived instead (as the API does).
    can_delete = False
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

    async def on_model_change(
        self, data: dict[str, Any], model: Any, is_created: bool, request: Request
    ) -> None:
        if data.get("sku"):
            data["sku"] = str(data["sku"]).strip().upper()


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
        try:
            values = WarehouseIn.model_validate(data)
        except ValidationError as error:
            raise AdminInputError(validation_message(error)) from None
        async with self.sessions() as session:
            warehouse = await inventory_service.create_warehouse(session, values)
            await session.commit()
        return warehouse

    async def update_model(self, request: Request, pk: str, data: dict[str, Any]) -> Any:
        data = {name: value for name, value in data.items() if name != "code"}
        try:
            changes = WarehousePatch.model_validate(data)
        except ValidationError as error:
            raise AdminInputError(validation_message(error)) from None
        async with self.sessions() as session:
            warehouse = await inventory_service.get_warehouse(session, uuid.UUID(pk))
            if warehouse is None:
                raise AdminInputError("This warehouse no longer exists.")
            await inventory_service.update_warehouse(session, warehouse, changes)
            await session.commit()
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
