"""What a service tells the operators' live dashboard about one call: its own counts
(each service knows its stage of the pipeline) and the health of its messaging — outbox
backlog, consumer lag, dead letters.

``GET /v1/ops/calls/{call_id}/pipeline`` (operators of the call); the gateway merges every
service's answer for the dashboard. Dead letters are read from the service's dead-letter
topic at most every ``DEAD_LETTERS_EVERY`` seconds; when the broker cannot be reached the
figure is ``null`` rather than a failure.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import APIRouter, Path
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from sfms_shared.access import Caller, require_call_operator
from sfms_shared.messaging.dead_letters import read_dead_letters
from sfms_shared.metrics import CONSUMER_LAG, PIPELINE
from sfms_shared.service import ServiceRuntime

CallCounts = Callable[[AsyncSession, str], Awaitable[dict[str, Any]]]
KnownCalls = Callable[[AsyncSession], Awaitable[list[str]]]
DEAD_LETTERS_EVERY = 15.0
GAUGES_EVERY = 30.0


class DeadLetterCount:
    def __init__(self, bootstrap: str, service: str) -> None:
        self.bootstrap, self.service = bootstrap, service
        self.value: int | None = None
        self.read_at = -DEAD_LETTERS_EVERY

    async def get(self) -> int | None:
        if time.monotonic() - self.read_at >= DEAD_LETTERS_EVERY:
            self.read_at = time.monotonic()
            try:
                self.value = len(await read_dead_letters(self.bootstrap, self.service))
            except Exception:  # noqa: BLE001 - a broker outage shows as "unknown"
                self.value = None
        return self.value


def consumer_lag(service: str) -> int:
    """Messages this process's consumers are behind, over every topic and partition."""
    return int(
        sum(
            sample.value
            for metric in CONSUMER_LAG.collect()
            for sample in metric.samples
            if sample.labels.get("service") == service
        )
    )


def pipeline_router(runtime: ServiceRuntime, counts: CallCounts) -> APIRouter:
    router = APIRouter(prefix="/v1", tags=["operations"])
    service = runtime.settings.service_name
    dead_letters = DeadLetterCount(runtime.settings.kafka_bootstrap_servers, service)
    outbox = runtime.tables.outbox

    @router.get(
        "/ops/calls/{call_id}/pipeline",
        summary="This service's counts for a call and its messaging health (operators)",
    )
    async def pipeline(
        who: Caller,
        call_id: str = Path(max_length=100, pattern=r"^[a-z0-9][a-z0-9-]*$"),
    ) -> dict[str, Any]:
        require_call_operator(who, call_id, "watch the call's pipeline", "공고 현황을 볼")
        async with runtime.sessions() as session:
            own = await counts(session, call_id)
            backlog = await session.scalar(
                select(func.count()).select_from(outbox).where(outbox.c.published_at.is_(None))
            )
        return {
            "service": service,
            "call_id": call_id,
            "as_of": runtime.clock.now().isoformat(),
            "counts": own,
            "messaging": {
                "outbox_backlog": backlog or 0,
                "consumer_lag": consumer_lag(service),
                "dead_letters": await dead_letters.get(),
            },
        }

    return router


def flatten(counts: dict[str, Any], prefix: str = "") -> dict[str, int]:
    """Numeric leaves of nested counts: {"verdicts": {"eligible": 3}} → {"verdicts.eligible": 3}."""
    found: dict[str, int] = {}
    for key, value in counts.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            found |= flatten(value, name + ".")
        elif isinstance(value, int) and not isinstance(value, bool):
            found[name] = value
    return found


def pipeline_gauges(
    runtime: ServiceRuntime, counts: CallCounts, calls: KnownCalls
) -> Callable[[asyncio.Event], Awaitable[None]]:
    """A worker that sets ``sfms_pipeline_applications`` for every call the service knows,
    every ``GAUGES_EVERY`` seconds, so Prometheus and Grafana follow each call's pipeline."""
    service = runtime.settings.service_name

    async def run(stop: asyncio.Event) -> None:
        while not stop.is_set():
            async with runtime.sessions() as session:
                for call_id in await calls(session):
                    for stage, value in flatten(await counts(session, call_id)).items():
                        PIPELINE.labels(service, call_id, stage).set(value)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), GAUGES_EVERY)

    return run
