"""Calling a service directly in tests, as the gateway would: every request carries an
internal identity token signed for its method and path."""

from __future__ import annotations

from collections.abc import Generator

import httpx

from sfms_shared.identity import (
    ALL_CALLS,
    IDENTITY_HEADER,
    Identity,
    sign_internal_token,
)

TEST_INTERNAL_SECRET = "sfms-test-internal-secret-not-for-production"

ADMIN = Identity(subject="test-admin", roles=frozenset({"admin"}))
OPERATOR_ALL = Identity(
    subject="test-operator", roles=frozenset({"operator"}), calls=frozenset({ALL_CALLS})
)


def applicant(brn: str, subject: str | None = None) -> Identity:
    return Identity(
        subject=subject or f"applicant-{brn}", roles=frozenset({"applicant"}), organisation=brn
    )


def operator(*calls: str) -> Identity:
    return Identity(
        subject="operator-" + "-".join(calls), roles=frozenset({"operator"}), calls=frozenset(calls)
    )


class ActingAs(httpx.Auth):
    """``httpx`` auth that signs each request as ``identity`` (``None``: no identity)."""

    def __init__(self, identity: Identity | None, secret: str = TEST_INTERNAL_SECRET) -> None:
        self.identity = identity
        self.secret = secret

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        if self.identity is not None:
            request.headers[IDENTITY_HEADER] = sign_internal_token(
                self.identity, self.secret, request.method, request.url.path
            )
        yield request
