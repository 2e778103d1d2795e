"""Errors of the inventory domain; app.core.errors maps them to HTTP once."""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from app.core.errors import Conflict, DomainError, ErrorBody, NotFound


class WarehouseNotFound(NotFound):
    code = "warehouse_not_found"
    detail = "Warehouse not found."


class StoreNotFound(WarehouseNotFound):
    """The stock API's name for a warehouse (store_id is the warehouse code)."""

    code = "store_not_found"
    detail = "Store not found: no warehouse has this code."


class ItemNotFound(NotFound):
    """A request names a SKU (the stock API's item_id) that no product has."""

    code = "item_not_found"
    detail = "Item not found: no product has this SKU."

    def __init__(self, sku: str | None = None) -> None:
        super().__init__(f"Item not found: no product has the SKU {sku!r}." if sku else None)


class TaskNotFound(NotFound):
    code = "task_not_found"
    detail = "Inventory task not found."


class WarehouseCodeTaken(Conflict):
    code = "warehouse_code_taken"
    detail = "A warehouse with this code already exists."


class WarehouseInactive(Conflict):
    code = "warehouse_inactive"
    detail = "The warehouse is inactive: activate it before moving stock in or out."

    def __init__(self, code: str | None = None) -> None:
        super().__init__(
            f"The warehouse {code} is inactive: activate it before moving stock in or out."
            if code
            else None
        )


@dataclass(frozen=True)
class Shortage:
    """A product of which more is asked for than is available."""

    product_id: uuid.UUID
    sku: str
    requested: int
    available: int


class InsufficientStockBody(ErrorBody):
    items: list[Shortage]


class InsufficientStock(Conflict):
    """More is asked for than the stock can give: the one stock-shortage error of the shop (the
    stock API, the back-office, the cart, checkout and order changes). The body lists each
    short product: `{"detail": "...", "code": "insufficient_stock", "items": [{"product_id",
    "sku", "requested", "available"}]}`. Nothing was changed."""

    code = "insufficient_stock"
    detail = "Not enough stock available: nothing was changed."
    body = InsufficientStockBody

    def __init__(self, shortages: Sequence[Shortage]) -> None:
        listed = ", ".join(
            f"{item.sku} (requested {item.requested}, available: {item.available})"
            for item in shortages
        )
        super().__init__(
            f"Not enough stock of {listed}: nothing was changed.",
            extra={"items": list(shortages)},
        )
        self.shortages = list(shortages)


class CapacityExceeded(Conflict):
    code = "capacity_exceeded"
    detail = "The warehouse cannot take this weight: nothing was changed."


class StockReserved(Conflict):
    code = "stock_reserved"
    detail = (
        "Stock in this warehouse is reserved for orders: release or ship those orders before "
        "cleaning it. Nothing was changed."
    )


class BelowReserved(Conflict):
    code = "below_reserved"
    detail = "The counted quantity is less than what orders have reserved: nothing was changed."


class NotReserved(Conflict):
    code = "not_reserved"
    detail = "Less is reserved than this asks to release or sell: nothing was changed."


class DuplicateItems(DomainError):
    """A SKU listed twice in one operation. Raised while the body is read, but a rule of its
    own, not a malformed request: JSON Schema's uniqueItems compares whole items, so the
    document cannot state it."""

    status_code = 422
    code = "duplicate_items"
    detail = "An item is listed twice: give each item once with its total."

    def __init__(self, sku: str) -> None:
        super().__init__(f"{sku} is listed twice: give each item once with its total.")


class SameWarehouse(DomainError):
    status_code = 422
    code = "same_warehouse"
    detail = "A transfer needs two different warehouses."
