"""The gateway's operations routes: probes, metrics, the merged OpenAPI and its docs."""

from __future__ import annotations

import asyncio

import httpx
from fastapi import APIRouter, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.responses import Response

from gateway.openapi import merged_openapi
from sfms_shared.db import ping
from sfms_shared.metrics import metrics_response
from sfms_shared.openapi import READINESS


def ops_router(engine: AsyncEngine) -> APIRouter:
    router = APIRouter(tags=["operations"])

    @router.get("/healthz", summary="Liveness")
    async def healthz(request: Request) -> dict[str, str]:
        return {"status": "ok", "service": request.app.state.settings.service_name}

    @router.get(
        "/readyz",
        summary="Readiness: the gateway's database and every service's /readyz",
        responses=READINESS,
    )
    async def readyz(request: Request) -> JSONResponse:
        client: httpx.AsyncClient = request.app.state.client
        urls: dict[str, str] = request.app.state.base_urls

        async def service(url: str) -> str:
            try:
                response = await client.get(url + "/readyz", timeout=3)
                return (
                    "ok" if response.status_code == 200 else f"not ready ({response.status_code})"
                )
            except httpx.HTTPError as exc:
                return f"unreachable: {type(exc).__name__}"

        async def database() -> str:
            try:
                await asyncio.wait_for(ping(engine), 3)
                return "ok"
            except Exception as exc:  # noqa: BLE001 - readiness reports any failure
                return f"unavailable: {type(exc).__name__}"

        results = await asyncio.gather(database(), *(service(url) for url in urls.values()))
        checks = dict(zip(["database", *urls], results, strict=True))
        ready = all(v == "ok" for v in checks.values())
        return JSONResponse({"ready": ready, "checks": checks}, status_code=200 if ready else 503)

    @router.get("/metrics", include_in_schema=False)
    async def metrics() -> Response:
        return metrics_response()

    @router.get("/openapi.json", include_in_schema=False)
    async def openapi(request: Request) -> JSONResponse:
        app = request.app
        own = get_openapi(
            title=app.title, version=app.version, description=app.description, routes=app.routes
        )
        return JSONResponse(
            await merged_openapi(request.app.state.client, request.app.state.base_urls, own)
        )

    @router.get("/docs", include_in_schema=False)
    async def docs() -> Response:
        return get_swagger_ui_html(openapi_url="/openapi.json", title="SFMS API")

    return router
