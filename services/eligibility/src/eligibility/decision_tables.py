"""Eligibility's own tables for decisions: every decision kept (with the case it was made
from), the organisations each application involves (so a registry change finds the
applications it affects), and operators' overrides."""

from __future__ import annotations

from sqlalchemy import (
    Column,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    Uuid,
)

from sfms_shared.db import JsonDocument, UtcDateTime
from sfms_shared.messaging.tables import AutoIncrementId


def decision_tables(metadata: MetaData) -> tuple[Table, Table, Table]:
    decision = Table(
        "decision",
        metadata,
        Column("decision_id", Uuid, primary_key=True),
        Column("application_id", Uuid, nullable=False),
        Column("sequence", Integer, nullable=False),
        Column("submission_version", Integer, nullable=False),
        Column("call_id", String(100), nullable=False),
        Column("call_version", Integer, nullable=False),
        Column("applicant_brn", String(10), nullable=False),
        Column("verdict", String(20), nullable=False),
        Column("trigger", String(20), nullable=False),
        Column("judged_as_of", UtcDateTime, nullable=False),
        Column("known_at", UtcDateTime, nullable=False),
        Column("decided_at", UtcDateTime, nullable=False),
        Column("review_case", JsonDocument, nullable=False),
        Column("outcomes", JsonDocument, nullable=False),
        Column("overrides", JsonDocument, nullable=False),
        Column("small_business", JsonDocument, nullable=True),
        UniqueConstraint("application_id", "sequence", name="uq_decision_sequence"),
        Index("ix_decision_call_verdict", "call_id", "verdict"),
    )
    subject = Table(
        "review_subject",
        metadata,
        Column("brn", String(10), primary_key=True),
        Column("application_id", Uuid, primary_key=True),
        Column("role", String(20), nullable=False),
    )
    override = Table(
        "rule_override",
        metadata,
        Column("id", AutoIncrementId, primary_key=True, autoincrement=True),
        Column("application_id", Uuid, nullable=False, index=True),
        Column("submission_version", Integer, nullable=False),
        Column("rule_id", String(100), nullable=False),
        Column("brn", String(10), nullable=False),
        Column("outcome", String(10), nullable=False),
        Column("reason", Text, nullable=False),
        Column("actor", String(200), nullable=False),
        Column("at", UtcDateTime, nullable=False),
    )
    return decision, subject, override
