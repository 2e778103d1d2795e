"""The stock API contract, kept verbatim for existing clients (DESIGN.md, "The stock API
contract"): a store is a warehouse (store_id = its code, matched case-insensitively and
answered as the client wrote it in the path), an item a product (item_id = its SKU).
Operators and admins only.

Every answer is `{"store": {"store_id": …, "report": [{"item_id": …, "quantity": …}]}}`,
the warehouse's stock after the operation, by item_id; `quantity` is on hand (reserved units
included), so it always equals the sum of the accepted supplies and demands. A refused
operation (unknown store or item, a quantity that is not a positive integer, a demand beyond
what is available, a supply beyond the weight capacity) is a 4xx and changes nothing.
"""

from fastapi import APIRouter, Response

from app.accounts.dependencies import StaffUser
from app.core.db import SessionDep
from app.core.errors import raises
from app.inventory import service
from app.inventory.dependencies import StoreById
from app.inventory.exceptions import (
    CapacityExceeded,
    InsufficientStock,
    ItemNotFound,
    StockReserved,
    WarehouseInactive,
)
from app.inventory.schemas import (
    StoreGroupOperationIn,
    StoreOperationIn,
    StoreOut,
)

stores_router = APIRouter(prefix="/stores", tags=["stock API"])


@stores_router.get("/{store_id}")
async def read_store(_: StaffUser, store: StoreById, session: SessionDep) -> StoreOut:
    """The current report."""
    return await service.store_report(session, store)


@stores_router.post("/{store_id}")
@raises(ItemNotFound, WarehouseInactive, InsufficientStock, CapacityExceeded)
async def operate(
    data: StoreOperationIn, user: StaffUser, store: StoreById, session: SessionDep
) -> StoreOut:
    """One supply or demand. 409 insufficient_stock when a demand exceeds what is available
    (on hand minus reserved), 409 capacity_exceeded when a supply's weight does not fit."""
    return await service.store_operation(session, store, data.operation, [data], user_id=user.id)


@stores_router.post("/{store_id}/group_op")
@raises(ItemNotFound, WarehouseInactive, InsufficientStock, CapacityExceeded)
async def group_operation(
    data: StoreGroupOperationIn, user: StaffUser, store: StoreById, session: SessionDep
) -> StoreOut:
    """The operation on every item, all or nothing (one transaction, rows locked by SKU)."""
    return await service.store_operation(
        session, store, data.operation, data.items, user_id=user.id
    )


@stores_router.post("/{store_id}/clean")
@raises(WarehouseInactive, StockReserved)
async def clean(user: StaffUser, store: StoreById, session: SessionDep) -> StoreOut:
    """Every quantity to zero. 409 stock_reserved, nothing changed, while orders hold
    reservations in this store."""
    await service.clean(session, store.warehouse, user_id=user.id)
    return await service.store_report(session, store)


@stores_router.get(
    "/{store_id}/xlsx_report",
    response_class=Response,
    responses={200: {"content": {service.XLSX_MEDIA_TYPE: {}}, "description": "the .xlsx file"}},
)
async def xlsx_report(_: StaffUser, store: StoreById, session: SessionDep) -> Response:
    """The current stock as an .xlsx file: SKU, name, on hand, reserved, available, unit
    weight, total weight."""
    filename, content = await service.xlsx_report(session, store.warehouse)
    return Response(
        content,
        media_type=service.XLSX_MEDIA_TYPE,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
