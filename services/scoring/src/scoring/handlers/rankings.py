"""Reading a stage's ranking, exporting it for the selection committee, and what the
gateway's status view shows of an application's evaluation."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from scoring.exports import STAGE_KO, ranking_table
from scoring.handlers.context import Scoring
from scoring.handlers.stages import latest_result
from scoring.models import tables
from sfms_shared.access import not_found, require_call_operator
from sfms_shared.exports import as_csv, as_xlsx
from sfms_shared.identity import Identity
from sfms_shared.problems import Problem

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


async def ranking(
    ctx: Scoring, who: Identity, call_id: str, stage: str, sequence: int | None
) -> dict[str, Any]:
    require_call_operator(who, call_id, "see this call's rankings", "이 공고의 순위를 볼")
    async with ctx.sessions() as session:
        result = await _result(session, call_id, stage, sequence)
    return _public(result)


async def export(
    ctx: Scoring, who: Identity, call_id: str, stage: str, format: str, sequence: int | None
) -> tuple[bytes, str, str]:
    require_call_operator(who, call_id, "export this call's rankings", "이 공고의 순위를 내려받을")
    async with ctx.sessions() as session:
        result = await _result(session, call_id, stage, sequence)
        call = await ctx.call(session, call_id, result["call_version"])
    rubric = call.terms.evaluation.rubric(stage) if call and call.terms.evaluation else None
    if rubric is None:
        raise _no_result()
    headers, lines = ranking_table(rubric, result["rows"])
    name = f"{call_id}-{stage}-{result['sequence']}"
    if format == "csv":
        return as_csv(headers, lines), "text/csv; charset=utf-8", f"{name}.csv"
    title = f"{STAGE_KO.get(stage, stage)} 순위"
    return as_xlsx(title, headers, lines), XLSX, f"{name}.xlsx"


async def status(session: AsyncSession, application_id: UUID) -> dict[str, Any] | None:
    """The stages the application is in, and its outcome where a stage is ranked."""
    table = tables.evaluation
    rows = (
        await session.execute(
            select(table.c.call_id, table.c.stage, table.c.status).where(
                table.c.application_id == application_id
            )
        )
    ).all()
    if not rows:
        return {"state": "not-in-evaluation"}
    stages: dict[str, Any] = {}
    for row in rows:
        result = await latest_result(session, row.call_id, row.stage)
        mine = next(
            (
                r
                for r in (result or {}).get("rows", ())
                if r["application_id"] == str(application_id)
            ),
            None,
        )
        stages[row.stage] = {
            "status": row.status,
            "outcome": mine["outcome"] if mine else None,
            "rank": mine["rank"] if mine else None,
        }
    return {"state": "in-evaluation", "stages": stages}


async def _result(
    session: AsyncSession, call_id: str, stage: str, sequence: int | None
) -> dict[str, Any]:
    if sequence is None:
        result = await latest_result(session, call_id, stage)
    else:
        table = tables.stage_result
        row = (
            await session.execute(
                select(table).where(
                    table.c.call_id == call_id, table.c.stage == stage, table.c.sequence == sequence
                )
            )
        ).first()
        result = dict(row._mapping) if row else None
    if result is None:
        raise _no_result()
    return result


def _public(result: dict[str, Any]) -> dict[str, Any]:
    return {
        "call_id": result["call_id"],
        "stage": result["stage"],
        "sequence": result["sequence"],
        "call_version": result["call_version"],
        "why": result["why"],
        "completed_at": result["completed_at"],
        "cut_note": result["note"],
        "rows": [{k: v for k, v in r.items() if k != "entry"} for r in result["rows"]],
    }


def _no_result() -> Problem:
    return not_found("stage", "The stage has no ranking yet", "이 단계의 순위가 아직 없습니다")
