"""Who is evaluated at which stage.

An application enters its call's first stage when requirement review finds it eligible
(001: 서면평가; KAMP: 현장·선정평가), and the on-site review when matching has formed
its consortium after it was shortlisted (001 §5 선정절차: 서면평가 → 기획지원 → 현장평가).
A planner recruited by matching enters the planners' capability evaluation (기획기관평가).
A later verdict that is not eligible (a disqualification found after the fact), or a
withdrawal, makes it leave every stage; a completed ranking is then re-ranked.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from scoring.handlers.context import Scoring
from scoring.handlers.quantitative import quantitative_score
from scoring.handlers.stages import rerank_after_leaving
from scoring.models import replicas, tables
from sfms_shared.contracts.applications import ApplicationSnapshot
from sfms_shared.contracts.calls import CallDocument
from sfms_shared.contracts.decisions import ReviewDecision
from sfms_shared.contracts.scores import FormedConsortium, PlannerApplication
from sfms_shared.contracts.terms_scoring import Stage
from sfms_shared.messaging.tables import insert_if_absent


async def record_verdict(
    ctx: Scoring, session: AsyncSession, decision: ReviewDecision, causation: str
) -> None:
    table = tables.verdict
    values = {
        "sequence": decision.sequence,
        "submission_version": decision.submission_version,
        "verdict": decision.verdict,
        "decided_at": decision.decided_at,
    }
    if not await insert_if_absent(
        session, table, {"application_id": decision.application_id, **values}
    ):
        await session.execute(
            update(table)
            .where(
                table.c.application_id == decision.application_id,
                table.c.sequence < decision.sequence,
            )
            .values(**values)
        )
    await settle(ctx, session, decision.application_id, causation)


async def settle(ctx: Scoring, session: AsyncSession, application_id: UUID, causation: str) -> None:
    """Bring the application's stages in line with what is known of it now: whichever of
    the submission, its call version and its verdict arrived last calls this."""
    application = await replicas.application(session, application_id)
    verdict = (
        await session.execute(
            select(tables.verdict).where(tables.verdict.c.application_id == application_id)
        )
    ).first()
    if application is None or verdict is None:
        return
    if application["status"] == "withdrawn":
        await leave(ctx, session, application_id, "withdrawn", causation)
        return
    if verdict.submission_version != application["submission_version"]:
        return  # the verdict is about an earlier submission; the next one is coming
    if verdict.verdict != "eligible":
        if verdict.verdict == "ineligible":
            await leave(ctx, session, application_id, "ineligible", causation)
        return
    snapshot = ApplicationSnapshot.model_validate(application["snapshot"])
    call = await ctx.call(session, snapshot.call_id, snapshot.call_version)
    if call is None:
        return
    stages = opening_stages(call)
    for stage in stages:
        await enter(ctx, session, call, snapshot, stage)


def opening_stages(call: CallDocument) -> tuple[Stage, ...]:
    """The document review where the call has one (001); otherwise the stage the final
    score comes from, which consortia submitted as such enter at once (KAMP 선정평가)."""
    evaluation = call.terms.evaluation
    if evaluation is None:
        return ()
    if evaluation.rubric("document-review"):
        return ("document-review",)
    final = evaluation.final_score
    return tuple(c.rubric_stage for c in final.components if c.rubric_stage) if final else ()


async def enter(
    ctx: Scoring,
    session: AsyncSession,
    call: CallDocument,
    snapshot: ApplicationSnapshot,
    stage: Stage,
    consortium: FormedConsortium | None = None,
) -> bool:
    rubric = call.terms.evaluation.rubric(stage) if call.terms.evaluation else None
    if rubric is None:
        return False
    quantitative = next((i for i in rubric.items if i.scored_by == "quantitative"), None)
    values: dict[str, Any] = {
        "application_id": snapshot.application_id,
        "stage": stage,
        "call_id": snapshot.call_id,
        "call_version": snapshot.call_version,
        "submission_version": snapshot.submission_version,
        "company_name": snapshot.applicant.name,
        "applicant_brn": snapshot.applicant.brn,
        "parties": _parties(snapshot, consortium),
        "status": "open",
        "entered_at": ctx.clock.now(),
        "quantitative": None,
        "bonus": {"claimed": [c.item for c in snapshot.bonus_claims], "revoked": []},
        "components": {},
        "panel_id": None,
    }
    if quantitative is not None:
        values["quantitative"] = await quantitative_score(ctx, snapshot, quantitative)
    if await insert_if_absent(session, tables.evaluation, values):
        return True
    # A later submission version (resubmitted before the deadline) replaces what is
    # evaluated, as long as the evaluation has not started on the earlier one.
    table = tables.evaluation
    keep = ("application_id", "stage", "status", "entered_at", "panel_id", "components")
    replaced = await session.execute(
        update(table)
        .where(
            table.c.application_id == snapshot.application_id,
            table.c.stage == stage,
            table.c.status == "open",
            table.c.submission_version < snapshot.submission_version,
            table.c.application_id.not_in(
                select(tables.sheet.c.application_id).where(tables.sheet.c.stage == stage)
            ),
        )
        .values({k: v for k, v in values.items() if k not in keep})
    )
    return bool(replaced.rowcount)


async def enter_planner(ctx: Scoring, session: AsyncSession, planner: PlannerApplication) -> bool:
    """A planner that passed recruitment's requirement review enters the capability
    evaluation (001 붙임2 기획기관평가 30/40/30), scored by panels like an application."""
    call = await ctx.call(session, planner.call_id, planner.call_version)
    evaluation = call.terms.evaluation if call else None
    if evaluation is None or evaluation.rubric("planner-evaluation") is None:
        return False
    party = {"role": "planner", "brn": planner.brn, "name": planner.name}
    return await insert_if_absent(
        session,
        tables.evaluation,
        {
            "application_id": planner.application_id,
            "stage": "planner-evaluation",
            "call_id": planner.call_id,
            "call_version": planner.call_version,
            "submission_version": 1,
            "company_name": planner.name,
            "applicant_brn": planner.brn,
            "parties": [party],
            "status": "open",
            "entered_at": ctx.clock.now(),
            "quantitative": None,
            "bonus": {"claimed": [], "revoked": []},
            "components": {},
            "panel_id": None,
        },
    )


async def enter_on_site(ctx: Scoring, session: AsyncSession, consortium: FormedConsortium) -> bool:
    """The consortium is formed: the application enters on-site review if it was shortlisted
    at document review (or its call has none) and is still in the running."""
    application = await replicas.application(session, consortium.application_id)
    if application is None or application["status"] == "withdrawn":
        return False
    snapshot = ApplicationSnapshot.model_validate(application["snapshot"])
    call = await ctx.call(session, snapshot.call_id, snapshot.call_version)
    if call is None or call.terms.evaluation is None:
        return False
    if call.terms.evaluation.rubric("document-review") and not await _shortlisted(
        session, snapshot.call_id, snapshot.application_id
    ):
        return False
    return await enter(ctx, session, call, snapshot, "on-site-review", consortium)


async def leave(
    ctx: Scoring, session: AsyncSession, application_id: UUID, why: str, causation: str
) -> None:
    table = tables.evaluation
    now = ctx.clock.now()
    left = (
        await session.execute(
            update(table)
            .where(table.c.application_id == application_id, table.c.status == "open")
            .values(status="left", left_at=now, left_reason={"why": why, "at": now.isoformat()})
            .returning(table.c.call_id, table.c.stage)
        )
    ).all()
    for row in left:
        await rerank_after_leaving(ctx, session, row.call_id, row.stage, application_id, causation)


async def _shortlisted(session: AsyncSession, call_id: str, application_id: UUID) -> bool:
    result = tables.stage_result
    latest = (
        await session.execute(
            select(result.c.rows)
            .where(result.c.call_id == call_id, result.c.stage == "document-review")
            .order_by(result.c.sequence.desc())
            .limit(1)
        )
    ).first()
    if latest is None:
        return False
    return any(
        row["application_id"] == str(application_id) and row["outcome"] == "shortlisted"
        for row in latest.rows
    )


def _parties(
    snapshot: ApplicationSnapshot, consortium: FormedConsortium | None
) -> list[dict[str, str]]:
    parties = [
        {"role": "applicant", "brn": snapshot.applicant.brn, "name": snapshot.applicant.name}
    ]
    parties += [{"role": m.role, "brn": m.brn, "name": m.name} for m in snapshot.consortium]
    if consortium is not None:
        if consortium.planner is not None:
            parties.append(
                {"role": "planner", "brn": consortium.planner.brn, "name": consortium.planner.name}
            )
        parties += [
            {"role": "supplier", "brn": s.brn, "name": s.name} for s in consortium.suppliers
        ]
    unique: dict[tuple[str, str], dict[str, str]] = {(p["role"], p["brn"]): p for p in parties}
    return list(unique.values())
