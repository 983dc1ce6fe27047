"""The identity the gateway forwards: signed for one request, refused otherwise."""

from __future__ import annotations

import time

import jwt
import pytest

from sfms_shared.identity import (
    ALL_CALLS,
    Identity,
    InvalidInternalToken,
    sign_internal_token,
    verify_internal_token,
)

SECRET = "a-secret-of-at-least-thirty-two-bytes!"
APPLICANT = Identity(
    subject="kim", roles=frozenset({"applicant"}), organisation="1234567891", name="김도입"
)


def test_a_signed_identity_round_trips() -> None:
    token = sign_internal_token(APPLICANT, SECRET, "post", "/v1/applications")
    assert verify_internal_token(token, SECRET, "POST", "/v1/applications") == APPLICANT


@pytest.mark.parametrize(
    ("token_for", "secret", "method", "path"),
    [
        (
            ("GET", "/v1/applications/a"),
            "another-secret-of-thirty-two-bytes!!",
            "GET",
            "/v1/applications/a",
        ),
        (("GET", "/v1/applications/a"), SECRET, "GET", "/v1/applications/b"),
        (("GET", "/v1/applications/a"), SECRET, "DELETE", "/v1/applications/a"),
    ],
    ids=["forged with another secret", "replayed on another path", "replayed with another method"],
)
def test_a_token_for_another_request_or_from_elsewhere_is_refused(
    token_for: tuple[str, str], secret: str, method: str, path: str
) -> None:
    token = sign_internal_token(APPLICANT, secret, *token_for)
    with pytest.raises(InvalidInternalToken):
        verify_internal_token(token, SECRET, method, path)


def test_a_missing_or_expired_or_unsigned_token_is_refused() -> None:
    with pytest.raises(InvalidInternalToken):
        verify_internal_token(None, SECRET, "GET", "/v1/x")
    old = sign_internal_token(APPLICANT, SECRET, "GET", "/v1/x", now=time.time() - 3600)
    with pytest.raises(InvalidInternalToken):
        verify_internal_token(old, SECRET, "GET", "/v1/x")
    unsigned = jwt.encode(
        {"sub": "admin", "roles": ["admin"], "htm": "GET", "htu": "/v1/x"},
        key=None,
        algorithm="none",
    )
    with pytest.raises(InvalidInternalToken):
        verify_internal_token(unsigned, SECRET, "GET", "/v1/x")


def test_operators_are_held_to_their_calls_and_members_to_their_organisation() -> None:
    operator = Identity(subject="op", roles=frozenset({"operator"}), calls=frozenset({"c1"}))
    assert operator.operates("c1") and not operator.operates("c2")
    assert Identity(
        subject="all", roles=frozenset({"operator"}), calls=frozenset({ALL_CALLS})
    ).operates("c2")
    assert Identity(subject="a", roles=frozenset({"admin"})).operates("c2")
    assert APPLICANT.member_of("1234567891") and not APPLICANT.member_of("2148600016")
    evaluator = Identity(subject="e", roles=frozenset({"evaluator"}), organisation="1234567891")
    assert not evaluator.member_of("1234567891")  # evaluators never act for an organisation


def test_a_partner_reads_only_its_feeds_for_its_calls() -> None:
    partner = Identity(
        subject="api-key:1",
        kind="api-key",
        roles=frozenset({"partner"}),
        scopes=frozenset({"applications:read"}),
        calls=frozenset({"c1"}),
    )
    assert partner.reads_feed("applications:read", "c1")
    assert not partner.reads_feed("applications:read", "c2")
    assert not partner.reads_feed("received-applications:read", "c1")
