"""evaluations, evaluators, panels, score sheets, stage results, verdicts, idempotency records

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
        "evaluation",
        sa.Column("application_id", sa.Uuid(), nullable=False),
        sa.Column("stage", sa.String(length=30), nullable=False),
        sa.Column("call_id", sa.String(length=100), nullable=False),
        sa.Column("call_version", sa.Integer(), nullable=False),
        sa.Column("submission_version", sa.Integer(), nullable=False),
        sa.Column("company_name", sa.String(length=200), nullable=False),
        sa.Column("applicant_brn", sa.String(length=10), nullable=False),
        sa.Column("parties", JSON, nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("entered_at", INSTANT, nullable=False),
        sa.Column("left_at", INSTANT, nullable=True),
        sa.Column("left_reason", JSON, nullable=True),
        sa.Column("quantitative", JSON, nullable=True),
        sa.Column("bonus", JSON, nullable=False),
        sa.Column("components", JSON, nullable=False),
        sa.Column("panel_id", sa.Uuid(), nullable=True),
        sa.PrimaryKeyConstraint("application_id", "stage", name=op.f("pk_evaluation")),
    )
    op.create_index("ix_evaluation_call_stage", "evaluation", ["call_id", "stage"])
    op.create_table(
        "evaluator",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("affiliation", sa.String(length=200), nullable=False),
        sa.Column("organisation_brn", sa.String(length=10), nullable=True),
        sa.Column("declarations", JSON, nullable=False),
        sa.Column("created_at", INSTANT, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evaluator")),
        sa.UniqueConstraint("subject", name=op.f("uq_evaluator_subject")),
    )
    op.create_table(
        "panel",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("call_id", sa.String(length=100), nullable=False),
        sa.Column("stage", sa.String(length=30), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("evaluator_ids", JSON, nullable=False),
        sa.Column("created_at", INSTANT, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_panel")),
    )
    op.create_index("ix_panel_call_stage", "panel", ["call_id", "stage"])
    op.create_table(
        "score_sheet",
        sa.Column("application_id", sa.Uuid(), nullable=False),
        sa.Column("stage", sa.String(length=30), nullable=False),
        sa.Column("evaluator_id", sa.Uuid(), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("content", JSON, nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("updated_at", INSTANT, nullable=False),
        sa.Column("submitted_at", INSTANT, nullable=True),
        sa.Column("reopenings", JSON, nullable=False),
        sa.PrimaryKeyConstraint(
            "application_id", "stage", "evaluator_id", name=op.f("pk_score_sheet")
        ),
    )
    op.create_table(
        "stage_result",
        sa.Column("call_id", sa.String(length=100), nullable=False),
        sa.Column("stage", sa.String(length=30), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("call_version", sa.Integer(), nullable=False),
        sa.Column("why", sa.String(length=20), nullable=False),
        sa.Column("completed_at", INSTANT, nullable=False),
        sa.Column("rows", JSON, nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("call_id", "stage", "sequence", name=op.f("pk_stage_result")),
    )
    op.create_table(
        "verdict",
        sa.Column("application_id", sa.Uuid(), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("submission_version", sa.Integer(), nullable=False),
        sa.Column("verdict", sa.String(length=20), nullable=False),
        sa.Column("decided_at", INSTANT, nullable=False),
        sa.PrimaryKeyConstraint("application_id", name=op.f("pk_verdict")),
    )
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


def downgrade() -> None:
    op.drop_table("idempotency_record")
    op.drop_table("verdict")
    op.drop_table("stage_result")
    op.drop_table("score_sheet")
    op.drop_index("ix_panel_call_stage", table_name="panel")
    op.drop_table("panel")
    op.drop_table("evaluator")
    op.drop_index("ix_evaluation_call_stage", table_name="evaluation")
    op.drop_table("evaluation")
