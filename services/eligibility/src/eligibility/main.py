"""Wiring: the only place that builds the engine, broker clients and clock."""

from __future__ import annotations

from datetime import datetime

from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession

from eligibility.api import review_status, router
from eligibility.config import Settings
from eligibility.consumers import intake_handlers
from eligibility.handlers.context import Eligibility
from eligibility.handlers.pipeline import call_counts
from eligibility.handlers.review import review_again
from eligibility.models import audit, messaging, replicas
from eligibility.registries.api import registries_router
from sfms_shared.audit import AuditLog
from sfms_shared.clock import Clock
from sfms_shared.downstream import received_router
from sfms_shared.pipeline import pipeline_gauges, pipeline_router
from sfms_shared.service import ServiceRuntime, build_app


def create_app(settings: Settings | None = None, clock: Clock | None = None) -> FastAPI:
    settings = settings or Settings()
    runtime = ServiceRuntime(settings, messaging, clock, audit)
    context = Eligibility(
        settings=settings,
        sessions=runtime.sessions,
        outbox=runtime.outbox,
        clock=runtime.clock,
        audit=AuditLog(audit, runtime.clock),
    )
    runtime.add_consumer("intake-events", intake_handlers(context))

    async def after_registry_change(
        session: AsyncSession, brns: set[str], known_at: datetime
    ) -> None:
        await review_again(context, session, set(brns), known_at, context.correlation())

    runtime.add_worker("pipeline-gauges", pipeline_gauges(runtime, call_counts, replicas.call_ids))
    app = build_app(
        runtime,
        title="SFMS eligibility",
        description=(
            "Requirement review (요건검토): dated rules per call version, decisions with "
            "reasons, partner registries."
        ),
        routers=[
            received_router(replicas, status_of=review_status),
            router,
            registries_router(after_change=after_registry_change),
            pipeline_router(runtime, call_counts),
        ],
    )
    app.state.eligibility = context
    return app
