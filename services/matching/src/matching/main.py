"""Wiring: the only place that builds the engine, broker clients and clock."""

from __future__ import annotations

from fastapi import FastAPI

from matching.api import router
from matching.config import Settings
from matching.consumers import event_handlers
from matching.handlers.context import Matching
from matching.handlers.matches import status
from matching.handlers.pipeline import call_counts
from matching.models import audit, messaging, replicas
from sfms_shared.audit import AuditLog
from sfms_shared.clock import Clock
from sfms_shared.downstream import received_router
from sfms_shared.pipeline import pipeline_gauges, pipeline_router
from sfms_shared.service import ServiceRuntime, build_app


def create_app(settings: Settings | None = None, clock: Clock | None = None) -> FastAPI:
    settings = settings or Settings()
    runtime = ServiceRuntime(settings, messaging, clock, audit)
    context = Matching(
        settings=settings,
        sessions=runtime.sessions,
        outbox=runtime.outbox,
        clock=runtime.clock,
        audit=AuditLog(audit, runtime.clock),
    )
    runtime.add_consumer("events", event_handlers(context))
    runtime.add_worker("pipeline-gauges", pipeline_gauges(runtime, call_counts, replicas.call_ids))
    app = build_app(
        runtime,
        title="SFMS matching",
        description=(
            "Planner and supplier pools, explained recommendations, proposals answered by "
            "mutual consent, and an optimiser for operators."
        ),
        routers=[
            received_router(replicas, status_of=status),
            router,
            pipeline_router(runtime, call_counts),
        ],
    )
    app.state.matching = context
    return app
