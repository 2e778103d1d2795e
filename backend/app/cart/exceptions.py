"""Errors of the cart domain (and the stock shortage that checkout reports too); app.core.errors
maps them to HTTP once."""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from app.core.errors import Conflict, DomainError, NotFound


class CartItemNotFound(NotFound):
    code = "cart_item_not_found"
    detail = "Cart item not found."


class CartProductNotFound(NotFound):
    """The product does not exist, or is not for sale (unpublished or archived)."""

    code = "product_not_found"
    detail = "Product not found."


class QuantityLimit(DomainError):
    status_code = 422
    code = "quantity_limit"
    detail = "A cart line holds at most 999 units."


class CartFull(Conflict):
    code = "cart_full"
    detail = "A cart holds at most 100 different products."


@dataclass(frozen=True)
class Shortage:
    """A product of which more is asked for than is available."""

    product_id: uuid.UUID
    sku: str
    requested: int
    available: int


class InsufficientStock(Conflict):
    """More is asked for than the warehouses can give: the body lists each short SKU with
    `requested` and `available`. Nothing was changed."""

    code = "insufficient_stock"
    detail = "Not enough stock available: nothing was changed."

    def __init__(self, shortages: Sequence[Shortage]) -> None:
        listed = ", ".join(
            f"{item.sku} (requested {item.requested}, available {item.available})"
            for item in shortages
        )
        super().__init__(
            f"Not enough stock of {listed}: nothing was changed.",
            extra={
                "items": [
                    {
                        "product_id": str(item.product_id),
                        "sku": item.sku,
                        "requested": item.requested,
                        "available": item.available,
                    }
                    for item in shortages
                ]
            },
        )
        self.shortages = list(shortages)
