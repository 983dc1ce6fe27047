"""Reading decisions and acting on them: the trace, operators' overrides, replay.

Who sees a decision: the applicant company that owns the application and the call's
operators (admins included). Consortium members and partner feeds do not: the reasons
name the applicant's standing (arrears, sanctions). Anyone else gets a 404, as if the
application did not exist.
"""

from __future__ import annotations

from typing import Any, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from eligibility.handlers.context import Eligibility
from eligibility.handlers.review import (
    latest_decision,
    replay,
    review_with_override,
    rule_set,
    same_outcomes,
)
from eligibility.models import decisions, overrides
from sfms_shared.access import forbidden
from sfms_shared.identity import Identity
from sfms_shared.pagination import Page, page_of
from sfms_shared.policy import calls_in_scope
from sfms_shared.problems import Problem

SUMMARY = (
    decisions.c.decision_id,
    decisions.c.sequence,
    decisions.c.verdict,
    decisions.c.trigger,
    decisions.c.submission_version,
    decisions.c.decided_at,
)


class OverrideRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    rule_id: str = Field(min_length=1, max_length=100)
    brn: str | None = Field(
        default=None, pattern=r"^\d{10}$", description="The organisation, when the rule has several"
    )
    outcome: Literal["pass", "fail"]
    reason: str = Field(min_length=5, max_length=2000, description="Why (mandatory, audited)")


def may_read(who: Identity, row: Any) -> bool:
    owner = "applicant" in who.roles and who.member_of(row.applicant_brn)
    return owner or who.operates(row.call_id)


def not_found(application_id: UUID) -> Problem:
    return Problem.for_field(
        404,
        "decision-not-found",
        "application_id",
        f"No requirement-review decision for application {application_id} that you may see",
        f"조회할 수 있는 신청({application_id})의 요건검토 결과가 없습니다",
    )


async def _readable(session: AsyncSession, who: Identity, application_id: UUID) -> Any:
    row = await latest_decision(session, application_id)
    if row is None or not may_read(who, row):
        raise not_found(application_id)
    return row


def _operable(who: Identity, row: Any, action_en: str, action_ko: str) -> None:
    if not who.operates(row.call_id):
        raise forbidden(action_en, action_ko)


def trace(row: Any, history: list[Any]) -> dict[str, Any]:
    return {
        "application_id": row.application_id,
        "decision_id": row.decision_id,
        "sequence": row.sequence,
        "verdict": row.verdict,
        "trigger": row.trigger,
        "rule_set": {"call_id": row.call_id, "call_version": row.call_version},
        "submission_version": row.submission_version,
        "judged_as_of": row.judged_as_of,
        "known_at": row.known_at,
        "decided_at": row.decided_at,
        "outcomes": row.outcomes,
        "overrides": row.overrides,
        "small_business": row.small_business,
        "history": [dict(h._mapping) for h in history],
    }


async def decision_trace(
    ctx: Eligibility, who: Identity, application_id: UUID, sequence: int | None = None
) -> dict[str, Any]:
    async with ctx.sessions() as session:
        latest = await _readable(session, who, application_id)
        history = (
            await session.execute(
                select(*SUMMARY)
                .where(decisions.c.application_id == application_id)
                .order_by(decisions.c.sequence)
            )
        ).all()
        row = latest if sequence is None else await _one(session, application_id, sequence)
    return trace(row, history)


async def _one(session: AsyncSession, application_id: UUID, sequence: int) -> Any:
    row = (
        await session.execute(
            select(decisions).where(
                decisions.c.application_id == application_id, decisions.c.sequence == sequence
            )
        )
    ).first()
    if row is None:
        raise not_found(application_id)
    return row


