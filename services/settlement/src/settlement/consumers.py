"""The events settlement acts on: intake's (replicas, and the binding budget review of
each submission), scoring's final stage (who may get an agreement), matching's formed
consortia and business plans, and its own signed agreements (the planner's milestones)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from settlement.handlers import payables, projects, reviews
from settlement.handlers.context import Settlement
from settlement.models import replicas
from sfms_shared.contracts.events import (
    AgreementSignedV1,
    ApplicationSubmittedV1,
    BusinessPlanSubmittedV1,
    ConsortiumFormedV1,
    StageCompletedV1,
)
from sfms_shared.messaging.consumer import EventHandler
from sfms_shared.messaging.envelope import Envelope
from sfms_shared.messaging.topics import (
    INTAKE_APPLICATION_SUBMITTED_V1,
    MATCHING_BUSINESS_PLAN_SUBMITTED_V1,
    MATCHING_CONSORTIUM_FORMED_V1,
    SCORING_STAGE_COMPLETED_V1,
    SETTLEMENT_AGREEMENT_SIGNED_V1,
)


def event_handlers(ctx: Settlement) -> dict[str, EventHandler]:
    async def on_submitted(session: AsyncSession, envelope: Envelope) -> None:
        await replicas.on_application_submitted(session, envelope)
        snapshot = ApplicationSubmittedV1.model_validate(envelope.payload).application
        await reviews.on_submitted(ctx, session, snapshot)

    async def on_stage_completed(session: AsyncSession, envelope: Envelope) -> None:
        result = StageCompletedV1.model_validate(envelope.payload).result
        await projects.on_stage_completed(ctx, session, result)

    async def on_consortium_formed(session: AsyncSession, envelope: Envelope) -> None:
        consortium = ConsortiumFormedV1.model_validate(envelope.payload).consortium
        await projects.on_consortium_formed(ctx, session, consortium)

    async def on_business_plan(session: AsyncSession, envelope: Envelope) -> None:
        plan = BusinessPlanSubmittedV1.model_validate(envelope.payload).plan
        await payables.on_business_plan(ctx, session, plan, str(envelope.event_id))

    async def on_agreement_signed(session: AsyncSession, envelope: Envelope) -> None:
        agreement = AgreementSignedV1.model_validate(envelope.payload).agreement
        await payables.on_agreement_signed(ctx, session, agreement, str(envelope.event_id))

    return replicas.handlers() | {
        INTAKE_APPLICATION_SUBMITTED_V1: on_submitted,
        SCORING_STAGE_COMPLETED_V1: on_stage_completed,
        MATCHING_CONSORTIUM_FORMED_V1: on_consortium_formed,
        MATCHING_BUSINESS_PLAN_SUBMITTED_V1: on_business_plan,
        SETTLEMENT_AGREEMENT_SIGNED_V1: on_agreement_signed,
    }
