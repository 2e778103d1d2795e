"""The admin views of the inventory (through the inventory service):
- warehouses (inventory service): `create_warehouse`, `update_warehouse` (codes upper-cased
  and unique, the code never changes);
- stock, the movement journal and inventory task records are read-only: stock only
  changes through the inventory service (the API, the stock API, orders), which journals it.
"""

from collections.abc import Sequence
from typing import Any, ClassVar

from sqladmin import ModelView
from sqladmin.filters import (
    AllUniqueStringValuesFilter,
    BooleanFilter,
    OperationColumnFilter,
    StaticValuesFilter,
)
from starlette.requests import Request

from app.admin.views import ReadOnlyView, ShopModelView, parse
from app.inventory import service as inventory_service
from app.inventory.models import InventoryTask, MovementKind, Stock, StockMovement, Warehouse
from app.inventory.schemas import WarehouseIn, WarehousePatch


class WarehouseAdmin(ShopModelView, model=Warehouse):
    """Created and changed through the inventory service; never deleted (the journal names
    them): deactivate one instead."""

    identity = "warehouse"
    for_operators = True
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
            warehouse = await self.load_existing(
                session, inventory_service.get_warehouse, pk, "warehouse"
            )
            await inventory_service.update_warehouse(session, warehouse, changes)
        return warehouse


class StockAdmin(ReadOnlyView, model=Stock):
    """Read-only: supplies, demands, counts and transfers go through the API, which journals
    them (`/api/v1/warehouses/{code}/...`, the stock API)."""

    identity = "stock"
    for_operators = True
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
    for_operators = True
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
    for_operators = True
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


INVENTORY_VIEWS: Sequence[type[ModelView]] = (
    WarehouseAdmin,
    StockAdmin,
    StockMovementAdmin,
    InventoryTaskAdmin,
)
