"""Categories (a tree), products and their ordered images.

Every index here exists for a query in `app.catalog.search` or a foreign-key check; the
migration declares the same ones, and a test fails when the two disagree.
"""

import uuid
from datetime import datetime
from decimal import Decimal

from sqlalchemy import (
    CheckConstraint,
    Computed,
    DateTime,
    ForeignKey,
    Index,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import TSVECTOR
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.db import Base, Timestamps, UUIDPrimaryKey

MAX_IMAGES_PER_PRODUCT = 5
SKU_PATTERN = r"^[A-Z0-9._-]{1,64}$"
SLUG_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"

# The text search configuration of the whole catalog: 'simple' lower-cases and splits words
# but neither stems nor drops stop words. Product names mix languages, brands, model numbers
# and SKUs, which an English stemmer would mangle ("Levis" -> "levi", "AS" dropped as a stop
# word); typo and inflection tolerance comes from pg_trgm on the name instead. Queries must
# use the same configuration (see app.catalog.search).
TEXT_SEARCH_CONFIG = "simple"
SEARCH_VECTOR_SQL = (
    f"setweight(to_tsvector('{TEXT_SEARCH_CONFIG}'::regconfig, (name)::text), 'A'::\"char\") || "
    f"setweight(to_tsvector('{TEXT_SEARCH_CONFIG}'::regconfig, (sku)::text), 'A'::\"char\") || "
    f"setweight(to_tsvector('{TEXT_SEARCH_CONFIG}'::regconfig, description), 'B'::\"char\")"
)
# Listing indexes cover what is not archived (archived products are never listed) and
# carry is_published, so the storefront's count(*) is an index-only scan.
_LISTED = text("NOT is_archived")


class Category(UUIDPrimaryKey, Timestamps, Base):
    __tablename__ = "categories"
    __table_args__ = (
        CheckConstraint("position >= 0", name="position_non_negative"),
        CheckConstraint("parent_id IS NULL OR parent_id <> id", name="not_own_parent"),
        CheckConstraint(f"slug ~ '{SLUG_PATTERN}'", name="slug_format"),
        Index("ix_categories_parent_id_position", "parent_id", "position"),
    )
    __mapper_args__ = {"eager_defaults": True}  # noqa: RUF012 - SQLAlchemy's declaration

    name: Mapped[str] = mapped_column(String(100))
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    # RESTRICT: a category with subcategories is never deleted from under them.
    parent_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("categories.id", ondelete="RESTRICT")
    )
    description: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(default=0)


class Product(UUIDPrimaryKey, Timestamps, Base):
    __tablename__ = "products"
    __table_args__ = (
        CheckConstraint("price >= 0", name="price_non_negative"),
        CheckConstraint("weight_kg > 0", name="weight_positive"),
        CheckConstraint(f"sku ~ '{SKU_PATTERN}'", name="sku_format"),
        CheckConstraint(f"slug ~ '{SLUG_PATTERN}'", name="slug_format"),
        CheckConstraint("NOT (is_archived AND is_published)", name="archived_unpublished"),
        Index("ix_products_search_vector", "search_vector", postgresql_using="gin"),
        Index(
            "ix_products_name_trgm",
            "name",
            postgresql_using="gin",
            postgresql_ops={"name": "gin_trgm_ops"},
        ),
        # Leads with category_id: also serves the foreign-key check when a category goes.
        Index(
            "ix_products_category_id_price",
            "category_id",
            "price",
            postgresql_include=["is_published", "is_archived"],
        ),
        Index(
            "ix_products_listed_created_at",
            "created_at",
            "id",
            postgresql_include=["is_published"],
            postgresql_where=_LISTED,
        ),
        Index(
            "ix_products_listed_price",
            "price",
            "id",
            postgresql_include=["is_published"],
            postgresql_where=_LISTED,
        ),
        Index(
            "ix_products_listed_name",
            "name",
            "id",
            postgresql_include=["is_published"],
            postgresql_where=_LISTED,
        ),
    )
    __mapper_args__ = {"eager_defaults": True}  # noqa: RUF012 - SQLAlchemy's declaration

    # Upper-cased; the stock API calls it item_id.
    sku: Mapped[str] = mapped_column(String(64), unique=True)
    slug: Mapped[str] = mapped_column(String(200), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    price: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    weight_kg: Mapped[Decimal] = mapped_column(Numeric(10, 3))
    category_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("categories.id", ondelete="RESTRICT"))
    is_published: Mapped[bool] = mapped_column(default=False)
    # Set instead of deleting a product that orders still name: unpublished and never listed.
    is_archived: Mapped[bool] = mapped_column(default=False)
    search_vector: Mapped[str] = mapped_column(
        TSVECTOR,
        Computed(SEARCH_VECTOR_SQL, persisted=True),
        deferred=True,
        deferred_raiseload=True,
    )

    category: Mapped[Category] = relationship(lazy="raise")
    images: Mapped[list["ProductImage"]] = relationship(
        back_populates="product",
        lazy="raise",
        order_by="ProductImage.position",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )

    @property
    def for_sale(self) -> bool:
        """Whether shoppers may order it: published and not archived."""
        return self.is_published and not self.is_archived


class ProductImage(UUIDPrimaryKey, Base):
    """One stored image: `path` and `thumbnail_path` are relative to MEDIA_ROOT."""

    __tablename__ = "product_images"
    __table_args__ = (
        CheckConstraint(
            f"position >= 0 AND position < {MAX_IMAGES_PER_PRODUCT}", name="position_range"
        ),
        # With the range check, at most MAX_IMAGES_PER_PRODUCT images, whatever a race does.
        # Deferred to the commit: a reorder or a delete moves positions row by row.
        UniqueConstraint(
            "product_id",
            "position",
            name="uq_product_images_product_id_position",
            deferrable=True,
            initially="DEFERRED",
        ),
    )

    product_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"))
    position: Mapped[int]
    path: Mapped[str] = mapped_column(String(255))
    thumbnail_path: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(32))
    width: Mapped[int]
    height: Mapped[int]
    size_bytes: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    product: Mapped[Product] = relationship(back_populates="images", lazy="raise")
