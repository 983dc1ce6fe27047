"""audit log

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

from collections.abc import Sequence

from sfms_shared.audit_migration import create_audit_entry, drop_audit_entry

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    create_audit_entry()


def downgrade() -> None:
    drop_audit_entry()
