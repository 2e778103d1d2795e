"""accounts: deleted_at on users

Revision ID: 313c250706d8
Revises: 0d4e47e65765
Create Date: 2026-11-23 05:32:40.875011+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "313c250706d8"
down_revision: str | None = "0d4e47e65765"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("users", sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    op.drop_column("users", "deleted_at")
