"""The order e-mails: placed, paid, shipped, cancelled, expired unpaid. Each carries the
order's lines and totals in its context, rendered by the worker as given (it reads no
database), so an e-mail shows the order as it was when the transaction that changed it
committed."""

from typing import Any, Final

from sqlalchemy.ext.asyncio import AsyncSession

from app.core.config import get_settings
from app.notifications import service as notifications_service
from app.orders.models import Order, OrderStatus

TEMPLATES: Final[dict[OrderStatus, str]] = {
    OrderStatus.PENDING: "order_placed",
    OrderStatus.PAID: "order_paid",
    OrderStatus.SHIPPED: "order_shipped",
    OrderStatus.CANCELLED: "order_cancelled",
}
# A cancelled order the shop cancelled because it stayed unpaid.
EXPIRED_TEMPLATE: Final = "order_expired"


def email_context(order: Order) -> dict[str, Any]:
    """JSON-ready: money as decimal strings."""
    frontend = get_settings().FRONTEND_URL.rstrip("/")
    return {
        "order_number": order.number,
        "order_link": f"{frontend}/orders/{order.id}",
        "lines": [
            {
                "name": item.name,
                "sku": item.sku,
                "quantity": item.quantity,
                "unit_price": str(item.unit_price),
                "line_total": str(item.line_total),
            }
            for item in order.items
        ],
        "total": str(order.total),
        "currency": order.currency,
    }


def send_status_email(session: AsyncSession, order: Order, template: str | None = None) -> None:
    """E-mail the order's contact address about its current status (or e-mail `template`),
    once the transaction commits (delivered orders get none)."""
    template = template or TEMPLATES.get(OrderStatus(order.status))
    if template is None:
        return
    notifications_service.send_email(
        session, to=order.contact_email, template=template, context=email_context(order)
    )
