"""The events scoring acts on: intake's (replicas), requirement-review decisions (who
enters evaluation, who leaves it), formed consortia (who enters on-site review) and
recruited planners (who enters the planners' capability evaluation)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from scoring.handlers.context import Scoring
from scoring.handlers.entries import (
    enter_on_site,
    enter_planner,
    leave,
    record_verdict,
    settle,
)
from scoring.models import replicas, tables
from sfms_shared.contracts.events import (
    ApplicationReviewedV1,
    ApplicationSubmittedV1,
    ApplicationWithdrawnV1,
    CallPublishedV1,
    ConsortiumFormedV1,
    PlannerAppliedV1,
)
from sfms_shared.messaging.consumer import EventHandler
from sfms_shared.messaging.envelope import Envelope
from sfms_shared.messaging.topics import (
    ELIGIBILITY_APPLICATION_REVIEWED_V1,
    INTAKE_APPLICATION_SUBMITTED_V1,
    INTAKE_APPLICATION_WITHDRAWN_V1,
    INTAKE_CALL_PUBLISHED_V1,
    MATCHING_CONSORTIUM_FORMED_V1,
    MATCHING_PLANNER_APPLIED_V1,
)


def event_handlers(ctx: Scoring) -> dict[str, EventHandler]:
    async def on_call_published(session: AsyncSession, envelope: Envelope) -> None:
        await replicas.on_call_published(session, envelope)
        event = CallPublishedV1.model_validate(envelope.payload)
        waiting = (
            await session.execute(
                select(replicas.applications.c.application_id)
                .join(
                    tables.verdict,
                    tables.verdict.c.application_id == replicas.applications.c.application_id,
                )
                .where(
                    replicas.applications.c.call_id == event.call_id,
                    replicas.applications.c.call_version == event.version,
                )
            )
        ).scalars()
        for application_id in list(waiting):
            await settle(ctx, session, application_id, str(envelope.event_id))

    async def on_application_submitted(session: AsyncSession, envelope: Envelope) -> None:
        await replicas.on_application_submitted(session, envelope)
        snapshot = ApplicationSubmittedV1.model_validate(envelope.payload).application
        await settle(ctx, session, snapshot.application_id, str(envelope.event_id))

    async def on_application_withdrawn(session: AsyncSession, envelope: Envelope) -> None:
        await replicas.on_application_withdrawn(session, envelope)
        event = ApplicationWithdrawnV1.model_validate(envelope.payload)
        await leave(ctx, session, event.application_id, "withdrawn", str(envelope.event_id))

    async def on_application_reviewed(session: AsyncSession, envelope: Envelope) -> None:
        decision = ApplicationReviewedV1.model_validate(envelope.payload).decision
        await record_verdict(ctx, session, decision, str(envelope.event_id))

    async def on_consortium_formed(session: AsyncSession, envelope: Envelope) -> None:
        consortium = ConsortiumFormedV1.model_validate(envelope.payload).consortium
        await enter_on_site(ctx, session, consortium)

    async def on_planner_applied(session: AsyncSession, envelope: Envelope) -> None:
        planner = PlannerAppliedV1.model_validate(envelope.payload).planner
        await enter_planner(ctx, session, planner)

    return {
        INTAKE_CALL_PUBLISHED_V1: on_call_published,
        INTAKE_APPLICATION_SUBMITTED_V1: on_application_submitted,
        INTAKE_APPLICATION_WITHDRAWN_V1: on_application_withdrawn,
        ELIGIBILITY_APPLICATION_REVIEWED_V1: on_application_reviewed,
        MATCHING_CONSORTIUM_FORMED_V1: on_consortium_formed,
        MATCHING_PLANNER_APPLIED_V1: on_planner_applied,
    }
