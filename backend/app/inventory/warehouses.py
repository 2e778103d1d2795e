"""Warehouse rules: create, change, find and list them; start their weight task.

Plain async functions taking the session; they flush and never commit.
"""

import uuid

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts.models import User
from app.core.db import violated_constraint
from app.core.jobs import enqueue_after_commit
from app.core.pagination import PageParams
from app.inventory import reports, task_records
from app.inventory.exceptions import WarehouseCodeTaken
from app.inventory.models import InventoryTask, TaskKind, Warehouse, canonical_code
from app.inventory.schemas import WarehouseDetail, WarehouseIn, WarehouseOut, WarehousePatch

# The weight job, enqueued by name: this module never imports its Celery task (`tasks.py`).
WEIGHT_TASK = "app.inventory.tasks.compute_warehouse_weight"


async def get_warehouse(session: AsyncSession, warehouse_id: uuid.UUID) -> Warehouse | None:
    return await session.get(Warehouse, warehouse_id)


async def find_warehouse(session: AsyncSession, code: str) -> Warehouse | None:
    """By code, case-insensitively (codes are stored upper-cased), refreshed from the database."""
    return await session.scalar(
        select(Warehouse)
        .where(Warehouse.code == canonical_code(code))
        .execution_options(populate_existing=True)
    )


async def list_warehouses(
    session: AsyncSession, params: PageParams, is_active: bool | None = None
) -> tuple[list[Warehouse], int]:
    """One page of warehouses in the order orders use them (priority, then code)."""
    conditions = [] if is_active is None else [Warehouse.is_active.is_(is_active)]
    total = await session.scalar(select(func.count()).select_from(Warehouse).where(*conditions))
    warehouses = await session.scalars(
        select(Warehouse)
        .where(*conditions)
        .order_by(Warehouse.priority, Warehouse.code)
        .offset(params.offset)
        .limit(params.size)
    )
    return list(warehouses), total or 0


async def warehouses_by_priority(session: AsyncSession) -> list[Warehouse]:
    """The active warehouses, in the order orders reserve from them."""
    rows = await session.scalars(
        select(Warehouse).where(Warehouse.is_active).order_by(Warehouse.priority, Warehouse.code)
    )
    return list(rows)


async def _flush(session: AsyncSession, warehouse: Warehouse) -> None:
    try:
        async with session.begin_nested():
            session.add(warehouse)
            await session.flush()
    except IntegrityError as error:
        if violated_constraint(error) == "uq_warehouses_code":
            raise WarehouseCodeTaken() from error
        raise


async def create_warehouse(session: AsyncSession, data: WarehouseIn) -> Warehouse:
    warehouse = Warehouse(id=uuid.uuid4(), **data.model_dump())
    await _flush(session, warehouse)
    return warehouse


async def update_warehouse(
    session: AsyncSession, warehouse: Warehouse, data: WarehousePatch
) -> Warehouse:
    """Change what was sent. Lowering max_weight_kg below what is stored is allowed: it then
    refuses supplies until the stock is below it again."""
    for name, value in data.changes().items():
        setattr(warehouse, name, value)
    await _flush(session, warehouse)
    return warehouse


async def warehouse_detail(session: AsyncSession, warehouse: Warehouse) -> WarehouseDetail:
    lines = await reports.stock_lines(session, warehouse.id)
    return WarehouseDetail(
        **WarehouseOut.model_validate(warehouse).model_dump(),
        stock=[reports.line_out(warehouse.code, line) for line in lines],
        total_weight_kg=reports.total_weight(lines),
    )


async def start_weight_task(
    session: AsyncSession, warehouse: Warehouse, user: User
) -> InventoryTask:
    """Record a weight task for the warehouse and run it in the worker once committed."""
    task = await task_records.create_task(
        session, TaskKind.WAREHOUSE_WEIGHT, warehouse=warehouse, user=user
    )
    enqueue_after_commit(session, WEIGHT_TASK, task_id=str(task.id))
    return task
