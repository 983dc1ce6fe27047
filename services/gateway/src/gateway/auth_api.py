"""``/api/v1/auth``: who am I, and (embedded mode) the development issuer's login."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request

from gateway.dev_issuer import DEV_PASSWORD, Credentials, DevIssuer, SignUp
from gateway.limits import limit_login
from gateway.scopes import scope_for
from sfms_shared.access import authentication_required
from sfms_shared.identity import Identity
from sfms_shared.problems import Problem


async def identify(request: Request) -> Identity:
    """The caller of a gateway route (anonymous when no credentials were sent). A partner
    key is refused here for any request outside its scopes."""
    identity = await request.app.state.authenticator.identify(request)
    if identity.kind == "api-key" and not scope_for(
        request.method, request.url.path, identity.scopes
    ):
        raise Problem.for_field(
            403,
            "scope-denied",
            "X-API-Key",
            f"This API key's scopes {sorted(identity.scopes)} do not include this request",
            f"이 API 키의 범위 {sorted(identity.scopes)}에는 이 요청이 포함되지 않습니다",
        )
    request.state.identity = identity
    return identity


async def signed_in(request: Request, identity: Annotated[Identity, Depends(identify)]) -> Identity:
    """A signed-in caller, who spends from their rate limit as on the proxied routes."""
    if not identity.authenticated:
        raise authentication_required()
    await request.app.state.rate_limits.spend(identity, request)
    return identity


SignedIn = Annotated[Identity, Depends(signed_in)]


def auth_router() -> APIRouter:
    router = APIRouter(prefix="/api/v1/auth", tags=["auth"])

    @router.get("/me", summary="The identity the gateway verified for this request")
    async def me(identity: SignedIn) -> dict[str, Any]:
        return identity.claims()

    return router


def dev_issuer_router(issuer: DevIssuer) -> APIRouter:
    router = APIRouter(tags=["auth (development issuer)"])

    @router.post(
        "/api/v1/auth/login",
        dependencies=[Depends(limit_login)],
        summary=f"Sign in as a seeded or signed-up user (seeded password: {DEV_PASSWORD})",
    )
    async def login(credentials: Credentials) -> dict[str, Any]:
        return issuer.login(credentials)

    @router.post(
        "/api/v1/auth/signup",
        status_code=201,
        dependencies=[Depends(limit_login)],
        summary="Sign up a company account (applicant, supplier or planner) for a BRN",
    )
    async def sign_up(form: SignUp) -> dict[str, Any]:
        return issuer.sign_up(form)

    @router.get("/api/v1/auth/dev-users", summary="The seeded users, one or more per role")
    async def dev_users() -> list[dict[str, Any]]:
        return issuer.seeded()

    @router.get("/auth/jwks.json", summary="The issuer's signing keys (JWKS)")
    async def jwks() -> dict[str, Any]:
        return await issuer.jwks()

    return router
