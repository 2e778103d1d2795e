"""inventory: warehouses, stock, movements, tasks

Stock has (warehouse_id, product_id) as its primary key, the unique key of a stock line, and
CHECKs on_hand >= 0 and 0 <= reserved <= on_hand. stock_movements is the append-only journal:
a bigint identity orders it (newest first = id DESC), a CHECK ties the sign of the quantity to
the kind, and (warehouse_id, id), (product_id, id), (user_id, id), created_at and the partial
order_id index serve its filters and the foreign-key checks. Products and warehouses with
stock or movements cannot be deleted (RESTRICT: the catalog archives such a product instead).

Revision ID: f87b682bf1d5
Revises: 313c250706d8
Create Date: 2026-11-23 05:32:08.065239+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "f87b682bf1d5"
down_revision: str | None = "313c250706d8"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "warehouses",
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("address", sa.String(length=500), nullable=True),
        sa.Column("max_weight_kg", sa.Numeric(precision=12, scale=3), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("priority", sa.Integer(), nullable=False),
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
            "code ~ '^[A-Z0-9][A-Z0-9._-]{0,31}$'", name=op.f("ck_warehouses_code_format")
        ),
        sa.CheckConstraint("max_weight_kg > 0", name=op.f("ck_warehouses_max_weight_positive")),
        sa.CheckConstraint("priority >= 0", name=op.f("ck_warehouses_priority_non_negative")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_warehouses")),
        sa.UniqueConstraint("code", name=op.f("uq_warehouses_code")),
    )
    op.create_table(
        "inventory_tasks",
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("warehouse_id", sa.Uuid(), nullable=True),
        sa.Column("user_id", sa.Uuid(), nullable=True),
        sa.Column("result", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.CheckConstraint(
            "kind IN ('warehouse_weight')", name=op.f("ck_inventory_tasks_kind_known")
        ),
        sa.CheckConstraint(
            "status IN ('pending', 'running', 'success', 'failure')",
            name=op.f("ck_inventory_tasks_status_known"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_inventory_tasks_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["warehouse_id"],
            ["warehouses.id"],
            name=op.f("fk_inventory_tasks_warehouse_id_warehouses"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inventory_tasks")),
    )
    op.create_index("ix_inventory_tasks_user_id", "inventory_tasks", ["user_id"], unique=False)
    op.create_index(
        "ix_inventory_tasks_warehouse_id", "inventory_tasks", ["warehouse_id"], unique=False
    )
    op.create_table(
        "stock",
        sa.Column("warehouse_id", sa.Uuid(), nullable=False),
        sa.Column("product_id", sa.Uuid(), nullable=False),
        sa.Column("on_hand", sa.Integer(), nullable=False),
        sa.Column("reserved", sa.Integer(), nullable=False),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint("on_hand >= 0", name=op.f("ck_stock_on_hand_non_negative")),
        sa.CheckConstraint(
            "reserved >= 0 AND reserved <= on_hand", name=op.f("ck_stock_reserved_within_on_hand")
        ),
        sa.ForeignKeyConstraint(
            ["product_id"],
            ["products.id"],
            name=op.f("fk_stock_product_id_products"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["warehouse_id"],
            ["warehouses.id"],
            name=op.f("fk_stock_warehouse_id_warehouses"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("warehouse_id", "product_id", name=op.f("pk_stock")),
    )
    op.create_index("ix_stock_product_id", "stock", ["product_id"], unique=False)
    op.create_table(
        "stock_movements",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("warehouse_id", sa.Uuid(), nullable=False),
        sa.Column("product_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("quantity_after", sa.Integer(), nullable=False),
        sa.Column("unit_cost", sa.Numeric(precision=12, scale=2), nullable=True),
        sa.Column("user_id", sa.Uuid(), nullable=True),
        sa.Column("order_id", sa.Uuid(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "(kind IN ('supply', 'return', 'transfer_in', 'reservation') AND quantity > 0)"
            " OR (kind IN ('demand', 'sale', 'transfer_out', 'clean', 'release') AND quantity < 0)"
            " OR kind = 'adjustment'",
            name=op.f("ck_stock_movements_quantity_sign"),
        ),
        sa.CheckConstraint(
            "kind IN ('supply', 'demand', 'adjustment', 'reservation', 'release', 'sale',"
            " 'return', 'transfer_in', 'transfer_out', 'clean')",
            name=op.f("ck_stock_movements_kind_known"),
        ),
        sa.CheckConstraint(
            "quantity_after >= 0", name=op.f("ck_stock_movements_quantity_after_non_negative")
        ),
        sa.CheckConstraint(
            "unit_cost IS NULL OR unit_cost >= 0",
            name=op.f("ck_stock_movements_unit_cost_non_negative"),
        ),
        sa.ForeignKeyConstraint(
            ["product_id"],
            ["products.id"],
            name=op.f("fk_stock_movements_product_id_products"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_stock_movements_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["warehouse_id"],
            ["warehouses.id"],
            name=op.f("fk_stock_movements_warehouse_id_warehouses"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stock_movements")),
    )
    op.create_index(
        "ix_stock_movements_created_at", "stock_movements", ["created_at"], unique=False
    )
    op.create_index(
        "ix_stock_movements_order_id",
        "stock_movements",
        ["order_id"],
        unique=False,
        postgresql_where=sa.text("order_id IS NOT NULL"),
    )
    op.create_index(
        "ix_stock_movements_product_id_id", "stock_movements", ["product_id", "id"], unique=False
    )
    op.create_index(
        "ix_stock_movements_user_id_id", "stock_movements", ["user_id", "id"], unique=False
    )
    op.create_index(
        "ix_stock_movements_warehouse_id_id",
        "stock_movements",
        ["warehouse_id", "id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_stock_movements_warehouse_id_id", table_name="stock_movements")
    op.drop_index("ix_stock_movements_user_id_id", table_name="stock_movements")
    op.drop_index("ix_stock_movements_product_id_id", table_name="stock_movements")
    op.drop_index(
        "ix_stock_movements_order_id",
        table_name="stock_movements",
        postgresql_where=sa.text("order_id IS NOT NULL"),
    )
    op.drop_index("ix_stock_movements_created_at", table_name="stock_movements")
    op.drop_table("stock_movements")
    op.drop_index("ix_stock_product_id", table_name="stock")
    op.drop_table("stock")
    op.drop_index("ix_inventory_tasks_warehouse_id", table_name="inventory_tasks")
    op.drop_index("ix_inventory_tasks_user_id", table_name="inventory_tasks")
    op.drop_table("inventory_tasks")
    op.drop_table("warehouses")
