"""The inventory back-office API: warehouses and their stock, the movement journal, transfers,
counts, supplies with their cost, and the weight task. Operators and admins only.

The application includes the inventory's routers from here: these, the stock API's
(stores_router.py) and the live stock websocket (live.py)."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, status

from app.accounts.dependencies import StaffUser
from app.core.dates import DateRangeDep
from app.core.db import SessionDep
from app.core.errors import raises
from app.core.pagination import Page, PageParamsDep
from app.inventory import service
from app.inventory.dependencies import WarehouseByCode
from app.inventory.exceptions import (
    BelowReserved,
    CapacityExceeded,
    InsufficientStock,
    ItemNotFound,
    SameWarehouse,
    TaskNotFound,
    WarehouseCodeTaken,
    WarehouseInactive,
    WarehouseNotFound,
)
from app.inventory.live import live_router
from app.inventory.models import MovementKind
from app.inventory.schemas import (
    AdjustIn,
    MovementOut,
    StockLineOut,
    SupplyIn,
    TaskCreated,
    TaskOut,
    TransferIn,
    TransferOut,
    WarehouseDetail,
    WarehouseIn,
    WarehouseOut,
    WarehousePatch,
)
from app.inventory.stores_router import stores_router

__all__ = [
    "inventory_tasks_router",
    "live_router",
    "movements_router",
    "stores_router",
    "warehouses_router",
]

warehouses_router = APIRouter(prefix="/warehouses", tags=["inventory"])
movements_router = APIRouter(prefix="/stock-movements", tags=["inventory"])
inventory_tasks_router = APIRouter(prefix="/inventory-tasks", tags=["inventory"])


# --- warehouses ----------------------------------------------------------------------------


@warehouses_router.get("")
async def list_warehouses(
    _: StaffUser,
    session: SessionDep,
    params: PageParamsDep,
    is_active: bool | None = None,
) -> Page[WarehouseOut]:
    """Warehouses in the order orders use them: priority (0 first), then code."""
    warehouses, total = await service.list_warehouses(session, params, is_active)
    return Page(
        items=[WarehouseOut.model_validate(warehouse) for warehouse in warehouses],
        total=total,
        page=params.page,
        size=params.size,
    )


@warehouses_router.post("", status_code=status.HTTP_201_CREATED)
@raises(WarehouseCodeTaken)
async def create_warehouse(data: WarehouseIn, _: StaffUser, session: SessionDep) -> WarehouseOut:
    return WarehouseOut.model_validate(await service.create_warehouse(session, data))


@warehouses_router.get("/{code}")
async def read_warehouse(
    _: StaffUser, warehouse: WarehouseByCode, session: SessionDep
) -> WarehouseDetail:
    """The warehouse with every stock line (by SKU) and the total weight it stores."""
    return await service.warehouse_detail(session, warehouse)


@warehouses_router.patch("/{code}")
async def update_warehouse(
    data: WarehousePatch, _: StaffUser, warehouse: WarehouseByCode, session: SessionDep
) -> WarehouseOut:
    """Rename, move, resize, (de)activate or re-prioritise; the code stays."""
    return WarehouseOut.model_validate(await service.update_warehouse(session, warehouse, data))


@warehouses_router.post("/{code}/supply")
@raises(ItemNotFound, WarehouseInactive, CapacityExceeded)
async def supply(
    data: SupplyIn, user: StaffUser, warehouse: WarehouseByCode, session: SessionDep
) -> list[StockLineOut]:
    """Receive goods with their purchase cost: all items or none (409 capacity_exceeded when
    their weight does not fit). Returns the supplied stock lines."""
    await service.supply(session, warehouse, data.items, user_id=user.id, note=data.note)
    return await service.stock_lines_out(session, warehouse, [item.sku for item in data.items])


@warehouses_router.post("/{code}/adjust")
@raises(ItemNotFound, WarehouseInactive, BelowReserved)
async def adjust(
    data: AdjustIn, user: StaffUser, warehouse: WarehouseByCode, session: SessionDep
) -> StockLineOut:
    """Record a stock count: on_hand becomes `counted` (not below what is reserved)."""
    return await service.adjust(
        session, warehouse, data.sku, data.counted, reason=data.reason, user_id=user.id
    )


@warehouses_router.post("/{code}/transfer")
@raises(
    SameWarehouse,
    WarehouseNotFound,
    ItemNotFound,
    WarehouseInactive,
    InsufficientStock,
    CapacityExceeded,
)
async def transfer(
    data: TransferIn, user: StaffUser, warehouse: WarehouseByCode, session: SessionDep
) -> TransferOut:
    """Move goods to another warehouse, all items or none."""
    return await service.transfer(
        session, warehouse, data.to_warehouse, data.items, user_id=user.id, note=data.note
    )


@warehouses_router.post("/{code}/weight-tasks", status_code=status.HTTP_202_ACCEPTED)
async def start_weight_task(
    user: StaffUser, warehouse: WarehouseByCode, session: SessionDep
) -> TaskCreated:
    """Compute the stored weight, per product and in all, in the background; poll
    GET /inventory-tasks/{task_id} for the result."""
    task = await service.start_weight_task(session, warehouse, user)
    return TaskCreated(task_id=task.id)


# --- the journal ---------------------------------------------------------------------------


@movements_router.get("")
async def list_movements(
    _: StaffUser,
    session: SessionDep,
    params: PageParamsDep,
    created: DateRangeDep,
    warehouse: Annotated[str | None, Query(max_length=64, description="warehouse code")] = None,
    sku: Annotated[str | None, Query(max_length=64)] = None,
    product_id: uuid.UUID | None = None,
    kind: MovementKind | None = None,
    user_id: Annotated[uuid.UUID | None, Query(description="who made the change")] = None,
    order_id: uuid.UUID | None = None,
) -> Page[MovementOut]:
    """The movement journal, newest first."""
    filters = service.MovementFilter(
        warehouse_code=warehouse,
        sku=sku,
        product_id=product_id,
        kind=kind,
        user_id=user_id,
        order_id=order_id,
        created=created,
    )
    items, total = await service.list_movements(session, params, filters)
    return Page(items=items, total=total, page=params.page, size=params.size)


# --- tasks ---------------------------------------------------------------------------------


@inventory_tasks_router.get("/{task_id}")
@raises(TaskNotFound)
async def read_task(task_id: uuid.UUID, user: StaffUser, session: SessionDep) -> TaskOut:
    """A task's status and result; only for the one who started it, and admins."""
    return await service.get_task(session, task_id, user)
