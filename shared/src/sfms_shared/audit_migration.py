"""The ``audit_entry`` table's migration steps, shared by every service's migration that
adds it (the table is the same everywhere; see ``sfms_shared.audit``)."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import sfms_shared.db

INDEXES = {
    "ix_audit_entry_actor": ["actor", "id"],
    "ix_audit_entry_application": ["application_id", "id"],
    "ix_audit_entry_organisation": ["organisation_id", "id"],
}


def create_audit_entry() -> None:
    op.create_table(
        "audit_entry",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("recorded_at", sfms_shared.db.UtcDateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("actor_kind", sa.String(length=20), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("actor_organisation", sa.String(length=10), nullable=True),
        sa.Column("correlation_id", sa.String(length=100), nullable=False),
        sa.Column("action", sa.String(length=80), nullable=False),
        sa.Column("entity_type", sa.String(length=40), nullable=False),
        sa.Column("entity_id", sa.String(length=100), nullable=False),
        sa.Column("application_id", sa.String(length=36), nullable=True),
        sa.Column("organisation_id", sa.String(length=36), nullable=True),
        sa.Column("call_id", sa.String(length=100), nullable=True),
        sa.Column(
            "change",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_entry")),
    )
    for name, columns in INDEXES.items():
        op.create_index(name, "audit_entry", columns, unique=False)


def drop_audit_entry() -> None:
    for name in INDEXES:
        op.drop_index(name, table_name="audit_entry")
    op.drop_table("audit_entry")
