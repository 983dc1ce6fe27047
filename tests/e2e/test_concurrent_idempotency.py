"""One Idempotency-Key, 100 requests at once through the gateway: one effect, one answer.

Creating a draft application and submitting it both accept ``Idempotency-Key``. A client
that retries after a timeout, or many at once, must create one application (one
submission version) and get the same answer every time."""

from __future__ import annotations

import asyncio
import json
import random

import httpx
import pytest
from journey import CALL_ID, company_profile, new_applicant, prepare_application

pytestmark = pytest.mark.e2e

CONCURRENT = 100


async def _post_all(
    base_url: str, token: str, path: str, key: str, body: dict | None
) -> list[httpx.Response]:
    """``CONCURRENT`` POSTs at once; each is sent again (same key) while the gateway says
    to come back (503 at its admission limit). A request that finds the key claimed waits
    for the first one's answer inside the service."""

    async def post(client: httpx.AsyncClient) -> httpx.Response:
        for _ in range(200):
            response = await client.post(path, json=body, headers={"Idempotency-Key": key})
            if response.status_code != 503:
                return response
            await asyncio.sleep(float(response.headers.get("Retry-After", "0.2")) / 4)
        return response

    limits = httpx.Limits(max_connections=CONCURRENT, max_keepalive_connections=CONCURRENT)
    async with httpx.AsyncClient(
        base_url=base_url + "/api/v1",
        headers={"Authorization": f"Bearer {token}"},
        timeout=120,
        limits=limits,
    ) as client:
        return await asyncio.gather(*(post(client) for _ in range(CONCURRENT)))


def _same_answer(answers: list[httpx.Response]) -> bool:
    """One JSON document in every answer (a replayed answer comes from PostgreSQL's JSONB,
    which keeps the members but not their order)."""
    return len({json.dumps(r.json(), sort_keys=True) for r in answers}) == 1


def _token(api: httpx.Client) -> str:
    return api.headers["Authorization"].removeprefix("Bearer ")


def test_concurrent_creates_with_one_key_make_one_application(stack) -> None:
    api, brn = new_applicant(stack.gateway_url, random.Random(91))
    company = api.post("/organisations", json=company_profile(brn) | {"name": "(주)동시정밀"})
    assert company.status_code == 201, company.text
    body = {"call_id": CALL_ID, "applicant_id": company.json()["id"], "support_type": "advanced"}

    answers = asyncio.run(
        _post_all(stack.gateway_url, _token(api), "/applications", "create-once", body)
    )

    assert {r.status_code for r in answers} == {201}, {r.status_code: r.text for r in answers}
    assert _same_answer(answers)
    listed = api.get("/applications", params={"applicant_id": company.json()["id"]}).json()
    assert [item["id"] for item in listed["items"]] == [answers[0].json()["id"]]


def test_concurrent_submits_with_one_key_make_one_submission(stack) -> None:
    api, brn = new_applicant(stack.gateway_url, random.Random(92))
    application_id = prepare_application(api, brn)

    answers = asyncio.run(
        _post_all(
            stack.gateway_url,
            _token(api),
            f"/applications/{application_id}/submit",
            f"submit-{application_id}",
            None,
        )
    )

    assert {r.status_code for r in answers} == {200}, {r.status_code: r.text for r in answers}
    assert _same_answer(answers)
    receipt = answers[0].json()
    assert receipt["submission_version"] == 1
    submissions = api.get(f"/applications/{application_id}/submissions").json()
    assert [s["receipt_number"] for s in submissions] == [receipt["receipt_number"]]

    # The key belongs to this request: another application cannot reuse it.
    other_api, other_brn = new_applicant(stack.gateway_url, random.Random(93))
    other = prepare_application(other_api, other_brn)
    reused = other_api.post(
        f"/applications/{other}/submit", headers={"Idempotency-Key": f"submit-{application_id}"}
    )
    assert reused.status_code == 422, reused.text
    assert reused.json()["type"] == "urn:sfms:problem:idempotency-key-reused"
