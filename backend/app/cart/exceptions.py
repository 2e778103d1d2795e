"""Errors of the cart domain; app.core.errors maps them to HTTP once. A short stock is the
inventory's `InsufficientStock`."""

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
