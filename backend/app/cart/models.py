"""Carts and their lines. A cart belongs to a user (one each) or to a guest, who holds its
token; only the token's SHA-256 is stored."""

import uuid

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.db import Base, Timestamps, UUIDPrimaryKey

MAX_QUANTITY = 999
MAX_LINES = 100


class Cart(UUIDPrimaryKey, Timestamps, Base):
    __tablename__ = "carts"
    __table_args__ = (
        # Exactly one owner: a user, or a guest's token.
        CheckConstraint("num_nonnulls(user_id, token_hash) = 1", name="one_owner"),
        # Guest carts are found by age when they are purged.
        Index("ix_carts_updated_at", "updated_at", postgresql_where=text("user_id IS NULL")),
    )

    user_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), unique=True
    )
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)

    items: Mapped[list["CartItem"]] = relationship(
        back_populates="cart",
        lazy="raise",
        order_by="CartItem.created_at, CartItem.id",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )


class CartItem(UUIDPrimaryKey, Timestamps, Base):
    __tablename__ = "cart_items"
    __table_args__ = (
        CheckConstraint(f"quantity BETWEEN 1 AND {MAX_QUANTITY}", name="quantity_range"),
        UniqueConstraint("cart_id", "product_id"),
        # Serves the foreign-key check when a product is deleted.
        Index("ix_cart_items_product_id", "product_id"),
    )

    cart_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("carts.id", ondelete="CASCADE"))
    # CASCADE: a product is only deleted when no order names it; a cart line is no record.
    product_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"))
    quantity: Mapped[int]

    cart: Mapped[Cart] = relationship(back_populates="items", lazy="raise")
