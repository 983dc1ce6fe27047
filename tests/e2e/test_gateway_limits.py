"""The gateway's limits over real HTTP, on a stack started with low limits: body size (413),
page size (422, from intake through the gateway), rate limits (429) and admission control
under a burst (503), where every request the gateway admitted is answered and stored, and
every one it refused is not.

Tests that need a bucket of their own connect from another loopback address (127.0.0.x)."""

from __future__ import annotations

import asyncio
import json
import random
import time
import uuid
from collections.abc import Iterator

import httpx
import pytest
from journey import CALL_ID, PDF, fresh_brn, new_applicant, sign_in

from sfms_shared.embedded.broker import free_port
from sfms_shared.embedded.stack import SERVICES, EmbeddedStack

pytestmark = pytest.mark.e2e

MAX_BODY = 16 * 1024
MAX_UPLOAD = 128 * 1024
LIMITS = {
    "GATEWAY_MAX_BODY_BYTES": str(MAX_BODY),
    "GATEWAY_MAX_UPLOAD_BYTES": str(MAX_UPLOAD),
    "GATEWAY_USER_RATE_PER_SECOND": "5",
    "GATEWAY_USER_BURST": "150",
    "GATEWAY_ANONYMOUS_RATE_PER_SECOND": "0.5",
    "GATEWAY_ANONYMOUS_BURST": "5",
    "GATEWAY_LOGIN_RATE_PER_SECOND": "0.2",
    "GATEWAY_LOGIN_BURST": "12",
    "GATEWAY_MAX_IN_FLIGHT_PER_SERVICE": "2",
    "GATEWAY_ADMISSION_WAIT_SECONDS": "0.02",
}


@pytest.fixture(scope="module")
def limited(tmp_path_factory, module_postgres_urls) -> Iterator[EmbeddedStack]:
    platform = EmbeddedStack(
        home=tmp_path_factory.mktemp("limited-stack"),
        gateway_port=free_port(),
        broker_port=free_port(),
        clock_at=f"2026-06-10T10:00:00+09:00@{time.time()}",
        database_urls={name: module_postgres_urls() for name in SERVICES},
        extra_env={"gateway": LIMITS},
    )
    try:
        platform.start()
        yield platform
    finally:
        platform.stop()


def from_address(address: str, **kwargs: object) -> httpx.Client:
    """A client connecting from another loopback address: a caller with its own client IP."""
    return httpx.Client(transport=httpx.HTTPTransport(local_address=address), timeout=30, **kwargs)


def company(brn: str) -> dict:
    return {
        "kind": "company",
        "brn": brn,
        "name": "(주)한도정밀",
        "legal_form": "corporation",
        "ksic_code": "C29",
        "size_class": "small",
        "region": "경남",
        "founded_on": "2015-05-01",
        "headcount": 20,
    }


def organisations_with(admin: httpx.Client, brns: set[str]) -> list[dict]:
    found, cursor = [], None
    while True:
        params = {"limit": 200} | ({"cursor": cursor} if cursor else {})
        page = admin.get("/organisations", params=params)
        assert page.status_code == 200, page.text
        found += [item for item in page.json()["items"] if item["brn"] in brns]
        cursor = page.json()["next_cursor"]
        if not cursor:
            return found


def assert_too_large(response: httpx.Response, limit: int) -> None:
    assert response.status_code == 413, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert problem["type"] == "urn:sfms:problem:payload-too-large"
    assert problem["field"] == "body"
    assert f"{limit:,} bytes" in problem["detail"]
    assert f"{limit:,} 바이트" in problem["detail_ko"]


# Body size and page size -------------------------------------------------------------------


