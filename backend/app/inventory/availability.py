"""How much of a product can still be sold: on hand minus reserved, over active warehouses.

As Python values for a few products (the cart), and as SQL pieces the catalog's listing
builds into its own statements (filter and column), so a page costs no extra statement:
`catalog_stock` hands those to the catalog (its StockView).
"""

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, SQLColumnExpression, exists, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.catalog.models import Product
from app.catalog.service import StockView
from app.inventory.models import Stock, Warehouse
from app.inventory.stock import check_weight_change


def available_expression(product_id: SQLColumnExpression[Any]) -> ColumnElement[int]:
    """A correlated subquery: the units of `product_id` available in active warehouses."""
    return (
        select(func.coalesce(func.sum(Stock.on_hand - Stock.reserved), 0))
        .join(Warehouse, Warehouse.id == Stock.warehouse_id)
        .where(Stock.product_id == product_id, Warehouse.is_active)
        .scalar_subquery()
    )


def in_stock_condition(product_id: SQLColumnExpression[Any]) -> ColumnElement[bool]:
    """True when some active warehouse has a unit of `product_id` not promised to an order."""
    return exists(
        select(Stock.product_id)
        .join(Warehouse, Warehouse.id == Stock.warehouse_id)
        .where(Stock.product_id == product_id, Stock.on_hand > Stock.reserved, Warehouse.is_active)
    )


async def available_quantities(
    session: AsyncSession, product_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, int]:
    """Available units per product; a product without stock maps to 0."""
    found: dict[uuid.UUID, int] = dict.fromkeys(product_ids, 0)
    if not product_ids:
        return found
    rows = await session.execute(
        select(Stock.product_id, func.sum(Stock.on_hand - Stock.reserved))
        .join(Warehouse, Warehouse.id == Stock.warehouse_id)
        .where(Stock.product_id.in_(product_ids), Warehouse.is_active)
        .group_by(Stock.product_id)
    )
    for product_id, available in rows:
        found[product_id] = int(available)
    return found


async def available_by_warehouse(
    session: AsyncSession, warehouse_ids: Sequence[uuid.UUID], skus: Sequence[str]
) -> dict[tuple[uuid.UUID, str], int]:
    """Available units per (warehouse, SKU), in one statement; a pair without a stock line is
    absent (checkout plans its reservations across warehouses from these)."""
    if not warehouse_ids or not skus:
        return {}
    rows = await session.execute(
        select(Stock.warehouse_id, Product.sku, Stock.on_hand - Stock.reserved)
        .join(Product, Product.id == Stock.product_id)
        .where(Stock.warehouse_id.in_(warehouse_ids), Product.sku.in_(skus))
    )
    return {(warehouse_id, sku): int(available) for warehouse_id, sku, available in rows}


async def count_low_stock(session: AsyncSession, threshold: int) -> int:
    """How many published products have fewer than `threshold` units available (the
    Prometheus low-stock gauge): one aggregate over the stock table, one count."""
    available = (
        select(Stock.product_id, func.sum(Stock.on_hand - Stock.reserved).label("units"))
        .join(Warehouse, Warehouse.id == Stock.warehouse_id)
        .where(Warehouse.is_active)
        .group_by(Stock.product_id)
        .subquery()
    )
    count = await session.scalar(
        select(func.count())
        .select_from(Product)
        .outerjoin(available, available.c.product_id == Product.id)
        .where(Product.is_published, func.coalesce(available.c.units, 0) < threshold)
    )
    return count or 0


class CatalogStock:
    """The inventory's answers to what the catalog asks of stock (see catalog.service.StockView)."""

    available = staticmethod(available_expression)
    in_stock = staticmethod(in_stock_condition)
    check_weight_change = staticmethod(check_weight_change)

    async def available_units(self, session: AsyncSession, product_id: uuid.UUID) -> int:
        return (await available_quantities(session, [product_id]))[product_id]


catalog_stock: StockView = CatalogStock()
