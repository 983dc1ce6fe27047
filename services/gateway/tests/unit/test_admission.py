"""Admission per upstream service: a bounded number in flight, a short wait, then a 503."""

from __future__ import annotations

import asyncio

import pytest
from prometheus_client import REGISTRY
from starlette.background import BackgroundTask

from gateway.admission import Admission
from gateway.proxy import UpstreamResponse
from sfms_shared.problems import Problem


def _gauge(service: str) -> float:
    return REGISTRY.get_sample_value("sfms_gateway_in_flight", {"upstream": service}) or 0.0


async def test_requests_beyond_the_limit_get_a_quick_503_with_retry_after() -> None:
    admission = Admission(["intake"], max_in_flight=2, wait_seconds=0.01)
    before = _gauge("intake")
    first, second = await admission.admit("intake"), await admission.admit("intake")
    assert admission.in_flight("intake") == 2
    assert _gauge("intake") == before + 2
    with pytest.raises(Problem) as refused:
        await admission.admit("intake")
    problem = refused.value
    assert (problem.status, problem.slug) == (503, "overloaded")
    assert problem.headers["Retry-After"] in {"1", "2"}
    assert problem.title_ko
    first.release()
    second.release()
    assert admission.in_flight("intake") == 0
    assert _gauge("intake") == before


async def test_a_waiting_request_takes_a_slot_released_within_the_wait() -> None:
    admission = Admission(["scoring"], max_in_flight=1, wait_seconds=5)
    held = await admission.admit("scoring")
    waiting = asyncio.create_task(admission.admit("scoring"))
    await asyncio.sleep(0)
    assert not waiting.done()
    held.release()
    slot = await asyncio.wait_for(waiting, 1)
    assert admission.in_flight("scoring") == 1
    slot.release()


async def test_waiters_are_served_in_arrival_order() -> None:
    admission = Admission(["intake"], max_in_flight=1, wait_seconds=5)
    held = await admission.admit("intake")
    served: list[int] = []

    async def wait_then_note(n: int) -> None:
        slot = await admission.admit("intake")
        served.append(n)
        slot.release()

    waiters = [asyncio.create_task(wait_then_note(n)) for n in range(5)]
    await asyncio.sleep(0)
    held.release()
    await asyncio.gather(*waiters)
    assert served == [0, 1, 2, 3, 4]


async def test_release_twice_frees_one_slot_only() -> None:
    admission = Admission(["intake"], max_in_flight=1, wait_seconds=0)
    slot = await admission.admit("intake")
    slot.release()
    slot.release()
    assert admission.in_flight("intake") == 0
    again = await admission.admit("intake")
    with pytest.raises(Problem):
        await admission.admit("intake")  # still one slot, not two
    again.release()


async def test_services_have_separate_limits() -> None:
    admission = Admission(["intake", "eligibility"], max_in_flight=1, wait_seconds=0)
    intake = await admission.admit("intake")
    eligibility = await admission.admit("eligibility")
    intake.release()
    eligibility.release()


async def test_a_timed_out_waiter_leaves_no_slot_taken() -> None:
    admission = Admission(["intake"], max_in_flight=1, wait_seconds=0.01)
    held = await admission.admit("intake")
    for _ in range(3):
        with pytest.raises(Problem):
            await admission.admit("intake")
    held.release()
    slot = await admission.admit("intake")
    assert admission.in_flight("intake") == 1
    slot.release()


async def test_the_upstream_answer_is_finished_even_when_the_client_goes_away() -> None:
    """The slot is released by the response's background task; Starlette alone would skip
    it when sending fails."""
    finished: list[str] = []

    async def body():
        yield b"part"
        yield b"rest"

    async def finish() -> None:
        finished.append("closed")

    async def receive() -> dict:
        await asyncio.sleep(10)
        return {"type": "http.disconnect"}

    async def broken_send(message: dict) -> None:
        if message["type"] == "http.response.body":
            raise OSError("client went away")

    response = UpstreamResponse(body(), background=BackgroundTask(finish))
    scope = {"type": "http", "asgi": {"spec_version": "2.4"}, "method": "GET", "headers": []}
    with pytest.raises(Exception):  # noqa: B017 - Starlette's ClientDisconnect
        await response(scope, receive, broken_send)
    assert finished == ["closed"]
