"""The events matching acts on: intake's (replicas; a withdrawal closes the match) and
scoring's stage results (document review opens matches; the planners' capability
evaluation selects the call's planner pool)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from matching.handlers.context import Matching
from matching.handlers.matches import close, on_document_review
from matching.handlers.pools import on_planner_evaluation
from matching.models import replicas
from sfms_shared.contracts.events import ApplicationWithdrawnV1, StageCompletedV1
from sfms_shared.messaging.consumer import EventHandler
from sfms_shared.messaging.envelope import Envelope
from sfms_shared.messaging.topics import (
    INTAKE_APPLICATION_WITHDRAWN_V1,
    SCORING_STAGE_COMPLETED_V1,
)


def event_handlers(ctx: Matching) -> dict[str, EventHandler]:
    async def on_application_withdrawn(session: AsyncSession, envelope: Envelope) -> None:
        await replicas.on_application_withdrawn(session, envelope)
        event = ApplicationWithdrawnV1.model_validate(envelope.payload)
        await close(ctx, session, event.application_id)

    async def on_stage_completed(session: AsyncSession, envelope: Envelope) -> None:
        result = StageCompletedV1.model_validate(envelope.payload).result
        if result.stage == "document-review":
            await on_document_review(ctx, session, result, str(envelope.event_id))
        elif result.stage == "planner-evaluation":
            await on_planner_evaluation(ctx, session, result)

    return replicas.handlers() | {
        INTAKE_APPLICATION_WITHDRAWN_V1: on_application_withdrawn,
        SCORING_STAGE_COMPLETED_V1: on_stage_completed,
    }
