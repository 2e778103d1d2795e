"""Errors of the orders domain; app.core.errors maps them to HTTP once. A short stock is the
inventory's `InsufficientStock`; a date range upside down is core's `InvalidDateRange`."""

from decimal import Decimal

from pydantic import Field

from app.core.errors import Conflict, DomainError, ErrorBody, Forbidden, NotFound

__all__ = [
    "CartEmpty",
    "CartNotOrderable",
    "EmailNotVerified",
    "IdempotencyKeyReused",
    "IllegalTransition",
    "LastOrderItem",
    "OrderItemNotFound",
    "OrderNotEditable",
    "OrderNotFound",
    "PriceChanged",
    "PriceChangedBody",
    "ProductNotForSale",
    "ShippingAddressRequired",
]


class OrderNotFound(NotFound):
    code = "order_not_found"
    detail = "Order not found."


class OrderItemNotFound(NotFound):
    code = "order_item_not_found"
    detail = "Order item not found."


class EmailNotVerified(Forbidden):
    code = "email_not_verified"
    detail = "Confirm your e-mail address before placing an order."


class CartEmpty(Conflict):
    code = "cart_empty"
    detail = "The cart is empty: there is nothing to order."


class CartNotOrderable(Conflict):
    code = "cart_not_orderable"
    detail = "Some products in the cart are no longer for sale: remove them first."


class ShippingAddressRequired(DomainError):
    status_code = 422
    code = "shipping_address_required"
    detail = "Give a shipping_address, or save a default address in your profile."


class IdempotencyKeyReused(DomainError):
    status_code = 422
    code = "idempotency_key_reused"
    detail = "This Idempotency-Key was used for a different request."


class IllegalTransition(Conflict):
    code = "illegal_transition"
    detail = "The order's status does not allow this."

    def __init__(self, status: str, action: str) -> None:
        super().__init__(f"An order that is {status} cannot be {action}.")


class OrderNotEditable(Conflict):
    """Lines, address and comment change only while the order is pending."""

    code = "order_not_editable"
    detail = "Only a pending order can be changed."


class LastOrderItem(Conflict):
    code = "last_order_item"
    detail = "This is the order's last line: cancel the order instead."


class ProductNotForSale(Conflict):
    """Raising a line of a product that was unpublished or archived since the order."""

    code = "product_not_for_sale"
    detail = "This product is no longer for sale: its line can be lowered or dropped, not raised."


class PriceChangedBody(ErrorBody):
    unit_price: Decimal = Field(description="the line's price")
    current_price: Decimal = Field(description="the product's price now")


class PriceChanged(Conflict):
    """Raising a line whose product costs something else now. A line has one unit price, and
    the units already ordered keep theirs, so the extra units belong in a new order."""

    code = "price_changed"
    detail = "The product's price changed since the order was placed: order the extra units anew."
    body = PriceChangedBody

    def __init__(self, unit_price: Decimal, current_price: Decimal) -> None:
        # Money as decimal strings, as everywhere in the API.
        super().__init__(extra={"unit_price": str(unit_price), "current_price": str(current_price)})
