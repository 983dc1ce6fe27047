"""Reading evaluations (the quantitative sheet with each figure's provenance, sheets'
progress, the result) and the operator's corrections before ranking: bonus items found
untrue on site (001 붙임2 현장 확인: 신청가점 사실여부) and scores the call names but
does not define (KAMP 일자리평가)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from scoring.handlers.context import Scoring
from scoring.handlers.evaluators import evaluator_for
from scoring.handlers.sheets import evaluation_row
from scoring.handlers.stages import latest_result
from scoring.models import tables
from sfms_shared.access import forbidden, not_found
from sfms_shared.identity import Identity
from sfms_shared.problems import Problem


async def listing(
    ctx: Scoring,
    who: Identity,
    call_id: str,
    stage: str,
    limit: int,
    after: UUID | None,
) -> list[dict[str, Any]]:
    table = tables.evaluation
    query = (
        select(table)
        .where(table.c.call_id == call_id, table.c.stage == stage)
        .order_by(table.c.application_id)
        .limit(limit)
    )
    if after:
        query = query.where(table.c.application_id > after)
    async with ctx.sessions() as session:
        if not who.operates(call_id):
            evaluator = await evaluator_for(session, who)
            if evaluator is None:
                raise forbidden("list evaluations", "평가 목록을 볼")
            query = query.where(
                table.c.status == "open",
                table.c.panel_id.in_(await _panels_with(session, call_id, stage, evaluator["id"])),
            )
        rows = (await session.execute(query)).all()
    return [_summary(dict(r._mapping)) for r in rows]


async def detail(ctx: Scoring, who: Identity, application_id: UUID, stage: str) -> dict[str, Any]:
    async with ctx.sessions() as session:
        row = await evaluation_row(session, application_id, stage)
        if row is None or not await _may_read(session, who, row):
            raise _no_evaluation()
        sheets = (
            await session.execute(
                select(tables.sheet).where(
                    tables.sheet.c.application_id == application_id, tables.sheet.c.stage == stage
                )
            )
        ).all()
        result = await latest_result(session, row["call_id"], stage)
    body = _summary(row) | {
        "parties": row["parties"],
        "quantitative": row["quantitative"],
        "bonus": row["bonus"],
        "components": row["components"],
        "left_reason": row["left_reason"],
    }
    if who.operates(row["call_id"]):
        body["sheets"] = [
            {"evaluator_id": str(s.evaluator_id), "state": s.state, "revision": s.revision}
            for s in sheets
        ]
    if result is not None:
        mine = next((r for r in result["rows"] if r["application_id"] == str(application_id)), None)
        body["result"] = {
            "sequence": result["sequence"],
            "completed_at": result["completed_at"],
            **(
                {
                    k: mine[k]
                    for k in (
                        "rank",
                        "items",
                        "total_without_bonus",
                        "bonus",
                        "final",
                        "outcome",
                        "tie_break",
                    )
                }
                if mine
                else {"outcome": None}
            ),
        }
    return body


async def set_bonus(
    ctx: Scoring, who: Identity, application_id: UUID, stage: str, revoked: list[dict[str, str]]
) -> dict[str, Any]:
    async with ctx.sessions() as session, session.begin():
        row = await _operated(session, who, application_id, stage)
        claimed = set(row["bonus"]["claimed"])
        unknown = sorted({r["item"] for r in revoked} - claimed)
        if unknown:
            raise Problem.for_field(
                422,
                "bonus-not-claimed",
                "revoked",
                f"Not claimed by the applicant: {', '.join(unknown)}",
                f"신청기업이 신청하지 않은 가점 항목입니다: {', '.join(unknown)}",
            )
        bonus = {"claimed": row["bonus"]["claimed"], "revoked": revoked}
        await _update(session, application_id, stage, bonus=bonus)
        await ctx.audit.record(
            session,
            "evaluation.bonus",
            "evaluation",
            f"{application_id}/{stage}",
            {"before": row["bonus"], "after": bonus},
            application_id=application_id,
            call_id=row["call_id"],
        )
    return _summary(row | {"bonus": bonus}) | {"bonus": bonus}


async def set_component(
    ctx: Scoring, who: Identity, application_id: UUID, stage: str, code: str, score: Decimal
) -> dict[str, Any]:
    async with ctx.sessions() as session, session.begin():
        row = await _operated(session, who, application_id, stage)
        call = await ctx.call(session, row["call_id"], row["call_version"])
        final = call.terms.evaluation.final_score if call and call.terms.evaluation else None
        settable = {c.code for c in final.components if c.rubric_stage is None} if final else set()
        if code not in settable:
            raise Problem.for_field(
                422,
                "component-not-settable",
                "code",
                f"The call's final score has no separately given component '{code}'",
                f"이 공고의 최종점수에는 별도로 입력하는 '{code}' 점수가 없습니다",
            )
        components = row["components"] | {code: str(score)}
        await _update(session, application_id, stage, components=components)
        await ctx.audit.record(
            session,
            "evaluation.component",
            "evaluation",
            f"{application_id}/{stage}",
            {"code": code, "before": row["components"].get(code), "after": str(score)},
            application_id=application_id,
            call_id=row["call_id"],
        )
    return _summary(row) | {"components": components}


async def _operated(
    session: AsyncSession, who: Identity, application_id: UUID, stage: str
) -> dict[str, Any]:
    row = await evaluation_row(session, application_id, stage)
    if row is None or not (who.operates(row["call_id"])):
        if row is not None and await _may_read(session, who, row):
            raise forbidden("change evaluations", "평가 내용을 변경할")
        raise _no_evaluation()
    if await latest_result(session, row["call_id"], stage) is not None:
        raise _completed()
    return row


async def _update(session: AsyncSession, application_id: UUID, stage: str, **values: Any) -> None:
    table = tables.evaluation
    await session.execute(
        update(table)
        .where(table.c.application_id == application_id, table.c.stage == stage)
        .values(**values)
    )


async def _may_read(session: AsyncSession, who: Identity, row: dict[str, Any]) -> bool:
    if who.operates(row["call_id"]):
        return True
    if who.member_of(row["applicant_brn"]) and "applicant" in who.roles:
        return True
    evaluator = await evaluator_for(session, who)
    if evaluator is None or row["panel_id"] is None or row["status"] != "open":
        return False
    panel = (
        await session.execute(select(tables.panel).where(tables.panel.c.id == row["panel_id"]))
    ).first()
    return panel is not None and str(evaluator["id"]) in panel.evaluator_ids


async def _panels_with(
    session: AsyncSession, call_id: str, stage: str, evaluator_id: Any
) -> list[UUID]:
    rows = (
        await session.execute(
            select(tables.panel.c.id, tables.panel.c.evaluator_ids).where(
                tables.panel.c.call_id == call_id, tables.panel.c.stage == stage
            )
        )
    ).all()
    return [r.id for r in rows if str(evaluator_id) in r.evaluator_ids]


def _summary(row: dict[str, Any]) -> dict[str, Any]:
    quantitative = row.get("quantitative")
    return {
        "application_id": str(row["application_id"]),
        "stage": row["stage"],
        "call_id": row["call_id"],
        "call_version": row["call_version"],
        "company_name": row["company_name"],
        "status": row["status"],
        "entered_at": row["entered_at"],
        "panel_id": str(row["panel_id"]) if row["panel_id"] else None,
        "needs_confirmation": bool(quantitative and quantitative["needs_confirmation"]),
    }


def _completed() -> Problem:
    return Problem.for_field(
        409,
        "stage-completed",
        "stage",
        "The stage is completed; its ranking is final",
        "마감된 단계입니다. 순위가 확정되었습니다",
    )


def _no_evaluation() -> Problem:
    return not_found("application_id", "No such evaluation", "해당 평가가 없습니다")


async def confirm_measure(
    ctx: Scoring,
    who: Identity,
    application_id: UUID,
    stage: str,
    code: str,
    points: int,
    reason: str,
) -> dict[str, Any]:
    """An evaluator on the application's panel (or an operator) confirms or corrects a
    quantitative measure marked for confirmation (a declared figure standing in for an
    unreadable statement, a growth from zero): the points used from then on, with the
    reason, kept beside what was computed."""
    async with ctx.sessions() as session, session.begin():
        row = await evaluation_row(session, application_id, stage)
        if row is None or not await _may_confirm(session, who, row):
            raise _no_evaluation()
        if await latest_result(session, row["call_id"], stage) is not None:
            raise _completed()
        sheet = row["quantitative"]
        measure = next((m for m in (sheet or {}).get("measures", ()) if m["code"] == code), None)
        if measure is None:
            raise not_found("code", "No such quantitative measure", "해당 정량 항목이 없습니다")
        if not 0 <= points <= measure["max_points"]:
            raise Problem.for_field(
                422,
                "points-out-of-range",
                "points",
                f"'{code}' takes 0 to {measure['max_points']} points",
                f"'{code}' 점수는 0~{measure['max_points']}점입니다",
            )
        measure["confirmed"] = {
            "points": points,
            "reason": reason,
            "by": who.subject,
            "at": ctx.clock.now().isoformat(),
        }
        measures = sheet["measures"]
        sheet["points"] = sum(m.get("confirmed", {}).get("points", m["points"]) for m in measures)
        sheet["needs_confirmation"] = any(
            m["needs_confirmation"] and "confirmed" not in m for m in measures
        )
        await _update(session, application_id, stage, quantitative=sheet)
        await ctx.audit.record(
            session,
            "evaluation.confirm-measure",
            "evaluation",
            f"{application_id}/{stage}",
            {"measure": code, "computed": measure["points"], "confirmed": points, "reason": reason},
            application_id=application_id,
            call_id=row["call_id"],
        )
    return _summary(row | {"quantitative": sheet}) | {"quantitative": sheet}


async def _may_confirm(session: AsyncSession, who: Identity, row: dict[str, Any]) -> bool:
    if who.operates(row["call_id"]):
        return True
    return "evaluator" in who.roles and await _may_read(session, who, row)
