"""decisions, review subjects and overrides

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import sfms_shared.db

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")
INSTANT = sfms_shared.db.UtcDateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "decision",
        sa.Column("decision_id", sa.Uuid(), nullable=False),
        sa.Column("application_id", sa.Uuid(), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("submission_version", sa.Integer(), nullable=False),
        sa.Column("call_id", sa.String(length=100), nullable=False),
        sa.Column("call_version", sa.Integer(), nullable=False),
        sa.Column("applicant_brn", sa.String(length=10), nullable=False),
        sa.Column("verdict", sa.String(length=20), nullable=False),
        sa.Column("trigger", sa.String(length=20), nullable=False),
        sa.Column("judged_as_of", INSTANT, nullable=False),
        sa.Column("known_at", INSTANT, nullable=False),
        sa.Column("decided_at", INSTANT, nullable=False),
        sa.Column("review_case", JSON, nullable=False),
        sa.Column("outcomes", JSON, nullable=False),
        sa.Column("overrides", JSON, nullable=False),
        sa.Column("small_business", JSON, nullable=True),
        sa.PrimaryKeyConstraint("decision_id", name=op.f("pk_decision")),
        sa.UniqueConstraint("application_id", "sequence", name="uq_decision_sequence"),
    )
    op.create_index("ix_decision_call_verdict", "decision", ["call_id", "verdict"])
    op.create_table(
        "review_subject",
        sa.Column("brn", sa.String(length=10), nullable=False),
        sa.Column("application_id", sa.Uuid(), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.PrimaryKeyConstraint("brn", "application_id", name=op.f("pk_review_subject")),
    )
    op.create_table(
        "rule_override",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("application_id", sa.Uuid(), nullable=False),
        sa.Column("submission_version", sa.Integer(), nullable=False),
        sa.Column("rule_id", sa.String(length=100), nullable=False),
        sa.Column("brn", sa.String(length=10), nullable=False),
        sa.Column("outcome", sa.String(length=10), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("at", INSTANT, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rule_override")),
    )
    op.create_index(op.f("ix_rule_override_application_id"), "rule_override", ["application_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_rule_override_application_id"), table_name="rule_override")
    op.drop_table("rule_override")
    op.drop_table("review_subject")
    op.drop_index("ix_decision_call_verdict", table_name="decision")
    op.drop_table("decision")
