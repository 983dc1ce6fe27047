"""What every service process shares: wiring of engine, clock, outbox, relay and
consumers; the FastAPI app shell (problems, metrics, correlation ids, probes).

``main.py`` of each service builds a ``ServiceRuntime``, registers its consumers and
routers, and hands the app to uvicorn. Which parts run in a process is a setting
(``roles``), so the relay or the consumers can also run as processes of their own.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from contextlib import asynccontextmanager
from uuid import uuid4

from fastapi import APIRouter, Depends, FastAPI
from sqlalchemy import Table
from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp, Receive, Scope, Send

from sfms_shared.access import GatewayIdentityMiddleware
from sfms_shared.audit import AuditLog, audit_router
from sfms_shared.clock import Clock, parse_clock_override
from sfms_shared.db import create_engine, ping, session_factory
from sfms_shared.inputs import reject_nul_characters
from sfms_shared.logging import correlation_id
from sfms_shared.messaging.consumer import EventConsumer, EventHandler
from sfms_shared.messaging.kafka import BrokerProbe, ensure_topics
from sfms_shared.messaging.outbox import Outbox
from sfms_shared.messaging.relay import OutboxRelay
from sfms_shared.messaging.tables import MessagingTables
from sfms_shared.messaging.topics import ALL_TOPICS
from sfms_shared.metrics import RedMetricsMiddleware, metrics_response
from sfms_shared.openapi import READINESS, install_problem_openapi
from sfms_shared.problems import install_problem_handlers
from sfms_shared.settings import ServiceSettings

log = logging.getLogger(__name__)

CORRELATION_HEADER = "x-correlation-id"

# The relay, each consumer and a worker or two share it.
BACKGROUND_POOL = {"pool_size": 4, "max_overflow": 4}


class ServiceRuntime:
    def __init__(
        self,
        settings: ServiceSettings,
        tables: MessagingTables,
        clock: Clock | None = None,
        audit: Table | None = None,
    ) -> None:
        self.settings = settings
        self.tables = tables
        self.engine = create_engine(settings.database_url)
        self.sessions = session_factory(self.engine)
        # The relay and the consumers have connections of their own: a burst of requests
        # holding every connection of the API's pool must not hold up the events behind it.
        self.background_engine = create_engine(settings.database_url, **BACKGROUND_POOL)
        self.background_sessions = session_factory(self.background_engine)
        self.clock = clock or parse_clock_override(settings.clock_at)
        self.outbox = Outbox(tables.outbox, settings.service_name)
        self.audit = AuditLog(audit, self.clock) if audit is not None else None
        self.consumers: list[EventConsumer] = []
        self.workers: list[tuple[str, Callable[[asyncio.Event], Awaitable[None]]]] = []
        self.probe = BrokerProbe(settings.kafka_bootstrap_servers)

    def add_consumer(self, name: str, handlers: Mapping[str, EventHandler]) -> None:
        self.consumers.append(
            EventConsumer(
                name,
                handlers,
                self.settings,
                self.background_sessions,
                self.tables,
                self.clock,
                after_commit=self.outbox.notify,
            )
        )

    def add_worker(self, name: str, run: Callable[[asyncio.Event], Awaitable[None]]) -> None:
        """A background task of the consumers role (restarted when it fails)."""
        self.workers.append((name, run))

    @asynccontextmanager
    async def lifespan(self, _: FastAPI) -> AsyncIterator[None]:
        stop = asyncio.Event()
        tasks = [asyncio.create_task(self._background(stop), name="background")]
        try:
            yield
        finally:
            stop.set()
            _, pending = await asyncio.wait(tasks, timeout=10)
            for task in pending:
                task.cancel()
            await self.probe.close()
            await self.engine.dispose()
            await self.background_engine.dispose()

    async def _background(self, stop: asyncio.Event) -> None:
        workers: list[tuple[str, Callable[[asyncio.Event], Awaitable[None]]]] = []
        if "relay" in self.settings.roles:
            relay = OutboxRelay(self.settings, self.background_sessions, self.outbox, self.clock)
            workers.append(("relay", relay.run))
        if "consumers" in self.settings.roles:
            workers.extend((consumer.name, consumer.run) for consumer in self.consumers)
            workers.extend(self.workers)
        if not workers:
            return
        await _supervise("topics", self._ensure_topics, stop, once=True)
        await asyncio.gather(*(_supervise(name, run, stop) for name, run in workers))

    async def _ensure_topics(self, _: asyncio.Event) -> None:
        await ensure_topics(self.settings.kafka_bootstrap_servers, ALL_TOPICS)

    async def readiness(self) -> dict[str, str]:
        checks: dict[str, str] = {}
        for name, check in (("database", ping(self.engine)), ("broker", self.probe.check())):
            try:
                await asyncio.wait_for(check, 3)
                checks[name] = "ok"
            except Exception as exc:  # noqa: BLE001 - readiness reports any failure
                checks[name] = f"unavailable: {type(exc).__name__}"
        return checks


async def _supervise(
    name: str,
    run: Callable[[asyncio.Event], Awaitable[None]],
    stop: asyncio.Event,
    once: bool = False,
) -> None:
    """Run a background worker; restart it with backoff when it fails (broker down, say)."""
    delay = 0.5
    while not stop.is_set():
        try:
            await run(stop)
            if once:
                return
            delay = 0.5
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # noqa: BLE001 - a worker must outlive transient failures
            log.warning("worker failed, restarting", extra={"worker": name, "error": repr(exc)})
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), delay)
            delay = min(delay * 2, 5.0)


class CorrelationIdMiddleware:
    """Takes ``X-Correlation-ID`` from the request or makes one, and echoes it back."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        value = headers.get(CORRELATION_HEADER.encode(), b"").decode()[:100] or str(uuid4())
        token = correlation_id.set(value)

        async def send_wrapper(message: dict) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", []).append(
                    (CORRELATION_HEADER.encode(), value.encode())
                )
            await send(message)

        try:
            await self.app(scope, receive, send_wrapper)
        finally:
            correlation_id.reset(token)


