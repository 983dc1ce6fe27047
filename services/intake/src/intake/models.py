"""Intake's tables. Snapshots and plans are JSON documents validated by the contracts."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    Uuid,
    text,
)

from sfms_shared.audit import audit_table
from sfms_shared.db import JsonDocument, UtcDateTime, new_metadata
from sfms_shared.idempotency import idempotency_table
from sfms_shared.messaging.tables import AutoIncrementId, messaging_tables

metadata = new_metadata()
messaging = messaging_tables(metadata)

call_version = Table(
    "call_version",
    metadata,
    Column("call_id", String(100), primary_key=True),
    Column("version", Integer, primary_key=True),
    Column("status", String(20), nullable=False),  # draft | published
    Column("document", JsonDocument, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("published_at", UtcDateTime),
)

organisation = Table(
    "organisation",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("kind", String(20), nullable=False),
    Column("brn", String(10), nullable=False, unique=True),
    Column("name", String(200), nullable=False),
    Column("profile", JsonDocument, nullable=False),
    Column("revision", Integer, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
)

application = Table(
    "application",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("call_id", String(100), nullable=False),
    Column("applicant_id", Uuid, ForeignKey("organisation.id"), nullable=False),
    Column("brn", String(10), nullable=False),
    Column("status", String(20), nullable=False),  # draft | submitted | withdrawn
    Column("draft", JsonDocument, nullable=False),
    Column("revision", Integer, nullable=False),
    Column("submitted_version", Integer),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    Column("withdrawn_at", UtcDateTime),
)
# One live application per workplace BRN per call (001 §3 신청자격: 사업장별로 신청).
Index(
    "uq_application_live_per_workplace",
    application.c.call_id,
    application.c.brn,
    unique=True,
    postgresql_where=text("status <> 'withdrawn'"),
    sqlite_where=text("status <> 'withdrawn'"),
)
Index("ix_application_call_status", application.c.call_id, application.c.status)

document = Table(
    "document",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("application_id", Uuid, ForeignKey("application.id"), nullable=False, index=True),
    Column("kind", String(60), nullable=False),
    Column("issuer", String(200)),
    Column("issued_on", Date),
    Column("fiscal_year", Integer),
    Column("media_type", String(60), nullable=False),
    Column("size_bytes", Integer, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("storage_name", String(100), nullable=False, unique=True),
    Column("original_name", String(255)),
    Column("uploaded_at", UtcDateTime, nullable=False),
    Column("removed", Boolean, nullable=False, server_default=text("false")),
)

submission = Table(
    "submission",
    metadata,
    Column("id", AutoIncrementId, primary_key=True, autoincrement=True),
    Column("application_id", Uuid, ForeignKey("application.id"), nullable=False),
    Column("version", Integer, nullable=False),
    Column("receipt_number", String(40), nullable=False, unique=True),
    Column("received_at", UtcDateTime, nullable=False),
    Column("call_version", Integer, nullable=False),
    Column("snapshot", JsonDocument, nullable=False),
)
Index("uq_submission_version", submission.c.application_id, submission.c.version, unique=True)

# Notices to people (domain/notices.py): one per kind and trigger (``dedupe_key``);
# ``status`` pending → sent, or no-address when the organisation gave no contact.
notification = Table(
    "notification",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("dedupe_key", String(200), nullable=False, unique=True),
    Column("kind", String(30), nullable=False),
    Column("organisation_id", Uuid, nullable=True),
    Column("application_id", Uuid, nullable=True),
    Column("recipient", String(254), nullable=True),
    Column("locale", String(2), nullable=False),
    Column("subject", String(300), nullable=False),
    Column("body", Text, nullable=False),
    Column("status", String(20), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("sent_at", UtcDateTime, nullable=True),
)
Index("ix_notification_pending", notification.c.status, notification.c.created_at)

idempotency_record = idempotency_table(metadata)
audit = audit_table(metadata)
