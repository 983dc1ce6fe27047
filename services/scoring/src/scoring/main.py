"""Wiring: the only place that builds the engine, broker clients, clock and stores."""

from __future__ import annotations

from fastapi import FastAPI

from scoring.api import router
from scoring.config import Settings
from scoring.consumers import event_handlers
from scoring.handlers.context import Scoring
from scoring.handlers.pipeline import call_counts
from scoring.handlers.rankings import status
from scoring.models import audit, messaging, replicas
from sfms_shared.audit import AuditLog
from sfms_shared.clock import Clock
from sfms_shared.document_store import LocalDocumentStore
from sfms_shared.downstream import received_router
from sfms_shared.pipeline import pipeline_gauges, pipeline_router
from sfms_shared.service import ServiceRuntime, build_app


def create_app(settings: Settings | None = None, clock: Clock | None = None) -> FastAPI:
    settings = settings or Settings()
    runtime = ServiceRuntime(settings, messaging, clock, audit)
    context = Scoring(
        settings=settings,
        sessions=runtime.sessions,
        outbox=runtime.outbox,
        clock=runtime.clock,
        audit=AuditLog(audit, runtime.clock),
        documents=LocalDocumentStore(settings.document_store_path, writable=False),
    )
    runtime.add_consumer("events", event_handlers(context))
    runtime.add_worker("pipeline-gauges", pipeline_gauges(runtime, call_counts, replicas.call_ids))
    app = build_app(
        runtime,
        title="SFMS scoring",
        description=(
            "Evaluation of eligible applications: quantitative scores from the documents, "
            "evaluators and panels, score sheets, aggregation, ranking, exports."
        ),
        routers=[
            received_router(replicas, status_of=status),
            router,
            pipeline_router(runtime, call_counts),
        ],
    )
    app.state.scoring = context
    return app
