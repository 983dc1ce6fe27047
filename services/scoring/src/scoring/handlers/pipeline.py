"""Scoring's part of the live dashboard: per stage, the applications in evaluation (and
those that left), score sheets submitted, and the stage's latest result (how many pass
the cut, by outcome)."""

from __future__ import annotations

from collections import Counter
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from scoring.models import tables


async def call_counts(session: AsyncSession, call_id: str) -> dict[str, Any]:
    evaluation, sheet, result = tables.evaluation, tables.sheet, tables.stage_result
    stages: dict[str, dict[str, Any]] = {}
    for stage, status, count in (
        await session.execute(
            select(evaluation.c.stage, evaluation.c.status, func.count())
            .where(evaluation.c.call_id == call_id)
            .group_by(evaluation.c.stage, evaluation.c.status)
        )
    ).all():
        stages.setdefault(stage, {})[status] = count
    for stage, count in (
        await session.execute(
            select(sheet.c.stage, func.count())
            .join(
                evaluation,
                (evaluation.c.application_id == sheet.c.application_id)
                & (evaluation.c.stage == sheet.c.stage),
            )
            .where(evaluation.c.call_id == call_id, sheet.c.submitted_at.is_not(None))
            .group_by(sheet.c.stage)
        )
    ).all():
        stages.setdefault(stage, {})["sheets_submitted"] = count
    for row in (
        await session.execute(
            select(result.c.stage, result.c.sequence, result.c.rows)
            .where(result.c.call_id == call_id)
            .order_by(result.c.stage, result.c.sequence)
        )
    ).all():  # the last sequence of each stage wins
        outcomes = Counter(r["outcome"] for r in row.rows)
        stages.setdefault(row.stage, {})["result"] = {
            "sequence": row.sequence,
            "outcomes": dict(outcomes),
        }
    return {"stages": stages}
