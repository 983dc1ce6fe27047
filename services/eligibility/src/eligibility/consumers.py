"""Intake's events: keep the replicas, and review each submission as it arrives (or when
its call version does, if that comes later)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from eligibility.handlers.context import Eligibility
from eligibility.handlers.review import review_submission, review_waiting
from eligibility.models import replicas
from sfms_shared.contracts.events import ApplicationSubmittedV1, CallPublishedV1
from sfms_shared.messaging.consumer import EventHandler
from sfms_shared.messaging.envelope import Envelope
from sfms_shared.messaging.topics import (
    INTAKE_APPLICATION_SUBMITTED_V1,
    INTAKE_APPLICATION_WITHDRAWN_V1,
    INTAKE_CALL_PUBLISHED_V1,
)


def intake_handlers(ctx: Eligibility) -> dict[str, EventHandler]:
    async def on_call_published(session: AsyncSession, envelope: Envelope) -> None:
        await replicas.on_call_published(session, envelope)
        event = CallPublishedV1.model_validate(envelope.payload)
        await review_waiting(ctx, session, event.call_id, event.version, str(envelope.event_id))

    async def on_application_submitted(session: AsyncSession, envelope: Envelope) -> None:
        await replicas.on_application_submitted(session, envelope)
        snapshot = ApplicationSubmittedV1.model_validate(envelope.payload).application
        kept = await replicas.application(session, snapshot.application_id)
        if kept and kept["submission_version"] == snapshot.submission_version:
            await review_submission(ctx, session, snapshot, str(envelope.event_id))

    return {
        INTAKE_CALL_PUBLISHED_V1: on_call_published,
        INTAKE_APPLICATION_SUBMITTED_V1: on_application_submitted,
        INTAKE_APPLICATION_WITHDRAWN_V1: replicas.on_application_withdrawn,
    }
