"""budget reviews, projects, agreements, payables ledger, settlements, idempotency records

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
        "budget_review",
        sa.Column("application_id", sa.Uuid(), nullable=False),
        sa.Column("submission_version", sa.Integer(), nullable=False),
        sa.Column("call_id", sa.String(length=100), nullable=False),
        sa.Column("call_version", sa.Integer(), nullable=False),
        sa.Column("verdict", sa.String(length=10), nullable=False),
        sa.Column("review", JSON, nullable=False),
        sa.Column("reviewed_at", INSTANT, nullable=False),
        sa.PrimaryKeyConstraint("application_id", name=op.f("pk_budget_review")),
    )
    op.create_table(
        "project",
        sa.Column("application_id", sa.Uuid(), nullable=False),
        sa.Column("call_id", sa.String(length=100), nullable=False),
        sa.Column("consortium", JSON, nullable=True),
        sa.Column("outcome", sa.String(length=20), nullable=True),
        sa.Column("outcome_sequence", sa.Integer(), nullable=False),
        sa.Column("updated_at", INSTANT, nullable=False),
        sa.PrimaryKeyConstraint("application_id", name=op.f("pk_project")),
    )
    op.create_table(
        "agreement",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("application_id", sa.Uuid(), nullable=False),
        sa.Column("call_id", sa.String(length=100), nullable=False),
        sa.Column("call_version", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("applicant", JSON, nullable=False),
        sa.Column("consortium", JSON, nullable=False),
        sa.Column("requested", JSON, nullable=False),
        sa.Column("lines", JSON, nullable=False),
        sa.Column("cuts", JSON, nullable=False),
        sa.Column("review", JSON, nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", INSTANT, nullable=False),
        sa.Column("signed_by", sa.String(length=200), nullable=True),
        sa.Column("signed_at", INSTANT, nullable=True),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agreement")),
        sa.UniqueConstraint("application_id", name=op.f("uq_agreement_application_id")),
    )
    op.create_index("ix_agreement_call", "agreement", ["call_id"], unique=False)
    op.create_table(
        "payable_entry",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("call_id", sa.String(length=100), nullable=False),
        sa.Column("application_id", sa.Uuid(), nullable=False),
        sa.Column("planner_member_id", sa.Uuid(), nullable=False),
        sa.Column("planner_brn", sa.String(length=10), nullable=False),
        sa.Column("planner_name", sa.String(length=200), nullable=False),
        sa.Column("milestone", sa.String(length=40), nullable=False),
        sa.Column("amount_krw", sa.BigInteger(), nullable=False),
        sa.Column("payment_key", sa.String(length=100), nullable=True),
        sa.Column("reverses", sa.Uuid(), nullable=True),
        sa.Column("reason", sa.String(length=1000), nullable=True),
        sa.Column("cause", sa.String(length=100), nullable=False),
        sa.Column("source", JSON, nullable=False),
        sa.Column("recorded_by", sa.String(length=200), nullable=False),
        sa.Column("recorded_at", INSTANT, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payable_entry")),
        sa.UniqueConstraint("payment_key", name=op.f("uq_payable_entry_payment_key")),
        sa.UniqueConstraint("reverses", name=op.f("uq_payable_entry_reverses")),
    )
    op.create_index(
        "ix_payable_planner", "payable_entry", ["planner_brn", "recorded_at"], unique=False
    )
    op.create_index("ix_payable_call", "payable_entry", ["call_id", "recorded_at"], unique=False)
    op.create_table(
        "settlement",
        sa.Column("agreement_id", sa.Uuid(), nullable=False),
        sa.Column("application_id", sa.Uuid(), nullable=False),
        sa.Column("call_id", sa.String(length=100), nullable=False),
        sa.Column("executed", JSON, nullable=False),
        sa.Column("result", JSON, nullable=False),
        sa.Column("settled_by", sa.String(length=200), nullable=False),
        sa.Column("settled_at", INSTANT, nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("agreement_id", name=op.f("pk_settlement")),
    )


def downgrade() -> None:
    op.drop_table("settlement")
    op.drop_index("ix_payable_call", table_name="payable_entry")
    op.drop_index("ix_payable_planner", table_name="payable_entry")
    op.drop_table("payable_entry")
    op.drop_index("ix_agreement_call", table_name="agreement")
    op.drop_table("agreement")
    op.drop_table("project")
    op.drop_table("budget_review")
    op.drop_table("idempotency_record")