async def override_rule(
    ctx: Eligibility, who: Identity, application_id: UUID, request: OverrideRequest
) -> dict[str, Any]:
    async with ctx.sessions() as session, session.begin():
        latest = await _readable(session, who, application_id)
        _operable(who, latest, "override a requirement-review outcome", "요건검토 결과를 변경할")
        brn = _organisation(latest, request)
        now = ctx.clock.now()
        await session.execute(
            overrides.insert().values(
                application_id=application_id,
                submission_version=latest.submission_version,
                rule_id=request.rule_id,
                brn=brn,
                outcome=request.outcome,
                reason=request.reason,
                actor=who.subject,
                at=now,
            )
        )
        record = await review_with_override(ctx, session, latest, ctx.correlation())
        await ctx.audit.record(
            session,
            "override",
            "decision",
            record.decision_id,
            {
                "rule_id": request.rule_id,
                "brn": brn,
                "outcome": request.outcome,
                "reason": request.reason,
                "verdict": record.verdict,
            },
            application_id=application_id,
            call_id=latest.call_id,
            actor=who,
        )
    ctx.outbox.notify()
    return await decision_trace(ctx, who, application_id)


def _organisation(latest: Any, request: OverrideRequest) -> str:
    """The organisation the override is about: named, or the only one the rule judged."""
    judged = {o["brn"] for o in latest.outcomes if o["rule_id"] == request.rule_id}
    if not judged:
        raise Problem.for_field(
            422,
            "unknown-rule",
            "rule_id",
            f"The decision has no rule {request.rule_id}",
            f"요건검토 결과에 {request.rule_id} 규칙이 없습니다",
        )
    if request.brn is None and len(judged) == 1:
        return next(iter(judged))
    if request.brn not in judged:
        raise Problem.for_field(
            422,
            "organisation-not-judged",
            "brn",
            f"Name which organisation ({', '.join(sorted(judged))}) the override is about",
            f"변경할 기관의 사업자등록번호({', '.join(sorted(judged))})를 지정하세요",
        )
    return request.brn


async def replay_decision(
    ctx: Eligibility, who: Identity, application_id: UUID, sequence: int
) -> dict[str, Any]:
    async with ctx.sessions() as session:
        latest = await _readable(session, who, application_id)
        _operable(who, latest, "replay a decision", "결정을 재현할")
        stored = await _one(session, application_id, sequence)
        call = await rule_set(ctx, session, stored.call_id, stored.call_version)
    assert call is not None  # it was decided under it
    again = replay(call, stored)
    return {
        "application_id": application_id,
        "sequence": sequence,
        "rule_set": {"call_id": stored.call_id, "call_version": stored.call_version},
        "stored_verdict": stored.verdict,
        "replayed_verdict": again.verdict,
        "identical": again.verdict == stored.verdict and same_outcomes(again, stored.outcomes),
        "outcomes": again.outcomes_json(),
    }


async def list_decisions(
    ctx: Eligibility,
    who: Identity,
    call_id: str | None,
    verdict: str | None,
    limit: int,
    after: UUID | None,
) -> Page:
    if not (who.is_admin or "operator" in who.roles):
        raise forbidden("list requirement-review decisions", "요건검토 결과 목록을 조회할")
    query = (
        select(decisions.c.application_id, decisions.c.call_id, decisions.c.applicant_brn, *SUMMARY)
        .order_by(decisions.c.application_id)
        .limit(limit)
    )
    query = query.where(decisions.c.sequence == _latest_sequence())
    if call_id:
        query = query.where(decisions.c.call_id == call_id)
    if verdict:
        query = query.where(decisions.c.verdict == verdict)
    if (scope := calls_in_scope(who)) is not None:
        query = query.where(decisions.c.call_id.in_(sorted(scope)))
    if after:
        query = query.where(decisions.c.application_id > after)
    async with ctx.sessions() as session:
        rows = (await session.execute(query)).all()
    items = [dict(r._mapping) for r in rows]
    return page_of(items, limit, lambda item: str(item["application_id"]))


def _latest_sequence() -> Any:
    later = decisions.alias("later")
    return (
        select(later.c.sequence)
        .where(later.c.application_id == decisions.c.application_id)
        .order_by(later.c.sequence.desc())
        .limit(1)
        .scalar_subquery()
    )
