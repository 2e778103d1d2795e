"""Request and response models of the orders API."""

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Annotated, ClassVar

from pydantic import BaseModel, Field, StringConstraints

from app.accounts.schemas import Address, Phone
from app.cart.schemas import Quantity
from app.core.schemas import Email, PatchIn
from app.orders.models import OrderStatus

Comment = Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)]
IdempotencyKeyValue = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=255)
]


class ContactIn(BaseModel):
    email: Email | None = Field(default=None, description="default: the account's e-mail")
    phone: Phone | None = Field(
        default=None, description="default: the address's phone, else the profile's"
    )


class CheckoutIn(BaseModel):
    shipping_address: Address | None = Field(
        default=None, description="default: the profile's default_address"
    )
    contact: ContactIn = Field(default_factory=ContactIn)
    comment: Comment | None = None


class OrderPatch(PatchIn):
    """Only the fields sent change; `comment: null` clears the comment."""

    nullable: ClassVar[frozenset[str]] = frozenset({"comment"})

    shipping_address: Address | None = None
    comment: Comment | None = None


class OrderItemPatch(BaseModel):
    quantity: Quantity


class AllocationOut(BaseModel):
    warehouse_code: str
    quantity: int


class OrderItemOut(BaseModel):
    id: uuid.UUID
    product_id: uuid.UUID
    sku: str
    name: str
    unit_price: Decimal = Field(description="the price when the order was placed")
    quantity: int
    line_total: Decimal
    allocations: list[AllocationOut] | None = Field(
        default=None, description="staff only: which warehouse holds how many units"
    )


class ContactOut(BaseModel):
    email: str
    phone: str | None


class OrderOut(BaseModel):
    id: uuid.UUID
    number: str
    status: OrderStatus
    user_id: uuid.UUID
    items: list[OrderItemOut]
    total: Decimal
    currency: str
    shipping_address: Address
    contact: ContactOut
    comment: str | None
    created_at: datetime
    updated_at: datetime
    paid_at: datetime | None
    shipped_at: datetime | None
    delivered_at: datetime | None
    cancelled_at: datetime | None
