"""A service's side of authentication: accept only identities the gateway signed.

``GatewayIdentityMiddleware`` guards every ``/v1`` path: without a valid internal token
the request is refused with 401 before any handler runs. Handlers read the caller with
the ``Caller`` dependency (or ``current_identity`` below the API layer) and decide
object-level access with the helpers here; a denied object reads as 404
(``problems.not_found``), never as data.
"""

from __future__ import annotations

import json
from typing import Annotated

from fastapi import Depends
from starlette.types import ASGIApp, Receive, Scope, Send

from sfms_shared.identity import (
    IDENTITY_HEADER,
    Identity,
    InvalidInternalToken,
    current_identity,
    verify_internal_token,
)
from sfms_shared.problems import Problem

PROTECTED_PREFIX = "/v1/"


class GatewayIdentityMiddleware:
    def __init__(self, app: ASGIApp, secret: str) -> None:
        self.app = app
        self.secret = secret

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(PROTECTED_PREFIX):
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        token = headers.get(IDENTITY_HEADER.encode(), b"").decode() or None
        try:
            identity = verify_internal_token(token, self.secret, scope["method"], scope["path"])
        except InvalidInternalToken:
            await _refuse(send)
            return
        scope.setdefault("state", {})["identity"] = identity
        reset = current_identity.set(identity)
        try:
            await self.app(scope, receive, send)
        finally:
            current_identity.reset(reset)


async def _refuse(send: Send) -> None:
    problem = Problem(
        status=401,
        slug="gateway-identity-required",
        title_en="Call this API through the gateway (/api/v1/...)",
        title_ko="이 API는 게이트웨이(/api/v1/...)를 통해서만 호출할 수 있습니다",
        detail_en="The request carries no identity verified by the gateway.",
        detail_ko="게이트웨이가 확인한 사용자 정보가 요청에 없습니다.",
    )
    body = json.dumps(problem.as_json(), ensure_ascii=False).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 401,
            "headers": [
                (b"content-type", b"application/problem+json"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


def caller() -> Identity:
    identity = current_identity.get()
    if identity is None:  # only when the middleware is not installed: a wiring error
        raise RuntimeError("GatewayIdentityMiddleware is not installed")
    return identity


def authenticated_caller() -> Identity:
    identity = caller()
    if not identity.authenticated:
        raise authentication_required()
    return identity


Caller = Annotated[Identity, Depends(authenticated_caller)]
AnyCaller = Annotated[Identity, Depends(caller)]


def authentication_required() -> Problem:
    problem = Problem(
        status=401,
        slug="authentication-required",
        title_en="Sign in first",
        title_ko="먼저 로그인하세요",
        detail_en=(
            "Send 'Authorization: Bearer <token>' (users: POST /api/v1/auth/login) or "
            "'X-API-Key: <key>' (partner systems: ask an operator for a key)."
        ),
        detail_ko=(
            "'Authorization: Bearer <토큰>'(사용자: POST /api/v1/auth/login) 또는 "
            "'X-API-Key: <키>'(연계기관 시스템: 운영자에게 키 발급 요청)를 보내세요."
        ),
    )
    problem.headers["WWW-Authenticate"] = 'Bearer realm="sfms"'
    return problem


def forbidden(action_en: str, action_ko: str) -> Problem:
    """For a caller whose role may never do this (the object's existence is not at stake)."""
    return Problem(
        status=403,
        slug="forbidden",
        title_en=f"Your role may not {action_en}",
        title_ko=f"현재 역할로는 {action_ko} 수 없습니다",
    )


def require_role(
    identity: Identity, roles: tuple[str, ...], action_en: str, action_ko: str
) -> None:
    if not identity.authenticated:
        raise authentication_required()
    if not identity.has_role(*roles):
        raise forbidden(action_en, action_ko)


def require_call_operator(
    identity: Identity, call_id: str | None, action_en: str, action_ko: str
) -> None:
    """An admin, or an operator whose scope covers ``call_id``."""
    if not identity.authenticated:
        raise authentication_required()
    if not identity.operates(call_id):
        raise forbidden(action_en, action_ko)


def not_found(field: str, en: str, ko: str) -> Problem:
    """404 naming the path or body field that points at nothing (or at nothing the caller
    may see: the answer is the same, so existence is not disclosed)."""
    return Problem.for_field(404, "not-found", field, en, ko)
