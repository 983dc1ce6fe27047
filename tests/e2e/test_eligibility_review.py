"""Requirement review through the real stack: a submission is reviewed eligible; a partner
agency's key uploads a sanction for the company (001 붙임1 '참여제한', 한국로봇산업진흥원);
eligibility decides again, ineligible, and the reasons read in Korean and English through
the gateway for the owner and the call's operators, and for nobody else."""

from __future__ import annotations

import random

import httpx
import pytest
from journey import (
    CALL_ID,
    new_applicant,
    prepare_application,
    sign_in,
    wait_until_received,
    wait_until_reviewed,
)

pytestmark = pytest.mark.e2e


def partner_key(gateway_url: str, scopes: list[str]) -> httpx.Client:
    admin = sign_in(gateway_url, "admin")
    issued = admin.post("/api-keys", json={"name": "한국로봇산업진흥원", "scopes": scopes})
    assert issued.status_code == 201, issued.text
    return httpx.Client(
        base_url=gateway_url + "/api/v1", headers={"X-API-Key": issued.json()["key"]}, timeout=30
    )


def test_a_sanction_uploaded_later_makes_the_application_ineligible_with_reasons(stack) -> None:
    url = stack.gateway_url
    owner, brn = new_applicant(url, random.Random(4401))
    application_id = prepare_application(owner, brn)
    assert owner.post(f"/applications/{application_id}/submit").status_code == 200
    wait_until_received(owner, application_id)
    first = wait_until_reviewed(owner, application_id)
    assert first["verdict"] == "eligible", [o for o in first["outcomes"] if o["outcome"] != "pass"]

    kiria = partner_key(url, ["registries:sanctions:write"])
    sanction = {
        "record_key": "KIRIA-E2E-1",
        "brn": brn,
        "source": "kiria",
        "program": "제조로봇도입",
        "starts_on": "2026-01-01",
    }
    stored = kiria.post("/eligibility/registries/sanctions/records", json=sanction)
    assert stored.status_code == 201, stored.text
    assert kiria.get(f"/eligibility/decisions/{application_id}").status_code == 403

    second = wait_until_reviewed(owner, application_id, sequence=2)
    assert second["verdict"] == "ineligible" and second["trigger"] == "registry-change"
    (failed,) = [o for o in second["outcomes"] if o["outcome"] == "fail"]
    assert (
        "제조로봇도입" in failed["reason"]["ko"] and "한국로봇산업진흥원" in failed["reason"]["ko"]
    )
    assert "제조로봇도입" in failed["reason"]["en"]

    operator = sign_in(url, "operator")
    seen = operator.get(f"/eligibility/decisions/{application_id}").json()
    assert seen["outcomes"] == second["outcomes"]
    status = owner.get(f"/applications/{application_id}/status").json()
    assert "ineligible" in str(status)

    other, _ = new_applicant(url, random.Random(4402))
    for stranger in (other, sign_in(url, "supplier"), sign_in(url, "operator-kamp")):
        denied = stranger.get(f"/eligibility/decisions/{application_id}")
        assert denied.status_code == 404 and "outcomes" not in denied.text

    replayed = operator.post(f"/eligibility/decisions/{application_id}/versions/1/replay").json()
    assert replayed["identical"] and replayed["replayed_verdict"] == "eligible"
    queue = operator.get("/eligibility/decisions", params={"call_id": CALL_ID}).json()
    assert any(d["application_id"] == application_id for d in queue["items"])
