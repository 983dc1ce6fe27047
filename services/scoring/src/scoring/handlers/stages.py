"""Completing a stage: every assigned evaluator has submitted, the panel's sheets are
aggregated, the applications ranked with the call's tie-break chain and cut-off, and
the result stored and announced (one transaction with its events).

A result is never changed: re-ranking after a disqualification stores the next
sequence, built from the previous one's entries without the application that left.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from scoring.domain.aggregation import EvaluatorScores, aggregate
from scoring.domain.panels import Party, Subject, conflicts
from scoring.domain.ranking import Entry, entered_cut, rank
from scoring.handlers.context import Scoring
from scoring.handlers.evaluators import evaluators_by_id, panels_of
from scoring.handlers.sheets import sheets_of
from scoring.handlers.stage_rows import (
    application_scores,
    entry_from_json,
    ranking_of,
    stage_result,
    stored_rows,
)
from scoring.models import tables
from sfms_shared.access import require_call_operator
from sfms_shared.contracts.calls import CallDocument
from sfms_shared.contracts.events import ApplicationScoredV1, EventPayload, StageCompletedV1
from sfms_shared.contracts.terms_scoring import Stage
from sfms_shared.identity import Identity
from sfms_shared.problems import Problem

MISSING_SHOWN = 50


async def complete(ctx: Scoring, who: Identity, call_id: str, stage: Stage) -> dict[str, Any]:
    require_call_operator(
        who, call_id, "complete this call's stages", "이 공고의 평가 단계를 마감할"
    )
    try:
        row = await _complete(ctx, call_id, stage)
    except IntegrityError as error:  # completed at the same moment by another request
        raise _already_completed() from error
    ctx.outbox.notify()
    return row


async def _complete(ctx: Scoring, call_id: str, stage: Stage) -> dict[str, Any]:
    async with ctx.sessions() as session, session.begin():
        if await latest_result(session, call_id, stage) is not None:
            raise _already_completed()
        evaluations = await _open_evaluations(session, call_id, stage)
        if not evaluations:
            raise Problem.for_field(
                409,
                "nothing-to-rank",
                "stage",
                "No application is in this stage",
                "이 단계에 평가 대상 신청이 없습니다",
            )
        call = await _call(ctx, session, call_id, max(e["call_version"] for e in evaluations))
        entries, details = await _entries(session, call, stage, evaluations)
        return await _record(ctx, session, call, stage, entries, details, "completed", ())


def _already_completed() -> Problem:
    return Problem.for_field(
        409,
        "stage-completed",
        "stage",
        "This stage is already completed; a disqualification re-ranks it by itself",
        "이미 마감된 단계입니다. 자격 상실 시 순위는 자동으로 다시 매겨집니다",
    )


async def rerank_after_leaving(
    ctx: Scoring,
    session: AsyncSession,
    call_id: str,
    stage: str,
    application_id: UUID,
    causation: str,
) -> None:
    """The application left a completed stage: rank the rest again (the next moves up)."""
    previous = await latest_result(session, call_id, stage)
    if previous is None:
        return
    kept = [r for r in previous["rows"] if r["application_id"] != str(application_id)]
    if len(kept) == len(previous["rows"]):
        return
    call = await _call(ctx, session, call_id, previous["call_version"])
    entries = [entry_from_json(r["entry"]) for r in kept]
    details = {r["application_id"]: r["detail"] for r in kept}
    await _record(
        ctx,
        session,
        call,
        stage,
        entries,
        details,
        "disqualification",
        (application_id,),
        causation,
    )


async def latest_result(session: AsyncSession, call_id: str, stage: str) -> dict[str, Any] | None:
    table = tables.stage_result
    row = (
        await session.execute(
            select(table)
            .where(table.c.call_id == call_id, table.c.stage == stage)
            .order_by(table.c.sequence.desc())
            .limit(1)
        )
    ).first()
    return dict(row._mapping) if row else None


async def _entries(
    session: AsyncSession, call: CallDocument, stage: Stage, evaluations: list[dict[str, Any]]
) -> tuple[list[Entry], dict[str, dict[str, Any]]]:
    evaluation_terms = call.terms.evaluation
    rubric = evaluation_terms.rubric(stage) if evaluation_terms else None
    if evaluation_terms is None or rubric is None or evaluation_terms.aggregation is None:
        raise Problem.for_field(
            409,
            "no-rubric",
            "stage",
            "The call has no rubric for this stage",
            "이 공고에는 이 단계의 평가 기준이 없습니다",
        )
    panels = {str(p["id"]): p for p in await panels_of(session, call.id, stage)}
    evaluators = await evaluators_by_id(session)
    sheets: dict[str, list[dict[str, Any]]] = {}
    for sheet in await sheets_of(session, call.id, stage):
        if sheet["state"] == "submitted":
            sheets.setdefault(str(sheet["application_id"]), []).append(sheet)
    missing: list[dict[str, Any]] = []
    entries, details = [], {}
    pass_fail = [c.code for c in rubric.checks if c.outcome == "pass-fail"]
    adds_bonus = _adds_bonus(call, stage)
    for evaluation in evaluations:
        application_id = str(evaluation["application_id"])
        expected = _expected_evaluators(evaluation, panels, evaluators)
        submitted = {str(s["evaluator_id"]): s for s in sheets.get(application_id, [])}
        if expected is None or not expected or set(expected) - set(submitted):
            missing.append(
                {
                    "application_id": application_id,
                    "panel_id": str(evaluation["panel_id"]) if evaluation["panel_id"] else None,
                    "awaiting": sorted(set(expected or ()) - set(submitted)),
                }
            )
            continue
        used = [submitted[e] for e in expected]
        scores = [
            EvaluatorScores(
                str(s["evaluator_id"]),
                {code: Decimal(v) for code, v in s["content"]["items"].items()},
            )
            for s in used
        ]
        quantitative = _quantitative_items(evaluation)
        result = aggregate(evaluation_terms.aggregation, scores, quantitative)
        failed = sorted(
            {c for s in used for c, answer in s["content"]["checks"].items() if answer == "fail"}
            & set(pass_fail)
        )
        entries.append(
            Entry(
                application_id=application_id,
                items=result.items,
                total=result.total,
                bonus=_bonus(call, evaluation) if adds_bonus else 0,
                checks_passed=not failed,
                components={k: Decimal(v) for k, v in evaluation["components"].items()},
            )
        )
        details[application_id] = {
            "company_name": evaluation["company_name"],
            "applicant_brn": evaluation["applicant_brn"],
            "evaluators": len(used),
            "kept": list(result.kept),
            "dropped": list(result.dropped),
            "outliers": list(result.outliers),
            "method": result.method_note,
            "failed_checks": failed,
        }
    if missing:
        raise Problem.for_field(
            409,
            "sheets-missing",
            "stage",
            f"{len(missing)} application(s) are not fully scored yet",
            f"아직 평가가 끝나지 않은 신청이 {len(missing)}건 있습니다",
            missing=missing[:MISSING_SHOWN],
        )
    return entries, details


async def _record(
    ctx: Scoring,
    session: AsyncSession,
    call: CallDocument,
    stage: Stage,
    entries: list[Entry],
    details: dict[str, dict[str, Any]],
    why: str,
    removed: tuple[UUID, ...],
    causation: str | None = None,
) -> dict[str, Any]:
    """Rank, store the next sequence, and announce it (with the scores on completion)."""
    evaluation = call.terms.evaluation
    target = call.target.value if call.target else None
    ranking = rank(evaluation, stage, entries, target=target)  # type: ignore[arg-type]
    shown = evaluation.aggregation.rounded  # type: ignore[union-attr]
    previous = await latest_result(session, call.id, stage)
    sequence = (previous["sequence"] + 1) if previous else 1
    now = ctx.clock.now()
    rows = stored_rows(ranking, entries, details, shown)
    moved_up = list(entered_cut(ranking_of(previous), ranking)) if previous else []
    await session.execute(
        tables.stage_result.insert().values(
            call_id=call.id,
            stage=stage,
            sequence=sequence,
            call_version=call.version,
            why=why,
            completed_at=now,
            rows=rows,
            note=ranking.cut_note,
        )
    )
    events: list[EventPayload] = []
    if why == "completed":
        scores = application_scores(call, stage, ranking, details, shown, now)
        events += [ApplicationScoredV1(score=score) for score in scores]
    result = stage_result(call, stage, ranking, sequence=sequence, why=why, removed=removed, at=now)
    events.append(StageCompletedV1(result=result))
    for event in events:
        await ctx.outbox.record(
            session,
            event,
            occurred_at=now,
            correlation_id=ctx.correlation(),
            causation_id=causation,
        )
    change = {"sequence": sequence, "why": why, "passing": ranking.passing, "moved_up": moved_up}
    await ctx.audit.record(
        session,
        "stage.rank",
        "stage",
        stage,  # with call_id: the call's stage
        change | {"removed": [str(r) for r in removed]},
        call_id=call.id,
    )
    return {
        "call_id": call.id,
        "stage": stage,
        "completed_at": now,
        "target": ranking.target,
        "cut_note": ranking.cut_note,
        "rows": rows,
        **change,
    }


def _expected_evaluators(
    evaluation: dict[str, Any], panels: dict[str, dict[str, Any]], evaluators: dict[str, Any]
) -> list[str] | None:
    """The panel's evaluators without a conflict with the application (None: no panel)."""
    panel = panels.get(str(evaluation["panel_id"])) if evaluation["panel_id"] else None
    if panel is None:
        return None
    subject = Subject(
        str(evaluation["application_id"]),
        tuple(Party(p["role"], p["brn"]) for p in evaluation["parties"]),
    )
    return [e for e in panel["evaluator_ids"] if not conflicts(evaluators[e], subject)]


