"""Answers the gateway composes from several services, each asked with the caller's own
identity, so every service still applies its own object-level rules.

- ``GET /api/v1/applications/{id}/status``: one view of an application across services.
  Intake decides who may see the application; a service that has not (yet) received it,
  or cannot be reached, is reported as such rather than failing the whole answer.
- ``GET /api/v1/audit-entries``: every service's audit log merged, newest first, with a
  cursor that remembers where each service's log was left.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import json
from typing import Annotated, Any
from uuid import UUID

import httpx
from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse

from gateway.auth_api import SignedIn
from gateway.routes import SERVICES
from sfms_shared.audit import AuditLog, require_audit_reader
from sfms_shared.identity import IDENTITY_HEADER, Identity, sign_internal_token
from sfms_shared.inputs import INT64_MAX
from sfms_shared.logging import correlation_id
from sfms_shared.problems import Problem

# The stage each downstream service reports on.
STAGES = {
    "eligibility": "requirement_review",
    "scoring": "evaluation",
    "matching": "matching",
    "settlement": "settlement",
}
GATEWAY_LOG = "gateway"


class Upstream:
    """GETs to a service, signed as the caller."""

    def __init__(self, request: Request, identity: Identity) -> None:
        self.client: httpx.AsyncClient = request.app.state.client
        self.urls: dict[str, str] = request.app.state.base_urls
        self.secret = request.app.state.settings.internal_secret.get_secret_value()
        self.identity = identity

    async def get(
        self, service: str, path: str, params: dict[str, Any] | None = None
    ) -> httpx.Response:
        headers = {IDENTITY_HEADER: sign_internal_token(self.identity, self.secret, "GET", path)}
        if cid := correlation_id.get():
            headers["x-correlation-id"] = cid
        return await self.client.get(
            self.urls[service] + path, params=params, headers=headers, timeout=10
        )


def aggregate_router(audit_log: AuditLog) -> APIRouter:
    router = APIRouter(prefix="/api/v1")

    @router.get(
        "/applications/{application_id}/status",
        tags=["applications"],
        summary="An application's state across services (its owner, operators, partner feeds)",
    )
    async def application_status(request: Request, identity: SignedIn, application_id: UUID) -> Any:
        upstream = Upstream(request, identity)
        base = f"/v1/applications/{application_id}"
        application, receipts = await asyncio.gather(
            upstream.get("intake", base), upstream.get("intake", base + "/submissions")
        )
        if application.status_code != 200:  # not found, not yours, not signed in: as intake says
            return _passthrough(application)
        stages = await asyncio.gather(*(_stage(upstream, s, application_id) for s in STAGES))
        body = application.json()
        history = receipts.json() if receipts.status_code == 200 else []
        return {
            "application_id": body["id"],
            "call_id": body["call_id"],
            "status": body["status"],
            "submitted_version": body["submitted_version"],
            "latest_receipt": history[-1] if history else None,
            "stages": {"intake": {"state": body["status"], "updated_at": body["updated_at"]}}
            | dict(zip(STAGES.values(), stages, strict=True)),
        }

    @router.get(
        "/audit-entries",
        tags=["audit"],
        summary="The audit log of every service, newest first (operators and admins)",
    )
    async def audit_entries(
        request: Request,
        identity: SignedIn,
        application_id: Annotated[UUID | None, Query()] = None,
        organisation_id: Annotated[UUID | None, Query()] = None,
        actor: Annotated[str | None, Query(max_length=200)] = None,
        limit: Annotated[int, Query(ge=1, le=200)] = 50,
        cursor: Annotated[str | None, Query(max_length=2000)] = None,
    ) -> dict[str, Any]:
        require_audit_reader(identity)
        positions = _decode(cursor)
        filters = {
            k: str(v)
            for k, v in (
                ("application_id", application_id),
                ("organisation_id", organisation_id),
                ("actor", actor),
            )
            if v is not None
        }
        upstream = Upstream(request, identity)
        sources = [s for s in (GATEWAY_LOG, *SERVICES) if positions.get(s, 0) is not None]
        pages = await asyncio.gather(
            *(_audit_page(request, upstream, s, filters, positions.get(s), limit) for s in sources)
        )
        merged = sorted(
            (entry for page in pages for entry in page),
            key=lambda e: (e["recorded_at"], e["service"], e["id"]),
            reverse=True,
        )[:limit]
        for source, page in zip(sources, pages, strict=True):
            taken = [e["id"] for e in merged if e["service"] == source]
            if taken:
                positions[source] = min(taken)
            elif len(page) < limit:
                positions[source] = None  # this log has nothing further
        more = len(merged) == limit and any(v is not None for v in positions.values())
        return {"items": merged, "next_cursor": _encode(positions) if more else None}

    async def _audit_page(
        request: Request,
        upstream: Upstream,
        source: str,
        filters: dict[str, str],
        before: int | None,
        limit: int,
    ) -> list[dict[str, Any]]:
        if source == GATEWAY_LOG:
            async with request.app.state.sessions() as session:
                items = await audit_log.query(
                    session,
                    upstream.identity,
                    application_id=filters.get("application_id"),
                    organisation_id=filters.get("organisation_id"),
                    actor=filters.get("actor"),
                    before=before,
                    limit=limit,
                )
            return [item | {"service": GATEWAY_LOG} for item in items]
        params = {**filters, "limit": limit} | ({"before": before} if before else {})
        try:
            response = await upstream.get(source, "/v1/audit-entries", params)
        except httpx.HTTPError as exc:
            raise _unavailable(source) from exc
        if response.status_code != 200:
            raise _unavailable(source)
        return response.json()["items"]

    return router


async def _stage(upstream: Upstream, service: str, application_id: UUID) -> dict[str, Any]:
    try:
        response = await upstream.get(service, f"/v1/application-status/{application_id}")
    except httpx.HTTPError:
        return {"state": "unavailable"}
    if response.status_code == 404:
        return {"state": "not-received"}
    if response.status_code != 200:
        return {"state": "unavailable"}
    return response.json()


def _passthrough(response: httpx.Response) -> JSONResponse:
    return JSONResponse(
        response.json(),
        status_code=response.status_code,
        media_type=response.headers.get("content-type", "application/json"),
    )


def _unavailable(service: str) -> Problem:
    problem = Problem(
        status=503,
        slug="service-unavailable",
        title_en=f"The {service} service's audit log cannot be read now; try again shortly",
        title_ko=f"{service} 서비스의 감사 기록을 지금 읽을 수 없습니다. 잠시 후 다시 시도하세요",
    )
    problem.headers["Retry-After"] = "2"
    return problem


def _encode(positions: dict[str, int | None]) -> str:
    return base64.urlsafe_b64encode(json.dumps(positions).encode()).decode().rstrip("=")


def _decode(cursor: str | None) -> dict[str, int | None]:
    if cursor is None:
        return {}
    try:
        raw = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        if not isinstance(raw, dict) or not all(
            v is None or (type(v) is int and 0 < v <= INT64_MAX) for v in raw.values()
        ):
            raise ValueError(cursor)
        return {str(k): v for k, v in raw.items()}
    except (ValueError, binascii.Error, RecursionError) as exc:
        raise Problem.for_field(
            422,
            "invalid-cursor",
            "cursor",
            "The cursor is not one this API gave",
            "cursor 값이 올바르지 않습니다",
        ) from exc
