"""Reading the movement journal: filtered, newest first, one page at a time."""

import uuid
from dataclasses import dataclass, field

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts.models import User
from app.catalog.models import Product
from app.core.dates import DateRange
from app.core.pagination import PageParams
from app.inventory.models import MovementKind, StockMovement, Warehouse, canonical_code
from app.inventory.schemas import MovementOut


@dataclass(frozen=True)
class MovementFilter:
    """Every field optional; dates are whole UTC days, both ends included."""

    warehouse_code: str | None = None
    sku: str | None = None
    product_id: uuid.UUID | None = None
    kind: MovementKind | None = None
    user_id: uuid.UUID | None = None
    order_id: uuid.UUID | None = None
    created: DateRange = field(default_factory=DateRange)


def _conditions(filters: MovementFilter) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if filters.warehouse_code is not None:
        conditions.append(
            StockMovement.warehouse_id
            == select(Warehouse.id)
            .where(Warehouse.code == canonical_code(filters.warehouse_code))
            .scalar_subquery()
        )
    if filters.sku is not None:
        conditions.append(
            StockMovement.product_id
            == select(Product.id).where(Product.sku == filters.sku.upper()).scalar_subquery()
        )
    if filters.product_id is not None:
        conditions.append(StockMovement.product_id == filters.product_id)
    if filters.kind is not None:
        conditions.append(StockMovement.kind == filters.kind.value)
    if filters.user_id is not None:
        conditions.append(StockMovement.user_id == filters.user_id)
    if filters.order_id is not None:
        conditions.append(StockMovement.order_id == filters.order_id)
    return [*conditions, *filters.created.conditions(StockMovement.created_at)]


async def list_movements(
    session: AsyncSession, params: PageParams, filters: MovementFilter
) -> tuple[list[MovementOut], int]:
    """One page of journal rows matching `filters`, newest first, and how many match."""
    conditions = _conditions(filters)
    total = await session.scalar(select(func.count()).select_from(StockMovement).where(*conditions))
    page = (
        select(StockMovement.id)
        .where(*conditions)
        .order_by(StockMovement.id.desc())
        .offset(params.offset)
        .limit(params.size)
        .subquery()
    )
    rows = await session.execute(
        select(StockMovement, Warehouse.code, Product.sku, Product.name, User.email)
        .join(page, page.c.id == StockMovement.id)
        .join(Warehouse, Warehouse.id == StockMovement.warehouse_id)
        .join(Product, Product.id == StockMovement.product_id)
        .outerjoin(User, User.id == StockMovement.user_id)
        .order_by(StockMovement.id.desc())
    )
    items = [
        MovementOut(
            id=movement.id,
            created_at=movement.created_at,
            warehouse_code=warehouse_code,
            sku=sku,
            product_name=product_name,
            kind=MovementKind(movement.kind),
            quantity=movement.quantity,
            quantity_after=movement.quantity_after,
            unit_cost=movement.unit_cost,
            user_id=movement.user_id,
            user_email=user_email,
            order_id=movement.order_id,
            note=movement.note,
        )
        for movement, warehouse_code, sku, product_name, user_email in rows
    ]
    return items, total or 0
