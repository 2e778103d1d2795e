"""Orders routes: checkout, a customer's own orders, and the staff's order management."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Header, Query, Response, status

from app.accounts.dependencies import CurrentUser, StaffUser
from app.accounts.schemas import Address
from app.core.dates import DateRangeDep
from app.core.db import SessionDep
from app.core.errors import raises
from app.core.pagination import Page, PageParamsDep
from app.inventory.exceptions import InsufficientStock, NotReserved
from app.orders import exceptions as errors
from app.orders import service
from app.orders.dependencies import VisibleOrder, is_staff
from app.orders.models import Order, OrderStatus
from app.orders.schemas import (
    AllocationOut,
    CheckoutIn,
    ContactOut,
    IdempotencyKeyValue,
    OrderItemOut,
    OrderItemPatch,
    OrderOut,
    OrderPatch,
)

orders_router = APIRouter(prefix="/orders", tags=["orders"])

IDEMPOTENCY_HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"


def order_out(order: Order, *, staff: bool) -> OrderOut:
    """The order as its viewer may see it: staff also see where each line's units are."""
    return OrderOut(
        id=order.id,
        number=order.number,
        status=OrderStatus(order.status),
        user_id=order.user_id,
        items=[
            OrderItemOut(
                id=item.id,
                product_id=item.product_id,
                sku=item.sku,
                name=item.name,
                unit_price=item.unit_price,
                quantity=item.quantity,
                line_total=item.line_total,
                allocations=[
                    AllocationOut(warehouse_code=a.warehouse.code, quantity=a.quantity)
                    for a in sorted(item.allocations, key=lambda a: a.warehouse.code)
                ]
                if staff
                else None,
            )
            for item in order.items
        ],
        total=order.total,
        currency=order.currency,
        shipping_address=Address.model_validate(order.shipping_address),
        contact=ContactOut(email=order.contact_email, phone=order.contact_phone),
        comment=order.comment,
        created_at=order.created_at,
        updated_at=order.updated_at,
        paid_at=order.paid_at,
        shipped_at=order.shipped_at,
        delivered_at=order.delivered_at,
        cancelled_at=order.cancelled_at,
    )


@orders_router.post("", status_code=status.HTTP_201_CREATED)
@raises(
    errors.EmailNotVerified,
    errors.IdempotencyKeyReused,
    errors.OrderNotFound,
    errors.ShippingAddressRequired,
    errors.CartEmpty,
    errors.CartNotOrderable,
    InsufficientStock,
)
async def checkout(
    data: CheckoutIn,
    user: CurrentUser,
    session: SessionDep,
    response: Response,
    idempotency_key: Annotated[
        IdempotencyKeyValue | None,
        Header(
            alias=IDEMPOTENCY_HEADER,
            description="retries with the same key and body get the first order",
        ),
    ] = None,
) -> OrderOut:
    """Any user with a confirmed e-mail: order the cart. Stock is reserved across warehouses
    by priority; the cart is emptied. 201, or 200 with `Idempotent-Replayed: true` when the
    Idempotency-Key was used before with the same body."""
    order, created = await service.place_order(session, user, data, idempotency_key)
    if not created:
        response.status_code = status.HTTP_200_OK
        response.headers[REPLAYED_HEADER] = "true"
    return order_out(order, staff=is_staff(user))


@orders_router.get("")
async def list_orders(
    user: CurrentUser,
    session: SessionDep,
    params: PageParamsDep,
    created: DateRangeDep,
    status_: Annotated[OrderStatus | None, Query(alias="status")] = None,
    user_id: Annotated[uuid.UUID | None, Query(description="staff only")] = None,
) -> Page[OrderOut]:
    """Customers: their own orders; staff: every order, or one user's. Newest first."""
    staff = is_staff(user)
    filters = service.OrderFilter(
        status=status_,
        user_id=user_id if staff else user.id,
        created=created,
    )
    orders, total = await service.list_orders(session, params, filters)
    return Page(
        items=[order_out(order, staff=staff) for order in orders],
        total=total,
        page=params.page,
        size=params.size,
    )


@orders_router.get("/{order_id}")
async def read_order(order: VisibleOrder, user: CurrentUser) -> OrderOut:
    """The owner, or staff."""
    return order_out(order, staff=is_staff(user))


@orders_router.patch("/{order_id}")
@raises(errors.OrderNotEditable)
async def update_order(
    data: OrderPatch, order: VisibleOrder, user: CurrentUser, session: SessionDep
) -> OrderOut:
    """The owner, or staff, while the order is pending: shipping address and comment."""
    updated = await service.update_order(session, order.id, data)
    return order_out(updated, staff=is_staff(user))


@orders_router.patch("/{order_id}/items/{item_id}")
@raises(
    errors.OrderNotEditable,
    errors.OrderItemNotFound,
    errors.ProductNotForSale,
    errors.PriceChanged,
    InsufficientStock,
    NotReserved,
)
async def update_order_item(
    item_id: uuid.UUID,
    data: OrderItemPatch,
    order: VisibleOrder,
    user: CurrentUser,
    session: SessionDep,
) -> OrderOut:
    """The owner, or staff, while pending: a line's quantity; the difference is reserved or
    released at once, the total recomputed (the line keeps its price). Raising it needs the
    product still for sale (409 `product_not_for_sale`) at the line's price (409
    `price_changed`: order the extra units anew) and in stock (409 `insufficient_stock`)."""
    updated = await service.set_item_quantity(session, order.id, item_id, data.quantity, user)
    return order_out(updated, staff=is_staff(user))


@orders_router.delete("/{order_id}/items/{item_id}")
@raises(errors.OrderNotEditable, errors.OrderItemNotFound, errors.LastOrderItem, NotReserved)
async def delete_order_item(
    item_id: uuid.UUID, order: VisibleOrder, user: CurrentUser, session: SessionDep
) -> OrderOut:
    """The owner, or staff, while pending: drop a line and release its units. The last line
    cannot go: 409 `last_order_item` (cancel the order instead)."""
    updated = await service.delete_item(session, order.id, item_id, user)
    return order_out(updated, staff=is_staff(user))


@orders_router.post("/{order_id}/cancel")
@raises(errors.IllegalTransition, NotReserved)
async def cancel_order(order: VisibleOrder, user: CurrentUser, session: SessionDep) -> OrderOut:
    """The owner, or staff, while pending or paid (not once shipped): reservations released."""
    cancelled = await service.cancel(session, order.id, user)
    return order_out(cancelled, staff=is_staff(user))


@orders_router.post("/{order_id}/pay")
@raises(errors.IllegalTransition)
async def pay_order(_: StaffUser, order: VisibleOrder, session: SessionDep) -> OrderOut:
    """Staff: pending → paid."""
    return order_out(await service.pay(session, order.id), staff=True)


@orders_router.post("/{order_id}/ship")
@raises(errors.IllegalTransition, NotReserved)
async def ship_order(user: StaffUser, order: VisibleOrder, session: SessionDep) -> OrderOut:
    """Staff: paid → shipped; the reserved units are sold (on hand goes down, journal "sale")."""
    return order_out(await service.ship(session, order.id, user), staff=True)


@orders_router.post("/{order_id}/deliver")
@raises(errors.IllegalTransition)
async def deliver_order(_: StaffUser, order: VisibleOrder, session: SessionDep) -> OrderOut:
    """Staff: shipped → delivered."""
    return order_out(await service.deliver(session, order.id), staff=True)
