"""Score sheets: an evaluator drafts and submits their sheet for an application assigned
to their panel; a submitted sheet is locked until an operator reopens it with a reason."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from scoring.domain import sheets as rules
from scoring.domain.panels import Party, Subject, conflicts
from scoring.handlers.context import Scoring
from scoring.handlers.evaluators import evaluator_for, to_domain
from scoring.models import tables
from sfms_shared.access import forbidden, not_found, require_call_operator
from sfms_shared.contracts.terms_scoring import Rubric
from sfms_shared.identity import Identity
from sfms_shared.problems import Problem

SHEET_RULES = rules.SheetRules()


async def mine(ctx: Scoring, who: Identity, application_id: UUID, stage: str) -> dict[str, Any]:
    async with ctx.sessions() as session:
        _, evaluator, _ = await _assigned(ctx, session, who, application_id, stage)
        row = await _sheet_row(session, application_id, stage, evaluator["id"])
    if row is None:
        raise not_found("sheet", "No sheet drafted yet", "아직 작성한 평가표가 없습니다")
    return _out(row)


async def save(
    ctx: Scoring, who: Identity, application_id: UUID, stage: str, data: dict[str, Any]
) -> dict[str, Any]:
    async with ctx.sessions() as session, session.begin():
        evaluation, evaluator, rubric = await _assigned(ctx, session, who, application_id, stage)
        row = await _sheet_row(session, application_id, stage, evaluator["id"], for_update=True)
        previous = rules.from_json(row["content"]) if row else None
        sheet = _checked(
            lambda: rules.draft(
                rubric,
                SHEET_RULES,
                application_id=str(application_id),
                stage=stage,
                evaluator_id=str(evaluator["id"]),
                items=data["items"],
                checks=data["checks"],
                comments=data["comments"],
                comment=data["comment"],
                previous=previous,
            )
        )
        stored = await _store(ctx, session, sheet, row)
        await ctx.audit.record(
            session,
            "sheet.save",
            "score_sheet",
            f"{application_id}/{stage}/{evaluator['id']}",
            {"revision": stored["revision"]},
            application_id=application_id,
            call_id=evaluation["call_id"],
        )
    return _out(stored)


async def submit(ctx: Scoring, who: Identity, application_id: UUID, stage: str) -> dict[str, Any]:
    async with ctx.sessions() as session, session.begin():
        evaluation, evaluator, rubric = await _assigned(ctx, session, who, application_id, stage)
        row = await _sheet_row(session, application_id, stage, evaluator["id"], for_update=True)
        if row is None:
            raise not_found("sheet", "No sheet drafted yet", "아직 작성한 평가표가 없습니다")
        sheet = _checked(lambda: rules.submit(rubric, SHEET_RULES, rules.from_json(row["content"])))
        stored = await _store(ctx, session, sheet, row, submitted=True)
        await ctx.audit.record(
            session,
            "sheet.submit",
            "score_sheet",
            f"{application_id}/{stage}/{evaluator['id']}",
            {"total": str(rules.total(sheet))},
            application_id=application_id,
            call_id=evaluation["call_id"],
        )
    return _out(stored)


async def reopen(
    ctx: Scoring,
    who: Identity,
    application_id: UUID,
    stage: str,
    evaluator_id: UUID,
    reason: str,
) -> dict[str, Any]:
    async with ctx.sessions() as session, session.begin():
        evaluation = await evaluation_row(session, application_id, stage)
        if evaluation is None:
            raise _no_evaluation()
        require_call_operator(who, evaluation["call_id"], "reopen score sheets", "평가표를 재개할")
        row = await _sheet_row(session, application_id, stage, evaluator_id, for_update=True)
        if row is None:
            raise not_found("evaluator_id", "No such sheet", "해당 평가표가 없습니다")
        sheet = _checked(
            lambda: rules.reopen(
                rules.from_json(row["content"]),
                reason=reason,
                actor=who.subject,
                at=ctx.clock.now(),
            )
        )
        stored = await _store(ctx, session, sheet, row)
        await ctx.audit.record(
            session,
            "sheet.reopen",
            "score_sheet",
            f"{application_id}/{stage}/{evaluator_id}",
            {"reason": reason},
            application_id=application_id,
            call_id=evaluation["call_id"],
        )
    return _out(stored)


async def sheets_of(session: AsyncSession, call_id: str, stage: str) -> list[dict[str, Any]]:
    table, evaluation = tables.sheet, tables.evaluation
    rows = (
        await session.execute(
            select(table)
            .join(
                evaluation,
                (evaluation.c.application_id == table.c.application_id)
                & (evaluation.c.stage == table.c.stage),
            )
            .where(evaluation.c.call_id == call_id, table.c.stage == stage)
        )
    ).all()
    return [dict(r._mapping) for r in rows]


async def evaluation_row(
    session: AsyncSession, application_id: UUID, stage: str
) -> dict[str, Any] | None:
    table = tables.evaluation
    row = (
        await session.execute(
            select(table).where(table.c.application_id == application_id, table.c.stage == stage)
        )
    ).first()
    return dict(row._mapping) if row else None


async def _assigned(
    ctx: Scoring, session: AsyncSession, who: Identity, application_id: UUID, stage: str
) -> tuple[dict[str, Any], dict[str, Any], Rubric]:
    """The evaluation, the caller as an evaluator on its panel, and the stage's rubric; an
    evaluator not on the panel (or in conflict with the application) does not see it."""
    evaluator = await evaluator_for(session, who)
    if evaluator is None:
        raise forbidden("score applications", "평가할")
    evaluation = await evaluation_row(session, application_id, stage)
    if evaluation is None or evaluation["status"] != "open" or evaluation["panel_id"] is None:
        raise _no_evaluation()
    panel = (
        await session.execute(
            select(tables.panel).where(tables.panel.c.id == evaluation["panel_id"])
        )
    ).first()
    if panel is None or str(evaluator["id"]) not in panel.evaluator_ids:
        raise _no_evaluation()
    subject = Subject(
        str(application_id), tuple(Party(p["role"], p["brn"]) for p in evaluation["parties"])
    )
    if conflicts(to_domain(evaluator), subject):
        raise _no_evaluation()
    call = await ctx.call(session, evaluation["call_id"], evaluation["call_version"])
    rubric = call.terms.evaluation.rubric(stage) if call and call.terms.evaluation else None
    if rubric is None:
        raise _no_evaluation()
    return evaluation, evaluator, rubric


async def _sheet_row(
    session: AsyncSession,
    application_id: UUID,
    stage: str,
    evaluator_id: Any,
    *,
    for_update: bool = False,
) -> dict[str, Any] | None:
    table = tables.sheet
    query = select(table).where(
        table.c.application_id == application_id,
        table.c.stage == stage,
        table.c.evaluator_id == evaluator_id,
    )
    if for_update:
        query = query.with_for_update()
    row = (await session.execute(query)).first()
    return dict(row._mapping) if row else None


async def _store(
    ctx: Scoring,
    session: AsyncSession,
    sheet: rules.ScoreSheet,
    row: dict[str, Any] | None,
    *,
    submitted: bool = False,
) -> dict[str, Any]:
    now = ctx.clock.now()
    content = rules.to_json(sheet)
    values = {
        "state": sheet.state,
        "content": content,
        "updated_at": now,
        "submitted_at": now if submitted else None,
        "reopenings": content.get("reopenings", []),
    }
    table = tables.sheet
    key = {
        "application_id": UUID(sheet.application_id),
        "stage": sheet.stage,
        "evaluator_id": UUID(sheet.evaluator_id),
    }
    if row is None:
        values |= key | {"revision": 1}
        await session.execute(table.insert().values(**values))
    else:
        values["revision"] = row["revision"] + 1
        await session.execute(
            table.update().where(*(table.c[k] == v for k, v in key.items())).values(**values)
        )
    return key | values


def _checked(action: Any) -> rules.ScoreSheet:
    try:
        return action()
    except rules.SheetError as error:
        status = 409 if error.code in ("sheet-locked", "sheet-not-submitted") else 422
        raise Problem.for_field(
            status, error.code, error.field, error.message_en, error.message_ko
        ) from error


def _out(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "application_id": str(row["application_id"]),
        "stage": row["stage"],
        "evaluator_id": str(row["evaluator_id"]),
        "state": row["state"],
        "revision": row["revision"],
        "updated_at": row["updated_at"].isoformat(),
        "submitted_at": row["submitted_at"].isoformat() if row["submitted_at"] else None,
        **{
            k: v
            for k, v in row["content"].items()
            if k in ("items", "checks", "comments", "comment")
        },
        "reopenings": row["reopenings"],
    }


def _no_evaluation() -> Problem:
    return not_found(
        "application_id",
        "No evaluation of this application at this stage for you",
        "이 단계에서 귀하에게 배정된 해당 신청의 평가가 없습니다",
    )
