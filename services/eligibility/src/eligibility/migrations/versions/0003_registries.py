"""partner registries

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import sfms_shared.db

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "registry_record",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("registry", sa.String(length=40), nullable=False),
        sa.Column("record_key", sa.String(length=200), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("brn", sa.String(length=10), nullable=False),
        sa.Column(
            "data",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("withdrawn", sa.Boolean(), nullable=False),
        sa.Column("recorded_at", sfms_shared.db.UtcDateTime(timezone=True), nullable=False),
        sa.Column("recorded_by", sa.String(length=200), nullable=False),
        sa.Column("recorded_by_organisation", sa.String(length=10), nullable=True),
        sa.Column("correlation_id", sa.String(length=100), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_registry_record")),
        sa.UniqueConstraint("registry", "record_key", "version", name="uq_registry_record_version"),
    )
    op.create_index("ix_registry_record_brn", "registry_record", ["brn", "registry"])
    op.create_index("ix_registry_record_recorded_at", "registry_record", ["recorded_at"])


def downgrade() -> None:
    op.drop_index("ix_registry_record_recorded_at", table_name="registry_record")
    op.drop_index("ix_registry_record_brn", table_name="registry_record")
    op.drop_table("registry_record")
