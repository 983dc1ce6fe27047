"""Wiring: the only place that builds the engine, broker clients and clock."""

from __future__ import annotations

from fastapi import FastAPI

from settlement.api import router
from settlement.config import Settings
from settlement.consumers import event_handlers
from settlement.handlers.context import Settlement
from settlement.handlers.pipeline import call_counts
from settlement.models import audit, messaging, replicas
from sfms_shared.audit import AuditLog
from sfms_shared.clock import Clock
from sfms_shared.downstream import received_router
from sfms_shared.pipeline import pipeline_gauges, pipeline_router
from sfms_shared.service import ServiceRuntime, build_app


def create_app(settings: Settings | None = None, clock: Clock | None = None) -> FastAPI:
    settings = settings or Settings()
    runtime = ServiceRuntime(settings, messaging, clock, audit)
    context = Settlement(
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
        title="SFMS settlement",
        description=(
            "Budgets checked against the call's rules, the settlement fee, agreements with "
            "the cost review's cuts, the planners' milestone payments, and settlement (정산)."
        ),
        routers=[received_router(replicas), router, pipeline_router(runtime, call_counts)],
    )
    app.state.settlement = context
    return app
