"""Reading orders: one with everything its answer shows, and pages of them."""

import uuid
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from app.core.dates import DateRange
from app.core.pagination import PageParams
from app.orders.models import Order, OrderAllocation, OrderItem, OrderStatus


def with_lines() -> Any:
    """Load options: the lines, their allocations and the allocations' warehouses."""
    return (
        selectinload(Order.items)
        .selectinload(OrderItem.allocations)
        .joinedload(OrderAllocation.warehouse)
    )


async def get_order(
    session: AsyncSession, order_id: uuid.UUID, *, lock: bool = False
) -> Order | None:
    """The order with its lines, refreshed; `lock` takes its row FOR UPDATE first, so that
    changes of one order (transitions, edits) take turns."""
    statement = select(Order).where(Order.id == order_id).options(with_lines())
    if lock:
        statement = statement.with_for_update(of=Order)
    return await session.scalar(statement.execution_options(populate_existing=True))


@dataclass(frozen=True)
class OrderFilter:
    status: OrderStatus | None = None
    user_id: uuid.UUID | None = None
    created: DateRange = field(default_factory=DateRange)

    def conditions(self) -> list[Any]:
        conditions: list[Any] = []
        if self.status is not None:
            conditions.append(Order.status == self.status.value)
        if self.user_id is not None:
            conditions.append(Order.user_id == self.user_id)
        return [*conditions, *self.created.conditions(Order.created_at)]


async def list_orders(
    session: AsyncSession, params: PageParams, filters: OrderFilter
) -> tuple[list[Order], int]:
    """One page of orders, newest first, with their lines."""
    conditions = filters.conditions()
    total = await session.scalar(select(func.count()).select_from(Order).where(*conditions))
    orders = await session.scalars(
        select(Order)
        .where(*conditions)
        .options(with_lines())
        .order_by(Order.created_at.desc(), Order.id.desc())
        .offset(params.offset)
        .limit(params.size)
        .execution_options(populate_existing=True)
    )
    return list(orders), total or 0
