"""The admin panel's views of carts and orders. Orders change only through the orders
service: the list and detail pages have "Mark paid" and "Mark shipped" actions (asked on a
GET, done on the POST that answers it, see panel.py; shipping
sells the reserved stock and journals it; each sends the customer's e-mail once committed).
Everything else about an order is read-only here; carts are read-only too."""

import uuid
from collections.abc import Sequence
from typing import Any, ClassVar

from sqladmin import ModelView
from sqladmin.filters import OperationColumnFilter, StaticValuesFilter
from sqladmin.flash import Flash
from starlette.requests import Request
from starlette.responses import Response

from app.accounts import service as accounts_service
from app.admin.panel import confirmed_action, redirect_back
from app.admin.views import ReadOnlyView
from app.cart.models import Cart, CartItem
from app.orders import service as orders_service
from app.orders.models import IdempotencyKey, Order, OrderAllocation, OrderItem, OrderStatus


class OrderAdmin(ReadOnlyView, model=Order):
    identity = "order"
    for_operators = True
    name_plural = "Orders"
    icon = "fa-solid fa-receipt"
    category = "Orders"
    column_list: ClassVar[Any] = [
        Order.number,
        Order.status,
        Order.total,
        Order.currency,
        Order.contact_email,
        Order.created_at,
        Order.paid_at,
        Order.shipped_at,
    ]
    column_details_exclude_list: ClassVar[Any] = [Order.items]
    column_searchable_list: ClassVar[Any] = [Order.number, Order.contact_email]
    column_sortable_list: ClassVar[Any] = [
        Order.number,
        Order.status,
        Order.total,
        Order.created_at,
    ]
    column_default_sort: ClassVar[Any] = [(Order.created_at, True)]
    column_filters: ClassVar[Any] = [
        StaticValuesFilter(Order.status, [(status.value, status.value) for status in OrderStatus]),
        OperationColumnFilter(Order.total),
        OperationColumnFilter(Order.created_at),
    ]

    @confirmed_action(
        name="mark_paid",
        label="Mark paid",
        confirmation_message="Mark the selected pending orders as paid?",
    )
    async def mark_paid(self, request: Request) -> Response:
        return await self._move(request, "paid")

    @confirmed_action(
        name="mark_shipped",
        label="Mark shipped",
        confirmation_message="Ship the selected paid orders? Their reserved stock is sold.",
    )
    async def mark_shipped(self, request: Request) -> Response:
        return await self._move(request, "shipped")

    async def _move(self, request: Request, target: str) -> Response:
        """Each selected order in its own transaction (`transaction()`, as every admin
        write), through the orders service; what it refused (a wrong status) is reported and
        changes nothing."""
        done, refused = [], []
        for pk in filter(None, request.query_params.get("pks", "").split(",")):
            try:
                async with self.transaction() as session:
                    order_id = uuid.UUID(pk)
                    if target == "paid":
                        order = await orders_service.pay(session, order_id)
                    else:
                        actor = await accounts_service.get_user(
                            session, request.state.admin_user_id
                        )
                        assert actor is not None
                        order = await orders_service.ship(session, order_id, actor)
            except ValueError as failure:  # a domain error (AdminInputError) or a bad id
                refused.append(f"{pk}: {failure}")
            else:
                done.append(order.number)
        if done:
            Flash.success(request, f"Marked {target}: {', '.join(done)}.")
        if refused:
            Flash.error(request, "Not changed: " + "; ".join(refused))
        # Flash appends to a list inside the session, which Starlette does not see as a change:
        # assigning the key again makes sure the messages are saved.
        request.session["_messages"] = list(request.session.get("_messages", []))
        return await redirect_back(
            request, str(request.url_for("admin:list", identity=self.identity))
        )


