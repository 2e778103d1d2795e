"""The stock API contract, kept verbatim for existing clients (DESIGN.md, "The stock API
contract"): a store is a warehouse (store_id = its code), an item a product (item_id = its
SKU). Operators and admins only.

Every answer is `{"store": {"store_id": …, "report": [{"item_id": …, "quantity": …}]}}`,
the warehouse's stock after the operation, by item_id; `quantity` is on hand (reserved units
included), so it always equals the sum of the accepted supplies and demands. A refused
operation (unknown store or item, a quantity that is not a positive integer, a demand beyond
what is available, a supply beyond the weight capacity) is a 4xx and changes nothing.
"""

import uuid
from collections.abc import Sequence

from fastapi import APIRouter, Response
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.concurrency import run_in_threadpool

from app.accounts.dependencies import StaffUser
from app.core.db import SessionDep
from app.inventory import service
from app.inventory.dependencies import StoreById
from app.inventory.models import Warehouse
from app.inventory.reports import XLSX_MEDIA_TYPE
from app.inventory.schemas import (
    Operation,
    StoreGroupOperationIn,
    StoreItem,
    StoreOperationIn,
    StoreOut,
)

stores_router = APIRouter(prefix="/stores", tags=["stock API"])


async def _apply(
    session: AsyncSession,
    warehouse: Warehouse,
    operation: Operation,
    items: Sequence[StoreItem],
    user_id: uuid.UUID,
) -> None:
    products = await service.resolve_skus(session, [item.item_id for item in items])
    lines = [service.Line(products[item.item_id], item.quantity) for item in items]
    apply = service.supply if operation is Operation.SUPPLY else service.demand
    await apply(session, warehouse, lines, user_id=user_id)


@stores_router.get("/{store_id}")
async def read_store(_: StaffUser, warehouse: StoreById, session: SessionDep) -> StoreOut:
    """The current report."""
    return await service.store_report(session, warehouse)


@stores_router.post("/{store_id}")
async def operate(
    data: StoreOperationIn, user: StaffUser, warehouse: StoreById, session: SessionDep
) -> StoreOut:
    """One supply or demand. 409 insufficient_stock when a demand exceeds what is available
    (on hand minus reserved), 409 capacity_exceeded when a supply's weight does not fit."""
    await _apply(session, warehouse, data.operation, [data], user.id)
    return await service.store_report(session, warehouse)


@stores_router.post("/{store_id}/group_op")
async def group_operation(
    data: StoreGroupOperationIn, user: StaffUser, warehouse: StoreById, session: SessionDep
) -> StoreOut:
    """The operation on every item, all or nothing (one transaction, rows locked by SKU)."""
    await _apply(session, warehouse, data.operation, data.items, user.id)
    return await service.store_report(session, warehouse)


@stores_router.post("/{store_id}/clean")
async def clean(user: StaffUser, warehouse: StoreById, session: SessionDep) -> StoreOut:
    """Every quantity to zero. 409 stock_reserved, nothing changed, while orders hold
    reservations in this store."""
    await service.clean(session, warehouse, user_id=user.id)
    return await service.store_report(session, warehouse)


@stores_router.get(
    "/{store_id}/xlsx_report",
    response_class=Response,
    responses={200: {"content": {XLSX_MEDIA_TYPE: {}}, "description": "the .xlsx file"}},
)
async def xlsx_report(_: StaffUser, warehouse: StoreById, session: SessionDep) -> Response:
    """The current stock as an .xlsx file: SKU, name, on hand, reserved, available, unit
    weight, total weight."""
    lines = await service.stock_lines(session, warehouse.id)
    content = await run_in_threadpool(service.build_xlsx, warehouse.code, lines)
    filename = service.xlsx_filename(warehouse.code)
    return Response(
        content,
        media_type=XLSX_MEDIA_TYPE,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
