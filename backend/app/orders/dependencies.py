"""Loaders for the orders routes: an order the caller may see. A customer asking for another
customer's order hears 404, as if it did not exist; staff see every order."""

import uuid
from typing import Annotated

from fastapi import Depends

from app.accounts.dependencies import CurrentUser
from app.accounts.models import STAFF_ROLES, User
from app.core.db import SessionDep
from app.core.errors import raises
from app.orders import service
from app.orders.exceptions import OrderNotFound
from app.orders.models import Order


def is_staff(user: User) -> bool:
    return user.role in STAFF_ROLES


@raises(OrderNotFound)
async def visible_order(order_id: uuid.UUID, user: CurrentUser, session: SessionDep) -> Order:
    order = await service.get_order(session, order_id)
    if order is None or not (is_staff(user) or order.user_id == user.id):
        raise OrderNotFound()
    return order


VisibleOrder = Annotated[Order, Depends(visible_order)]
