"""Loaders for the inventory routes: a warehouse by its code (or by store_id, the stock API's
name for it). Put the role dependency first in a route, so a customer hears 403, not 404."""

from typing import Annotated

from fastapi import Depends, Path

from app.core.db import SessionDep
from app.core.errors import raises
from app.inventory import service
from app.inventory.exceptions import StoreNotFound, WarehouseNotFound
from app.inventory.models import Warehouse


@raises(WarehouseNotFound)
async def valid_warehouse_code(
    code: Annotated[str, Path(description="the warehouse code")],
    session: SessionDep,
) -> Warehouse:
    warehouse = await service.find_warehouse(session, code)
    if warehouse is None:
        raise WarehouseNotFound()
    return warehouse


WarehouseByCode = Annotated[Warehouse, Depends(valid_warehouse_code)]


@raises(StoreNotFound)
async def valid_store_id(
    store_id: Annotated[str, Path(description="the warehouse code")],
    session: SessionDep,
) -> service.Store:
    """The warehouse, with the store_id as the client wrote it (answered back so)."""
    warehouse = await service.find_warehouse(session, store_id)
    if warehouse is None:
        raise StoreNotFound()
    return service.Store(warehouse, store_id)


StoreById = Annotated[service.Store, Depends(valid_store_id)]
