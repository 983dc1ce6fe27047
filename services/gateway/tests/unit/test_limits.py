"""Token buckets on an injected monotonic clock, the caller → bucket policy, and the body
size middleware on a small in-process app."""

from __future__ import annotations

import httpx
import pytest
from fastapi import FastAPI, Request

from gateway.config import Settings
from gateway.limits import (
    BodyLimitMiddleware,
    Rate,
    RateLimits,
    TokenBucket,
    TokenBuckets,
    partner_rate,
)
from sfms_shared.identity import ANONYMOUS, Identity
from sfms_shared.problems import Problem, install_problem_handlers


class Ticks:
    """A monotonic clock that moves only when told."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_bucket_allows_its_burst_then_says_when_the_next_token_comes() -> None:
    bucket = TokenBucket(Rate(per_second=2.0, burst=3), now=0.0)
    assert [bucket.take(0.0) for _ in range(3)] == [0.0, 0.0, 0.0]
    assert bucket.take(0.0) == pytest.approx(0.5)
    assert bucket.take(0.25) == pytest.approx(0.25)
    assert bucket.take(0.5) == 0.0


def test_a_bucket_refills_at_its_rate_up_to_its_burst() -> None:
    bucket = TokenBucket(Rate(per_second=1.0, burst=2), now=0.0)
    bucket.take(0.0)
    bucket.take(0.0)
    assert bucket.full(1.9) is False
    assert bucket.full(2.0) is True
    assert bucket.take(100.0) == 0.0
    assert bucket.tokens == pytest.approx(1.0)  # capped at 2, one spent


def test_retry_after_is_whole_seconds_and_at_least_one() -> None:
    ticks = Ticks()
    buckets = TokenBuckets(ticks)
    fast, slow = Rate(10.0, 1), Rate(0.25, 1)
    assert buckets.take("fast", fast).allowed
    assert buckets.take("fast", fast).retry_after == 1  # 0.1 s rounds up to 1
    assert buckets.take("slow", slow).allowed
    ticks.now += 0.5
    assert buckets.take("slow", slow).retry_after == 4  # 3.5 s rounds up to 4


def test_each_key_has_its_own_bucket_and_remaining_counts_down() -> None:
    buckets = TokenBuckets(Ticks())
    rate = Rate(1.0, 3)
    assert [buckets.take("a", rate).remaining for _ in range(3)] == [2, 1, 0]
    refused = buckets.take("a", rate)
    assert (refused.allowed, refused.remaining, refused.limit) == (False, 0, 3)
    assert refused.headers == {"RateLimit-Limit": "3", "RateLimit-Remaining": "0"}
    assert buckets.take("b", rate).allowed


def test_full_buckets_are_dropped_when_there_are_many_keys() -> None:
    ticks = Ticks()
    buckets = TokenBuckets(ticks, max_keys=10)
    rate = Rate(1.0, 5)
    for n in range(10):
        buckets.take(f"caller-{n}", rate)
    ticks.now += 1.0  # every bucket is full again
    buckets.take("newcomer", rate)
    assert len(buckets) == 1


def test_a_partner_key_gets_its_per_minute_rate_with_ten_seconds_of_burst() -> None:
    assert partner_rate(600) == Rate(10.0, 100)
    assert partner_rate(6) == Rate(0.1, 1)
    assert partner_rate(1).burst == 1


def _request(host: str = "192.0.2.7") -> Request:
    return Request(
        {"type": "http", "method": "GET", "path": "/", "headers": [], "client": (host, 5000)}
    )


async def _rates(**overrides: object) -> tuple[RateLimits, list[str]]:
    asked: list[str] = []

    async def key_rate(key_id: str) -> int:
        asked.append(key_id)
        return 6

    settings = Settings(
        internal_secret="test",
        **{"user_burst": 2, "anonymous_burst": 1, "login_burst": 1, **overrides},
    )
    return RateLimits(settings, key_rate, now=Ticks()), asked


async def test_users_keys_and_anonymous_callers_spend_from_their_own_buckets() -> None:
    limits, asked = await _rates()
    user = Identity(subject="u-1", roles=frozenset({"applicant"}))
    key = Identity(subject="api-key:0123456789ab", kind="api-key")
    assert (await limits.spend(user, _request())).remaining == 1
    assert (await limits.spend(key, _request())).limit == 1
    assert asked == ["0123456789ab"]
    assert (await limits.spend(ANONYMOUS, _request("192.0.2.7"))).allowed
    assert (await limits.spend(ANONYMOUS, _request("192.0.2.8"))).allowed
    assert (await limits.spend(user, _request())).remaining == 0
    with pytest.raises(Problem) as refused:
        await limits.spend(user, _request())
    problem = refused.value
    assert (problem.status, problem.slug) == (429, "rate-limited")
    assert problem.headers["Retry-After"] == "1"  # 50/s by default
    assert problem.headers["RateLimit-Remaining"] == "0"
    assert "초 후에" in problem.detail_ko
    with pytest.raises(Problem) as key_refused:
        await limits.spend(key, _request())
    assert key_refused.value.headers["Retry-After"] == "10"  # 6 a minute


async def test_sign_in_attempts_are_limited_per_client_ip() -> None:
    limits, _ = await _rates(login_rate_per_second=0.2)
    limits.spend_login(_request("192.0.2.1"))
    limits.spend_login(_request("192.0.2.2"))
    with pytest.raises(Problem) as refused:
        limits.spend_login(_request("192.0.2.1"))
    assert refused.value.headers["Retry-After"] == "5"


# Body size -------------------------------------------------------------------------------


def _echo_app() -> FastAPI:
    app = FastAPI()
    install_problem_handlers(app)
    app.add_middleware(BodyLimitMiddleware, max_body_bytes=100, max_upload_bytes=1000)
    app.state.bodies_read = 0

    @app.post("/echo")
    async def echo(request: Request) -> dict[str, int]:
        size = len(await request.body())
        request.app.state.bodies_read += 1
        return {"size": size}

    @app.post("/api/v1/eligibility/registries/{registry}/uploads")
    async def bulk(request: Request) -> dict[str, int]:
        return {"size": len(await request.body())}

    @app.post("/json")
    async def parsed(body: dict[str, str]) -> dict[str, int]:
        return {"keys": len(body)}

    return app


async def _post(app: FastAPI, path: str, **kwargs: object) -> httpx.Response:
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://gateway"
    ) as client:
        return await client.post(path, **kwargs)


async def test_a_declared_length_over_the_limit_is_refused_before_the_body_is_read() -> None:
    app = _echo_app()
    response = await _post(app, "/echo", content=b"x" * 101)
    assert response.status_code == 413
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["type"] == "urn:sfms:problem:payload-too-large"
    assert body["field"] == "body"
    assert body["limit_bytes"] == 100
    assert "100 bytes" in body["detail"] and "100 바이트" in body["detail_ko"]
    assert app.state.bodies_read == 0
    assert (await _post(app, "/echo", content=b"x" * 100)).json() == {"size": 100}


async def test_a_streamed_body_is_counted_and_cut_off_at_the_limit() -> None:
    async def chunks():
        for _ in range(10):
            yield b"y" * 30

    app = _echo_app()
    response = await _post(app, "/echo", content=chunks())
    assert response.status_code == 413
    assert response.json()["type"].endswith("payload-too-large")
    assert app.state.bodies_read == 0


async def test_a_body_parsed_by_fastapi_is_cut_off_with_the_same_answer() -> None:
    async def chunks():
        yield b'{"a": "'
        for _ in range(10):
            yield b"z" * 30
        yield b'"}'

    response = await _post(_echo_app(), "/json", content=chunks())
    assert response.status_code == 413
    assert response.json()["field"] == "body"


async def test_multipart_uploads_have_the_larger_limit() -> None:
    app = _echo_app()
    small_file = {"file": ("a.pdf", b"%PDF" + b"0" * 500, "application/pdf")}
    assert (await _post(app, "/echo", files=small_file)).status_code == 200
    big_file = {"file": ("a.pdf", b"%PDF" + b"0" * 1000, "application/pdf")}
    refused = await _post(app, "/echo", files=big_file)
    assert refused.status_code == 413
    assert refused.json()["limit_bytes"] == 1000


async def test_registry_bulk_uploads_have_the_larger_limit() -> None:
    """10,000 rows of JSON or CSV are more than a JSON body's limit (eligibility counts rows)."""
    app = _echo_app()
    uploads = "/api/v1/eligibility/registries/sanctions/uploads"
    csv = {"content": b"x" * 500, "headers": {"content-type": "text/csv"}}
    assert (await _post(app, uploads, **csv)).json() == {"size": 500}
    assert (await _post(app, "/echo", **csv)).status_code == 413
    refused = await _post(app, uploads, content=b"x" * 1001)
    assert (refused.status_code, refused.json()["limit_bytes"]) == (413, 1000)
