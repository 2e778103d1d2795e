"""Where an order's units are: reserved across warehouses by priority, given back, sold.

Every stock change goes through the inventory service (one conditional UPDATE plus its
journal row each). Choosing warehouses is ours: a line takes what the first warehouse by
priority has available, then the next, and so on; `order_allocations` records how many units
of which line each warehouse holds.

Lock order: the plan is made from plain reads, then the stock rows are changed in (SKU,
warehouse code) order, the order every stock change in the shop follows, so a checkout never
deadlocks with a transfer or another checkout. If a parallel request took the stock between
the read and the UPDATE, the conditional UPDATE refuses (nothing oversold), the savepoint
around this attempt is rolled back, and the plan is made again from fresh figures.
"""

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from app.inventory import service as inventory_service
from app.inventory.exceptions import InsufficientStock, Shortage
from app.inventory.models import Warehouse
from app.orders.models import OrderAllocation, OrderItem

RESERVE_ATTEMPTS = 5


@dataclass(frozen=True)
class Need:
    """`quantity` more units for an order line."""

    item: OrderItem
    quantity: int


@dataclass(frozen=True)
class Take:
    item: OrderItem
    warehouse: Warehouse
    quantity: int


def in_lock_order(takes: Iterable[Take]) -> list[Take]:
    return sorted(takes, key=lambda take: (take.item.sku, take.warehouse.code))


async def _available(
    session: AsyncSession, warehouses: Sequence[Warehouse], skus: Sequence[str]
) -> dict[tuple[uuid.UUID, str], int]:
    return await inventory_service.available_by_warehouse(
        session, [warehouse.id for warehouse in warehouses], skus
    )


def _plan(
    needs: Sequence[Need],
    warehouses: Sequence[Warehouse],
    levels: dict[tuple[uuid.UUID, str], int],
) -> tuple[list[Take], list[Shortage]]:
    takes: list[Take] = []
    shortages: list[Shortage] = []
    for need in needs:
        missing = need.quantity
        for warehouse in warehouses:
            quantity = min(missing, levels.get((warehouse.id, need.item.sku), 0))
            if quantity > 0:
                takes.append(Take(need.item, warehouse, quantity))
                missing -= quantity
            if missing == 0:
                break
        if missing:
            available = sum(max(levels.get((w.id, need.item.sku), 0), 0) for w in warehouses)
            shortages.append(
                Shortage(need.item.product_id, need.item.sku, need.quantity, available)
            )
    return takes, shortages


def _record(takes: Sequence[Take]) -> None:
    """Add the taken units to the lines' allocations (loaded, or new lines' empty lists)."""
    for take in takes:
        allocation = next(
            (a for a in take.item.allocations if a.warehouse_id == take.warehouse.id), None
        )
        if allocation is None:
            take.item.allocations.append(
                OrderAllocation(
                    warehouse_id=take.warehouse.id,
                    warehouse=take.warehouse,
                    quantity=take.quantity,
                )
            )
        else:
            allocation.quantity += take.quantity


async def reserve(
    session: AsyncSession,
    needs: Sequence[Need],
    *,
    order_id: uuid.UUID,
    user_id: uuid.UUID | None,
) -> None:
    """Reserve every need across the active warehouses by priority, all or nothing, and record
    the allocations; InsufficientStock listing every short line otherwise."""
    needs = sorted(needs, key=lambda need: need.item.sku)
    warehouses = await inventory_service.warehouses_by_priority(session)
    skus = [need.item.sku for need in needs]
    for _ in range(RESERVE_ATTEMPTS):
        takes, shortages = _plan(needs, warehouses, await _available(session, warehouses, skus))
        if shortages:
            raise InsufficientStock(shortages)
        try:
            async with session.begin_nested():
                for take in in_lock_order(takes):
                    await inventory_service.reserve(
                        session,
                        take.warehouse,
                        take.item.product_id,
                        take.quantity,
                        order_id=order_id,
                        user_id=user_id,
                    )
        except InsufficientStock:
            continue  # a parallel request was quicker: plan again from fresh figures
        _record(takes)
        await session.flush()
        return
    levels = await _available(session, warehouses, skus)
    raise InsufficientStock(
        [
            Shortage(
                need.item.product_id,
                need.item.sku,
                need.quantity,
                sum(max(levels.get((w.id, need.item.sku), 0), 0) for w in warehouses),
            )
            for need in needs
        ]
    )


def _by_code(
    allocations: Iterable[tuple[OrderItem, OrderAllocation]],
) -> list[tuple[OrderItem, OrderAllocation]]:
    return sorted(allocations, key=lambda pair: (pair[0].sku, pair[1].warehouse.code))


def _allocations(items: Iterable[OrderItem]) -> list[tuple[OrderItem, OrderAllocation]]:
    return _by_code((item, allocation) for item in items for allocation in item.allocations)


class _SettleReserved(Protocol):
    async def __call__(
        self,
        session: AsyncSession,
        warehouse: Warehouse,
        product_id: uuid.UUID,
        quantity: int,
        *,
        order_id: uuid.UUID,
        user_id: uuid.UUID | None = None,
        note: str | None = None,
    ) -> int: ...


async def _settle_all(
    session: AsyncSession,
    items: Iterable[OrderItem],
    settle: _SettleReserved,
    *,
    user_id: uuid.UUID | None,
    note: str | None = None,
) -> None:
    """`settle` every allocation's units, in (SKU, warehouse code) lock order, the lines of
    several orders together too (each journal row names its line's order)."""
    for item, allocation in _allocations(items):
        await settle(
            session,
            allocation.warehouse,
            item.product_id,
            allocation.quantity,
            order_id=item.order_id,
            user_id=user_id,
            note=note,
        )


async def release_all(
    session: AsyncSession,
    items: Iterable[OrderItem],
    *,
    user_id: uuid.UUID | None,
    note: str | None = None,
) -> None:
    """Give back every unit the lines hold (the allocations stay, as the record). No user
    is the shop itself (expired orders); `note` says why in the journal."""
    await _settle_all(session, items, inventory_service.release, user_id=user_id, note=note)


async def sell_all(
    session: AsyncSession, items: Iterable[OrderItem], *, user_id: uuid.UUID
) -> None:
    """The reserved units leave the warehouses: on_hand and reserved both go down."""
    await _settle_all(session, items, inventory_service.commit_sale, user_id=user_id)


async def release_some(
    session: AsyncSession,
    item: OrderItem,
    quantity: int,
    *,
    order_id: uuid.UUID,
    user_id: uuid.UUID,
) -> None:
    """Give back `quantity` of the line's units, from the least preferred warehouses first
    (inactive ones, then the lowest priority), and shrink its allocations."""
    least_preferred_first = sorted(
        item.allocations,
        key=lambda a: (not a.warehouse.is_active, a.warehouse.priority, a.warehouse.code),
        reverse=True,
    )
    plan: list[tuple[OrderAllocation, int]] = []
    left = quantity
    for allocation in least_preferred_first:
        if left == 0:
            break
        given = min(left, allocation.quantity)
        plan.append((allocation, given))
        left -= given
    if left:
        raise AssertionError("an order line holds fewer units than it has")
    for allocation, given in sorted(plan, key=lambda pair: pair[0].warehouse.code):
        await inventory_service.release(
            session,
            allocation.warehouse,
            item.product_id,
            given,
            order_id=order_id,
            user_id=user_id,
        )
        allocation.quantity -= given
        if allocation.quantity == 0:
            item.allocations.remove(allocation)
    await session.flush()
