"""Prometheus metrics shared by every service: RED per endpoint and per consumer,
outbox backlog, consumer lag and the business figures of each call's pipeline. The HTTP middleware also writes one JSON log line per
request (route template, status, duration; the correlation id comes from the context)."""

from __future__ import annotations

import logging
import time

from prometheus_client import CONTENT_TYPE_LATEST, Counter, Gauge, Histogram, generate_latest
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Match
from starlette.types import ASGIApp, Receive, Scope, Send

log = logging.getLogger("sfms.http")

HTTP_REQUESTS = Counter(
    "sfms_http_requests_total", "HTTP requests handled", ["service", "method", "route", "status"]
)
HTTP_LATENCY = Histogram(
    "sfms_http_request_duration_seconds", "HTTP request latency", ["service", "method", "route"]
)
EVENTS_PUBLISHED = Counter(
    "sfms_events_published_total", "Events published from the outbox", ["service", "topic"]
)
EVENTS_CONSUMED = Counter(
    "sfms_events_consumed_total",
    "Events consumed, by outcome (processed, duplicate)",
    ["service", "consumer", "topic", "outcome"],
)
EVENTS_FAILED = Counter(
    "sfms_events_failed_total",
    "Event handling attempts that failed",
    ["service", "consumer", "topic"],
)
EVENTS_DEAD_LETTERED = Counter(
    "sfms_events_dead_lettered_total",
    "Events sent to the dead-letter topic",
    ["service", "consumer", "topic"],
)
EVENT_HANDLER_LATENCY = Histogram(
    "sfms_event_handler_duration_seconds", "Event handler latency", ["service", "consumer", "topic"]
)
OUTBOX_BACKLOG = Gauge("sfms_outbox_backlog", "Outbox events not yet published", ["service"])
CONSUMER_LAG = Gauge(
    "sfms_consumer_lag",
    "Messages behind the high-water mark",
    ["service", "consumer", "topic", "partition"],
)

# Business figures per call, as the pipeline counts them (``sfms_shared.pipeline``): e.g.
# intake "submitted", eligibility "verdicts.ineligible", scoring
# "stages.document-review.result.outcomes.shortlisted", settlement "agreements.signed".
PIPELINE = Gauge(
    "sfms_pipeline_applications",
    "Applications of a call at a point of the pipeline, as the service counts them",
    ["service", "call_id", "stage"],
)


def metrics_response() -> Response:
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)


class RedMetricsMiddleware:
    """Rate, errors and duration per route template (not per raw path, to bound cardinality)."""

    def __init__(self, app: ASGIApp, service: str) -> None:
        self.app = app
        self.service = service

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        route = _route_template(scope)
        status = {"code": 500}

        async def send_wrapper(message: dict) -> None:
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
            await send(message)

        started = time.perf_counter()
        try:
            await self.app(scope, receive, send_wrapper)
        finally:
            method = scope["method"]
            elapsed = time.perf_counter() - started
            HTTP_LATENCY.labels(self.service, method, route).observe(elapsed)
            HTTP_REQUESTS.labels(self.service, method, route, str(status["code"])).inc()
            log.info(
                "request",
                extra={
                    "method": method,
                    "route": route,
                    "status": status["code"],
                    "duration_ms": round(elapsed * 1000, 2),
                },
            )


def _route_template(scope: Scope) -> str:
    app = scope.get("app")
    router = getattr(app, "router", None)
    for route in getattr(router, "routes", []):
        match, _ = route.matches(scope)
        if match == Match.FULL:
            return getattr(route, "path", "unmatched")
    return "unmatched"


async def metrics_endpoint(_: Request) -> Response:
    return metrics_response()
