"""The partner registries' records, append-only: every change is a new version, so what
was known at any instant can be asked afterwards ("what did we know on the deadline")."""

from __future__ import annotations

from sqlalchemy import Boolean, Column, Index, Integer, MetaData, String, Table, UniqueConstraint

from sfms_shared.db import JsonDocument, UtcDateTime
from sfms_shared.messaging.tables import AutoIncrementId


def registry_table(metadata: MetaData) -> Table:
    return Table(
        "registry_record",
        metadata,
        Column("id", AutoIncrementId, primary_key=True, autoincrement=True),
        Column("registry", String(40), nullable=False),
        Column("record_key", String(200), nullable=False),
        Column("version", Integer, nullable=False),
        Column("brn", String(10), nullable=False),
        Column("data", JsonDocument, nullable=False),
        Column("withdrawn", Boolean, nullable=False),
        Column("recorded_at", UtcDateTime, nullable=False),
        Column("recorded_by", String(200), nullable=False),
        Column("recorded_by_organisation", String(10), nullable=True),
        Column("correlation_id", String(100), nullable=False),
        UniqueConstraint("registry", "record_key", "version", name="uq_registry_record_version"),
        Index("ix_registry_record_brn", "brn", "registry"),
        Index("ix_registry_record_recorded_at", "recorded_at"),
    )