class OrderItemAdmin(ReadOnlyView, model=OrderItem):
    identity = "order-item"
    for_operators = True
    name_plural = "Order lines"
    icon = "fa-solid fa-list"
    category = "Orders"
    column_list: ClassVar[Any] = [
        OrderItem.order_id,
        OrderItem.sku,
        OrderItem.name,
        OrderItem.unit_price,
        OrderItem.quantity,
        OrderItem.line_total,
    ]
    column_details_exclude_list: ClassVar[Any] = [OrderItem.order, OrderItem.allocations]
    column_searchable_list: ClassVar[Any] = [OrderItem.sku, OrderItem.name]
    column_sortable_list: ClassVar[Any] = [OrderItem.sku, OrderItem.quantity, OrderItem.line_total]
    column_filters: ClassVar[Any] = [OperationColumnFilter(OrderItem.order_id)]


class OrderAllocationAdmin(ReadOnlyView, model=OrderAllocation):
    identity = "order-allocation"
    for_operators = True
    name_plural = "Order allocations"
    icon = "fa-solid fa-boxes-stacked"
    category = "Orders"
    column_list: ClassVar[Any] = [
        OrderAllocation.order_item_id,
        OrderAllocation.warehouse_id,
        OrderAllocation.quantity,
    ]
    column_details_exclude_list: ClassVar[Any] = [OrderAllocation.item, OrderAllocation.warehouse]
    column_sortable_list: ClassVar[Any] = [OrderAllocation.quantity]
    column_filters: ClassVar[Any] = [OperationColumnFilter(OrderAllocation.warehouse_id)]


class CartAdmin(ReadOnlyView, model=Cart):
    identity = "cart"
    for_operators = True
    name_plural = "Carts"
    icon = "fa-solid fa-cart-shopping"
    category = "Orders"
    column_list: ClassVar[Any] = [Cart.id, Cart.user_id, Cart.created_at, Cart.updated_at]
    column_details_exclude_list: ClassVar[Any] = [Cart.token_hash, Cart.items]
    column_export_list: ClassVar[Any] = [Cart.id, Cart.user_id, Cart.created_at, Cart.updated_at]
    column_sortable_list: ClassVar[Any] = [Cart.created_at, Cart.updated_at]
    column_default_sort: ClassVar[Any] = [(Cart.updated_at, True)]
    column_filters: ClassVar[Any] = [OperationColumnFilter(Cart.user_id)]


class CartItemAdmin(ReadOnlyView, model=CartItem):
    identity = "cart-item"
    for_operators = True
    name_plural = "Cart lines"
    icon = "fa-solid fa-cart-plus"
    category = "Orders"
    column_list: ClassVar[Any] = [
        CartItem.cart_id,
        CartItem.product_id,
        CartItem.quantity,
        CartItem.updated_at,
    ]
    column_details_exclude_list: ClassVar[Any] = [CartItem.cart]
    column_sortable_list: ClassVar[Any] = [CartItem.quantity, CartItem.updated_at]
    column_filters: ClassVar[Any] = [OperationColumnFilter(CartItem.cart_id)]


class IdempotencyKeyAdmin(ReadOnlyView, model=IdempotencyKey):
    """Checkout retries' records (admins only)."""

    identity = "idempotency-key"
    name_plural = "Idempotency keys"
    icon = "fa-solid fa-fingerprint"
    category = "Orders"
    column_list: ClassVar[Any] = [
        IdempotencyKey.user_id,
        IdempotencyKey.key,
        IdempotencyKey.order_id,
        IdempotencyKey.created_at,
    ]
    column_searchable_list: ClassVar[Any] = [IdempotencyKey.key]
    column_sortable_list: ClassVar[Any] = [IdempotencyKey.created_at]
    column_default_sort: ClassVar[Any] = [(IdempotencyKey.created_at, True)]


ORDER_VIEWS: Sequence[type[ModelView]] = (
    OrderAdmin,
    OrderItemAdmin,
    OrderAllocationAdmin,
    CartAdmin,
    CartItemAdmin,
    IdempotencyKeyAdmin,
)