def test_an_oversize_json_body_is_refused_and_nothing_is_stored(limited) -> None:
    api, brn = new_applicant(limited.gateway_url, random.Random(101))
    admin = sign_in(limited.gateway_url, "admin")
    # Valid JSON that intake would accept, padded past the limit with whitespace.
    padded = json.dumps(company(brn)).encode() + b" " * MAX_BODY
    declared = api.post(
        "/organisations", content=padded, headers={"Content-Type": "application/json"}
    )
    assert_too_large(declared, MAX_BODY)

    def chunks() -> Iterator[bytes]:  # no Content-Length: counted while it is forwarded
        for start in range(0, len(padded), 4096):
            yield padded[start : start + 4096]

    streamed = api.post(
        "/organisations", content=chunks(), headers={"Content-Type": "application/json"}
    )
    assert_too_large(streamed, MAX_BODY)
    assert organisations_with(admin, {brn}) == []
    within_limit = padded[: -MAX_BODY // 2]
    accepted = api.post(
        "/organisations", content=within_limit, headers={"Content-Type": "application/json"}
    )
    assert accepted.status_code == 201, accepted.text
    assert len(organisations_with(admin, {brn})) == 1


def test_uploads_have_their_own_larger_limit(limited) -> None:
    api, brn = new_applicant(limited.gateway_url, random.Random(102))
    organisation = api.post("/organisations", json=company(brn))
    assert organisation.status_code == 201, organisation.text
    application = api.post(
        "/applications",
        json={
            "call_id": CALL_ID,
            "applicant_id": organisation.json()["id"],
            "support_type": "advanced",
        },
    )
    assert application.status_code == 201, application.text
    documents = f"/applications/{application.json()['id']}/documents"

    def stored_files() -> int:
        return sum(1 for p in (limited.home / "documents").rglob("*") if p.is_file())

    fields = {"kind": "application-form", "issued_on": "2026-06-01"}
    larger_than_json = PDF + b"%" * (2 * MAX_BODY)
    uploaded = api.post(
        documents, data=fields, files={"file": ("doc.pdf", larger_than_json, "application/pdf")}
    )
    assert uploaded.status_code == 201, uploaded.text
    files_before = stored_files()
    too_large = PDF + b"%" * MAX_UPLOAD
    refused = api.post(
        documents, data=fields, files={"file": ("big.pdf", too_large, "application/pdf")}
    )
    assert_too_large(refused, MAX_UPLOAD)
    assert stored_files() == files_before

    boundary = "sfms-limit-test"
    multipart = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="kind"\r\n\r\n'
            f"application-form\r\n--{boundary}\r\n"
            f'Content-Disposition: form-data; name="issued_on"\r\n\r\n2026-06-01\r\n'
            f"--{boundary}\r\n"
            'Content-Disposition: form-data; name="file"; filename="big.pdf"\r\n'
            "Content-Type: application/pdf\r\n\r\n"
        ).encode()
        + too_large
        + f"\r\n--{boundary}--\r\n".encode()
    )

    def chunks() -> Iterator[bytes]:  # no Content-Length: intake starts storing the file
        for start in range(0, len(multipart), 8192):
            yield multipart[start : start + 8192]

    streamed = api.post(
        documents,
        content=chunks(),
        headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
    )
    assert_too_large(streamed, MAX_UPLOAD)
    assert stored_files() == files_before
    listed = api.get(f"/applications/{application.json()['id']}").json()["documents"]
    assert [d["size_bytes"] for d in listed] == [len(larger_than_json)]


def test_a_page_larger_than_200_is_a_422_through_the_gateway(limited) -> None:
    api = sign_in(limited.gateway_url, "applicant")
    response = api.get("/applications", params={"limit": 201})
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["field"] == "limit"
    assert response.json()["errors"][0]["message_ko"]
    assert api.get("/applications", params={"limit": 200}).status_code == 200


# Rate limits -------------------------------------------------------------------------------


def assert_rate_limited(response: httpx.Response, retry_after: str) -> None:
    assert response.status_code == 429, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["type"] == "urn:sfms:problem:rate-limited"
    assert response.headers["Retry-After"] == retry_after
    assert response.headers["RateLimit-Remaining"] == "0"


def test_a_signed_in_user_past_their_burst_gets_429_with_retry_after(limited) -> None:
    api = sign_in(limited.gateway_url, "applicant2")
    answers = []
    for _ in range(400):
        answers.append(api.get("/calls", params={"limit": 1}))
        if answers[-1].status_code != 200:
            break
    assert_rate_limited(answers[-1], "1")  # 5 a second: the next token within a second
    assert len(answers) > 100  # the burst of 150, less what a second of requests refilled
    assert answers[0].headers["RateLimit-Limit"] == "150"
    assert int(answers[0].headers["RateLimit-Remaining"]) > int(
        answers[-2].headers["RateLimit-Remaining"]
    )


