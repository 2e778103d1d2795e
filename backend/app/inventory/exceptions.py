"""Errors of the inventory domain; app.core.errors maps them to HTTP once."""

from app.core.errors import Conflict, DomainError, NotFound


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


class InsufficientStock(Conflict):
    code = "insufficient_stock"
    detail = "Not enough stock available: nothing was changed."

    def __init__(self, sku: str | None = None, available: int | None = None) -> None:
        if sku is None:
            super().__init__()
            return
        have = "" if available is None else f" (available: {available})"
        super().__init__(f"Not enough stock of {sku} available{have}: nothing was changed.")


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


class SameWarehouse(DomainError):
    status_code = 422
    code = "same_warehouse"
    detail = "A transfer needs two different warehouses."


class InvalidDateRange(DomainError):
    status_code = 422
    code = "invalid_date_range"
    detail = "date_from must not be after date_to."
