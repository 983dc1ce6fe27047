"""The gateway app: the only public entry. Wiring of the pooled client, authentication,
the gateway's own routes and the proxy to the services."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
from fastapi import Depends, FastAPI, Request

from gateway.admission import Admission
from gateway.aggregate import aggregate_router
from gateway.api_keys import ApiKeyStore
from gateway.auth_api import auth_router, dev_issuer_router, identify
from gateway.authn import Authenticator
from gateway.config import Settings
from gateway.dashboard import dashboard_router
from gateway.dev_issuer import DevIssuer
from gateway.jwks import JwksFetch, JwksKeySet, http_fetch
from gateway.keys_api import api_keys_router
from gateway.limits import BodyLimitMiddleware, RateLimits
from gateway.models import audit
from gateway.ops import ops_router
from gateway.proxy import forward
from gateway.routes import SERVICES, resolve
from sfms_shared.audit import AuditLog
from sfms_shared.clock import parse_clock_override
from sfms_shared.db import create_engine, session_factory
from sfms_shared.identity import sign_internal_token
from sfms_shared.inputs import reject_nul_characters
from sfms_shared.metrics import RedMetricsMiddleware
from sfms_shared.problems import Problem, install_problem_handlers
from sfms_shared.service import CorrelationIdMiddleware

METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]
DESCRIPTION = (
    "스마트공장 사업관리시스템 API: calls (공고), organisations, applications, documents, "
    "submission, requirement review and what follows. Sign in with POST /api/v1/auth/login "
    "and send 'Authorization: Bearer <token>'; partner systems send 'X-API-Key'."
)


def create_app(
    settings: Settings | None = None, transport: httpx.AsyncBaseTransport | None = None
) -> FastAPI:
    settings = settings or Settings()
    base_urls = {service: getattr(settings, f"{service}_url") for service in SERVICES}
    secret = settings.internal_secret.get_secret_value()
    issuer = DevIssuer(settings) if settings.dev_issuer else None
    engine = create_engine(settings.database_url)
    sessions = session_factory(engine)
    clock = parse_clock_override(settings.clock_at)
    audit_log = AuditLog(audit, clock)
    keys = ApiKeyStore(sessions, clock, audit_log)
    rate_limits = RateLimits(settings, keys.rate_per_minute)
    admission = Admission(
        SERVICES, settings.max_in_flight_per_service, settings.admission_wait_seconds
    )

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.client = client = httpx.AsyncClient(
            transport=transport,
            timeout=httpx.Timeout(
                settings.upstream_timeout_seconds, connect=settings.upstream_connect_timeout_seconds
            ),
            limits=httpx.Limits(
                max_connections=settings.max_connections,
                max_keepalive_connections=settings.max_connections,
            ),
        )
        app.state.authenticator = Authenticator(
            settings,
            JwksKeySet(_jwks_source(settings, client, issuer), settings.jwks_refresh_seconds),
            keys.identify,
        )
        try:
            yield
        finally:
            await client.aclose()
            await engine.dispose()

    app = FastAPI(
        title="SFMS API",
        description=DESCRIPTION,
        version="1.0.0",
        lifespan=lifespan,
        openapi_url=None,
        docs_url=None,
        dependencies=[Depends(reject_nul_characters)],
    )
    app.state.settings = settings
    app.state.base_urls = base_urls
    app.state.sessions = sessions
    app.state.rate_limits = rate_limits
    install_problem_handlers(app)
    app.add_middleware(
        BodyLimitMiddleware,
        max_body_bytes=settings.max_body_bytes,
        max_upload_bytes=settings.max_upload_bytes,
    )
    app.add_middleware(RedMetricsMiddleware, service=settings.service_name)
    app.add_middleware(CorrelationIdMiddleware)
    app.include_router(ops_router(engine))
    app.include_router(auth_router())
    if issuer:
        app.include_router(dev_issuer_router(issuer))
    app.include_router(api_keys_router(keys))
    app.include_router(aggregate_router(audit_log))
    app.include_router(dashboard_router())

    @app.api_route("/api/{path:path}", methods=METHODS, include_in_schema=False)
    async def route(request: Request, path: str) -> Any:
        resolved = resolve(request.url.path)
        if resolved is None:
            raise Problem.for_field(
                404, "not-found", "path", "No API at this path", "이 경로에는 API가 없습니다"
            )
        target, upstream_path = resolved
        identity = await identify(request)
        quota = await rate_limits.spend(identity, request)
        slot = await admission.admit(target.service)
        try:
            response = await forward(
                request.app.state.client,
                base_urls[target.service],
                target.service,
                upstream_path,
                request,
                sign_internal_token(identity, secret, request.method, upstream_path),
                on_finish=slot.release,
            )
        except BaseException:
            slot.release()
            raise
        response.headers.update(quota.headers)
        return response

    return app


def _jwks_source(
    settings: Settings, client: httpx.AsyncClient, issuer: DevIssuer | None
) -> JwksFetch:
    if settings.jwks_url:
        return http_fetch(client.get, settings.jwks_url)
    if issuer:
        return issuer.jwks
    raise RuntimeError("Set GATEWAY_JWKS_URL (the identity provider's JWKS) or GATEWAY_DEV_ISSUER")
