"""From document review to on-site review through the real stack (001 §5 선정절차:
서면평가 → 기획지원 → 현장평가): the stage completes with the application shortlisted,
matching opens its match, the applicant sees explained recommendations and proposes a
planner, the planner accepts and proposes a supplier, the supplier accepts, the
consortium is formed (``matching.consortium-formed.v1``), and scoring enters the
application in the on-site review with its planner and supplier as parties."""

from __future__ import annotations

import random
import time

import httpx
import pytest
from journey import (
    new_applicant,
    prepare_application,
    sign_in,
    wait_until_evaluated,
    wait_until_reviewed,
)

pytestmark = pytest.mark.e2e

CALL = "2026-autonomous-factory-2"
PLANNER_BRN = "3058156785"  # the dev user "planner"
SUPPLIER_BRN = "6178123455"  # the dev user "supplier"
OFFER = {
    "regions": ["경남"],
    "industries": ["29"],
    "technologies": ["ai", "digital-twin", "aas"],
    "records": 30,
    "full_time_staff": 8,
}


def wait_for(api: httpx.Client, path: str, timeout: float = 60) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        response = api.get(path)
        if response.status_code == 200:
            return response.json()
        time.sleep(0.2)
    raise AssertionError(f"GET {path} never answered 200")


def ok(response: httpx.Response, status: int = 200) -> dict:
    assert response.status_code == status, response.text
    return response.json()


def test_a_shortlisted_application_is_matched_by_consent_and_enters_on_site_review(
    stack,
) -> None:
    url = stack.gateway_url
    operator = sign_in(url, "operator")
    supplier = sign_in(url, "supplier")
    planner = sign_in(url, "planner")
    asked = ok(supplier.post("/matching/suppliers", json={"name": "스마트솔루션", **OFFER}), 201)
    ok(operator.post(f"/matching/suppliers/{asked['id']}/approval"))
    designated = ok(
        operator.post(
            f"/matching/calls/{CALL}/planner-designations",
            json={"brn": PLANNER_BRN, "name": "경기테크노파크", **OFFER},
        ),
        201,
    )

    owner, brn = new_applicant(url, random.Random(6601))
    application_id = prepare_application(owner, brn)
    ok(owner.post(f"/applications/{application_id}/submit"))
    assert wait_until_reviewed(owner, application_id)["verdict"] == "eligible"
    wait_until_evaluated(operator, application_id)

    evaluator = ok(
        operator.post(
            "/scoring/evaluators",
            json={"subject": "evaluator", "name": "정평가", "affiliation": "한국생산기술연구원"},
        ),
        201,
    )
    stage = f"/scoring/calls/{CALL}/stages/document-review"
    ok(
        operator.post(
            f"{stage}/panels", json={"name": "1분과", "evaluator_ids": [evaluator["id"]]}
        ),
        201,
    )
    ok(operator.post(f"{stage}/assignment", json={"seed": 1}))
    scorer = sign_in(url, "evaluator")
    sheet = f"/scoring/evaluations/{application_id}/document-review/sheet"
    ok(
        scorer.put(
            sheet,
            json={"items": {"participation-will": "15", "necessity": "15.5", "environment": "30"}},
        )
    )
    ok(scorer.post(f"{sheet}/submit"))
    ranking = ok(operator.post(f"{stage}/completion"))
    assert [r["outcome"] for r in ranking["rows"]] == ["shortlisted"]

    match = wait_for(owner, f"/matching/matches/{application_id}")
    assert match["state"] == "awaiting-planner"
    advice = ok(
        owner.get(f"/matching/matches/{application_id}/recommendations", params={"role": "planner"})
    )
    best = advice["items"][0]
    assert best["member_id"] == designated["id"] and best["fit"] == "100.00"
    assert {f["code"]: f["weight"] for f in best["factors"]} == {
        "region": 25,
        "industry": 20,
        "technologies": 25,
        "records": 20,
        "load": 10,
    }
    assert all(f["reason_ko"] and f["reason_en"] for f in best["factors"])

    proposed = ok(
        owner.post(
            f"/matching/matches/{application_id}/proposals",
            json={"role": "planner", "member_ids": [designated["id"]]},
        )
    )
    offer = proposed["proposals"][-1]["id"]
    ok(
        planner.post(
            f"/matching/matches/{application_id}/proposals/{offer}/answer", json={"accept": True}
        )
    )
    suppliers = ok(
        planner.get(
            f"/matching/matches/{application_id}/recommendations", params={"role": "supplier"}
        )
    )
    assert [s["member_id"] for s in suppliers["items"]] == [asked["id"]]
    proposed = ok(
        planner.post(
            f"/matching/matches/{application_id}/proposals",
            json={"role": "supplier", "member_ids": [asked["id"]]},
        )
    )
    offer = proposed["proposals"][-1]["id"]
    formed = ok(
        supplier.post(
            f"/matching/matches/{application_id}/proposals/{offer}/answer", json={"accept": True}
        )
    )
    assert formed["state"] == "formed"

    on_site = wait_until_evaluated(operator, application_id, stage="on-site-review")
    parties = {(p["role"], p["brn"]) for p in on_site["parties"]}
    assert {("planner", PLANNER_BRN), ("supplier", SUPPLIER_BRN)} <= parties
    status = ok(owner.get(f"/applications/{application_id}/status"))
    assert "matching" in str(status)
