"""Use cases that decide: review a submission, review again when a registry changes, and
store each decision with the case it was made from and its event (one transaction).

A decision is never changed: a later one about the same application gets the next
sequence number and supersedes it, so the trace of what was decided when, and why, stays.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any
from uuid import UUID, uuid4

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from eligibility.domain.case import ReviewCase, judgment_instant
from eligibility.domain.outcomes import Decision, Override
from eligibility.domain.review import review
from eligibility.handlers.context import Eligibility
from eligibility.models import decisions, overrides, replicas, review_subjects
from eligibility.registries.store import facts_for
from sfms_shared.contracts.applications import ApplicationSnapshot
from sfms_shared.contracts.calls import CallDocument
from sfms_shared.contracts.decisions import ReviewDecision, Trigger
from sfms_shared.contracts.events import ApplicationReviewedV1
from sfms_shared.messaging.tables import insert_if_absent


async def rule_set(
    ctx: Eligibility, session: AsyncSession, call_id: str, version: int
) -> CallDocument | None:
    """The call version's document: its rules and their parameters."""
    return await ctx.calls.get(session, call_id, version)


async def review_submission(
    ctx: Eligibility, session: AsyncSession, snapshot: ApplicationSnapshot, causation: str
) -> ReviewDecision | None:
    """Review a submission with the registries as known now; None while the call version
    has not arrived (``review_waiting`` takes it up then)."""
    call = await rule_set(ctx, session, snapshot.call_id, snapshot.call_version)
    if call is None:
        return None
    now = ctx.clock.now()
    case = ReviewCase(
        application=snapshot,
        judged_as_of=judgment_instant(call, snapshot),
        known_at=now,
        facts=await facts_for(session, _brns(snapshot), now),
    )
    found = await _overrides(session, snapshot.application_id, snapshot.submission_version)
    return await _store(ctx, session, call, case, found, "submission", causation)


async def review_waiting(
    ctx: Eligibility, session: AsyncSession, call_id: str, version: int, causation: str
) -> int:
    """Review the submissions that arrived before their call version did."""
    table = replicas.applications
    latest = (
        select(decisions.c.application_id)
        .where(decisions.c.submission_version == table.c.submission_version)
        .where(decisions.c.application_id == table.c.application_id)
    )
    rows = (
        await session.execute(
            select(table.c.snapshot).where(
                table.c.call_id == call_id,
                table.c.call_version == version,
                table.c.status == "submitted",
                ~latest.exists(),
            )
        )
    ).all()
    for row in rows:
        await review_submission(
            ctx, session, ApplicationSnapshot.model_validate(row.snapshot), causation
        )
    return len(rows)


async def review_again(
    ctx: Eligibility, session: AsyncSession, brns: set[str], known_at: datetime, causation: str
) -> list[ReviewDecision]:
    """After a registry change about ``brns``: each live application involving one of them
    is reviewed again on the same case with the registries as known now, and a decision
    whose outcomes changed is stored and announced (a disqualification found later)."""
    involved = select(review_subjects.c.application_id).where(review_subjects.c.brn.in_(brns))
    live = select(replicas.applications.c.application_id).where(
        replicas.applications.c.status == "submitted"
    )
    ids = (
        await session.scalars(
            select(decisions.c.application_id)
            .where(decisions.c.application_id.in_(involved), decisions.c.application_id.in_(live))
            .distinct()
        )
    ).all()
    changed = []
    for application_id in ids:
        latest = await latest_decision(session, application_id)
        stored = ReviewCase.model_validate(latest.review_case)
        call = await rule_set(ctx, session, latest.call_id, latest.call_version)
        assert call is not None  # it was reviewed under it
        case = stored.model_copy(
            update={"known_at": known_at, "facts": await facts_for(session, stored.brns, known_at)}
        )
        found = await _overrides(session, application_id, latest.submission_version)
        if _same(review(call, case, found), latest.outcomes):
            continue
        changed.append(await _store(ctx, session, call, case, found, "registry-change", causation))
    return changed


