"""Event payloads, one frozen model per event version, and their topics.

A breaking change is a new model and a new ``.v2`` topic; the old one stays until
no consumer needs it.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from datetime import datetime
from typing import ClassVar
from uuid import UUID

from pydantic import BaseModel, ConfigDict

from sfms_shared.contracts.agreements import PlannerPaymentRecorded, SignedAgreement
from sfms_shared.contracts.applications import ApplicationSnapshot
from sfms_shared.contracts.calls import CallDocument
from sfms_shared.contracts.decisions import ReviewDecision
from sfms_shared.contracts.scores import (
    ApplicationScore,
    BusinessPlan,
    FormedConsortium,
    PlannerApplication,
    ProposalMade,
    StageResult,
)
from sfms_shared.messaging import topics


class EventPayload(BaseModel, ABC):
    model_config = ConfigDict(frozen=True, extra="forbid")

    event_type: ClassVar[str]
    schema_version: ClassVar[int]
    topic: ClassVar[str]

    @abstractmethod
    def aggregate_key(self) -> str:
        """The aggregate id: the envelope key and the Kafka message key."""


class CallPublishedV1(EventPayload):
    event_type = "intake.call-published"
    schema_version = 1
    topic = topics.INTAKE_CALL_PUBLISHED_V1

    call_id: str
    version: int
    published_at: datetime
    document: CallDocument

    def aggregate_key(self) -> str:
        return self.call_id


class ApplicationSubmittedV1(EventPayload):
    event_type = "intake.application-submitted"
    schema_version = 1
    topic = topics.INTAKE_APPLICATION_SUBMITTED_V1

    application: ApplicationSnapshot

    def aggregate_key(self) -> str:
        return str(self.application.application_id)


class ApplicationWithdrawnV1(EventPayload):
    event_type = "intake.application-withdrawn"
    schema_version = 1
    topic = topics.INTAKE_APPLICATION_WITHDRAWN_V1

    application_id: UUID
    call_id: str
    brn: str
    withdrawn_at: datetime
    last_submission_version: int | None

    def aggregate_key(self) -> str:
        return str(self.application_id)


class ApplicationReviewedV1(EventPayload):
    """A requirement-review decision; a later one about the same application supersedes it."""

    event_type = "eligibility.application-reviewed"
    schema_version = 1
    topic = topics.ELIGIBILITY_APPLICATION_REVIEWED_V1

    decision: ReviewDecision

    def aggregate_key(self) -> str:
        return str(self.decision.application_id)


class ApplicationScoredV1(EventPayload):
    """An application's score at a stage; a later one for the same stage supersedes it."""

    event_type = "scoring.application-scored"
    schema_version = 1
    topic = topics.SCORING_APPLICATION_SCORED_V1

    score: ApplicationScore

    def aggregate_key(self) -> str:
        return str(self.score.application_id)


class StageCompletedV1(EventPayload):
    """A stage's ranking with its cut-off; keyed by call so that sequences stay in order."""

    event_type = "scoring.stage-completed"
    schema_version = 1
    topic = topics.SCORING_STAGE_COMPLETED_V1

    result: StageResult

    def aggregate_key(self) -> str:
        return self.result.call_id


class ConsortiumFormedV1(EventPayload):
    """Every role of an application's consortium has consented: it can enter on-site review."""

    event_type = "matching.consortium-formed"
    schema_version = 1
    topic = topics.MATCHING_CONSORTIUM_FORMED_V1

    consortium: FormedConsortium

    def aggregate_key(self) -> str:
        return str(self.consortium.application_id)


class PlannerAppliedV1(EventPayload):
    """A planner passed recruitment's requirement review: scoring evaluates it."""

    event_type = "matching.planner-applied"
    schema_version = 1
    topic = topics.MATCHING_PLANNER_APPLIED_V1

    planner: PlannerApplication

    def aggregate_key(self) -> str:
        return str(self.planner.application_id)


class BusinessPlanSubmittedV1(EventPayload):
    """A consortium's planner submitted (or revised) the business plan: settlement owes it
    the first milestone payment, once."""

    event_type = "matching.business-plan-submitted"
    schema_version = 1
    topic = topics.MATCHING_BUSINESS_PLAN_SUBMITTED_V1

    plan: BusinessPlan

    def aggregate_key(self) -> str:
        return str(self.plan.application_id)


class AgreementSignedV1(EventPayload):
    """An agreement (협약) was signed: the project starts; the planner is owed its second
    milestone payment, once."""

    event_type = "settlement.agreement-signed"
    schema_version = 1
    topic = topics.SETTLEMENT_AGREEMENT_SIGNED_V1

    agreement: SignedAgreement

    def aggregate_key(self) -> str:
        return str(self.agreement.application_id)


class ProposalMadeV1(EventPayload):
    """A pool member was proposed for a consortium: it is asked to answer (a notice)."""

    event_type = "matching.proposal-made"
    schema_version = 1
    topic = topics.MATCHING_PROPOSAL_MADE_V1

    proposal: ProposalMade

    def aggregate_key(self) -> str:
        return str(self.proposal.application_id)


class PlannerPaymentRecordedV1(EventPayload):
    """A planner's milestone payment is owed (a payment notice)."""

    event_type = "settlement.planner-payment-recorded"
    schema_version = 1
    topic = topics.SETTLEMENT_PLANNER_PAYMENT_RECORDED_V1

    payment: PlannerPaymentRecorded

    def aggregate_key(self) -> str:
        return str(self.payment.application_id)


EVENT_MODELS: dict[tuple[str, int], type[EventPayload]] = {
    (model.event_type, model.schema_version): model
    for model in (
        CallPublishedV1,
        ApplicationSubmittedV1,
        ApplicationWithdrawnV1,
        ApplicationReviewedV1,
        ApplicationScoredV1,
        StageCompletedV1,
        ConsortiumFormedV1,
        PlannerAppliedV1,
        BusinessPlanSubmittedV1,
        AgreementSignedV1,
        ProposalMadeV1,
        PlannerPaymentRecordedV1,
    )
}
