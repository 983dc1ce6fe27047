"""Notices: every kind is stored once per trigger, however often its event arrives, and
delivered once to the mailbox folder, in the recipient's language (Korean, or English).

Triggers: a submission (접수 확인), the D-3 and D-1 reminders for unsubmitted drafts
(001 §3: only 제출완료 counts; the deadline 2026-06-16 17:00 KST), a requirement-review
decision, a proposal to a planner, the on-site review's result and a planner payment
(001 §2 기획기관 역할)."""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from email import message_from_bytes, policy
from pathlib import Path
from uuid import UUID, uuid4

from intake_api_support import VALID_BRNS, register, start_application
from sqlalchemy import select

from intake.config import Settings
from intake.handlers.notifications import event_handlers, remind
from intake.mail import Mailer
from intake.models import notification
from sfms_shared.clock import KST
from sfms_shared.contracts.agreements import PlannerPaymentRecorded
from sfms_shared.contracts.common import Source, Text
from sfms_shared.contracts.decisions import ReviewDecision, RuleOutcomeRecord
from sfms_shared.contracts.events import (
    ApplicationReviewedV1,
    ApplicationSubmittedV1,
    EventPayload,
    PlannerPaymentRecordedV1,
    ProposalMadeV1,
    StageCompletedV1,
)
from sfms_shared.contracts.scores import ConsortiumParty, ProposalMade, RankedEntry, StageResult
from sfms_shared.messaging.envelope import Envelope
from sfms_shared.testing.snapshots import AUTONOMOUS, application

NOW = datetime(2026, 6, 10, 10, 0, tzinfo=KST)
SOURCE = Source(file="001_39e04bdc262ce7ee.txt", section="§3 부적격 사항")


def contact(email: str, locale: str = "ko") -> dict[str, str]:
    return {"name": "담당자", "email": email, "phone": "02-1234-5678", "locale": locale}


async def deliver_twice(harness, payload: EventPayload) -> None:
    """The same event twice, and a copy under a new event id (a producer that sent it
    again): the inbox is not what keeps a notice single here, its trigger key is."""
    ctx = harness.app.state.intake
    handler = event_handlers(ctx)[payload.topic]
    body = payload.model_dump(mode="json")
    first = Envelope(
        event_type=payload.event_type,
        schema_version=payload.schema_version,
        occurred_at=NOW,
        producer="test",
        key=payload.aggregate_key(),
        correlation_id="test",
        payload=body,
    )
    for envelope in (first, first, first.model_copy(update={"event_id": uuid4()})):
        async with ctx.sessions() as session, session.begin():
            await handler(session, envelope)


def decision(application_id: UUID, brn: str) -> ReviewDecision:
    return ReviewDecision(
        decision_id=uuid4(),
        application_id=application_id,
        sequence=1,
        call_id=AUTONOMOUS,
        call_version=1,
        submission_version=1,
        applicant_brn=brn,
        verdict="ineligible",
        trigger="submission",
        judged_as_of=NOW,
        known_at=NOW,
        decided_at=NOW,
        outcomes=(
            RuleOutcomeRecord(
                rule_id="tax-arrears",
                check="no-tax-arrears",
                role="applicant",
                brn=brn,
                outcome="fail",
                evaluated="fail",
                inputs={},
                reason=Text(ko="국세 체납이 있습니다", en="National tax arrears on record"),
                source=SOURCE,
            ),
        ),
    )


