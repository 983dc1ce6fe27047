"""Who is calling: the identity the gateway verified and forwards to the services.

The gateway authenticates the caller (a bearer JWT or a partner API key) and sends the
result to a service as a short-lived internal token in ``X-SFMS-Identity``: an HS256 JWT
signed with the secret only the gateway and the services share, bound to the request's
method and path. A service trusts no other source, so a request that bypasses the gateway,
or replays a token on another endpoint, is refused.

``organisation`` is the caller's organisation as its workplace business registration
number (사업자등록번호, 10 digits): the key intake registers organisations by, and the
one an identity provider for Korean businesses knows.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, Literal

import jwt

ROLES = ("applicant", "supplier", "planner", "evaluator", "operator", "partner", "admin")
# Roles held by members of a registered organisation (they act for it).
ORGANISATION_ROLES = frozenset({"applicant", "supplier", "planner"})
ALL_CALLS = "*"

IDENTITY_HEADER = "x-sfms-identity"
INTERNAL_AUDIENCE = "sfms-internal"
INTERNAL_ISSUER = "sfms-gateway"
INTERNAL_TOKEN_SECONDS = 60


@dataclass(frozen=True)
class Identity:
    subject: str
    kind: Literal["user", "api-key", "anonymous"] = "user"
    roles: frozenset[str] = frozenset()
    organisation: str | None = None
    scopes: frozenset[str] = frozenset()
    # Calls an operator (or a partner key) is scoped to; ``*`` means every call.
    calls: frozenset[str] = frozenset()
    name: str | None = field(default=None, compare=False)

    @property
    def authenticated(self) -> bool:
        return self.kind != "anonymous"

    @property
    def is_admin(self) -> bool:
        return "admin" in self.roles

    def has_role(self, *roles: str) -> bool:
        return self.is_admin or any(role in self.roles for role in roles)

    def member_of(self, brn: str | None) -> bool:
        """Acts for the organisation with this BRN (an applicant, supplier or planner of it)."""
        return (
            brn is not None and self.organisation == brn and bool(self.roles & ORGANISATION_ROLES)
        )

    def covers_call(self, call_id: str | None) -> bool:
        return ALL_CALLS in self.calls or (call_id is not None and call_id in self.calls)

    def operates(self, call_id: str | None) -> bool:
        """An admin, or an operator whose scope includes this call."""
        return self.is_admin or ("operator" in self.roles and self.covers_call(call_id))

    def reads_feed(self, scope: str, call_id: str | None = None) -> bool:
        """A partner key holding ``scope``, limited to its calls when it has any."""
        if "partner" not in self.roles or scope not in self.scopes:
            return False
        return not self.calls or self.covers_call(call_id)

    @property
    def primary_role(self) -> str:
        for role in reversed(ROLES):
            if role in self.roles:
                return role
        return "anonymous"

    def claims(self) -> dict[str, Any]:
        return {
            "sub": self.subject,
            "kind": self.kind,
            "roles": sorted(self.roles),
            "org": self.organisation,
            "scopes": sorted(self.scopes),
            "calls": sorted(self.calls),
            "name": self.name,
        }

    @classmethod
    def from_claims(cls, claims: dict[str, Any]) -> Identity:
        return cls(
            subject=str(claims["sub"]),
            kind=claims.get("kind", "user"),
            roles=_names(claims.get("roles")),
            organisation=claims.get("org"),
            scopes=_names(claims.get("scopes")),
            calls=_names(claims.get("calls")),
            name=claims.get("name"),
        )


ANONYMOUS = Identity(subject="anonymous", kind="anonymous")

current_identity: ContextVar[Identity | None] = ContextVar("current_identity", default=None)


def _names(value: object) -> frozenset[str]:
    if isinstance(value, str):
        return frozenset(value.split())
    if isinstance(value, Iterable):
        return frozenset(str(v) for v in value)
    return frozenset()


class InvalidInternalToken(Exception):
    """The identity header is missing, forged, expired, or meant for another request."""


def sign_internal_token(
    identity: Identity, secret: str, method: str, path: str, now: float | None = None
) -> str:
    issued = int(now if now is not None else time.time())
    claims = identity.claims() | {
        "iss": INTERNAL_ISSUER,
        "aud": INTERNAL_AUDIENCE,
        "iat": issued,
        "exp": issued + INTERNAL_TOKEN_SECONDS,
        "htm": method.upper(),
        "htu": path,
    }
    return jwt.encode(claims, secret, algorithm="HS256")


def verify_internal_token(token: str | None, secret: str, method: str, path: str) -> Identity:
    if not token:
        raise InvalidInternalToken("no identity from the gateway")
    try:
        claims = jwt.decode(
            token,
            secret,
            algorithms=["HS256"],
            audience=INTERNAL_AUDIENCE,
            issuer=INTERNAL_ISSUER,
            options={"require": ["exp", "iat", "sub", "htm", "htu"]},
            leeway=5,
        )
    except jwt.PyJWTError as exc:
        raise InvalidInternalToken(str(exc)) from exc
    if claims["htm"] != method.upper() or claims["htu"] != path:
        raise InvalidInternalToken("the identity was issued for another request")
    return Identity.from_claims(claims)
