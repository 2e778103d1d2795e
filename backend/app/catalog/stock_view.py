"""What the catalog shows of stock and must respect when a product changes.

Stock is the inventory's, a layer above the catalog, which therefore cannot import it. The
inventory implements this protocol (`inventory.service.catalog_stock`); the application hands
it to the catalog's routes (`app.state.catalog_stock`, see dependencies.StockViewDep), and any
other caller of the functions that take a `stock` passes it the same way.
"""

import uuid
from decimal import Decimal
from typing import Any, Protocol

from sqlalchemy import ColumnElement, SQLColumnExpression
from sqlalchemy.ext.asyncio import AsyncSession


class StockView(Protocol):
    def available(self, product_id: SQLColumnExpression[Any]) -> ColumnElement[int]:
        """SQL: the units of `product_id` that can be ordered now (a listing's column)."""
        ...

    def in_stock(self, product_id: SQLColumnExpression[Any]) -> ColumnElement[bool]:
        """SQL: true when some unit of `product_id` can be ordered now (a listing's filter)."""
        ...

    async def available_units(self, session: AsyncSession, product_id: uuid.UUID) -> int:
        """The units of one product that can be ordered now."""
        ...

    async def check_weight_change(
        self,
        session: AsyncSession,
        product_id: uuid.UUID,
        old_weight: Decimal,
        new_weight: Decimal,
    ) -> None:
        """Refuse (CapacityExceeded) a heavier weight that a warehouse holding the product
        could not take; lock what keeps that true until the transaction ends."""
        ...
