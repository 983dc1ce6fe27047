"""The gateway's own tables: partner API keys and the audit log of its own writes."""

from __future__ import annotations

from sqlalchemy import Column, Integer, String, Table

from sfms_shared.audit import audit_table
from sfms_shared.db import JsonDocument, UtcDateTime, new_metadata

metadata = new_metadata()

api_key = Table(
    "api_key",
    metadata,
    Column("id", String(16), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("organisation", String(10)),
    Column("scopes", JsonDocument, nullable=False),
    Column("calls", JsonDocument, nullable=False),
    Column("rate_limit_per_minute", Integer, nullable=False),
    # SHA-256 of the whole key; the key itself is shown once and never stored.
    Column("key_hash", String(64), nullable=False),
    Column("created_by", String(200), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("revoked_by", String(200)),
    Column("revoked_at", UtcDateTime),
)

audit = audit_table(metadata)
