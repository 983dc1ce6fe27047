"""The gateway as the only door: partner API keys from issue to revocation, identities a
service trusts only from the gateway, and server-set fields refused on the gateway's writes."""

from __future__ import annotations

import hashlib
import random
import sqlite3

import httpx
import pytest
from journey import CALL_ID, new_applicant, prepare_application, sign_in

from sfms_shared.identity import IDENTITY_HEADER, Identity, sign_internal_token

pytestmark = pytest.mark.e2e

ADMIN = Identity(subject="forger", roles=frozenset({"admin"}))


def problem(response: httpx.Response, status: int, slug: str) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["type"] == f"urn:sfms:problem:{slug}", body
    assert body["title_ko"] and body["detail_ko"]
    return body


def partner(stack, key: str) -> httpx.Client:
    return httpx.Client(
        base_url=stack.gateway_url + "/api/v1", headers={"X-API-Key": key}, timeout=30
    )


def test_an_api_key_from_issue_to_revocation(stack) -> None:
    applicant, brn = new_applicant(stack.gateway_url, random.Random(51))
    submitted = prepare_application(applicant, brn)
    assert applicant.post(f"/applications/{submitted}/submit").status_code == 200
    operator = sign_in(stack.gateway_url, "operator")

    issued = operator.post(
        "/api-keys",
        json={"name": "경기TP 연계", "scopes": ["applications:read"], "calls": [CALL_ID]},
    )
    assert issued.status_code == 201, issued.text
    key, key_id = issued.json()["key"], issued.json()["id"]
    assert key.startswith(f"sfms_{key_id}_")
    shown_again = operator.get(f"/api-keys/{key_id}").json()
    assert "key" not in shown_again and "key_hash" not in shown_again

    feed = partner(stack, key)
    listed = feed.get("/applications", params={"call_id": CALL_ID})
    assert listed.status_code == 200, listed.text
    assert submitted in {item["id"] for item in listed.json()["items"]}
    assert {item["status"] for item in listed.json()["items"]} <= {"submitted", "withdrawn"}

    for denied in (
        feed.get("/eligibility/received-applications"),
        feed.post("/organisations", json={}),
        feed.get("/audit-entries"),
    ):
        problem(denied, 403, "scope-denied")

    revoked = operator.post(f"/api-keys/{key_id}/revoke")
    assert revoked.status_code == 200 and revoked.json()["revoked_at"]
    body = problem(feed.get("/applications"), 401, "api-key-revoked")
    assert "operator" in body["detail"] and "운영자" in body["detail_ko"]


def test_a_missing_or_wrong_key_says_how_to_obtain_one(stack) -> None:
    wrong = partner(stack, "sfms_0123456789ab_" + "x" * 43).get("/applications")
    assert "POST /api/v1/api-keys" in problem(wrong, 401, "invalid-api-key")["detail"]
    problem(partner(stack, "not-a-key").get("/applications"), 401, "invalid-api-key")
    missing = httpx.get(stack.gateway_url + "/api/v1/applications", timeout=30)
    body = problem(missing, 401, "authentication-required")
    assert "X-API-Key" in body["detail"] and "운영자" in body["detail_ko"]


def test_keys_are_stored_only_as_digests(stack) -> None:
    admin = sign_in(stack.gateway_url, "admin")
    key = admin.post("/api-keys", json={"name": "digest check", "scopes": ["calls:read"]}).json()[
        "key"
    ]
    with sqlite3.connect(stack.home / "gateway.db") as db:
        dump = "\n".join(db.iterdump())
        stored = db.execute(
            "SELECT key_hash FROM api_key WHERE id = ?", (key.split("_")[1],)
        ).fetchone()[0]
    assert key not in dump and key.split("_")[2] not in dump
    assert stored == hashlib.sha256(key.encode()).hexdigest()


def test_only_operators_issue_keys_and_only_for_calls_they_operate(stack) -> None:
    operator = sign_in(stack.gateway_url, "operator")
    form = {"name": "x", "scopes": ["applications:read"]}
    problem(operator.post("/api-keys", json=form), 403, "call-outside-scope")
    problem(
        operator.post("/api-keys", json={**form, "calls": ["2021-kamp-ai-smart-factory"]}),
        403,
        "call-outside-scope",
    )
    applicant = sign_in(stack.gateway_url, "applicant")
    problem(applicant.post("/api-keys", json={**form, "calls": [CALL_ID]}), 403, "forbidden")


@pytest.mark.parametrize(
    "field",
    [
        {"id": "0123456789ab"},
        {"key_hash": "0" * 64},
        {"created_by": "admin"},
        {"revoked_at": None},
        {"key": "sfms_0123456789ab_" + "x" * 43},
    ],
)
def test_a_key_cannot_be_issued_with_server_set_fields(stack, field) -> None:
    admin = sign_in(stack.gateway_url, "admin")
    before = admin.get("/api-keys", params={"limit": 200}).json()["items"]
    response = admin.post("/api-keys", json={"name": "x", "scopes": ["calls:read"], **field})
    assert response.status_code == 422, response.text
    assert admin.get("/api-keys", params={"limit": 200}).json()["items"] == before


def test_a_sign_up_cannot_grant_itself_roles(stack) -> None:
    base = {"username": "greedy", "password": "pw", "name": "욕심", "brn": "1234567891"}
    url = stack.gateway_url + "/api/v1/auth/signup"
    assert (
        httpx.post(url, json={**base, "role": "applicant", "roles": ["admin"]}).status_code == 422
    )
    problem(httpx.post(url, json={**base, "role": "admin"}), 422, "role-not-self-service")
    problem(httpx.post(url, json={**base, "role": "operator"}), 422, "role-not-self-service")


def test_a_request_that_bypasses_the_gateway_is_refused(stack) -> None:
    intake = stack.processes["intake"].url
    problem(httpx.get(intake + "/v1/applications", timeout=30), 401, "gateway-identity-required")
    forged = sign_internal_token(
        ADMIN, "not-the-platform-secret-but-long-enough", "GET", "/v1/applications"
    )
    problem(
        httpx.get(intake + "/v1/applications", headers={IDENTITY_HEADER: forged}, timeout=30),
        401,
        "gateway-identity-required",
    )
    replayed = sign_internal_token(ADMIN, stack.internal_secret, "GET", "/v1/calls")
    problem(
        httpx.get(intake + "/v1/applications", headers={IDENTITY_HEADER: replayed}, timeout=30),
        401,
        "gateway-identity-required",
    )
    for service in ("eligibility", "scoring", "matching", "settlement"):
        direct = httpx.get(stack.processes[service].url + "/v1/received-applications", timeout=30)
        problem(direct, 401, "gateway-identity-required")


def test_an_identity_header_sent_to_the_gateway_is_replaced_not_trusted(stack) -> None:
    smuggled = sign_internal_token(ADMIN, stack.internal_secret, "GET", "/v1/applications")
    response = httpx.get(
        stack.gateway_url + "/api/v1/applications",
        headers={IDENTITY_HEADER: smuggled},
        timeout=30,
    )
    problem(response, 401, "authentication-required")
