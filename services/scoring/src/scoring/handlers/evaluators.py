"""The evaluator registry (평가위원), declared conflicts of interest, panels per stage,
and the assignment of a stage's applications to panels, balanced and conflict-free."""

from __future__ import annotations

from typing import Any
from uuid import UUID, uuid4

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from scoring.domain.panels import Declaration, Evaluator, Panel, Party, Subject, assign
from scoring.handlers.context import Scoring
from scoring.models import replicas, tables
from sfms_shared.access import not_found, require_call_operator, require_role
from sfms_shared.contracts.terms_scoring import Stage
from sfms_shared.identity import Identity
from sfms_shared.problems import Problem


async def register(
    ctx: Scoring, session: AsyncSession, who: Identity, data: dict[str, Any]
) -> dict[str, Any]:
    """Register an evaluator, in the caller's transaction."""
    require_role(who, ("operator",), "register evaluators", "평가위원을 등록할")
    row = {"id": uuid4(), "created_at": ctx.clock.now(), **data}
    try:
        await session.execute(tables.evaluator.insert().values(**row))
    except IntegrityError as error:
        raise Problem.for_field(
            409,
            "evaluator-exists",
            "subject",
            "An evaluator with this sign-in subject is already registered",
            "이 로그인 계정의 평가위원이 이미 등록되어 있습니다",
        ) from error
    await ctx.audit.record(session, "evaluator.register", "evaluator", row["id"], data)
    return row


async def listing(
    ctx: Scoring, who: Identity, limit: int, after: UUID | None
) -> list[dict[str, Any]]:
    require_role(who, ("operator",), "list evaluators", "평가위원 목록을 볼")
    query = select(tables.evaluator).order_by(tables.evaluator.c.id).limit(limit)
    if after:
        query = query.where(tables.evaluator.c.id > after)
    async with ctx.sessions() as session:
        return [dict(r._mapping) for r in (await session.execute(query)).all()]


async def one(ctx: Scoring, who: Identity, evaluator_id: UUID) -> dict[str, Any]:
    async with ctx.sessions() as session:
        row = await _evaluator_row(session, evaluator_id)
    if row is None or not (_is_self(who, row) or who.is_admin or "operator" in who.roles):
        raise _no_evaluator()
    return row


async def declare(
    ctx: Scoring, who: Identity, evaluator_id: UUID, declaration: dict[str, str]
) -> dict[str, Any]:
    """An evaluator declares a relationship (or an operator records one): from then on no
    application involving that BRN is assigned to a panel they sit on."""
    async with ctx.sessions() as session, session.begin():
        row = await _evaluator_row(session, evaluator_id)
        if row is None or not (_is_self(who, row) or who.is_admin or "operator" in who.roles):
            raise _no_evaluator()
        declarations = [*row["declarations"], declaration]
        await session.execute(
            update(tables.evaluator)
            .where(tables.evaluator.c.id == evaluator_id)
            .values(declarations=declarations)
        )
        await ctx.audit.record(
            session, "evaluator.declare", "evaluator", evaluator_id, {"declared": declaration}
        )
    return row | {"declarations": declarations}


async def create_panel(
    ctx: Scoring,
    session: AsyncSession,
    who: Identity,
    call_id: str,
    stage: Stage,
    name: str,
    evaluator_ids: list[UUID],
) -> dict[str, Any]:
    """Form a panel, in the caller's transaction."""
    require_call_operator(
        who, call_id, "form panels for this call", "이 공고의 평가위원회를 구성할"
    )
    known = await session.execute(
        select(replicas.calls.c.call_id).where(replicas.calls.c.call_id == call_id).limit(1)
    )
    if known.first() is None:
        raise not_found("call_id", "No such call", "해당 공고가 없습니다")
    found = (
        await session.execute(
            select(tables.evaluator.c.id).where(tables.evaluator.c.id.in_(evaluator_ids))
        )
    ).scalars()
    missing = set(evaluator_ids) - set(found)
    if missing:
        raise Problem.for_field(
            422,
            "unknown-evaluator",
            "evaluator_ids",
            f"Not registered evaluators: {', '.join(sorted(map(str, missing)))}",
            f"등록되지 않은 평가위원입니다: {', '.join(sorted(map(str, missing)))}",
        )
    row = {
        "id": uuid4(),
        "call_id": call_id,
        "stage": stage,
        "name": name,
        "evaluator_ids": [str(e) for e in evaluator_ids],
        "created_at": ctx.clock.now(),
    }
    await session.execute(tables.panel.insert().values(**row))
    await ctx.audit.record(
        session,
        "panel.create",
        "panel",
        row["id"],
        {"name": name, "stage": stage, "evaluator_ids": row["evaluator_ids"]},
        call_id=call_id,
    )
    return row


