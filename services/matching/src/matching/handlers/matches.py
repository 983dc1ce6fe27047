"""Matches: opened for every application that passed document review (001 §5 기획지원:
"서면평가 통과과제를 대상으로 기획기관 매칭(필수)"), closed when it leaves the running,
kept as rows of proposals; formed consortia announced (``matching.consortium-formed.v1``).

A consortium named at submission is validated, not re-matched: each named planner or
supplier found in its pool stands as accepted; one that is not is recorded as a finding
and its role is matched like any other.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID, uuid4

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from matching.domain.consent import Match, Proposal
from matching.domain.pools import Need, ksic_division
from matching.handlers.context import Matching
from matching.handlers.pools import IN_POOL
from matching.models import replicas, tables
from sfms_shared.contracts.applications import ApplicationSnapshot
from sfms_shared.contracts.events import ConsortiumFormedV1, ProposalMadeV1
from sfms_shared.contracts.scores import (
    ConsortiumParty,
    FormedConsortium,
    ProposalMade,
    StageResult,
)
from sfms_shared.messaging.tables import insert_if_absent

PASSED_DOCUMENT_REVIEW = "shortlisted"


async def on_document_review(
    ctx: Matching, session: AsyncSession, result: StageResult, causation: str
) -> None:
    """Open a match for each shortlisted application; close those no longer in the running
    (disqualified and removed from the ranking)."""
    for entry in result.entries:
        if entry.outcome == PASSED_DOCUMENT_REVIEW:
            await open_match(ctx, session, entry.application_id, causation)
    for application_id in result.removed:
        await close(ctx, session, application_id)


async def open_match(
    ctx: Matching, session: AsyncSession, application_id: UUID, causation: str
) -> None:
    application = await replicas.application(session, application_id)
    if application is None or application["status"] == "withdrawn":
        return
    snapshot = ApplicationSnapshot.model_validate(application["snapshot"])
    call = await ctx.call(session, snapshot.call_id, snapshot.call_version)
    if call is None or call.terms.matching is None:
        return
    now = ctx.clock.now()
    row = {
        "application_id": application_id,
        "call_id": snapshot.call_id,
        "call_version": snapshot.call_version,
        "applicant_brn": snapshot.applicant.brn,
        "applicant_name": snapshot.applicant.name,
        "region": snapshot.applicant.region,
        "industry": ksic_division(snapshot.applicant.ksic_code),
        "technologies": list(call.terms.matching.required_technologies.items),
        "status": "open",
        "opened_at": now,
        "formed_at": None,
        "left_at": None,
        "findings": [],
        "revision": 1,
    }
    if not await insert_if_absent(session, tables.match, row):
        return  # opened before (a redelivery, or a later sequence of the ranking)
    match = Match(str(application_id), snapshot.applicant.brn)
    findings = []
    for member in snapshot.consortium:
        if member.role not in ("planner", "supplier"):
            continue
        pooled = await _pooled(session, member.role, snapshot.call_id, member.brn)
        if pooled is None:
            findings.append(
                {
                    "role": member.role,
                    "brn": member.brn,
                    "name": member.name,
                    "message_ko": f"신청 시 구성한 {member.name}({member.brn})이(가) Pool에 없어 다시 매칭합니다",
                    "message_en": f"{member.name} ({member.brn}), named at submission, is not in the pool: the role is matched again",
                }
            )
            continue
        match = match.named(
            member.role, (str(pooled["id"]), member.brn, member.name), pid=str(uuid4()), now=now
        )
    if match.changed:
        await save(ctx, session, match, row, causation)
    if findings:
        await session.execute(
            update(tables.match)
            .where(tables.match.c.application_id == application_id)
            .values(findings=findings)
        )


async def close(ctx: Matching, session: AsyncSession, application_id: UUID) -> None:
    """The application left the running: its open proposals lapse, slots are freed."""
    now = ctx.clock.now()
    closed = await session.execute(
        update(tables.match)
        .where(tables.match.c.application_id == application_id, tables.match.c.status != "left")
        .values(status="left", left_at=now)
    )
    if closed.rowcount:
        await session.execute(
            update(tables.proposal)
            .where(
                tables.proposal.c.application_id == application_id,
                tables.proposal.c.state.in_(("proposed", "accepted")),
            )
            .values(state="withdrawn", answered_at=now)
        )


async def load(session: AsyncSession, application_id: UUID) -> tuple[dict[str, Any], Match] | None:
    row = (
        await session.execute(
            select(tables.match)
            .where(tables.match.c.application_id == application_id)
            .with_for_update()
        )
    ).first()
    if row is None:
        return None
    rows = (
        await session.execute(
            select(tables.proposal)
            .where(tables.proposal.c.application_id == application_id)
            .order_by(tables.proposal.c.proposed_at, tables.proposal.c.id)
        )
    ).all()
    proposals = tuple(
        Proposal(
            id=str(p.id),
            role=p.role,
            member_id=str(p.member_id),
            member_brn=p.member_brn,
            member_name=p.member_name,
            state=p.state,
            proposed_by=p.proposed_by,
            proposed_at=p.proposed_at,
            expires_at=p.expires_at,
            answered_at=p.answered_at,
            reason=p.reason,
        )
        for p in rows
        if p.state != "withdrawn"
    )
    match = Match(str(row.application_id), row.applicant_brn, proposals, row.formed_at)
    return dict(row._mapping), match


async def save(
    ctx: Matching, session: AsyncSession, match: Match, row: dict[str, Any], causation: str | None
) -> dict[str, Any]:
    """Store the proposals the last step touched and the match's state; announce the
    consortium the step formed (one transaction with the state)."""
    table = tables.proposal
    for proposal in match.changed:
        values = {
            "state": proposal.state,
            "answered_at": proposal.answered_at,
            "reason": proposal.reason,
        }
        updated = await session.execute(
            update(table).where(table.c.id == UUID(proposal.id)).values(**values)
        )
        if not updated.rowcount:
            await session.execute(
                table.insert().values(
                    id=UUID(proposal.id),
                    application_id=UUID(match.application_id),
                    role=proposal.role,
                    member_id=UUID(proposal.member_id),
                    member_brn=proposal.member_brn,
                    member_name=proposal.member_name,
                    proposed_by=proposal.proposed_by,
                    proposed_at=proposal.proposed_at,
                    expires_at=proposal.expires_at,
                    **values,
                )
            )
            await ctx.outbox.record(
                session,
                ProposalMadeV1(proposal=_made(proposal, match, row["call_id"])),
                occurred_at=proposal.proposed_at,
                correlation_id=ctx.correlation(),
                causation_id=causation,
            )
    formed_now = match.formed_at is not None and row["formed_at"] is None
    values = {"revision": row["revision"] + 1}
    if formed_now:
        values |= {"status": "formed", "formed_at": match.formed_at}
    await session.execute(
        update(tables.match)
        .where(tables.match.c.application_id == UUID(match.application_id))
        .values(**values)
    )
    if formed_now:
        await ctx.outbox.record(
            session,
            ConsortiumFormedV1(consortium=formed(match, row["call_id"])),
            occurred_at=match.formed_at,
            correlation_id=ctx.correlation(),
            causation_id=causation,
        )
    return row | values


def _made(proposal: Proposal, match: Match, call_id: str) -> ProposalMade:
    return ProposalMade(
        proposal_id=UUID(proposal.id),
        application_id=UUID(match.application_id),
        call_id=call_id,
        role=proposal.role,
        member=ConsortiumParty(
            member_id=UUID(proposal.member_id), brn=proposal.member_brn, name=proposal.member_name
        ),
        proposed_by=proposal.proposed_by,
        proposed_at=proposal.proposed_at,
        expires_at=proposal.expires_at,
    )


def formed(match: Match, call_id: str) -> FormedConsortium:
    def party(p: Proposal) -> ConsortiumParty:
        return ConsortiumParty(member_id=UUID(p.member_id), brn=p.member_brn, name=p.member_name)

    planner = match.planner
    assert planner is not None and match.formed_at is not None
    return FormedConsortium(
        application_id=UUID(match.application_id),
        call_id=call_id,
        planner=party(planner),
        suppliers=tuple(party(s) for s in match.suppliers),
        formed_at=match.formed_at,
    )


def need(row: dict[str, Any], match: Match, excluded: frozenset[str] = frozenset()) -> Need:
    return Need(
        application_id=str(row["application_id"]),
        region=row["region"],
        industry=row["industry"],
        technologies=frozenset(row["technologies"]),
        parties=match.parties(),
        excluded=match.refused() | excluded,
    )


async def _pooled(
    session: AsyncSession, role: str, call_id: str, brn: str
) -> dict[str, Any] | None:
    table = tables.member
    query = select(table).where(
        table.c.pool == role, table.c.brn == brn, table.c.status.in_(IN_POOL[role])
    )
    if role == "planner":
        query = query.where(table.c.call_id == call_id)
    row = (await session.execute(query)).first()
    return dict(row._mapping) if row else None


async def status(session: AsyncSession, application_id: UUID) -> dict[str, Any] | None:
    """What the gateway's status view shows: the match's state and who has accepted."""
    found = await load(session, application_id)
    if found is None:
        return {"state": "not-in-matching"}
    row, match = found
    planner = match.planner
    return {
        "state": "left" if row["status"] == "left" else match.state,
        "planner": planner.member_name if planner else None,
        "suppliers": [s.member_name for s in match.suppliers],
        "formed_at": match.formed_at,
    }
