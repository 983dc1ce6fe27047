"""The pools: supplier registration and approval (공급기업 Pool 등록 신청-승인), planner
recruitment per call (기획기관 모집: requirement review, then the capability evaluation
in scoring; regional technoparks designated by default), and the published pool."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID, uuid4

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from matching.domain.pools import Member
from matching.domain.recruitment import PlannerProfile, review, window_open
from matching.handlers.context import Matching
from matching.models import tables
from sfms_shared.access import (
    authentication_required,
    forbidden,
    not_found,
    require_call_operator,
    require_role,
)
from sfms_shared.contracts.calls import CallDocument
from sfms_shared.contracts.events import PlannerAppliedV1
from sfms_shared.contracts.scores import PlannerApplication, StageResult
from sfms_shared.contracts.terms_matching import MatchingTerms
from sfms_shared.identity import Identity
from sfms_shared.problems import Problem

IN_POOL = {"planner": ("selected", "designated"), "supplier": ("registered",)}


async def register_supplier(
    ctx: Matching, session: AsyncSession, who: Identity, data: dict[str, Any]
) -> dict[str, Any]:
    """A supplier asks to join the pool; an operator approves it. In the caller's
    transaction."""
    if not who.authenticated:
        raise authentication_required()
    if "supplier" not in who.roles or who.organisation is None:
        raise forbidden("register a supplier", "공급기업으로 등록할")
    row = _new_member("supplier", None, who.organisation, "requested", who.subject, ctx, data)
    await _add_member(
        session, row, "supplier-registered", "이미 공급기업 Pool에 등록 신청한 기업입니다"
    )
    await ctx.audit.record(session, "supplier.register", "pool_member", row["id"], data)
    return _public(row)


async def approve_supplier(ctx: Matching, who: Identity, member_id: UUID) -> dict[str, Any]:
    require_role(who, ("operator",), "approve suppliers", "공급기업 등록을 승인할")
    async with ctx.sessions() as session, session.begin():
        row = await member_row(session, member_id)
        if row is None or row["pool"] != "supplier":
            raise _no_member()
        if row["status"] != "registered":
            row = await _set_status(ctx, session, row, "registered", "supplier.approve")
    return _public(row)


async def apply_planner(
    ctx: Matching, session: AsyncSession, who: Identity, call_id: str, data: dict[str, Any]
) -> dict[str, Any]:
    """A planner applies in the call's recruitment window; the call's planner rules are
    reviewed at once, and one that passes goes to the capability evaluation. In the
    caller's transaction."""
    if not who.authenticated:
        raise authentication_required()
    if "planner" not in who.roles or who.organisation is None:
        raise forbidden("apply as a planner", "기획기관으로 신청할")
    now = ctx.clock.now()
    call = await ctx.latest_call(session, call_id)
    if not window_open(call, now):
        raise Problem.for_field(
            409,
            "recruitment-closed",
            "call_id",
            "The call's planner recruitment is not open",
            "이 공고의 기획기관 모집 기간이 아닙니다",
        )
    profile = PlannerProfile(data["records"], data["full_time_staff"], data["subcontracts"])
    findings = [
        {
            "rule_id": f.rule_id,
            "passed": f.passed,
            "message_ko": f.message_ko,
            "message_en": f.message_en,
            "source": f.source.model_dump(),
        }
        for f in review(call, data["name"], profile)
    ]
    passed = all(f["passed"] for f in findings)
    status = "applied" if passed else "requirements-failed"
    row = _new_member("planner", call_id, who.organisation, status, who.subject, ctx, data)
    row["findings"] = findings
    await _add_member(session, row, "planner-applied", "이미 이 공고에 기획기관으로 신청했습니다")
    await ctx.audit.record(
        session,
        "planner.apply",
        "pool_member",
        row["id"],
        data | {"status": status},
        call_id=call_id,
    )
    if passed:
        await ctx.outbox.record(
            session,
            PlannerAppliedV1(
                planner=PlannerApplication(
                    application_id=row["id"],
                    call_id=call_id,
                    call_version=call.version,
                    brn=row["brn"],
                    name=row["name"],
                    applied_at=now,
                )
            ),
            occurred_at=now,
            correlation_id=ctx.correlation(),
        )
    return _public(row)


