"""Notices fed by events, and the deadline reminders.

- receipt: intake's own ``application-submitted`` (one per submission version);
- review-result: ``eligibility.application-reviewed.v1`` (one per decision);
- proposal: ``matching.proposal-made.v1`` (one per proposal, to the proposed member);
- selection-result: ``scoring.stage-completed.v1`` of the final stage (one per
  application and outcome, so an alternate moved up is told again);
- payment: ``settlement.planner-payment-recorded.v1`` (one per ledger entry);
- reminder-d3 / reminder-d1: a scan of the drafts of open calls, three days and one day
  before the deadline (one per draft and reminder).

Each notice is stored once under its kind and trigger (``dedupe_key``, unique); the
sender (``intake.mail``) delivers what is pending.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from intake.domain.notices import MILESTONES, OUTCOMES, ROLES, VERDICTS, Kind, render
from intake.handlers.context import Intake
from intake.models import application, call_version, notification, organisation, submission
from sfms_shared.clock import KST
from sfms_shared.contracts.events import (
    ApplicationReviewedV1,
    ApplicationSubmittedV1,
    PlannerPaymentRecordedV1,
    ProposalMadeV1,
    StageCompletedV1,
)
from sfms_shared.messaging.consumer import EventHandler
from sfms_shared.messaging.envelope import Envelope
from sfms_shared.messaging.tables import insert_if_absent
from sfms_shared.messaging.topics import (
    ELIGIBILITY_APPLICATION_REVIEWED_V1,
    INTAKE_APPLICATION_SUBMITTED_V1,
    MATCHING_PROPOSAL_MADE_V1,
    SCORING_STAGE_COMPLETED_V1,
    SETTLEMENT_PLANNER_PAYMENT_RECORDED_V1,
)

FINAL_STAGES = frozenset({"on-site-review", "selection-evaluation"})
REMINDERS: tuple[tuple[Kind, int], ...] = (("reminder-d1", 1), ("reminder-d3", 3))


async def notify(
    session: AsyncSession,
    now: datetime,
    kind: Kind,
    trigger: str,
    recipient: Any | None,
    values: dict[str, Any],
    application_id: UUID | None = None,
) -> bool:
    """Store a notice for ``recipient`` (an organisation row) unless this kind and trigger
    already have one; True when stored now."""
    contact = ((recipient.profile or {}).get("contact") if recipient else None) or {}
    locale = contact.get("locale", "ko")
    company = recipient.name if recipient else values.get("company", "")
    text = render(kind, locale, {"company": company, **values})
    return await insert_if_absent(
        session,
        notification,
        {
            "id": uuid4(),
            "dedupe_key": f"{kind}:{trigger}",
            "kind": kind,
            "organisation_id": recipient.id if recipient else None,
            "application_id": application_id,
            "recipient": contact.get("email"),
            "locale": locale,
            "subject": text.subject,
            "body": text.body,
            "status": "pending" if contact.get("email") else "no-address",
            "created_at": now,
            "sent_at": None,
        },
    )


def event_handlers(ctx: Intake) -> dict[str, EventHandler]:
    async def on_submitted(session: AsyncSession, envelope: Envelope) -> None:
        snapshot = ApplicationSubmittedV1.model_validate(envelope.payload).application
        await notify(
            session,
            ctx.clock.now(),
            "receipt",
            f"{snapshot.application_id}:{snapshot.submission_version}",
            await _organisation(session, id=snapshot.applicant.id),
            {
                "receipt_number": snapshot.receipt_number,
                "received_at": _kst(snapshot.received_at),
                "version": snapshot.submission_version,
                "call_title": await _call_title(session, snapshot.call_id),
            },
            snapshot.application_id,
        )

    async def on_reviewed(session: AsyncSession, envelope: Envelope) -> None:
        decision = ApplicationReviewedV1.model_validate(envelope.payload).decision
        failed = [o for o in decision.outcomes if o.outcome == "fail"]
        ko, en = VERDICTS.get(decision.verdict, (decision.verdict, decision.verdict))
        await notify(
            session,
            ctx.clock.now(),
            "review-result",
            str(decision.decision_id),
            await _applicant(session, decision.application_id),
            {
                "verdict_ko": ko,
                "verdict_en": en,
                "receipt_number": await _receipt(session, decision.application_id),
                "reasons_ko": "\n".join(f"- {o.reason.ko}" for o in failed),
                "reasons_en": "\n".join(f"- {o.reason.en}" for o in failed),
            },
            decision.application_id,
        )

    async def on_proposal(session: AsyncSession, envelope: Envelope) -> None:
        proposal = ProposalMadeV1.model_validate(envelope.payload).proposal
        role_ko, role_en = ROLES[proposal.role]
        until = proposal.expires_at
        await notify(
            session,
            ctx.clock.now(),
            "proposal",
            str(proposal.proposal_id),
            await _organisation(session, brn=proposal.member.brn),
            {
                "company": proposal.member.name,
                "role_ko": role_ko,
                "role_en": role_en,
                "call_title": await _call_title(session, proposal.call_id),
                "expires_ko": f"{_kst(until)}(KST)까지 " if until else "",
                "expires_en": f"Answer by {_kst(until)} (KST). " if until else "",
            },
            proposal.application_id,
        )

    async def on_stage_completed(session: AsyncSession, envelope: Envelope) -> None:
        result = StageCompletedV1.model_validate(envelope.payload).result
        if result.stage not in FINAL_STAGES:
            return
        for entry in result.entries:
            ko, en = OUTCOMES.get(entry.outcome, (entry.outcome, entry.outcome))
            await notify(
                session,
                ctx.clock.now(),
                "selection-result",
                f"{result.stage}:{entry.application_id}:{entry.outcome}",
                await _applicant(session, entry.application_id),
                {
                    "outcome_ko": ko,
                    "outcome_en": en,
                    "rank": entry.rank,
                    "receipt_number": await _receipt(session, entry.application_id),
                },
                entry.application_id,
            )

    async def on_payment(session: AsyncSession, envelope: Envelope) -> None:
        payment = PlannerPaymentRecordedV1.model_validate(envelope.payload).payment
        ko, en = MILESTONES.get(payment.milestone, (payment.milestone, payment.milestone))
        await notify(
            session,
            ctx.clock.now(),
            "payment",
            str(payment.entry_id),
            await _organisation(session, brn=payment.planner.brn),
            {
                "company": payment.planner.name,
                "amount": f"{payment.amount_krw:,}",
                "milestone_ko": ko,
                "milestone_en": en,
                "application_id": str(payment.application_id),
            },
            payment.application_id,
        )

    return {
        INTAKE_APPLICATION_SUBMITTED_V1: on_submitted,
        ELIGIBILITY_APPLICATION_REVIEWED_V1: on_reviewed,
        MATCHING_PROPOSAL_MADE_V1: on_proposal,
        SCORING_STAGE_COMPLETED_V1: on_stage_completed,
        SETTLEMENT_PLANNER_PAYMENT_RECORDED_V1: on_payment,
    }


async def remind(ctx: Intake) -> int:
    """Reminders for the drafts of every call that closes within three days: D-1 once
    the last day has begun, else D-3. Returns how many were stored now."""
    now = ctx.clock.now()
    stored = 0
    async with ctx.sessions() as session, session.begin():
        for call_id, document in await _published_calls(session):
            closes = ((document.get("schedule") or {}).get("application") or {}).get("closes_at")
            if not closes:
                continue
            deadline = datetime.fromisoformat(closes)
            due = next(
                (kind for kind, days in REMINDERS if deadline - timedelta(days=days) <= now),
                None,
            )
            if due is None or now >= deadline:
                continue
            drafts = (
                await session.execute(
                    select(application.c.id, application.c.applicant_id).where(
                        application.c.call_id == call_id, application.c.status == "draft"
                    )
                )
            ).all()
            title = _title(document)
            for draft in drafts:
                stored += await notify(
                    session,
                    now,
                    due,
                    str(draft.id),
                    await _organisation(session, id=draft.applicant_id),
                    {"call_title": title, "deadline": _kst(deadline)},
                    draft.id,
                )
    return stored


async def _published_calls(session: AsyncSession) -> list[tuple[str, dict[str, Any]]]:
    rows = (
        await session.execute(
            select(call_version.c.call_id, call_version.c.version, call_version.c.document)
            .where(call_version.c.status == "published")
            .order_by(call_version.c.call_id, call_version.c.version)
        )
    ).all()
    latest = {row.call_id: row.document for row in rows}  # the highest version wins
    return list(latest.items())


async def _organisation(
    session: AsyncSession, *, id: UUID | None = None, brn: str | None = None
) -> Any | None:
    column = organisation.c.id if id is not None else organisation.c.brn
    return (
        await session.execute(select(organisation).where(column == (id if id else brn)))
    ).first()


async def _applicant(session: AsyncSession, application_id: UUID) -> Any | None:
    applicant_id = await session.scalar(
        select(application.c.applicant_id).where(application.c.id == application_id)
    )
    return await _organisation(session, id=applicant_id) if applicant_id else None


async def _receipt(session: AsyncSession, application_id: UUID) -> str:
    number = await session.scalar(
        select(submission.c.receipt_number)
        .where(submission.c.application_id == application_id)
        .order_by(submission.c.version.desc())
        .limit(1)
    )
    return number or "-"


async def _call_title(session: AsyncSession, call_id: str) -> str:
    document = await session.scalar(
        select(call_version.c.document)
        .where(call_version.c.call_id == call_id, call_version.c.status == "published")
        .order_by(call_version.c.version.desc())
        .limit(1)
    )
    return _title(document) if document else call_id


def _title(document: dict[str, Any]) -> str:
    return (document.get("title") or {}).get("ko", "")


def _kst(instant: datetime) -> str:
    return instant.astimezone(KST).strftime("%Y-%m-%d %H:%M")
