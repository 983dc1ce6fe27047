"""Scoring's own tables: who is evaluated at which stage, evaluators and their panels,
score sheets, and the stage results (every ranking kept, by sequence)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Column, Index, Integer, MetaData, String, Table, Text, Uuid

from sfms_shared.db import JsonDocument, UtcDateTime


@dataclass(frozen=True)
class ScoringTables:
    evaluation: Table
    evaluator: Table
    panel: Table
    sheet: Table
    stage_result: Table
    verdict: Table


def scoring_tables(metadata: MetaData) -> ScoringTables:
    # One row per application and stage it entered. ``status``: open, or left (disqualified,
    # withdrawn); ``quantitative`` is the document-based 기업역량 score with its provenance.
    evaluation = Table(
        "evaluation",
        metadata,
        Column("application_id", Uuid, primary_key=True),
        Column("stage", String(30), primary_key=True),
        Column("call_id", String(100), nullable=False),
        Column("call_version", Integer, nullable=False),
        Column("submission_version", Integer, nullable=False),
        Column("company_name", String(200), nullable=False),
        Column("applicant_brn", String(10), nullable=False),
        Column("parties", JsonDocument, nullable=False),
        Column("status", String(20), nullable=False),
        Column("entered_at", UtcDateTime, nullable=False),
        Column("left_at", UtcDateTime, nullable=True),
        Column("left_reason", JsonDocument, nullable=True),
        Column("quantitative", JsonDocument, nullable=True),
        Column("bonus", JsonDocument, nullable=False),
        Column("components", JsonDocument, nullable=False),
        Column("panel_id", Uuid, nullable=True),
        Index("ix_evaluation_call_stage", "call_id", "stage"),
    )
    evaluator = Table(
        "evaluator",
        metadata,
        Column("id", Uuid, primary_key=True),
        Column("subject", String(200), nullable=False, unique=True),
        Column("name", String(100), nullable=False),
        Column("affiliation", String(200), nullable=False),
        Column("organisation_brn", String(10), nullable=True),
        Column("declarations", JsonDocument, nullable=False),
        Column("created_at", UtcDateTime, nullable=False),
    )
    panel = Table(
        "panel",
        metadata,
        Column("id", Uuid, primary_key=True),
        Column("call_id", String(100), nullable=False),
        Column("stage", String(30), nullable=False),
        Column("name", String(100), nullable=False),
        Column("evaluator_ids", JsonDocument, nullable=False),
        Column("created_at", UtcDateTime, nullable=False),
        Index("ix_panel_call_stage", "call_id", "stage"),
    )
    sheet = Table(
        "score_sheet",
        metadata,
        Column("application_id", Uuid, primary_key=True),
        Column("stage", String(30), primary_key=True),
        Column("evaluator_id", Uuid, primary_key=True),
        Column("state", String(20), nullable=False),
        Column("content", JsonDocument, nullable=False),
        Column("revision", Integer, nullable=False),
        Column("updated_at", UtcDateTime, nullable=False),
        Column("submitted_at", UtcDateTime, nullable=True),
        Column("reopenings", JsonDocument, nullable=False),
    )
    stage_result = Table(
        "stage_result",
        metadata,
        Column("call_id", String(100), primary_key=True),
        Column("stage", String(30), primary_key=True),
        Column("sequence", Integer, primary_key=True),
        Column("call_version", Integer, nullable=False),
        Column("why", String(20), nullable=False),
        Column("completed_at", UtcDateTime, nullable=False),
        Column("rows", JsonDocument, nullable=False),
        Column("note", Text, nullable=True),
    )
    # The latest requirement-review verdict per application: it may arrive before the
    # submission it is about, so entering evaluation waits for both.
    verdict = Table(
        "verdict",
        metadata,
        Column("application_id", Uuid, primary_key=True),
        Column("sequence", Integer, nullable=False),
        Column("submission_version", Integer, nullable=False),
        Column("verdict", String(20), nullable=False),
        Column("decided_at", UtcDateTime, nullable=False),
    )
    return ScoringTables(evaluation, evaluator, panel, sheet, stage_result, verdict)