async def panels(
    ctx: Scoring, who: Identity, call_id: str, stage: Stage, limit: int, after: UUID | None
) -> list[dict[str, Any]]:
    require_call_operator(who, call_id, "see this call's panels", "이 공고의 평가위원회를 볼")
    table = tables.panel
    query = (
        select(table)
        .where(table.c.call_id == call_id, table.c.stage == stage)
        .order_by(table.c.id)
        .limit(limit)
    )
    if after:
        query = query.where(table.c.id > after)
    async with ctx.sessions() as session:
        rows = (await session.execute(query)).all()
    return [dict(r._mapping) for r in rows]


async def assign_stage(
    ctx: Scoring, who: Identity, call_id: str, stage: Stage, seed: int
) -> dict[str, Any]:
    """Assign every open application of the stage that no evaluator has submitted a sheet
    for yet. Conflicts are hard: an application no panel can take stays unassigned, with
    the conflicts that rule each panel out."""
    require_call_operator(
        who, call_id, "assign this call's applications", "이 공고의 평가를 배정할"
    )
    async with ctx.sessions() as session, session.begin():
        panel_rows = await panels_of(session, call_id, stage)
        if not panel_rows:
            raise Problem.for_field(
                409,
                "no-panels",
                "stage",
                "Form at least one panel for this stage first",
                "먼저 이 단계의 평가위원회를 구성하세요",
            )
        evaluators = await evaluators_by_id(session)
        domain_panels = [
            Panel(str(p["id"]), tuple(evaluators[e] for e in p["evaluator_ids"]))
            for p in panel_rows
        ]
        movable = await _movable_evaluations(session, call_id, stage)
        subjects = [_subject(row) for row in movable]
        result = assign(subjects, domain_panels, seed=seed)
        table = tables.evaluation
        for row in movable:
            placed = result.placements.get(str(row["application_id"]))
            await session.execute(
                update(table)
                .where(table.c.application_id == row["application_id"], table.c.stage == stage)
                .values(panel_id=UUID(placed) if placed else None)
            )
        summary = {
            "seed": seed,
            "assigned": len(result.placements),
            "loads": result.loads(),
            "unplaced": [
                {
                    "application_id": u.application_id,
                    "conflicts": [
                        {"evaluator_id": c.evaluator_id, "brn": c.brn, "kind": c.kind}
                        for c in u.conflicts
                    ],
                }
                for u in result.unplaced
            ],
        }
        await ctx.audit.record(
            session,
            "stage.assign",
            "stage",
            stage,  # with call_id: the call's stage
            {"seed": seed, "assigned": summary["assigned"], "unplaced": len(result.unplaced)},
            call_id=call_id,
        )
    return summary


async def panels_of(session: AsyncSession, call_id: str, stage: str) -> list[dict[str, Any]]:
    rows = (
        await session.execute(
            select(tables.panel).where(
                tables.panel.c.call_id == call_id, tables.panel.c.stage == stage
            )
        )
    ).all()
    return [dict(r._mapping) for r in rows]


async def evaluators_by_id(session: AsyncSession) -> dict[str, Evaluator]:
    rows = (await session.execute(select(tables.evaluator))).all()
    return {str(r.id): to_domain(r._mapping) for r in rows}


async def evaluator_for(session: AsyncSession, who: Identity) -> dict[str, Any] | None:
    """The registry entry of the signed-in evaluator, if any."""
    if "evaluator" not in who.roles:
        return None
    row = (
        await session.execute(
            select(tables.evaluator).where(tables.evaluator.c.subject == who.subject)
        )
    ).first()
    return dict(row._mapping) if row else None


def to_domain(row: Any) -> Evaluator:
    return Evaluator(
        id=str(row["id"]),
        name=row["name"],
        organisation_brn=row["organisation_brn"],
        declarations=tuple(Declaration(d["brn"], d["relation"]) for d in row["declarations"]),
    )


def _subject(row: dict[str, Any]) -> Subject:
    return Subject(
        str(row["application_id"]), tuple(Party(p["role"], p["brn"]) for p in row["parties"])
    )


async def _movable_evaluations(
    session: AsyncSession, call_id: str, stage: str
) -> list[dict[str, Any]]:
    table, sheet = tables.evaluation, tables.sheet
    scored = select(sheet.c.application_id).where(
        sheet.c.stage == stage, sheet.c.state == "submitted"
    )
    rows = (
        await session.execute(
            select(table)
            .where(
                table.c.call_id == call_id,
                table.c.stage == stage,
                table.c.status == "open",
                table.c.application_id.not_in(scored),
            )
            .order_by(table.c.application_id)
        )
    ).all()
    return [dict(r._mapping) for r in rows]


async def _evaluator_row(session: AsyncSession, evaluator_id: UUID) -> dict[str, Any] | None:
    row = (
        await session.execute(select(tables.evaluator).where(tables.evaluator.c.id == evaluator_id))
    ).first()
    return dict(row._mapping) if row else None


def _is_self(who: Identity, row: dict[str, Any]) -> bool:
    return "evaluator" in who.roles and row["subject"] == who.subject


def _no_evaluator() -> Problem:
    return not_found("evaluator_id", "No such evaluator", "해당 평가위원이 없습니다")
