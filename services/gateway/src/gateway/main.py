"""The gateway app: the only public entry. Wiring of the pooled client and the routes."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
from fastapi import FastAPI, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse
from starlette.responses import Response

from gateway.config import Settings
from gateway.openapi import merged_openapi
from gateway.proxy import forward
from gateway.routes import ROUTES, resolve
from sfms_shared.metrics import RedMetricsMiddleware, metrics_response
from sfms_shared.problems import Problem, install_problem_handlers
from sfms_shared.service import CorrelationIdMiddleware

METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]


def create_app(
    settings: Settings | None = None, transport: httpx.AsyncBaseTransport | None = None
) -> FastAPI:
    settings = settings or Settings()
    base_urls = {
        service: getattr(settings, f"{service}_url") for service in {r.service for r in ROUTES}
    }
    all_urls = {
        name: getattr(settings, f"{name}_url")
        for name in ("intake", "eligibility", "scoring", "matching", "settlement")
    }

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.client = httpx.AsyncClient(
            transport=transport,
            timeout=httpx.Timeout(
                settings.upstream_timeout_seconds, connect=settings.upstream_connect_timeout_seconds
            ),
            limits=httpx.Limits(
                max_connections=settings.max_connections,
                max_keepalive_connections=settings.max_connections,
            ),
        )
        try:
            yield
        finally:
            await app.state.client.aclose()

    app = FastAPI(
        title="SFMS API",
        description="스마트공장 사업관리시스템 API: calls (공고), organisations, applications, documents, submission.",
        version="1.0.0",
        lifespan=lifespan,
        openapi_url=None,
        docs_url=None,
    )
    install_problem_handlers(app)
    app.add_middleware(RedMetricsMiddleware, service=settings.service_name)
    app.add_middleware(CorrelationIdMiddleware)

    @app.get("/healthz", tags=["operations"], summary="Liveness")
    async def healthz() -> dict[str, str]:
        return {"status": "ok", "service": settings.service_name}

    @app.get(
        "/readyz", tags=["operations"], summary="Readiness: every service answers its own /readyz"
    )
    async def readyz(request: Request) -> JSONResponse:
        async def check(url: str) -> str:
            try:
                response = await request.app.state.client.get(url + "/readyz", timeout=3)
                return (
                    "ok" if response.status_code == 200 else f"not ready ({response.status_code})"
                )
            except httpx.HTTPError as exc:
                return f"unreachable: {type(exc).__name__}"

        results = await asyncio.gather(*(check(url) for url in all_urls.values()))
        checks = dict(zip(all_urls, results, strict=True))
        ready = all(v == "ok" for v in checks.values())
        return JSONResponse({"ready": ready, "checks": checks}, status_code=200 if ready else 503)

    @app.get("/metrics", include_in_schema=False)
    async def metrics() -> Response:
        return metrics_response()

    @app.get("/openapi.json", include_in_schema=False)
    async def openapi(request: Request) -> JSONResponse:
        own = get_openapi(
            title=app.title, version=app.version, description=app.description, routes=app.routes
        )
        return JSONResponse(await merged_openapi(request.app.state.client, base_urls, own))

    @app.get("/docs", include_in_schema=False)
    async def docs() -> Response:
        return get_swagger_ui_html(openapi_url="/openapi.json", title="SFMS API")

    @app.api_route("/api/{path:path}", methods=METHODS, include_in_schema=False)
    async def route(request: Request, path: str) -> Any:
        resolved = resolve(request.url.path)
        if resolved is None:
            raise Problem.for_field(
                404, "not-found", "path", "No API at this path", "이 경로에는 API가 없습니다"
            )
        target, upstream_path = resolved
        return await forward(
            request.app.state.client,
            base_urls[target.service],
            target.service,
            upstream_path,
            request,
        )

    return app
