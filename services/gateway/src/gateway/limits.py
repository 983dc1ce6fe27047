"""Request limits at the gateway: body size (413) and per-caller rate limits (429).

Body size: the gateway is the only public entry, so it refuses what no service should
ever have to read. A declared ``Content-Length`` over the limit is answered before a byte
of the body is read or forwarded; a chunked body is counted as it streams and the request
is cut off (the service sees a broken request and stores nothing) once it passes the
limit. Multipart uploads get a larger limit than JSON, kept above intake's own document
limit (``INTAKE_MAX_UPLOAD_BYTES``) so intake gives the precise answer about the file; so
do the partner registries' bulk uploads (up to 10,000 rows of JSON or CSV, more than a
mebibyte), where eligibility counts the rows.

Rate limits are token buckets held in this process: a bucket refills at ``per_second`` up
to ``burst`` tokens and each request spends one, so a person may click through quickly
(the burst) while a script cannot sustain more than the rate. The bucket is the signed-in
user's subject, a partner key's own ``rate_limit_per_minute``, or for anonymous callers
and sign-in attempts (password guessing) the client IP. With several gateway replicas each
enforces its own buckets; size the settings per replica.
"""

from __future__ import annotations

import math
import re
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from prometheus_client import Counter
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gateway.config import Settings
from sfms_shared.identity import Identity
from sfms_shared.problems import Problem, problem_response

SHED = Counter(
    "sfms_gateway_shed_total",
    "Requests the gateway refused to protect the platform, by reason",
    ["reason"],
)

Now = Callable[[], float]
# Bulk uploads sent as one JSON or CSV body rather than multipart.
BULK_UPLOADS = re.compile(r"^/api/v1/eligibility/registries/[^/]+/uploads$")


# Body size -------------------------------------------------------------------------------


def payload_too_large(limit: int) -> Problem:
    return Problem.for_field(
        413,
        "payload-too-large",
        "body",
        f"The request body is larger than the limit of {limit:,} bytes",
        f"요청 본문이 허용 크기({limit:,} 바이트)를 넘습니다",
        limit_bytes=limit,
    )


class _BodyTooLarge(Exception):
    """Raised from ``receive`` to stop whoever is reading (the proxy, a body parser)."""


class BodyLimitMiddleware:
    """413 for bodies over the limit: declared ones up front, streamed ones as counted.

    When the count passes the limit, whatever the app answers (its body parser or the
    proxy fails on the interrupted stream) is replaced by the 413, if nothing was sent yet.
    """

    def __init__(self, app: ASGIApp, max_body_bytes: int, max_upload_bytes: int) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.max_upload_bytes = max_upload_bytes

    def limit_for(self, content_type: str, path: str) -> int:
        multipart = content_type.lower().startswith("multipart/")
        upload = multipart or BULK_UPLOADS.match(path) is not None
        return self.max_upload_bytes if upload else self.max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        limit = self.limit_for(headers.get("content-type", ""), scope["path"])
        declared = headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            await self._refuse(scope, receive, send, limit)
            return
        state = {"received": 0, "exceeded": False, "started": False}

        async def counted_receive() -> Message:
            message = await receive()
            if message["type"] == "http.request":
                state["received"] += len(message.get("body", b""))
                if state["received"] > limit:
                    state["exceeded"] = True
                    raise _BodyTooLarge
            return message

        async def guarded_send(message: Message) -> None:
            if state["exceeded"] and not state["started"]:
                return  # the app's answer to the interrupted body; the 413 follows
            state["started"] = state["started"] or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted_receive, guarded_send)
        except Exception:
            if not state["exceeded"] or state["started"]:
                raise
        if state["exceeded"] and not state["started"]:
            await self._refuse(scope, receive, send, limit)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send, limit: int) -> None:
        SHED.labels("payload-too-large").inc()
        response = problem_response(payload_too_large(limit), scope.get("path"))
        response.headers["Connection"] = "close"  # the rest of the body is not read
        await response(scope, receive, send)


# Rate limits -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Rate:
    per_second: float
    burst: int


class TokenBucket:
    def __init__(self, rate: Rate, now: float) -> None:
        self.rate = rate
        self.tokens = float(rate.burst)
        self.updated = now

    def _refill(self, now: float) -> None:
        elapsed = max(0.0, now - self.updated)
        self.tokens = min(float(self.rate.burst), self.tokens + elapsed * self.rate.per_second)
        self.updated = now

    def take(self, now: float) -> float:
        """Spend a token: 0.0 when one was there, else the seconds until one will be."""
        self._refill(now)
        if self.tokens >= 1.0:
            self.tokens -= 1.0
            return 0.0
        return (1.0 - self.tokens) / self.rate.per_second

    def full(self, now: float) -> bool:
        return self.tokens + max(0.0, now - self.updated) * self.rate.per_second >= self.rate.burst


