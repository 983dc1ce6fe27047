"""What settlement hears of an application on its way to agreement: the consortium that
matching formed and the outcome of the final selection stage (현장평가 선정·후보; KAMP
선정평가). A later sequence of a stage (after a disqualification) replaces an earlier one."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from settlement.handlers.context import Settlement
from settlement.models import tables
from sfms_shared.contracts.scores import FormedConsortium, StageResult
from sfms_shared.messaging.tables import insert_if_absent

FINAL_STAGES = frozenset({"on-site-review", "selection-evaluation"})


async def on_consortium_formed(
    ctx: Settlement, session: AsyncSession, consortium: FormedConsortium
) -> None:
    stored = consortium.model_dump(mode="json")
    await _upsert(ctx, session, consortium.application_id, consortium.call_id, consortium=stored)


async def on_stage_completed(ctx: Settlement, session: AsyncSession, result: StageResult) -> None:
    if result.stage not in FINAL_STAGES:
        return
    outcomes = {e.application_id: e.outcome for e in result.entries}
    outcomes |= dict.fromkeys(result.removed, "removed")
    table = tables.project
    for application_id, outcome in outcomes.items():
        await _upsert(ctx, session, application_id, result.call_id)
        await session.execute(
            update(table)
            .where(
                table.c.application_id == application_id,
                table.c.outcome_sequence < result.sequence,
            )
            .values(outcome=outcome, outcome_sequence=result.sequence, updated_at=ctx.clock.now())
        )


async def _upsert(
    ctx: Settlement, session: AsyncSession, application_id: UUID, call_id: str, **values: Any
) -> None:
    now = ctx.clock.now()
    row = {
        "application_id": application_id,
        "call_id": call_id,
        "outcome": None,
        "outcome_sequence": 0,
        "consortium": None,
        "updated_at": now,
    }
    if not await insert_if_absent(session, tables.project, row | values) and values:
        await session.execute(
            update(tables.project)
            .where(tables.project.c.application_id == application_id)
            .values(**values, updated_at=now)
        )


async def project(session: AsyncSession, application_id: UUID) -> dict[str, Any] | None:
    row = (
        await session.execute(
            select(tables.project).where(tables.project.c.application_id == application_id)
        )
    ).first()
    return dict(row._mapping) if row else None