async def review_with_override(
    ctx: Eligibility, session: AsyncSession, latest: Any, causation: str
) -> ReviewDecision:
    """The latest decision's case again, with every override of its submission."""
    call = await rule_set(ctx, session, latest.call_id, latest.call_version)
    assert call is not None
    case = ReviewCase.model_validate(latest.review_case)
    found = await _overrides(session, latest.application_id, latest.submission_version)
    return await _store(ctx, session, call, case, found, "override", causation)


async def latest_decision(session: AsyncSession, application_id: UUID) -> Any:
    return (
        await session.execute(
            select(decisions)
            .where(decisions.c.application_id == application_id)
            .order_by(decisions.c.sequence.desc())
            .limit(1)
        )
    ).first()


def replay(call: CallDocument, row: Any) -> Decision:
    """A stored decision made again from its stored case and overrides."""
    found = [_override_of(o) for o in row.overrides]
    return review(call, ReviewCase.model_validate(row.review_case), found)


def same_outcomes(decision: Decision, stored: list[dict[str, Any]]) -> bool:
    return _same(decision, stored)


def _same(decision: Decision, stored: list[dict[str, Any]]) -> bool:
    return _canonical(decision.outcomes_json()) == _canonical(stored)


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, default=str, ensure_ascii=False)


async def _overrides(
    session: AsyncSession, application_id: UUID, submission_version: int
) -> list[Override]:
    rows = (
        await session.execute(
            select(overrides)
            .where(
                overrides.c.application_id == application_id,
                overrides.c.submission_version == submission_version,
            )
            .order_by(overrides.c.id)
        )
    ).all()
    return [Override(r.rule_id, r.brn, r.outcome, r.reason, r.actor, r.at) for r in rows]


def _override_of(stored: dict[str, Any]) -> Override:
    at = datetime.fromisoformat(stored["at"])
    return Override(
        stored["rule_id"], stored["brn"], stored["outcome"], stored["reason"], stored["actor"], at
    )


async def _store(
    ctx: Eligibility,
    session: AsyncSession,
    call: CallDocument,
    case: ReviewCase,
    found: list[Override],
    trigger: Trigger,
    causation: str,
) -> ReviewDecision:
    decision = review(call, case, found)
    snapshot = case.application
    previous = await latest_decision(session, snapshot.application_id)
    record = ReviewDecision(
        decision_id=uuid4(),
        application_id=snapshot.application_id,
        sequence=previous.sequence + 1 if previous else 1,
        call_id=call.id,
        call_version=call.version,
        submission_version=snapshot.submission_version,
        applicant_brn=snapshot.applicant.brn,
        verdict=decision.verdict,
        trigger=trigger,
        judged_as_of=case.judged_as_of,
        known_at=case.known_at,
        decided_at=ctx.clock.now(),
        outcomes=decision.outcomes_json(),
        small_business=decision.small_business.as_json() if decision.small_business else None,
    )
    await session.execute(
        decisions.insert().values(
            **record.model_dump(exclude={"outcomes", "small_business"}),
            review_case=case.model_dump(mode="json"),
            outcomes=decision.outcomes_json(),
            overrides=[o.as_json() for o in found],
            small_business=decision.small_business.as_json() if decision.small_business else None,
        )
    )
    for role, brn in _roles(snapshot):
        await insert_if_absent(
            session,
            review_subjects,
            {"brn": brn, "application_id": snapshot.application_id, "role": role},
        )
    await ctx.outbox.record(
        session,
        ApplicationReviewedV1(decision=record),
        occurred_at=record.decided_at,
        correlation_id=ctx.correlation(),
        causation_id=causation,
    )
    return record


def _brns(snapshot: ApplicationSnapshot) -> list[str]:
    return [brn for _, brn in _roles(snapshot)]


def _roles(snapshot: ApplicationSnapshot) -> list[tuple[str, str]]:
    found = [("applicant", snapshot.applicant.brn)]
    found.extend((m.role, m.brn) for m in snapshot.consortium)
    return list(dict.fromkeys(found))
