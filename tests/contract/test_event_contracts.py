"""Every event schema round-trips: payload → envelope → bytes → envelope → payload."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from uuid import uuid4

import pytest

from intake.seed_calls import load_seed_calls
from sfms_shared.contracts.agreements import PlannerPaymentRecorded, SignedAgreement
from sfms_shared.contracts.applications import (
    ApplicationSnapshot,
    BudgetLine,
    DocumentRef,
    OrganisationSnapshot,
)
from sfms_shared.contracts.common import Source, Text
from sfms_shared.contracts.decisions import ReviewDecision, RuleOutcomeRecord
from sfms_shared.contracts.events import (
    EVENT_MODELS,
    AgreementSignedV1,
    ApplicationReviewedV1,
    ApplicationScoredV1,
    ApplicationSubmittedV1,
    ApplicationWithdrawnV1,
    BusinessPlanSubmittedV1,
    CallPublishedV1,
    ConsortiumFormedV1,
    EventPayload,
    PlannerAppliedV1,
    PlannerPaymentRecordedV1,
    ProposalMadeV1,
    StageCompletedV1,
)
from sfms_shared.contracts.scores import (
    ApplicationScore,
    BusinessPlan,
    ConsortiumParty,
    FormedConsortium,
    ItemScore,
    PlannerApplication,
    ProposalMade,
    RankedEntry,
    StageResult,
)
from sfms_shared.messaging.envelope import Envelope
from sfms_shared.messaging.topics import ALL_EVENT_TOPICS

NOW = datetime(2026, 6, 16, 7, 59, 59, 999000, tzinfo=UTC)


def snapshot() -> ApplicationSnapshot:
    applicant = OrganisationSnapshot(
        id=uuid4(),
        kind="company",
        brn="2208162517",
        name="(주)한빛정밀",
        legal_form="corporation",
        ksic_code="C29",
        size_class="small",
        region="경기",
        founded_on=date(2012, 3, 5),
        headcount=48,
    )
    return ApplicationSnapshot(
        application_id=uuid4(),
        call_id="2026-autonomous-factory-2",
        call_version=1,
        submission_version=2,
        receipt_number="AF26-2-0000001",
        received_at=NOW,
        mode="solo",
        support_type="advanced",
        applicant=applicant,
        project_title="자율형공장",
        budget=(
            BudgetLine(
                year=2,
                category="기타비용",
                item="정산 수수료",
                government_krw=0,
                private_cash_krw=910_000,
                private_in_kind_krw=0,
            ),
        ),
        documents=(
            DocumentRef(
                id=uuid4(),
                kind="application-form",
                sha256="a" * 64,
                media_type="application/pdf",
                size_bytes=1234,
                issuer=None,
                issued_on=date(2026, 6, 1),
                uploaded_at=NOW,
            ),
        ),
    )


EXAMPLES: list[EventPayload] = [
    *[
        CallPublishedV1(call_id=d.id, version=d.version, published_at=NOW, document=d)
        for d in load_seed_calls()
    ],
    ApplicationSubmittedV1(application=snapshot()),
    ApplicationWithdrawnV1(
        application_id=uuid4(),
        call_id="2026-autonomous-factory-2",
        brn="2208162517",
        withdrawn_at=NOW,
        last_submission_version=1,
    ),
    ApplicationReviewedV1(
        decision=ReviewDecision(
            decision_id=uuid4(),
            application_id=uuid4(),
            sequence=2,
            call_id="2026-autonomous-factory-2",
            call_version=1,
            submission_version=1,
            applicant_brn="2208162517",
            verdict="ineligible",
            trigger="registry-change",
            judged_as_of=NOW,
            known_at=NOW,
            decided_at=NOW,
            outcomes=(
                RuleOutcomeRecord(
                    rule_id="applicant-no-participation-restriction",
                    check="no-participation-restriction",
                    role="applicant",
                    brn="2208162517",
                    outcome="fail",
                    evaluated="fail",
                    inputs={"sanctions": [{"source": "kiria", "starts_on": "2026-01-01"}]},
                    reason=Text(ko="제조로봇도입 사업의 참여제한 기간 중입니다.", en="Restricted."),
                    source=Source(file="001_39e04bdc262ce7ee.txt", section="붙임1"),
                ),
            ),
        )
    ),
    ApplicationScoredV1(
        score=ApplicationScore(
            application_id=uuid4(),
            call_id="2026-autonomous-factory-2",
            call_version=1,
            stage="document-review",
            items=(
                ItemScore(code="participation-will", max_points=20, points=Decimal("17.33")),
                ItemScore(code="capability", max_points=20, points=Decimal("16")),
            ),
            total_without_bonus=Decimal("33.33"),
            bonus=0,
            final=Decimal("33.33"),
            evaluators=3,
            scored_at=NOW,
        )
    ),
    StageCompletedV1(
        result=StageResult(
            call_id="2026-autonomous-factory-2",
            call_version=1,
            stage="on-site-review",
            sequence=2,
            why="disqualification",
            target=15,
            passing=1,
            entries=(
                RankedEntry(
                    rank=1,
                    application_id=uuid4(),
                    final=Decimal("91.50"),
                    total_without_bonus=Decimal("86.50"),
                    bonus=5,
                    outcome="selected",
                    tie_break="② 고도화",
                ),
            ),
            removed=(uuid4(),),
            completed_at=NOW,
        )
    ),
    ConsortiumFormedV1(
        consortium=FormedConsortium(
            application_id=uuid4(),
            call_id="2026-autonomous-factory-2",
            planner=ConsortiumParty(member_id=uuid4(), brn="1018201236", name="기획"),
            suppliers=(ConsortiumParty(member_id=uuid4(), brn="2208162517", name="공급"),),
            formed_at=NOW,
        )
    ),
    PlannerAppliedV1(
        planner=PlannerApplication(
            application_id=uuid4(),
            call_id="2026-autonomous-factory-2",
            call_version=1,
            brn="3058156785",
            name="경기테크노파크",
            applied_at=NOW,
        )
    ),
    BusinessPlanSubmittedV1(
        plan=BusinessPlan(
            application_id=uuid4(),
            call_id="2026-autonomous-factory-2",
            planner=ConsortiumParty(member_id=uuid4(), brn="3058156785", name="경기테크노파크"),
            version=1,
            title="AI·디지털트윈 기반 자율 가공 라인 사업계획",
            submitted_at=NOW,
        )
    ),
    AgreementSignedV1(
        agreement=SignedAgreement(
            agreement_id=uuid4(),
            application_id=uuid4(),
            call_id="2026-autonomous-factory-2",
            call_version=1,
            applicant_brn="1018201236",
            applicant_name="(주)시험기업",
            planner=ConsortiumParty(member_id=uuid4(), brn="3058156785", name="경기테크노파크"),
            suppliers=(ConsortiumParty(member_id=uuid4(), brn="2208162517", name="공급"),),
            starts_on=date(2026, 9, 1),
            ends_on=date(2028, 8, 31),
            government_krw=600_000_000,
            total_krw=1_200_000_000,
            signed_at=NOW,
        )
    ),
    ProposalMadeV1(
        proposal=ProposalMade(
            proposal_id=uuid4(),
            application_id=uuid4(),
            call_id="2026-autonomous-factory-2",
            role="planner",
            member=ConsortiumParty(member_id=uuid4(), brn="3058156785", name="경기테크노파크"),
            proposed_by="applicant",
            proposed_at=NOW,
            expires_at=NOW,
        )
    ),
    PlannerPaymentRecordedV1(
        payment=PlannerPaymentRecorded(
            entry_id=uuid4(),
            call_id="2026-autonomous-factory-2",
            application_id=uuid4(),
            planner=ConsortiumParty(member_id=uuid4(), brn="3058156785", name="경기테크노파크"),
            milestone="agreement-signed",
            amount_krw=10_000_000,
            recorded_at=NOW,
        )
    ),
]


@pytest.mark.parametrize("payload", EXAMPLES, ids=lambda p: f"{p.event_type}:{p.aggregate_key()}")
def test_round_trip(payload: EventPayload) -> None:
    envelope = Envelope(
        event_type=payload.event_type,
        schema_version=payload.schema_version,
        occurred_at=NOW,
        producer="intake",
        key=payload.aggregate_key(),
        correlation_id="c",
        payload=payload.model_dump(mode="json"),
    )
    again = Envelope.from_bytes(envelope.to_bytes())
    assert again == envelope
    model = EVENT_MODELS[(again.event_type, again.schema_version)]
    assert model.model_validate(again.payload) == payload


def test_every_event_model_has_a_declared_topic_following_the_naming_rule() -> None:
    topics = {model.topic for model in EVENT_MODELS.values()}
    assert topics == set(ALL_EVENT_TOPICS)
    for model in EVENT_MODELS.values():
        domain, name = model.event_type.split(".", 1)
        assert model.topic == f"{domain}.{name}.v{model.schema_version}"


def test_payloads_are_frozen_and_refuse_unknown_fields() -> None:
    with pytest.raises(ValueError):
        ApplicationWithdrawnV1.model_validate(
            {
                "application_id": str(uuid4()),
                "call_id": "x",
                "brn": "1",
                "withdrawn_at": NOW.isoformat(),
                "last_submission_version": 1,
                "surprise": True,
            }
        )


def test_an_envelope_needs_an_aware_instant() -> None:
    with pytest.raises(ValueError):
        Envelope(
            event_type="x",
            schema_version=1,
            occurred_at=datetime(2026, 1, 1),
            producer="p",
            key="k",
            correlation_id="c",
            payload={},
        )
