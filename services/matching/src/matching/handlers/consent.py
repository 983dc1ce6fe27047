"""Reading a match, its explained recommendations, proposing and answering.

Who may do what: the applicant proposes its planner; the accepted planner proposes
suppliers; a proposed planner or supplier answers for itself; operators of the call may
read everything and propose either (their proposals still need the answer). A proposal
past its deadline is shown lapsed at once and stored as lapsed by the next write; it
holds no slot of its member from its deadline on.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID, uuid4

from sqlalchemy.ext.asyncio import AsyncSession

from matching.domain.consent import ConsentError, Match, Proposer, Role
from matching.domain.fit import HUNDREDTH, Recommendation, recommend
from matching.handlers.context import Matching
from matching.handlers.matches import load, need, save
from matching.handlers.pools import matching_terms, members
from sfms_shared.access import authentication_required, forbidden, not_found
from sfms_shared.identity import Identity
from sfms_shared.problems import Problem


async def read(ctx: Matching, who: Identity, application_id: UUID) -> dict[str, Any]:
    async with ctx.sessions() as session:
        row, match = await _visible(ctx, session, who, application_id)
    return out(row, match)


async def recommendations(
    ctx: Matching, who: Identity, application_id: UUID, role: Role, limit: int
) -> dict[str, Any]:
    """The best-fitting pool members for ``role``, each with why: planners for the
    applicant, suppliers for the accepted planner (and both for operators)."""
    async with ctx.sessions() as session:
        row, match = await _visible(ctx, session, who, application_id)
        _may_propose(who, row, match, role)
        call = await ctx.call(session, row["call_id"], row["call_version"])
        assert call is not None
        terms = matching_terms(call)
        pool = await members(session, call, role, now=ctx.clock.now())
    listed = recommend(terms, need(row, match), pool, limit)
    return {
        "application_id": str(application_id),
        "role": role,
        "weights": terms.fit.points(),
        "source": terms.fit.source.model_dump(),
        "items": [_recommendation(r) for r in listed],
    }


async def propose(
    ctx: Matching, who: Identity, application_id: UUID, role: Role, member_ids: list[UUID]
) -> dict[str, Any]:
    now = ctx.clock.now()
    async with ctx.sessions() as session, session.begin():
        row, match = await _visible(ctx, session, who, application_id)
        proposer = _may_propose(who, row, match, role)
        call = await ctx.call(session, row["call_id"], row["call_version"])
        assert call is not None
        terms = matching_terms(call)
        chosen_pool = await members(session, call, role, now=now, ids=member_ids, lock=True)
        pool = {m.id: m for m in chosen_pool}
        missing = [str(m) for m in member_ids if str(m) not in pool]
        if missing:
            raise Problem.for_field(
                422,
                "not-in-pool",
                "member_ids",
                f"Not in the {role} pool: {', '.join(missing)}",
                f"{'기획기관' if role == 'planner' else '공급기업'} Pool에 없는 기관입니다: "
                + ", ".join(missing),
            )
        full = [m.name for m in pool.values() if m.free < 1]
        if full:
            raise Problem.for_field(
                409,
                "no-capacity",
                "member_ids",
                f"At capacity: {', '.join(full)}",
                f"수행 가능 과제 수를 모두 채운 기관입니다: {', '.join(full)}",
            )
        chosen = [pool[str(m)] for m in member_ids]
        match = _step(
            lambda: match.propose(
                role,
                [(m.id, m.brn, m.name) for m in chosen],
                by=proposer,
                now=now,
                answer_days=terms.answer_days,
                ids=[str(uuid4()) for _ in chosen],
            )
        )
        row = await save(ctx, session, match, row, None)
        await ctx.audit.record(
            session,
            f"{role}.propose",
            "match",
            application_id,
            {"member_ids": [str(m) for m in member_ids], "by": proposer},
            application_id=application_id,
            call_id=row["call_id"],
        )
    return out(row, match)


async def answer(
    ctx: Matching,
    who: Identity,
    application_id: UUID,
    proposal_id: UUID,
    accept: bool,
    reason: str | None,
) -> dict[str, Any]:
    now = ctx.clock.now()
    async with ctx.sessions() as session, session.begin():
        found = await load(session, application_id)
        if found is None:
            raise _no_match()
        row, match = found
        match = match.lapse(now)
        proposal = next((p for p in match.proposals if p.id == str(proposal_id)), None)
        if proposal is None or not (
            who.member_of(proposal.member_brn) and proposal.role in who.roles
        ):
            if proposal is not None and who.operates(row["call_id"]):
                raise forbidden("answer for a planner or supplier", "기획기관·공급기업 대신 답할")
            raise not_found(
                "proposal_id", "No such proposal for you", "귀하에게 온 해당 제안이 없습니다"
            )
        if row["status"] == "left":
            raise _left()
        match = _step(lambda: match.answer(str(proposal_id), accept=accept, now=now, reason=reason))
        row = await save(ctx, session, match, row, None)
        await ctx.audit.record(
            session,
            f"{proposal.role}.{'accept' if accept else 'decline'}",
            "proposal",
            proposal_id,
            {"reason": reason},
            application_id=application_id,
            call_id=row["call_id"],
        )
    ctx.outbox.notify()
    return out(row, match)


def out(row: dict[str, Any], match: Match) -> dict[str, Any]:
    return {
        "application_id": str(row["application_id"]),
        "call_id": row["call_id"],
        "applicant_name": row["applicant_name"],
        "state": "left" if row["status"] == "left" else match.state,
        "technologies": row["technologies"],
        "opened_at": row["opened_at"],
        "formed_at": match.formed_at,
        "findings": row["findings"],
        "business_plan": row["business_plan"],
        "proposals": [
            {
                "id": p.id,
                "role": p.role,
                "member_id": p.member_id,
                "member_name": p.member_name,
                "state": p.state,
                "proposed_by": p.proposed_by,
                "proposed_at": p.proposed_at,
                "expires_at": p.expires_at,
                "answered_at": p.answered_at,
                "reason": p.reason,
            }
            for p in match.proposals
        ],
        "revision": row["revision"],
    }


async def _visible(
    ctx: Matching, session: AsyncSession, who: Identity, application_id: UUID
) -> tuple[dict[str, Any], Match]:
    """The match, if the caller may see it: operators of the call, the applicant, and the
    planners and suppliers proposed to it (shown lapsed proposals as lapsed)."""
    if not who.authenticated:
        raise authentication_required()
    found = await load(session, application_id)
    if found is None:
        raise _no_match()
    row, match = found
    involved = any(who.member_of(p.member_brn) for p in match.proposals)
    if not (who.operates(row["call_id"]) or who.member_of(row["applicant_brn"]) or involved):
        raise _no_match()
    return row, match.lapse(ctx.clock.now())


def _may_propose(who: Identity, row: dict[str, Any], match: Match, role: Role) -> Proposer:
    if row["status"] == "left":
        raise _left()
    if who.operates(row["call_id"]):
        return "operator"
    if role == "planner" and who.member_of(row["applicant_brn"]) and "applicant" in who.roles:
        return "applicant"
    planner = match.planner
    if role == "supplier" and planner and who.member_of(planner.member_brn):
        return "planner"
    raise forbidden(
        "propose a planner" if role == "planner" else "propose suppliers",
        "기획기관을 제안할" if role == "planner" else "공급기업을 제안할",
    )


def _recommendation(found: Recommendation) -> dict[str, Any]:
    return {
        "member_id": found.member_id,
        "name": found.name,
        "fit": str(found.shown),
        "factors": [
            {
                "code": f.code,
                "weight": f.weight,
                "share": str(f.share.quantize(HUNDREDTH)),
                "points": str(f.points.quantize(HUNDREDTH)),
                "reason_ko": f.reason_ko,
                "reason_en": f.reason_en,
            }
            for f in found.factors
        ],
    }


def _step(action: Any) -> Match:
    try:
        return action()
    except ConsentError as error:
        status = 422 if error.code in ("one-planner", "nobody-proposed") else 409
        raise Problem.for_field(
            status, error.code, error.field, error.message_en, error.message_ko
        ) from error


def _no_match() -> Problem:
    return not_found(
        "application_id", "No match for this application", "해당 과제의 매칭 정보가 없습니다"
    )


def _left() -> Problem:
    return Problem.for_field(
        409,
        "application-left",
        "application_id",
        "The application is no longer in the running",
        "선정 절차에서 제외된 과제입니다",
    )
