"""pools, matches, proposals, optimiser runs, idempotency records

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

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")
INSTANT = sfms_shared.db.UtcDateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "idempotency_record",
        sa.Column("scope", sa.String(length=100), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("status_code", sa.Integer(), nullable=False),
        sa.Column("body", JSON, nullable=False),
        sa.Column("created_at", INSTANT, nullable=False),
        sa.PrimaryKeyConstraint("scope", "key", name=op.f("pk_idempotency_record")),
    )
    op.create_table(
        "match",
        sa.Column("application_id", sa.Uuid(), nullable=False),
        sa.Column("call_id", sa.String(length=100), nullable=False),
        sa.Column("call_version", sa.Integer(), nullable=False),
        sa.Column("applicant_brn", sa.String(length=10), nullable=False),
        sa.Column("applicant_name", sa.String(length=200), nullable=False),
        sa.Column("region", sa.String(length=20), nullable=False),
        sa.Column("industry", sa.String(length=2), nullable=False),
        sa.Column("technologies", JSON, nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("opened_at", INSTANT, nullable=False),
        sa.Column("formed_at", INSTANT, nullable=True),
        sa.Column("left_at", INSTANT, nullable=True),
        sa.Column("findings", JSON, nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("application_id", name=op.f("pk_match")),
    )
    op.create_index("ix_match_call", "match", ["call_id", "status"], unique=False)
    op.create_table(
        "optimiser_run",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("call_id", sa.String(length=100), nullable=False),
        sa.Column("role", sa.String(length=10), nullable=False),
        sa.Column("seed", sa.Integer(), nullable=False),
        sa.Column("run_by", sa.String(length=200), nullable=False),
        sa.Column("run_at", INSTANT, nullable=False),
        sa.Column("summary", JSON, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_optimiser_run")),
    )
    op.create_table(
        "pool_member",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("pool", sa.String(length=10), nullable=False),
        sa.Column("call_id", sa.String(length=100), nullable=True),
        sa.Column("brn", sa.String(length=10), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("regions", JSON, nullable=False),
        sa.Column("industries", JSON, nullable=False),
        sa.Column("technologies", JSON, nullable=False),
        sa.Column("records", sa.Integer(), nullable=False),
        sa.Column("full_time_staff", sa.Integer(), nullable=False),
        sa.Column("subcontracts", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(length=30), nullable=False),
        sa.Column("findings", JSON, nullable=False),
        sa.Column("evaluation", JSON, nullable=True),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", INSTANT, nullable=False),
        sa.Column("updated_at", INSTANT, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pool_member")),
    )
    op.create_index("ix_pool_member_planner", "pool_member", ["call_id", "brn"], unique=True)
    op.create_index(
        "ix_pool_member_supplier",
        "pool_member",
        ["brn"],
        unique=True,
        postgresql_where=sa.text("pool = 'supplier'"),
        sqlite_where=sa.text("pool = 'supplier'"),
    )
    op.create_table(
        "proposal",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("application_id", sa.Uuid(), nullable=False),
        sa.Column("role", sa.String(length=10), nullable=False),
        sa.Column("member_id", sa.Uuid(), nullable=False),
        sa.Column("member_brn", sa.String(length=10), nullable=False),
        sa.Column("member_name", sa.String(length=200), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("proposed_by", sa.String(length=20), nullable=False),
        sa.Column("proposed_at", INSTANT, nullable=False),
        sa.Column("expires_at", INSTANT, nullable=True),
        sa.Column("answered_at", INSTANT, nullable=True),
        sa.Column("reason", sa.String(length=1000), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_proposal")),
    )
    op.create_index("ix_proposal_application", "proposal", ["application_id"], unique=False)
    op.create_index("ix_proposal_member_state", "proposal", ["member_id", "state"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_proposal_member_state", table_name="proposal")
    op.drop_index("ix_proposal_application", table_name="proposal")
    op.drop_table("proposal")
    op.drop_index(
        "ix_pool_member_supplier",
        table_name="pool_member",
        postgresql_where=sa.text("pool = 'supplier'"),
        sqlite_where=sa.text("pool = 'supplier'"),
    )
    op.drop_index("ix_pool_member_planner", table_name="pool_member")
    op.drop_table("pool_member")
    op.drop_table("optimiser_run")
    op.drop_index("ix_match_call", table_name="match")
    op.drop_table("match")
    op.drop_table("idempotency_record")