async def designate_planner(
    ctx: Matching, session: AsyncSession, who: Identity, call_id: str, data: dict[str, Any]
) -> dict[str, Any]:
    """An operator designates a planner by default (지역테크노파크 기본 지정, 001 §1). In
    the caller's transaction."""
    require_call_operator(who, call_id, "designate planners", "기획기관을 지정할")
    fields = {k: v for k, v in data.items() if k != "brn"}
    row = _new_member("planner", call_id, data["brn"], "designated", who.subject, ctx, fields)
    await ctx.latest_call(session, call_id)
    await _add_member(
        session, row, "planner-applied", "이미 이 공고의 기획기관으로 등록되어 있습니다"
    )
    await ctx.audit.record(
        session, "planner.designate", "pool_member", row["id"], data, call_id=call_id
    )
    return _public(row)


async def on_planner_evaluation(ctx: Matching, session: AsyncSession, result: StageResult) -> None:
    """The capability evaluation is ranked: planners that passed its cut are selected into
    the call's pool (선정), the rest are not. A later sequence (a planner disqualified)
    updates the same rows."""
    table = tables.member
    now = ctx.clock.now()
    for entry in result.entries:
        selected = entry.outcome in ("selected", "shortlisted", "supported")
        await session.execute(
            update(table)
            .where(
                table.c.id == entry.application_id,
                table.c.pool == "planner",
                table.c.status.in_(("applied", "selected", "not-selected")),
            )
            .values(
                status="selected" if selected else "not-selected",
                evaluation={
                    "rank": entry.rank,
                    "final": str(entry.final),
                    "outcome": entry.outcome,
                },
                updated_at=now,
            )
        )
    await session.execute(
        update(table)
        .where(table.c.id.in_(result.removed), table.c.pool == "planner")
        .values(status="not-selected", updated_at=now)
    )


async def listing(
    ctx: Matching,
    who: Identity,
    pool: str,
    call_id: str | None,
    limit: int,
    after: UUID | None,
) -> list[dict[str, Any]]:
    """The published pool (name, records, staff, what it offers: 001 §2 "기관명, 실적 및
    인력 등 공지"); operators also see requests and applications in review."""
    if not who.authenticated:
        raise authentication_required()
    table = tables.member
    query = select(table).where(table.c.pool == pool).order_by(table.c.id).limit(limit)
    if call_id is not None:
        query = query.where(table.c.call_id == call_id)
    if not (who.operates(call_id) if call_id else who.has_role("operator")):
        query = query.where(table.c.status.in_(IN_POOL[pool]))
    if after:
        query = query.where(table.c.id > after)
    async with ctx.sessions() as session:
        rows = (await session.execute(query)).all()
    return [_public(dict(r._mapping)) for r in rows]


async def one(ctx: Matching, who: Identity, member_id: UUID) -> dict[str, Any]:
    if not who.authenticated:
        raise authentication_required()
    async with ctx.sessions() as session:
        row = await member_row(session, member_id)
    if row is None:
        raise _no_member()
    visible = row["status"] in IN_POOL[row["pool"]] or who.member_of(row["brn"])
    if not (visible or who.operates(row["call_id"]) or who.has_role("operator")):
        raise _no_member()
    return _public(row)


