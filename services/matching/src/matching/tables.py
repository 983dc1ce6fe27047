"""Matching's own tables: pool members, matches and their proposals, optimiser runs."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Boolean, Column, Index, Integer, MetaData, String, Table, Uuid, text

from sfms_shared.db import JsonDocument, UtcDateTime


@dataclass(frozen=True)
class MatchingTables:
    member: Table
    match: Table
    proposal: Table
    optimiser_run: Table


def matching_tables(metadata: MetaData) -> MatchingTables:
    # A planner is in a call's pool (recruited per call); a supplier in the one supplier
    # pool (call_id NULL). ``status``: supplier requested → registered; planner applied
    # (or requirements-failed) → selected / not-selected, or designated by default.
    member = Table(
        "pool_member",
        metadata,
        Column("id", Uuid, primary_key=True),
        Column("pool", String(10), nullable=False),
        Column("call_id", String(100), nullable=True),
        Column("brn", String(10), nullable=False),
        Column("name", String(200), nullable=False),
        Column("regions", JsonDocument, nullable=False),
        Column("industries", JsonDocument, nullable=False),
        Column("technologies", JsonDocument, nullable=False),
        Column("records", Integer, nullable=False),
        Column("full_time_staff", Integer, nullable=False),
        Column("subcontracts", Boolean, nullable=False),
        Column("status", String(30), nullable=False),
        Column("findings", JsonDocument, nullable=False),
        Column("evaluation", JsonDocument, nullable=True),
        Column("created_by", String(200), nullable=False),
        Column("created_at", UtcDateTime, nullable=False),
        Column("updated_at", UtcDateTime, nullable=False),
        Index("ix_pool_member_planner", "call_id", "brn", unique=True),  # NULLs apart
        Index(
            "ix_pool_member_supplier",
            "brn",
            unique=True,
            postgresql_where=text("pool = 'supplier'"),
            sqlite_where=text("pool = 'supplier'"),
        ),
    )
    # One per application that passed document review: who it needs, what it has.
    match = Table(
        "match",
        metadata,
        Column("application_id", Uuid, primary_key=True),
        Column("call_id", String(100), nullable=False),
        Column("call_version", Integer, nullable=False),
        Column("applicant_brn", String(10), nullable=False),
        Column("applicant_name", String(200), nullable=False),
        Column("region", String(20), nullable=False),
        Column("industry", String(2), nullable=False),
        Column("technologies", JsonDocument, nullable=False),
        Column("status", String(20), nullable=False),  # open, formed, left
        Column("opened_at", UtcDateTime, nullable=False),
        Column("formed_at", UtcDateTime, nullable=True),
        Column("left_at", UtcDateTime, nullable=True),
        Column("findings", JsonDocument, nullable=False),  # on the consortium named at submission
        Column("business_plan", JsonDocument, nullable=True),  # the latest version submitted
        Column("revision", Integer, nullable=False),
        Index("ix_match_call", "call_id", "status"),
    )
    proposal = Table(
        "proposal",
        metadata,
        Column("id", Uuid, primary_key=True),
        Column("application_id", Uuid, nullable=False),
        Column("role", String(10), nullable=False),
        Column("member_id", Uuid, nullable=False),
        Column("member_brn", String(10), nullable=False),
        Column("member_name", String(200), nullable=False),
        Column("state", String(10), nullable=False),
        Column("proposed_by", String(20), nullable=False),
        Column("proposed_at", UtcDateTime, nullable=False),
        Column("expires_at", UtcDateTime, nullable=True),
        Column("answered_at", UtcDateTime, nullable=True),
        Column("reason", String(1000), nullable=True),
        Index("ix_proposal_application", "application_id"),
        Index("ix_proposal_member_state", "member_id", "state"),
    )
    optimiser_run = Table(
        "optimiser_run",
        metadata,
        Column("id", Uuid, primary_key=True),
        Column("call_id", String(100), nullable=False),
        Column("role", String(10), nullable=False),
        Column("seed", Integer, nullable=False),
        Column("run_by", String(200), nullable=False),
        Column("run_at", UtcDateTime, nullable=False),
        Column("summary", JsonDocument, nullable=False),
    )
    return MatchingTables(member, match, proposal, optimiser_run)
