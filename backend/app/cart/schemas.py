"""Request and response models of the cart API."""

import uuid
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, Field

from app.cart.models import MAX_QUANTITY

Quantity = Annotated[int, Field(ge=1, le=MAX_QUANTITY, description=f"1 to {MAX_QUANTITY}")]


class CartItemIn(BaseModel):
    product_id: uuid.UUID
    quantity: Quantity = 1


class CartItemPatch(BaseModel):
    quantity: Quantity


class CartLineOut(BaseModel):
    id: uuid.UUID
    product_id: uuid.UUID
    sku: str
    name: str
    unit_price: Decimal = Field(description="the product's current price")
    quantity: int
    line_total: Decimal
    available: int = Field(description="units available now, over every active warehouse")
    unpublished: bool = Field(description="the product is not for sale at the moment")
    archived: bool = Field(description="the product is gone for good")
    unavailable: bool = Field(description="fewer units are available than the line asks for")


class CartOut(BaseModel):
    id: uuid.UUID | None = Field(description="null until something is put into the cart")
    items: list[CartLineOut]
    total: Decimal
    currency: str
    can_checkout: bool = Field(description="not empty, and no line is flagged")
    token: str | None = Field(
        default=None,
        description="a guest's new cart token, only in the answer that issued it (also in the "
        "X-Cart-Token header): send it back in the X-Cart-Token header",
    )