def ops_router(runtime: ServiceRuntime) -> APIRouter:
    router = APIRouter(tags=["operations"])

    @router.get("/healthz", summary="Liveness")
    async def healthz() -> dict[str, str]:
        return {"status": "ok", "service": runtime.settings.service_name}

    @router.get(
        "/readyz",
        summary="Readiness: database and broker reachable",
        responses=READINESS,
    )
    async def readyz() -> JSONResponse:
        checks = await runtime.readiness()
        ready = all(v == "ok" for v in checks.values())
        return JSONResponse({"ready": ready, "checks": checks}, status_code=200 if ready else 503)

    @router.get("/metrics", summary="Prometheus metrics", include_in_schema=False)
    async def metrics() -> Response:
        return metrics_response()

    return router


def build_app(
    runtime: ServiceRuntime,
    *,
    title: str,
    description: str,
    routers: list[APIRouter],
    lifespan: Callable[[FastAPI], object] | None = None,
) -> FastAPI:
    app = FastAPI(
        title=title,
        description=description,
        version="1.0.0",
        lifespan=lifespan or runtime.lifespan,
        dependencies=[Depends(reject_nul_characters)],
    )
    install_problem_handlers(app)
    install_problem_openapi(app)
    app.add_middleware(
        GatewayIdentityMiddleware, secret=runtime.settings.internal_secret.get_secret_value()
    )
    app.add_middleware(RedMetricsMiddleware, service=runtime.settings.service_name)
    app.add_middleware(CorrelationIdMiddleware)
    app.include_router(ops_router(runtime))
    if runtime.audit:
        app.include_router(
            audit_router(runtime.audit, runtime.sessions, runtime.settings.service_name)
        )
    for router in routers:
        app.include_router(router)
    app.state.runtime = runtime
    return app