def test_anonymous_callers_are_limited_per_client_ip(limited) -> None:
    calls = limited.gateway_url + "/api/v1/calls"
    with from_address("127.0.0.3") as anonymous:
        statuses = [anonymous.get(calls).status_code for _ in range(5)]
        assert statuses == [200] * 5
        assert_rate_limited(anonymous.get(calls), "2")  # 0.5 a second
    assert httpx.get(calls, timeout=30).status_code == 200  # another address, another bucket


def test_sign_in_attempts_are_limited_per_client_ip(limited) -> None:
    login = limited.gateway_url + "/api/v1/auth/login"
    with from_address("127.0.0.2") as guesser:
        for n in range(12):
            wrong = guesser.post(login, json={"username": "admin", "password": f"guess-{n}"})
            assert wrong.status_code == 401, wrong.text
        refused = guesser.post(login, json={"username": "admin", "password": "sfms-dev"})
        assert refused.status_code == 429
        assert int(refused.headers["Retry-After"]) == 5  # 0.2 a second


def test_a_partner_key_is_held_to_its_own_rate(limited) -> None:
    operator = sign_in(limited.gateway_url, "operator")
    issued = operator.post(
        "/api-keys",
        json={
            "name": "연계 시험",
            "scopes": ["calls:read"],
            "calls": [CALL_ID],
            "rate_limit_per_minute": 6,
        },
    )
    assert issued.status_code == 201, issued.text
    partner = httpx.Client(
        base_url=limited.gateway_url + "/api/v1",
        headers={"X-API-Key": issued.json()["key"]},
        timeout=30,
    )
    assert partner.get(f"/calls/{CALL_ID}").status_code == 200
    assert_rate_limited(partner.get(f"/calls/{CALL_ID}"), "10")  # 6 a minute, burst 1


# Admission control -------------------------------------------------------------------------


async def register_all(gateway_url: str, token: str, bodies: list[tuple[str, dict]]) -> list:
    async with httpx.AsyncClient(
        base_url=gateway_url + "/api/v1",
        headers={"Authorization": f"Bearer {token}"},
        timeout=60,
        limits=httpx.Limits(max_connections=len(bodies)),
    ) as client:
        return await asyncio.gather(
            *(
                client.post("/organisations", json=body, headers={"Idempotency-Key": key})
                for key, body in bodies
            )
        )


def test_a_burst_beyond_the_in_flight_limit_is_shed_and_no_admitted_request_is_lost(
    limited,
) -> None:
    operator = sign_in(limited.gateway_url, "operator-all")
    token = operator.headers["Authorization"].removeprefix("Bearer ")
    rng = random.Random(103)
    brns: set[str] = set()
    while len(brns) < 40:
        brns.add(fresh_brn(rng))
    bodies = [(str(uuid.uuid4()), company(brn)) for brn in sorted(brns)]

    answers = asyncio.run(register_all(limited.gateway_url, token, bodies))

    statuses = [a.status_code for a in answers]
    assert set(statuses) <= {201, 503}, [a.text for a in answers if a.status_code not in (201, 503)]
    shed = [a for a in answers if a.status_code == 503]
    assert shed, "40 at once through 2 slots with a 20 ms wait: some must be refused"
    for answer in shed:
        assert answer.headers["Retry-After"] in {"1", "2"}
        assert answer.json()["type"] == "urn:sfms:problem:overloaded"
    created = {
        body["brn"] for (_, body), a in zip(bodies, answers, strict=True) if a.status_code == 201
    }
    admin = sign_in(limited.gateway_url, "admin")
    stored = organisations_with(admin, brns)
    assert {o["brn"] for o in stored} == created
    assert len(stored) == statuses.count(201)

    # The refused ones are safe to send again with the same Idempotency-Key.
    for (key, body), answer in zip(bodies, answers, strict=True):
        if answer.status_code == 503:
            time.sleep(0.05)
            retried = operator.post("/organisations", json=body, headers={"Idempotency-Key": key})
            assert retried.status_code == 201, retried.text
    assert len(organisations_with(admin, brns)) == 40
    metrics = httpx.get(limited.gateway_url + "/metrics", timeout=30).text
    assert 'sfms_gateway_shed_total{reason="overloaded"}' in metrics
    assert 'sfms_gateway_in_flight{upstream="intake"} 0.0' in metrics