@dataclass(frozen=True)
class Quota:
    """The outcome of spending a token, as the ``RateLimit-*`` and ``Retry-After`` headers say it."""

    limit: int
    remaining: int
    retry_after: int = 0  # whole seconds; 0 when the request may go ahead

    @property
    def allowed(self) -> bool:
        return self.retry_after == 0

    @property
    def headers(self) -> dict[str, str]:
        return {"RateLimit-Limit": str(self.limit), "RateLimit-Remaining": str(self.remaining)}


class TokenBuckets:
    """One bucket per key. A full bucket is the same as no bucket, so full ones are dropped
    when there are many keys (anonymous callers come and go)."""

    def __init__(self, now: Now = time.monotonic, max_keys: int = 50_000) -> None:
        self.now = now
        self.max_keys = max_keys
        self._prune_at = max_keys
        self._buckets: dict[str, TokenBucket] = {}

    def __len__(self) -> int:
        return len(self._buckets)

    def take(self, key: str, rate: Rate) -> Quota:
        now = self.now()
        bucket = self._buckets.get(key)
        if bucket is None or bucket.rate != rate:
            if len(self._buckets) >= self._prune_at:
                self._prune(now)
            bucket = self._buckets[key] = TokenBucket(rate, now)
        wait = bucket.take(now)
        retry_after = max(1, math.ceil(wait)) if wait > 0 else 0
        return Quota(rate.burst, int(bucket.tokens), retry_after)

    def _prune(self, now: float) -> None:
        self._buckets = {k: b for k, b in self._buckets.items() if not b.full(now)}
        self._prune_at = max(self.max_keys, 2 * len(self._buckets))


def rate_limited(quota: Quota) -> Problem:
    seconds = quota.retry_after
    problem = Problem(
        status=429,
        slug="rate-limited",
        title_en="Too many requests",
        title_ko="요청이 너무 많습니다",
        detail_en=f"Too many requests from this caller; try again in {seconds} s",
        detail_ko=f"요청이 너무 많습니다. {seconds}초 후에 다시 시도하세요",
        extra={"retry_after_seconds": seconds},
    )
    problem.headers.update(quota.headers)
    problem.headers["Retry-After"] = str(seconds)
    return problem


def partner_rate(per_minute: int) -> Rate:
    """A partner key's own limit; its burst is ten seconds' worth (at least one request)."""
    return Rate(per_minute / 60.0, max(1, math.ceil(per_minute / 6)))


class RateLimits:
    """Which bucket a caller spends from, and at what rate."""

    def __init__(
        self,
        settings: Settings,
        key_rate_per_minute: Callable[[str], Awaitable[int]],
        now: Now = time.monotonic,
    ) -> None:
        self.user = Rate(settings.user_rate_per_second, settings.user_burst)
        self.anonymous = Rate(settings.anonymous_rate_per_second, settings.anonymous_burst)
        self.login = Rate(settings.login_rate_per_second, settings.login_burst)
        self.key_rate_per_minute = key_rate_per_minute
        self.buckets = TokenBuckets(now)

    async def spend(self, identity: Identity, request: Request) -> Quota:
        """One token of the caller's bucket, or a 429 with ``Retry-After``."""
        if identity.kind == "api-key":
            key_id = identity.subject.removeprefix("api-key:")
            key, rate = identity.subject, partner_rate(await self.key_rate_per_minute(key_id))
        elif identity.authenticated:
            key, rate = f"user:{identity.subject}", self.user
        else:
            key, rate = f"ip:{client_ip(request)}", self.anonymous
        return self._spend(key, rate)

    def spend_login(self, request: Request) -> Quota:
        """Sign-in and sign-up attempts, per client IP: slows password guessing."""
        return self._spend(f"login:{client_ip(request)}", self.login)

    def _spend(self, key: str, rate: Rate) -> Quota:
        quota = self.buckets.take(key, rate)
        if not quota.allowed:
            SHED.labels("rate-limited").inc()
            raise rate_limited(quota)
        return quota


def client_ip(request: Request) -> str:
    """The peer uvicorn reports (behind a proxy: from X-Forwarded-For when the proxy is
    trusted through uvicorn's ``FORWARDED_ALLOW_IPS``)."""
    return request.client.host if request.client else "unknown"


async def limit_login(request: Request) -> None:
    """FastAPI dependency for the sign-in routes."""
    request.app.state.rate_limits.spend_login(request)
