"""Forwarding to the services over pooled httpx connections, streaming both ways.

Only idempotent methods are retried, and only when the connection could not be made
(the request never reached the service). An unreachable service is a quick 503 with
Retry-After, never a hang. The upstream answer is closed (and ``on_finish`` called) once
it has been read (a small one) or streamed to the client, or when the client goes away or
streaming fails.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import quote

import anyio
import httpx
from starlette.background import BackgroundTask
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.types import Receive, Scope, Send

from sfms_shared.identity import IDENTITY_HEADER
from sfms_shared.logging import correlation_id
from sfms_shared.problems import Problem

HOP_BY_HOP = {
    "connection",
    "keep-alive",
    "proxy-authenticate",
    "proxy-authorization",
    "te",
    "trailers",
    "transfer-encoding",
    "upgrade",
    "host",
    "content-length",
}
# Never passed through from the client: the gateway sets its own.
FROM_GATEWAY_ONLY = {IDENTITY_HEADER, "x-forwarded-for"}
IDEMPOTENT = {"GET", "HEAD", "OPTIONS", "PUT", "DELETE"}
CONNECT_ATTEMPTS = 2
BUFFERED_ANSWER_BYTES = 64 * 1024


def _forward_headers(request: Request, identity_token: str) -> list[tuple[str, str]]:
    headers = [
        (k, v)
        for k, v in request.headers.items()
        if k.lower() not in HOP_BY_HOP and k.lower() not in FROM_GATEWAY_ONLY
    ]
    headers.append((IDENTITY_HEADER, identity_token))
    if cid := correlation_id.get():
        headers = [(k, v) for k, v in headers if k.lower() != "x-correlation-id"]
        headers.append(("x-correlation-id", cid))
    if request.client:
        headers.append(("x-forwarded-for", request.client.host))
    return headers


def unavailable(service: str) -> Problem:
    problem = Problem(
        status=503,
        slug="service-unavailable",
        title_en=f"The {service} service is not reachable; try again shortly",
        title_ko=f"{service} 서비스에 연결할 수 없습니다. 잠시 후 다시 시도하세요",
    )
    problem.headers["Retry-After"] = "2"
    return problem


def broken_answer(service: str) -> Problem:
    problem = Problem(
        status=502,
        slug="upstream-connection-failed",
        title_en=f"The connection to the {service} service failed before it answered",
        title_ko=f"{service} 서비스가 응답하기 전에 연결이 끊어졌습니다",
    )
    problem.headers["Retry-After"] = "1"
    return problem


def _small(upstream: httpx.Response) -> bool:
    """An answer of known, small length (most JSON) is read whole and sent as one: cheaper
    than streaming, which costs a task group per answer. Downloads and answers of
    unknown length stream."""
    length = upstream.headers.get("content-length", "")
    return length.isdigit() and int(length) <= BUFFERED_ANSWER_BYTES


class UpstreamResponse(StreamingResponse):
    """Runs its background task however streaming ends; Starlette's runs it only when the
    answer was sent in full, which would leave the upstream connection (and an admission
    slot) held after a client disconnects."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        background, self.background = self.background, None
        try:
            await super().__call__(scope, receive, send)
        finally:
            if background is not None:
                with anyio.CancelScope(shield=True):
                    await background()


async def forward(
    client: httpx.AsyncClient,
    base_url: str,
    service: str,
    path: str,
    request: Request,
    identity_token: str,
    on_finish: Callable[[], None] | None = None,
) -> Response:
    """``identity_token`` is the caller's identity signed for this method and ``path``.
    ``on_finish`` is called when the answer has been sent on (not if this raises)."""
    # ``path`` is decoded (as routed and signed); encoded again, the service decodes it to the
    # same path, and characters a URL cannot carry raw (controls, %) travel safely.
    url = httpx.URL(base_url + quote(path, safe="/"), query=request.url.query.encode())
    body = request.stream() if request.method not in ("GET", "HEAD") else None
    attempts = CONNECT_ATTEMPTS if request.method in IDEMPOTENT and body is None else 1
    for attempt in range(1, attempts + 1):
        outgoing = client.build_request(
            request.method, url, headers=_forward_headers(request, identity_token), content=body
        )
        try:
            upstream = await client.send(outgoing, stream=True)
            break
        except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
            if attempt == attempts:
                raise unavailable(service) from exc
        except httpx.TimeoutException as exc:
            problem = Problem(
                status=504,
                slug="upstream-timeout",
                title_en=f"The {service} service did not answer in time",
                title_ko=f"{service} 서비스가 제시간에 응답하지 않았습니다",
            )
            raise problem from exc
        except httpx.RemoteProtocolError as exc:
            # A pooled connection the service closed (after a crash or restart, say) before
            # this request was answered: an idempotent request goes again on a fresh one.
            if attempt == attempts:
                raise broken_answer(service) from exc
        except httpx.TransportError as exc:
            raise broken_answer(service) from exc
    headers = {
        k: v
        for k, v in upstream.headers.items()
        if k.lower() not in HOP_BY_HOP - {"content-length"}
    }

    async def finish() -> None:
        try:
            await upstream.aclose()
        finally:
            if on_finish is not None:
                on_finish()

    if _small(upstream):
        try:
            content = b"".join([chunk async for chunk in upstream.aiter_raw()])
        except BaseException as exc:
            await upstream.aclose()
            if isinstance(exc, httpx.TransportError):
                raise broken_answer(service) from exc
            raise
        await finish()
        return Response(content, status_code=upstream.status_code, headers=headers)
    return UpstreamResponse(
        upstream.aiter_raw(),
        status_code=upstream.status_code,
        headers=headers,
        background=BackgroundTask(finish),
    )
