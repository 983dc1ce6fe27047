"""Settlement's own tables: budget reviews, projects as they reach agreement, agreements,
the planners' payables ledger and settlements."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import BigInteger, Column, Date, Index, Integer, MetaData, String, Table, Uuid

from sfms_shared.db import JsonDocument, UtcDateTime


@dataclass(frozen=True)
class SettlementTables:
    budget_review: Table
    project: Table
    agreement: Table
    payable: Table
    settlement: Table


def settlement_tables(metadata: MetaData) -> SettlementTables:
    # The binding review of a submitted budget: the latest submission version wins.
    budget_review = Table(
        "budget_review",
        metadata,
        Column("application_id", Uuid, primary_key=True),
        Column("submission_version", Integer, nullable=False),
        Column("call_id", String(100), nullable=False),
        Column("call_version", Integer, nullable=False),
        Column("verdict", String(10), nullable=False),
        Column("review", JsonDocument, nullable=False),
        Column("reviewed_at", UtcDateTime, nullable=False),
    )
    # What settlement hears of an application on its way to agreement: the consortium
    # matching formed and the final outcome of the selection stage (선정·후보).
    project = Table(
        "project",
        metadata,
        Column("application_id", Uuid, primary_key=True),
        Column("call_id", String(100), nullable=False),
        Column("consortium", JsonDocument, nullable=True),
        Column("outcome", String(20), nullable=True),
        Column("outcome_sequence", Integer, nullable=False),
        Column("updated_at", UtcDateTime, nullable=False),
    )
    agreement = Table(
        "agreement",
        metadata,
        Column("id", Uuid, primary_key=True),
        Column("application_id", Uuid, nullable=False, unique=True),
        Column("call_id", String(100), nullable=False),
        Column("call_version", Integer, nullable=False),
        Column("status", String(10), nullable=False),  # draft, signed
        Column("starts_on", Date, nullable=False),
        Column("ends_on", Date, nullable=False),
        Column("applicant", JsonDocument, nullable=False),
        Column("consortium", JsonDocument, nullable=False),
        Column("requested", JsonDocument, nullable=False),  # the budget as submitted
        Column("lines", JsonDocument, nullable=False),  # as agreed, after the cost review
        Column("cuts", JsonDocument, nullable=False),
        Column("review", JsonDocument, nullable=False),
        Column("created_by", String(200), nullable=False),
        Column("created_at", UtcDateTime, nullable=False),
        Column("signed_by", String(200), nullable=True),
        Column("signed_at", UtcDateTime, nullable=True),
        Column("revision", Integer, nullable=False),
        Index("ix_agreement_call", "call_id"),
    )
    # Append-only. A payment carries ``payment_key`` (application and milestone: unique, so
    # a milestone pays once); a correction is a reversing entry naming what it reverses.
    payable = Table(
        "payable_entry",
        metadata,
        Column("id", Uuid, primary_key=True),
        Column("call_id", String(100), nullable=False),
        Column("application_id", Uuid, nullable=False),
        Column("planner_member_id", Uuid, nullable=False),
        Column("planner_brn", String(10), nullable=False),
        Column("planner_name", String(200), nullable=False),
        Column("milestone", String(40), nullable=False),
        Column("amount_krw", BigInteger, nullable=False),
        Column("payment_key", String(100), nullable=True, unique=True),
        Column("reverses", Uuid, nullable=True, unique=True),
        Column("reason", String(1000), nullable=True),
        Column("cause", String(100), nullable=False),  # the event or request that caused it
        Column("source", JsonDocument, nullable=False),
        Column("recorded_by", String(200), nullable=False),
        Column("recorded_at", UtcDateTime, nullable=False),
        Index("ix_payable_planner", "planner_brn", "recorded_at"),
        Index("ix_payable_call", "call_id", "recorded_at"),
    )
    settlement = Table(
        "settlement",
        metadata,
        Column("agreement_id", Uuid, primary_key=True),
        Column("application_id", Uuid, nullable=False),
        Column("call_id", String(100), nullable=False),
        Column("executed", JsonDocument, nullable=False),
        Column("result", JsonDocument, nullable=False),
        Column("settled_by", String(200), nullable=False),
        Column("settled_at", UtcDateTime, nullable=False),
        Column("revision", Integer, nullable=False),
    )
    return SettlementTables(budget_review, project, agreement, payable, settlement)
