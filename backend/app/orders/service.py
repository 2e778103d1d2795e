"""The orders' service: what its router and other domains call
(`from app.orders import service as orders_service`).

The rules live in checkout.py (cart → order, Idempotency-Key), allocation.py (reserving,
releasing and selling stock across warehouses), lifecycle.py (status transitions and changes
while pending), queries.py and emails.py; this module gathers them so callers depend on one
name.
"""

from app.orders.checkout import place_order, purge_idempotency_keys, request_hash
from app.orders.emails import email_context, send_status_email
from app.orders.lifecycle import (
    cancel,
    delete_item,
    deliver,
    expire_unpaid_orders,
    pay,
    set_item_quantity,
    ship,
    update_order,
)
from app.orders.queries import OrderFilter, get_order, list_orders

__all__ = [
    "OrderFilter",
    "cancel",
    "delete_item",
    "deliver",
    "email_context",
    "expire_unpaid_orders",
    "get_order",
    "list_orders",
    "pay",
    "place_order",
    "purge_idempotency_keys",
    "request_hash",
    "send_status_email",
    "set_item_quantity",
    "ship",
    "update_order",
]
