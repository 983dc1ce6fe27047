"""Topic names, declared once: ``<producing-domain>.<event-name>.v<major>``."""

from __future__ import annotations

INTAKE_CALL_PUBLISHED_V1 = "intake.call-published.v1"
INTAKE_APPLICATION_SUBMITTED_V1 = "intake.application-submitted.v1"
INTAKE_APPLICATION_WITHDRAWN_V1 = "intake.application-withdrawn.v1"
ELIGIBILITY_APPLICATION_REVIEWED_V1 = "eligibility.application-reviewed.v1"
SCORING_APPLICATION_SCORED_V1 = "scoring.application-scored.v1"
SCORING_STAGE_COMPLETED_V1 = "scoring.stage-completed.v1"
MATCHING_CONSORTIUM_FORMED_V1 = "matching.consortium-formed.v1"
MATCHING_PLANNER_APPLIED_V1 = "matching.planner-applied.v1"
MATCHING_BUSINESS_PLAN_SUBMITTED_V1 = "matching.business-plan-submitted.v1"
SETTLEMENT_AGREEMENT_SIGNED_V1 = "settlement.agreement-signed.v1"
MATCHING_PROPOSAL_MADE_V1 = "matching.proposal-made.v1"
SETTLEMENT_PLANNER_PAYMENT_RECORDED_V1 = "settlement.planner-payment-recorded.v1"

ALL_EVENT_TOPICS = (
    INTAKE_CALL_PUBLISHED_V1,
    INTAKE_APPLICATION_SUBMITTED_V1,
    INTAKE_APPLICATION_WITHDRAWN_V1,
    ELIGIBILITY_APPLICATION_REVIEWED_V1,
    SCORING_APPLICATION_SCORED_V1,
    SCORING_STAGE_COMPLETED_V1,
    MATCHING_CONSORTIUM_FORMED_V1,
    MATCHING_PLANNER_APPLIED_V1,
    MATCHING_BUSINESS_PLAN_SUBMITTED_V1,
    SETTLEMENT_AGREEMENT_SIGNED_V1,
    MATCHING_PROPOSAL_MADE_V1,
    SETTLEMENT_PLANNER_PAYMENT_RECORDED_V1,
)


def dead_letter_topic(service: str) -> str:
    """Where a service's consumers put what they could not process, with the reason."""
    return f"{service}.dead-letter.v1"


SERVICES = ("intake", "eligibility", "scoring", "matching", "settlement")
ALL_TOPICS = ALL_EVENT_TOPICS + tuple(dead_letter_topic(s) for s in SERVICES)
