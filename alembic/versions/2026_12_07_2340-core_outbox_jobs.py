"""core: the transactional outbox (outbox_jobs) and the jobs that have run (job_runs)

Revision ID: a7c3e1f0b2d4
Revises: d8f6edcdc60d
Create Date: 2026-12-07 23:40:00.000000+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "a7c3e1f0b2d4"
down_revision: str | None = "d8f6edcdc60d"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "outbox_jobs",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("task_name", sa.String(length=200), nullable=False),
        sa.Column("kwargs", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "available_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("attempts", sa.Integer(), server_default="0", nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox_jobs")),
    )
    op.create_index(
        "ix_outbox_jobs_due",
        "outbox_jobs",
        ["available_at"],
        unique=False,
        postgresql_where=sa.text("sent_at IS NULL"),
    )
    op.create_table(
        "job_runs",
        sa.Column("job_id", sa.Uuid(), nullable=False),
        sa.Column(
            "finished_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("job_id", name=op.f("pk_job_runs")),
    )
    op.create_index(op.f("ix_job_runs_finished_at"), "job_runs", ["finished_at"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_job_runs_finished_at"), table_name="job_runs")
    op.drop_table("job_runs")
    op.drop_index(
        "ix_outbox_jobs_due", table_name="outbox_jobs", postgresql_where=sa.text("sent_at IS NULL")
    )
    op.drop_table("outbox_jobs")
