"""The operators' live dashboard: ``GET /ops`` (the page) and the one figure set it polls,
``GET /api/v1/ops/calls/{call_id}/pipeline``, merged from every service's own
``/v1/ops/calls/{call_id}/pipeline`` (each asked with the caller's identity, so each checks
that the caller operates the call). A service that cannot be reached is shown as such."""

from __future__ import annotations

import asyncio
from importlib.resources import files
from typing import Annotated, Any

import httpx
from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse, JSONResponse

from gateway.aggregate import Upstream
from gateway.auth_api import SignedIn
from gateway.routes import SERVICES

CallId = Annotated[str, Path(max_length=100, pattern=r"^[a-z0-9][a-z0-9-]*$")]
PAGE = files("gateway").joinpath("static/ops.html")


def dashboard_router() -> APIRouter:
    router = APIRouter()

    @router.get("/ops", include_in_schema=False)
    async def page() -> HTMLResponse:
        return HTMLResponse(PAGE.read_text(encoding="utf-8"))

    @router.get(
        "/api/v1/ops/calls/{call_id}/pipeline",
        tags=["operations"],
        summary="A call's pipeline across services, live (operators of the call)",
    )
    async def pipeline(request: Request, identity: SignedIn, call_id: CallId) -> Any:
        upstream = Upstream(request, identity)
        path = f"/v1/ops/calls/{call_id}/pipeline"
        answers = await asyncio.gather(*(_ask(upstream, service, path) for service in SERVICES))
        for answer in answers:
            if isinstance(answer, httpx.Response) and answer.status_code in (401, 403, 404):
                return JSONResponse(
                    answer.json(),
                    status_code=answer.status_code,
                    media_type="application/problem+json",
                )
        services = {
            service: answer.json()
            if isinstance(answer, httpx.Response) and answer.status_code == 200
            else {"unreachable": answer if isinstance(answer, str) else answer.status_code}
            for service, answer in zip(SERVICES, answers, strict=True)
        }
        return {"call_id": call_id, "services": services}

    return router


async def _ask(upstream: Upstream, service: str, path: str) -> httpx.Response | str:
    try:
        return await upstream.get(service, path)
    except httpx.HTTPError as error:
        return type(error).__name__
