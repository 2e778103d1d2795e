"""Orders, their lines (price snapshots), which warehouse holds what for each line, and the
Idempotency-Key records of checkouts.

The invariants live in the database too: a known status, positive quantities, totals never
negative, one line per product, one record per (user, key).
"""

import uuid
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    Numeric,
    PrimaryKeyConstraint,
    Sequence,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.db import Base, Timestamps, UUIDPrimaryKey
from app.inventory.models import Warehouse


class OrderStatus(StrEnum):
    PENDING = "pending"
    PAID = "paid"
    SHIPPED = "shipped"
    DELIVERED = "delivered"
    CANCELLED = "cancelled"


# The human-readable order number is ORD- and this sequence's next value, six digits or more.
ORDER_NUMBER_SEQUENCE = Sequence("order_number_seq", metadata=Base.metadata)
ORDER_NUMBER_PREFIX = "ORD-"


def _statuses() -> str:
    return "(" + ", ".join(f"'{status.value}'" for status in OrderStatus) + ")"


class Order(UUIDPrimaryKey, Timestamps, Base):
    __tablename__ = "orders"
    __table_args__ = (
        CheckConstraint(f"status IN {_statuses()}", name="status_known"),
        CheckConstraint("total >= 0", name="total_non_negative"),
        CheckConstraint("currency ~ '^[A-Z]{3}$'", name="currency_format"),
        # A customer's orders, newest first; the staff list by status and by date.
        Index("ix_orders_user_id_created_at", "user_id", "created_at"),
        Index("ix_orders_status_created_at", "status", "created_at"),
        Index("ix_orders_created_at", "created_at"),
    )

    number: Mapped[str] = mapped_column(String(32), unique=True)
    # RESTRICT: accounts are anonymised, never deleted, while they have orders.
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    status: Mapped[str] = mapped_column(String(16), default=OrderStatus.PENDING.value)
    total: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    currency: Mapped[str] = mapped_column(String(3))
    # A snapshot of the address (accounts' Address schema), not a reference to the profile.
    shipping_address: Mapped[dict[str, Any]] = mapped_column(JSONB)
    contact_email: Mapped[str] = mapped_column(String(320))
    contact_phone: Mapped[str | None] = mapped_column(String(32))
    comment: Mapped[str | None] = mapped_column(Text)
    paid_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    shipped_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    delivered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    cancelled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    items: Mapped[list["OrderItem"]] = relationship(
        back_populates="order",
        lazy="raise",
        order_by="OrderItem.sku",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )


class OrderItem(UUIDPrimaryKey, Base):
    """One line: what the product was called and cost when the order was placed."""

    __tablename__ = "order_items"
    __table_args__ = (
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint("unit_price >= 0", name="unit_price_non_negative"),
        CheckConstraint("line_total = unit_price * quantity", name="line_total_matches"),
        UniqueConstraint("order_id", "product_id"),
        # The catalog's "is this product referenced?" and the foreign-key check.
        Index("ix_order_items_product_id", "product_id"),
    )

    order_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"))
    # RESTRICT: a product an order names is archived, never deleted.
    product_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("products.id", ondelete="RESTRICT"))
    sku: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200))
    unit_price: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    quantity: Mapped[int]
    line_total: Mapped[Decimal] = mapped_column(Numeric(12, 2))

    order: Mapped[Order] = relationship(back_populates="items", lazy="raise")
    allocations: Mapped[list["OrderAllocation"]] = relationship(
        back_populates="item",
        lazy="raise",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )


class OrderAllocation(Base):
    """How many units of a line a warehouse holds for the order: reserved while the order is
    pending or paid, sold once it shipped, released (and kept as a record) if cancelled."""

    __tablename__ = "order_allocations"
    __table_args__ = (
        PrimaryKeyConstraint("order_item_id", "warehouse_id"),
        CheckConstraint("quantity > 0", name="quantity_positive"),
        Index("ix_order_allocations_warehouse_id", "warehouse_id"),
    )

    order_item_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("order_items.id", ondelete="CASCADE")
    )
    warehouse_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("warehouses.id", ondelete="RESTRICT")
    )
    quantity: Mapped[int]

    item: Mapped[OrderItem] = relationship(back_populates="allocations", lazy="raise")
    warehouse: Mapped[Warehouse] = relationship(lazy="raise")


class IdempotencyKey(Base):
    """A checkout's Idempotency-Key, inserted first in its transaction: a parallel retry with
    the same key waits on the primary key until the first commits (then finds the order) or
    rolls back (then goes ahead itself)."""

    __tablename__ = "order_idempotency_keys"
    __table_args__ = (
        PrimaryKeyConstraint("user_id", "key"),
        Index("ix_order_idempotency_keys_order_id", "order_id"),
        Index("ix_order_idempotency_keys_created_at", "created_at"),
    )

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(255))
    # SHA-256 of the canonical JSON of the request body.
    request_hash: Mapped[str] = mapped_column(String(64))
    # Set in the same transaction, once the order exists.
    order_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
