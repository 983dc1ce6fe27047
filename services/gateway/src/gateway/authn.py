"""Authentication at the gateway: who is calling, from a bearer JWT or a partner API key.

A request with neither is anonymous; each service decides what an anonymous caller may
see (published calls, say). Credentials that are present but wrong are always a 401, so
a client never silently falls back to anonymous.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import jwt
from starlette.requests import Request

from gateway.config import Settings
from gateway.jwks import JwksKeySet
from sfms_shared.identity import ANONYMOUS, ROLES, Identity
from sfms_shared.problems import Problem

ApiKeyCheck = Callable[[str], Awaitable[Identity]]


def invalid_token(reason_en: str, reason_ko: str) -> Problem:
    problem = Problem(
        status=401,
        slug="invalid-token",
        title_en="The bearer token is not valid",
        title_ko="인증 토큰이 유효하지 않습니다",
        detail_en=f"{reason_en}. Sign in again (POST /api/v1/auth/login) for a new token.",
        detail_ko=f"{reason_ko}. 다시 로그인(POST /api/v1/auth/login)하여 새 토큰을 받으세요.",
        field="Authorization",
    )
    problem.headers["WWW-Authenticate"] = 'Bearer realm="sfms", error="invalid_token"'
    return problem


class Authenticator:
    def __init__(self, settings: Settings, keys: JwksKeySet, api_keys: ApiKeyCheck) -> None:
        self.settings = settings
        self.keys = keys
        self.api_keys = api_keys

    async def identify(self, request: Request) -> Identity:
        authorization = request.headers.get("authorization")
        if authorization:
            scheme, _, token = authorization.partition(" ")
            if scheme.lower() != "bearer" or not token.strip():
                raise invalid_token(
                    "Use 'Authorization: Bearer <token>'", "'Bearer <토큰>' 형식이어야 합니다"
                )
            return await self.from_bearer(token.strip())
        api_key = request.headers.get("x-api-key")
        if api_key is not None:
            return await self.api_keys(api_key)
        return ANONYMOUS

    async def from_bearer(self, token: str) -> Identity:
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError as exc:
            raise invalid_token("The token is malformed", "토큰 형식이 잘못되었습니다") from exc
        if header.get("alg") != "RS256":
            raise invalid_token("Only RS256 tokens are accepted", "RS256 토큰만 허용됩니다")
        try:
            key = await self.keys.key(header.get("kid"))
        except Exception as exc:  # noqa: BLE001 - the provider being down is not the caller's fault
            problem = Problem(
                status=503,
                slug="identity-provider-unavailable",
                title_en="The identity provider cannot be reached; try again shortly",
                title_ko="인증 서버에 연결할 수 없습니다. 잠시 후 다시 시도하세요",
            )
            problem.headers["Retry-After"] = "5"
            raise problem from exc
        if key is None:
            raise invalid_token(
                "The token was signed by an unknown key", "알 수 없는 키로 서명되었습니다"
            )
        try:
            claims = jwt.decode(
                token,
                key.key,
                algorithms=["RS256"],
                audience=self.settings.jwt_audience,
                issuer=self.settings.jwt_issuer,
                options={"require": ["exp", "sub", "iss", "aud"]},
                leeway=30,
            )
        except jwt.ExpiredSignatureError as exc:
            raise invalid_token("The token has expired", "토큰이 만료되었습니다") from exc
        except jwt.PyJWTError as exc:
            raise invalid_token(
                "The token failed verification", "토큰 검증에 실패했습니다"
            ) from exc
        return self._identity(claims)

    def _identity(self, claims: dict[str, Any]) -> Identity:
        s = self.settings
        roles = _names(claims.get(s.jwt_roles_claim)) & set(ROLES)
        return Identity(
            subject=str(claims["sub"]),
            kind="user",
            roles=frozenset(roles - {"partner"}),  # partners authenticate with API keys
            organisation=claims.get(s.jwt_organisation_claim) or None,
            calls=frozenset(_names(claims.get(s.jwt_calls_claim))),
            scopes=frozenset(_names(claims.get("scope"))),
            name=claims.get("name"),
        )


def _names(value: object) -> set[str]:
    if isinstance(value, str):
        return set(value.split())
    if isinstance(value, list | tuple):
        return {str(v) for v in value}
    return set()
