"""catalog: categories, products, images

Full-text search uses the 'simple' configuration on a stored, weighted tsvector (name and
sku A, description B) with a GIN index; typo tolerance comes from a GIN trigram index on the
name (pg_trgm). The partial btree indexes serve every listing filter and sort.

Revision ID: 0d4e47e65765
Revises: 822e32dde3b0
Create Date: 2026-11-23 05:02:04.462579+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0d4e47e65765"
down_revision: str | None = "822e32dde3b0"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # pg_trgm ships with PostgreSQL (contrib); creating it needs the CREATE privilege on the
    # database. It is left in place on downgrade: other schemas may use it too.
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    op.create_table(
        "categories",
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("slug", sa.String(length=120), nullable=False),
        sa.Column("parent_id", sa.Uuid(), nullable=True),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'", name=op.f("ck_categories_slug_format")
        ),
        sa.CheckConstraint(
            "parent_id IS NULL OR parent_id <> id", name=op.f("ck_categories_not_own_parent")
        ),
        sa.CheckConstraint("position >= 0", name=op.f("ck_categories_position_non_negative")),
        sa.ForeignKeyConstraint(
            ["parent_id"],
            ["categories.id"],
            name=op.f("fk_categories_parent_id_categories"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_categories")),
        sa.UniqueConstraint("slug", name=op.f("uq_categories_slug")),
    )
    op.create_index(
        "ix_categories_parent_id_position", "categories", ["parent_id", "position"], unique=False
    )
    op.create_table(
        "products",
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("slug", sa.String(length=200), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("price", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column("weight_kg", sa.Numeric(precision=10, scale=3), nullable=False),
        sa.Column("category_id", sa.Uuid(), nullable=False),
        sa.Column("is_published", sa.Boolean(), nullable=False),
        sa.Column("is_archived", sa.Boolean(), nullable=False),
        sa.Column(
            "search_vector",
            postgresql.TSVECTOR(),
            sa.Computed(
                "setweight(to_tsvector('simple'::regconfig, (name)::text), 'A'::\"char\") || "
                "setweight(to_tsvector('simple'::regconfig, (sku)::text), 'A'::\"char\") || "
                "setweight(to_tsvector('simple'::regconfig, description), 'B'::\"char\")",
                persisted=True,
            ),
            nullable=False,
        ),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint("sku ~ '^[A-Z0-9._-]{1,64}$'", name=op.f("ck_products_sku_format")),
        sa.CheckConstraint(
            "slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'", name=op.f("ck_products_slug_format")
        ),
        sa.CheckConstraint(
            "NOT (is_archived AND is_published)", name=op.f("ck_products_archived_unpublished")
        ),
        sa.CheckConstraint("price >= 0", name=op.f("ck_products_price_non_negative")),
        sa.CheckConstraint("weight_kg > 0", name=op.f("ck_products_weight_positive")),
        sa.ForeignKeyConstraint(
            ["category_id"],
            ["categories.id"],
            name=op.f("fk_products_category_id_categories"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_products")),
        sa.UniqueConstraint("sku", name=op.f("uq_products_sku")),
        sa.UniqueConstraint("slug", name=op.f("uq_products_slug")),
    )
    op.create_index(
        "ix_products_category_id_price",
        "products",
        ["category_id", "price"],
        unique=False,
        postgresql_include=["is_published", "is_archived"],
    )
    op.create_index(
        "ix_products_listed_created_at",
        "products",
        ["created_at", "id"],
        unique=False,
        postgresql_include=["is_published"],
        postgresql_where=sa.text("NOT is_archived"),
    )
    op.create_index(
        "ix_products_listed_name",
        "products",
        ["name", "id"],
        unique=False,
        postgresql_include=["is_published"],
        postgresql_where=sa.text("NOT is_archived"),
    )
    op.create_index(
        "ix_products_listed_price",
        "products",
        ["price", "id"],
        unique=False,
        postgresql_include=["is_published"],
        postgresql_where=sa.text("NOT is_archived"),
    )
    op.create_index(
        "ix_products_name_trgm",
        "products",
        ["name"],
        unique=False,
        postgresql_using="gin",
        postgresql_ops={"name": "gin_trgm_ops"},
    )
    op.create_index(
        "ix_products_search_vector",
        "products",
        ["search_vector"],
        unique=False,
        postgresql_using="gin",
    )
    op.create_table(
        "product_images",
        sa.Column("product_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("path", sa.String(length=255), nullable=False),
        sa.Column("thumbnail_path", sa.String(length=255), nullable=False),
        sa.Column("content_type", sa.String(length=32), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.CheckConstraint(
            "position >= 0 AND position < 5", name=op.f("ck_product_images_position_range")
        ),
        sa.ForeignKeyConstraint(
            ["product_id"],
            ["products.id"],
            name=op.f("fk_product_images_product_id_products"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_product_images")),
    )
    op.create_index(
        "ix_product_images_product_id_position",
        "product_images",
        ["product_id", "position"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_product_images_product_id_position", table_name="product_images")
    op.drop_table("product_images")
    op.drop_index("ix_products_search_vector", table_name="products")
    op.drop_index("ix_products_name_trgm", table_name="products")
    op.drop_index("ix_products_listed_price", table_name="products")
    op.drop_index("ix_products_listed_name", table_name="products")
    op.drop_index("ix_products_listed_created_at", table_name="products")
    op.drop_index("ix_products_category_id_price", table_name="products")
    op.drop_table("products")
    op.drop_index("ix_categories_parent_id_position", table_name="categories")
    op.drop_table("categories")
