"""Wiring: the only place that builds the engine, broker clients, clock and store."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from intake.api import router
from intake.config import Settings
from intake.handlers import calls, notifications
from intake.handlers.context import Intake
from intake.handlers.pipeline import call_counts, published_call_ids
from intake.mail import Mailer
from intake.models import audit, messaging
from intake.seed_calls import load_seed_calls
from sfms_shared.clock import Clock
from sfms_shared.document_store import LocalDocumentStore
from sfms_shared.pipeline import pipeline_gauges, pipeline_router
from sfms_shared.service import ServiceRuntime, build_app


def create_app(settings: Settings | None = None, clock: Clock | None = None) -> FastAPI:
    settings = settings or Settings()
    runtime = ServiceRuntime(settings, messaging, clock, audit)
    context = Intake(
        settings=settings,
        sessions=runtime.sessions,
        outbox=runtime.outbox,
        clock=runtime.clock,
        store=LocalDocumentStore(settings.document_store_path),
        audit=runtime.audit,
    )

    runtime.add_consumer("notifications", notifications.event_handlers(context))
    runtime.add_worker("mailer", Mailer(context, settings).run)
    counts = call_counts(runtime.clock)
    runtime.add_worker("pipeline-gauges", pipeline_gauges(runtime, counts, published_call_ids))

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if settings.load_seed_calls and "api" in settings.roles:
            await calls.load_seed_calls(context, load_seed_calls())
        async with runtime.lifespan(app):
            yield

    app = build_app(
        runtime,
        title="SFMS intake",
        description="Calls (공고), organisations, applications, documents and submission.",
        routers=[router, pipeline_router(runtime, counts)],
        lifespan=lifespan,
    )
    app.state.intake = context
    return app