def _quantitative_items(evaluation: dict[str, Any]) -> dict[str, Decimal]:
    score = evaluation["quantitative"]
    return {score["item_code"]: Decimal(score["points"])} if score else {}


def _adds_bonus(call: CallDocument, stage: str) -> bool:
    final = call.terms.evaluation.final_score if call.terms.evaluation else None
    return bool(
        final and final.add_bonus and any(c.rubric_stage == stage for c in final.components)
    )


def _bonus(call: CallDocument, evaluation: dict[str, Any]) -> int:
    terms = call.terms.bonus
    if terms is None:
        return 0
    revoked = {r["item"] for r in evaluation["bonus"]["revoked"]}
    granted = [c for c in evaluation["bonus"]["claimed"] if c not in revoked and terms.item(c)]
    return terms.total(granted)


async def _open_evaluations(
    session: AsyncSession, call_id: str, stage: str
) -> list[dict[str, Any]]:
    table = tables.evaluation
    rows = (
        await session.execute(
            select(table)
            .where(table.c.call_id == call_id, table.c.stage == stage, table.c.status == "open")
            .order_by(table.c.application_id)
        )
    ).all()
    return [dict(r._mapping) for r in rows]


async def _call(ctx: Scoring, session: AsyncSession, call_id: str, version: int) -> CallDocument:
    call = await ctx.call(session, call_id, version)
    if call is None:
        raise Problem.for_field(
            409,
            "call-unknown",
            "call_id",
            "This call version has not reached scoring",
            "이 공고 버전이 아직 평가 서비스에 도착하지 않았습니다",
        )
    return call
