"""Admission control: a bounded number of requests in flight to each service.

On a deadline day (마감일) everyone submits in the last hour. Without a bound, every
request is forwarded, the service's database pool queues them, and they all wait until
they time out: nobody gets through. With a bound, a request waits briefly for a slot
(``GATEWAY_ADMISSION_WAIT_SECONDS``) and otherwise gets a quick 503 with ``Retry-After``
before anything reaches the service, so it is safe to retry (creates carry an
Idempotency-Key). A request that was admitted is forwarded and its answer returned in
full; its slot is released when the answer has been streamed (or on error).
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Callable, Iterable

from prometheus_client import Gauge

from gateway.limits import SHED
from sfms_shared.problems import Problem

IN_FLIGHT = Gauge(
    "sfms_gateway_in_flight",
    "Requests admitted to an upstream service and not yet answered in full",
    ["upstream"],
)


class Slot:
    """A place in flight; ``release`` is safe to call more than once."""

    def __init__(self, release: Callable[[], None]) -> None:
        self._release: Callable[[], None] | None = release

    def release(self) -> None:
        release, self._release = self._release, None
        if release is not None:
            release()


def overloaded(service: str) -> Problem:
    problem = Problem(
        status=503,
        slug="overloaded",
        title_en=f"The {service} service is busy; try again in a moment",
        title_ko=f"{service} 서비스에 요청이 몰려 처리하지 못했습니다. 잠시 후 다시 시도하세요",
        detail_en="The request was not forwarded; it is safe to send it again.",
        detail_ko="요청은 전달되지 않았으므로 다시 보내도 안전합니다.",
    )
    # 1 or 2 s at random, so refused clients do not all come back at the same instant.
    problem.headers["Retry-After"] = str(random.randint(1, 2))
    return problem


class Admission:
    def __init__(self, services: Iterable[str], max_in_flight: int, wait_seconds: float) -> None:
        self.max_in_flight = max_in_flight
        self.wait_seconds = wait_seconds
        self._slots = {service: asyncio.Semaphore(max_in_flight) for service in services}
        self._in_flight = dict.fromkeys(self._slots, 0)

    def in_flight(self, service: str) -> int:
        return self._in_flight[service]

    async def admit(self, service: str) -> Slot:
        """A slot for ``service`` (waiters are served first come, first served), or a 503."""
        slots = self._slots[service]
        try:
            async with asyncio.timeout(self.wait_seconds):
                await slots.acquire()
        except TimeoutError:
            SHED.labels("overloaded").inc()
            raise overloaded(service) from None
        self._in_flight[service] += 1
        IN_FLIGHT.labels(service).inc()

        def release() -> None:
            self._in_flight[service] -= 1
            IN_FLIGHT.labels(service).dec()
            slots.release()

        return Slot(release)
