"""Warehouses, the stock of each product in each of them, the movement journal, and the
records of background inventory tasks.

The invariants live in the database too: stock never negative nor over-reserved, a journal
row's sign matches its kind. Every index here serves a journal filter or a foreign-key check;
the migration declares the same ones, and a test fails when the two disagree.
"""

import uuid
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Identity,
    Index,
    Numeric,
    String,
    Text,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base, Timestamps, UUIDPrimaryKey

# Upper-cased like a SKU: the stock API's store_id.
WAREHOUSE_CODE_PATTERN = r"^[A-Z0-9][A-Z0-9._-]{0,31}$"


def canonical_code(code: str) -> str:
    """A warehouse code as stored, from any spelling a client sends (codes match
    case-insensitively)."""
    return code.strip().upper()


class MovementKind(StrEnum):
    """What moved. The first group changes on_hand, reservation and release change reserved;
    a sale takes its quantity off both (it settles a reservation)."""

    SUPPLY = "supply"
    DEMAND = "demand"
    ADJUSTMENT = "adjustment"
    RESERVATION = "reservation"
    RELEASE = "release"
    SALE = "sale"
    RETURN = "return"
    TRANSFER_IN = "transfer_in"
    TRANSFER_OUT = "transfer_out"
    CLEAN = "clean"


# The sign of a movement's quantity, by kind; an adjustment may go either way (or be 0: a
# count that matched).
INCREASING_KINDS = (
    MovementKind.SUPPLY,
    MovementKind.RETURN,
    MovementKind.TRANSFER_IN,
    MovementKind.RESERVATION,
)
DECREASING_KINDS = (
    MovementKind.DEMAND,
    MovementKind.SALE,
    MovementKind.TRANSFER_OUT,
    MovementKind.CLEAN,
    MovementKind.RELEASE,
)
# The kinds whose quantities add up to on_hand (quantity_after is on_hand after the move);
# reservation and release add up to reserved with the sales (quantity_after is reserved).
ON_HAND_KINDS = (
    MovementKind.SUPPLY,
    MovementKind.DEMAND,
    MovementKind.ADJUSTMENT,
    MovementKind.SALE,
    MovementKind.RETURN,
    MovementKind.TRANSFER_IN,
    MovementKind.TRANSFER_OUT,
    MovementKind.CLEAN,
)
RESERVED_KINDS = (MovementKind.RESERVATION, MovementKind.RELEASE, MovementKind.SALE)


class TaskKind(StrEnum):
    WAREHOUSE_WEIGHT = "warehouse_weight"


class TaskStatus(StrEnum):
    PENDING = "pending"
    RUNNING = "running"
    SUCCESS = "success"
    FAILURE = "failure"


def _in(values: tuple[StrEnum, ...] | type[StrEnum]) -> str:
    return "(" + ", ".join(f"'{value.value}'" for value in values) + ")"


class Warehouse(UUIDPrimaryKey, Timestamps, Base):
    __tablename__ = "warehouses"
    __table_args__ = (
        CheckConstraint(f"code ~ '{WAREHOUSE_CODE_PATTERN}'", name="code_format"),
        CheckConstraint("max_weight_kg > 0", name="max_weight_positive"),
        CheckConstraint("priority >= 0", name="priority_non_negative"),
    )
    __mapper_args__ = {"eager_defaults": True}  # noqa: RUF012 - SQLAlchemy's declaration

    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    address: Mapped[str | None] = mapped_column(String(500))
    max_weight_kg: Mapped[Decimal] = mapped_column(Numeric(12, 3))
    is_active: Mapped[bool] = mapped_column(default=True)
    # Orders reserve from warehouses in ascending priority (0 first), then by code.
    priority: Mapped[int] = mapped_column(default=0)


class Stock(Base):
    """How many units of a product a warehouse holds (on_hand), and how many of those are
    promised to orders (reserved). available = on_hand - reserved."""

    __tablename__ = "stock"
    __table_args__ = (
        CheckConstraint("on_hand >= 0", name="on_hand_non_negative"),
        CheckConstraint("reserved >= 0 AND reserved <= on_hand", name="reserved_within_on_hand"),
        # The primary key (warehouse_id, product_id) is the unique key; this one serves the
        # product side: its stock across warehouses, and the foreign-key check on delete.
        Index("ix_stock_product_id", "product_id"),
    )

    warehouse_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("warehouses.id", ondelete="RESTRICT"), primary_key=True
    )
    # RESTRICT: the catalog archives a product that still has stock instead of deleting it.
    product_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("products.id", ondelete="RESTRICT"), primary_key=True
    )
    on_hand: Mapped[int] = mapped_column(default=0)
    reserved: Mapped[int] = mapped_column(default=0)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now()
    )


class StockMovement(Base):
    """One line of the append-only journal, written in the transaction of the change.

    `quantity` is signed (+ in, - out); `quantity_after` is what the same UPDATE returned:
    on_hand for the on-hand kinds, reserved for reservation and release.
    """

    __tablename__ = "stock_movements"
    __table_args__ = (
        CheckConstraint(f"kind IN {_in(MovementKind)}", name="kind_known"),
        CheckConstraint(
            f"(kind IN {_in(INCREASING_KINDS)} AND quantity > 0)"
            f" OR (kind IN {_in(DECREASING_KINDS)} AND quantity < 0)"
            f" OR kind = '{MovementKind.ADJUSTMENT.value}'",
            name="quantity_sign",
        ),
        CheckConstraint("quantity_after >= 0", name="quantity_after_non_negative"),
        CheckConstraint("unit_cost IS NULL OR unit_cost >= 0", name="unit_cost_non_negative"),
        # The journal is read newest first (id order), filtered by any of these.
        Index("ix_stock_movements_warehouse_id_id", "warehouse_id", "id"),
        Index("ix_stock_movements_product_id_id", "product_id", "id"),
        Index("ix_stock_movements_user_id_id", "user_id", "id"),
        Index("ix_stock_movements_created_at", "created_at"),
        Index(
            "ix_stock_movements_order_id",
            "order_id",
            postgresql_where=text("order_id IS NOT NULL"),
        ),
    )

    # Insertion order: "newest first" is id DESC, stable even within one transaction.
    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    warehouse_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("warehouses.id", ondelete="RESTRICT")
    )
    product_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("products.id", ondelete="RESTRICT"))
    kind: Mapped[str] = mapped_column(String(16))
    quantity: Mapped[int]
    quantity_after: Mapped[int]
    # The purchase price of one unit, for supplies (the finance figures use it).
    unit_cost: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    # Who did it; kept (NULL) if the account is ever hard-deleted.
    user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # The order a reservation, release, sale or return belongs to (no foreign key yet).
    order_id: Mapped[uuid.UUID | None] = mapped_column()
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class InventoryTask(UUIDPrimaryKey, Base):
    """A background job's record: who asked, where it stands, and what it found."""

    __tablename__ = "inventory_tasks"
    __table_args__ = (
        CheckConstraint(f"kind IN {_in(TaskKind)}", name="kind_known"),
        CheckConstraint(f"status IN {_in(TaskStatus)}", name="status_known"),
        Index("ix_inventory_tasks_warehouse_id", "warehouse_id"),
        Index("ix_inventory_tasks_user_id", "user_id"),
    )
    __mapper_args__ = {"eager_defaults": True}  # noqa: RUF012 - SQLAlchemy's declaration

    kind: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16), default=TaskStatus.PENDING.value)
    warehouse_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("warehouses.id", ondelete="CASCADE")
    )
    user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # Decimals as strings; {"error": "..."} on failure.
    result: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