async def test_each_notice_once_per_trigger_and_delivered_once(intake, tmp_path: Path) -> None:
    company = await register(intake.client, contact=contact("kim@hanbit.example"))
    planner = await register(
        intake.client,
        brn=VALID_BRNS[1],
        kind="planner",
        name="경기테크노파크",
        contact=contact("pm@gtp.example", locale="en"),
    )
    silent = await register(intake.client, brn=VALID_BRNS[2], name="(주)연락처없음")
    draft = await start_application(intake.client, company["id"])
    await start_application(intake.client, silent["id"])
    ctx = intake.app.state.intake
    draft_id = UUID(draft["id"])

    intake.clock.set(datetime(2026, 6, 13, 17, 0, tzinfo=KST))  # D-3 exactly
    assert await remind(ctx) == 2 and await remind(ctx) == 0
    intake.clock.set(datetime(2026, 6, 15, 16, 59, tzinfo=KST))  # not yet D-1
    assert await remind(ctx) == 0
    intake.clock.set(datetime(2026, 6, 15, 17, 0, tzinfo=KST))  # D-1 exactly
    assert await remind(ctx) == 2 and await remind(ctx) == 0
    intake.clock.set(datetime(2026, 6, 16, 17, 0, tzinfo=KST))  # closed: no more reminders
    assert await remind(ctx) == 0

    snapshot = application(1, id=UUID(company["id"]), brn=company["brn"])
    await deliver_twice(intake, ApplicationSubmittedV1(application=snapshot))
    await deliver_twice(intake, ApplicationReviewedV1(decision=decision(draft_id, company["brn"])))
    member = ConsortiumParty(member_id=uuid4(), brn=planner["brn"], name=planner["name"])
    await deliver_twice(
        intake,
        ProposalMadeV1(
            proposal=ProposalMade(
                proposal_id=uuid4(),
                application_id=draft_id,
                call_id=AUTONOMOUS,
                role="planner",
                member=member,
                proposed_by="applicant",
                proposed_at=NOW,
                expires_at=datetime(2026, 7, 8, 10, 0, tzinfo=KST),
            )
        ),
    )
    entry = RankedEntry(
        rank=3,
        application_id=draft_id,
        final="88.50",
        total_without_bonus="85.50",
        bonus=3,
        outcome="selected",
    )
    result = StageResult(
        call_id=AUTONOMOUS,
        call_version=1,
        stage="on-site-review",
        sequence=1,
        why="completed",
        target=15,
        passing=15,
        entries=(entry,),
        completed_at=NOW,
    )
    await deliver_twice(intake, StageCompletedV1(result=result))
    document_review = result.model_copy(update={"stage": "document-review"})
    await deliver_twice(intake, StageCompletedV1(result=document_review))  # no notice
    await deliver_twice(
        intake,
        PlannerPaymentRecordedV1(
            payment=PlannerPaymentRecorded(
                entry_id=uuid4(),
                call_id=AUTONOMOUS,
                application_id=draft_id,
                planner=member,
                milestone="business-plan-submitted",
                amount_krw=10_000_000,
                recorded_at=NOW,
            )
        ),
    )

    async with ctx.sessions() as session:
        rows = (await session.execute(select(notification))).all()
    assert Counter(r.kind for r in rows) == {
        "reminder-d3": 2,
        "reminder-d1": 2,
        "receipt": 1,
        "review-result": 1,
        "proposal": 1,
        "selection-result": 1,
        "payment": 1,
    }
    assert {r.status for r in rows if r.organisation_id == UUID(silent["id"])} == {"no-address"}

    mailbox = tmp_path / "mailbox"
    mailer = Mailer(ctx, Settings(database_url="unused", mailbox_path=mailbox))
    assert await mailer.deliver_pending() == 7  # the company's five and the planner's two
    assert await mailer.deliver_pending() == 0
    letters = [
        message_from_bytes(p.read_bytes(), policy=policy.default) for p in mailbox.glob("*.eml")
    ]
    assert len(letters) == 7
    by_kind = {m["X-SFMS-Notice"].split()[0]: m for m in letters}
    assert by_kind["review-result"]["To"] == "kim@hanbit.example"
    assert by_kind["review-result"]["Subject"] == "[SFMS] 요건검토 결과: 부적격"
    assert "국세 체납이 있습니다" in by_kind["review-result"].get_content()
    assert by_kind["proposal"]["Subject"] == "[SFMS] You are proposed as a planner"  # English
    assert by_kind["payment"]["Subject"] == "[SFMS] Planner payment: KRW 10,000,000"
    assert "2026-06-16 17:00" in by_kind["reminder-d1"].get_content()
    assert snapshot.receipt_number in by_kind["receipt"]["Subject"]