async def members(
    session: AsyncSession,
    call: CallDocument,
    pool: str,
    *,
    now: datetime,
    ids: list[UUID] | None = None,
    lock: bool = False,
) -> list[Member]:
    """The pool's members as matching weighs them, with their load at ``now``: accepted
    proposals, and proposals awaiting an answer before their deadline. ``lock``: hold the
    members' rows until the transaction ends, so that proposals made at the same moment
    cannot both take a member's last slot."""
    terms = matching_terms(call)
    table, proposal = tables.member, tables.proposal
    query = select(table).where(table.c.pool == pool, table.c.status.in_(IN_POOL[pool]))
    if pool == "planner":
        query = query.where(table.c.call_id == call.id)
    if ids is not None:
        query = query.where(table.c.id.in_(ids))
    query = query.order_by(table.c.id)
    rows = (await session.execute(query.with_for_update() if lock else query)).all()
    match = tables.match
    loads = dict(
        (
            await session.execute(
                select(proposal.c.member_id, func.count())
                .join(match, match.c.application_id == proposal.c.application_id)
                .where(
                    proposal.c.role == pool,
                    match.c.status.in_(("open", "formed")),
                    (proposal.c.state == "accepted")
                    | ((proposal.c.state == "proposed") & (proposal.c.expires_at > now)),
                )
                .group_by(proposal.c.member_id)
            )
        ).all()
    )
    capacity = terms.planner_capacity if pool == "planner" else terms.supplier_capacity
    return [
        Member(
            id=str(r.id),
            brn=r.brn,
            name=r.name,
            regions=frozenset(r.regions),
            industries=frozenset(r.industries),
            technologies=frozenset(r.technologies),
            records=r.records,
            full_time_staff=r.full_time_staff,
            capacity=capacity.of(r.full_time_staff),
            load=loads.get(r.id, 0),
        )
        for r in rows
    ]


def matching_terms(call: CallDocument) -> MatchingTerms:
    if call.terms.matching is None:
        raise Problem.for_field(
            409,
            "no-matching",
            "call_id",
            "The call does not match applicants with planners and suppliers",
            "이 공고는 기획기관·공급기업 매칭 대상이 아닙니다",
        )
    return call.terms.matching


async def member_row(session: AsyncSession, member_id: UUID) -> dict[str, Any] | None:
    row = (
        await session.execute(select(tables.member).where(tables.member.c.id == member_id))
    ).first()
    return dict(row._mapping) if row else None


def _new_member(
    pool: str,
    call_id: str | None,
    brn: str,
    status: str,
    by: str,
    ctx: Matching,
    data: dict[str, Any],
) -> dict[str, Any]:
    now = ctx.clock.now()
    return {
        "id": uuid4(),
        "pool": pool,
        "call_id": call_id,
        "brn": brn,
        "name": data["name"],
        "regions": sorted(set(data["regions"])),
        "industries": sorted(set(data["industries"])),
        "technologies": sorted(set(data["technologies"])),
        "records": data["records"],
        "full_time_staff": data["full_time_staff"],
        "subcontracts": data.get("subcontracts", False),
        "status": status,
        "findings": [],
        "evaluation": None,
        "created_by": by,
        "created_at": now,
        "updated_at": now,
    }


async def _add_member(session: AsyncSession, row: dict[str, Any], code: str, ko: str) -> None:
    """Add a pool member: the organisation may be there already (one supplier registration
    per BRN, one planner application per BRN and call)."""
    try:
        await session.execute(tables.member.insert().values(**row))
    except IntegrityError as error:
        raise Problem.for_field(
            409, code, "brn", "This organisation is already there", ko
        ) from error


async def _set_status(
    ctx: Matching, session: AsyncSession, row: dict[str, Any], status: str, action: str
) -> dict[str, Any]:
    now = ctx.clock.now()
    await session.execute(
        update(tables.member)
        .where(tables.member.c.id == row["id"])
        .values(status=status, updated_at=now)
    )
    await ctx.audit.record(
        session, action, "pool_member", row["id"], {"before": row["status"], "after": status}
    )
    return row | {"status": status, "updated_at": now}


def _public(row: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in row.items() if k not in ("created_by",)}


def _no_member() -> Problem:
    return not_found("member_id", "No such pool member", "해당 Pool 기관이 없습니다")
