"""catalog: unique image positions

Revision ID: d8f6edcdc60d
Revises: ed640f80e359
Create Date: 2026-11-23 06:42:59.487455+00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "d8f6edcdc60d"
down_revision: str | None = "ed640f80e359"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.drop_index(op.f("ix_product_images_product_id_position"), table_name="product_images")
    op.create_unique_constraint(
        "uq_product_images_product_id_position",
        "product_images",
        ["product_id", "position"],
        deferrable=True,
        initially="DEFERRED",
    )


def downgrade() -> None:
    op.drop_constraint("uq_product_images_product_id_position", "product_images", type_="unique")
    op.create_index(
        op.f("ix_product_images_product_id_position"),
        "product_images",
        ["product_id", "position"],
        unique=False,
    )
