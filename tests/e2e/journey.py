"""A complete application through the gateway, for end-to-end tests."""

from __future__ import annotations

import random
import time

import httpx

from gateway.dev_issuer import DEV_PASSWORD
from sfms_shared.contracts.brn import check_digit

CALL_ID = "2026-autonomous-factory-2"
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\ntrailer<<>>\n%%EOF\n"


def fresh_brn(rng: random.Random) -> str:
    first_nine = f"{rng.randrange(100, 1000)}{rng.randrange(81, 89)}{rng.randrange(0, 10000):04d}"
    return first_nine + str(check_digit(first_nine))


def sign_in(gateway_url: str, username: str, password: str = DEV_PASSWORD) -> httpx.Client:
    """A client for ``/api/v1`` carrying the user's bearer token from the development issuer."""
    login = httpx.post(
        gateway_url + "/api/v1/auth/login",
        json={"username": username, "password": password},
        timeout=30,
    )
    assert login.status_code == 200, login.text
    token = login.json()["access_token"]
    return httpx.Client(
        base_url=gateway_url + "/api/v1",
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    )


def new_applicant(gateway_url: str, rng: random.Random) -> tuple[httpx.Client, str]:
    """Sign up an applicant account for a fresh company BRN and sign it in."""
    brn = fresh_brn(rng)
    username = f"applicant-{brn}"
    signup = httpx.post(
        gateway_url + "/api/v1/auth/signup",
        json={
            "username": username,
            "password": "journey-password",
            "name": "시험 담당자",
            "role": "applicant",
            "brn": brn,
        },
        timeout=30,
    )
    assert signup.status_code == 201, signup.text
    return sign_in(gateway_url, username, "journey-password"), brn


def company_profile(brn: str) -> dict[str, object]:
    """A manufacturer at level 중간1, certified: eligible while the registries say nothing
    against it."""
    return {
        "kind": "company",
        "brn": brn,
        "name": "(주)시험정밀",
        "legal_form": "corporation",
        "ksic_code": "C29",
        "size_class": "small",
        "region": "경남",
        "founded_on": "2015-05-01",
        "headcount": 20,
        "smart_factory": {
            "level": "중간1",
            "evidence": "level-check-certified",
            "certified_on": "2025-03-01",
        },
    }


def required_uploads(call: dict) -> list[dict[str, str]]:
    """The form fields of every document a solo corporation's application needs (one per
    fiscal year where the call asks for years)."""
    uploads = []
    for requirement in call["required_documents"]:
        if requirement["required"] == "optional" or requirement.get("condition") in (
            "bonus-claimed",
            "branch-workplace",
        ):
            continue
        for year in (requirement.get("fiscal_years") or {}).get("years") or [None]:
            fields = {"kind": requirement["kind"], "issued_on": "2026-06-01"}
            if year:
                fields["fiscal_year"] = str(year)
            uploads.append(fields)
    return uploads


def prepare_application(
    api: httpx.Client,
    brn: str,
    *,
    declared: dict[str, object] | None = None,
    files: dict[tuple[str, int | None], bytes] | None = None,
) -> str:
    """Register the applicant's company (level 중간1, certified), start a solo application,
    upload every required document: an application requirement review finds eligible while
    the registries say nothing against the company.

    ``declared`` adds to the company's profile (e.g. its declared financials); ``files``
    gives the bytes of particular documents by (kind, fiscal year), other documents are a
    minimal PDF."""
    company = api.post("/organisations", json=(declared or {}) | company_profile(brn))
    assert company.status_code == 201, company.text
    application = api.post(
        "/applications",
        json={"call_id": CALL_ID, "applicant_id": company.json()["id"], "support_type": "advanced"},
    )
    assert application.status_code == 201, application.text
    application_id = application.json()["id"]
    call = api.get(f"/calls/{CALL_ID}").json()["document"]
    for fields in required_uploads(call):
        year = int(fields["fiscal_year"]) if "fiscal_year" in fields else None
        content = (files or {}).get((fields["kind"], year), PDF)
        response = api.post(
            f"/applications/{application_id}/documents",
            data=fields,
            files={"file": ("doc.pdf", content, "application/pdf")},
        )
        assert response.status_code == 201, response.text
    return application_id


def wait_until_reviewed(
    api: httpx.Client, application_id: str, sequence: int = 1, timeout: float = 60
) -> dict:
    """The application's requirement-review trace once decision ``sequence`` exists."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        response = api.get(f"/eligibility/decisions/{application_id}")
        if response.status_code == 200 and response.json()["sequence"] >= sequence:
            return response.json()
        time.sleep(0.2)
    raise AssertionError(f"no decision {sequence} on {application_id} within {timeout}s")


def wait_until_received(api: httpx.Client, application_id: str, timeout: float = 60) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        response = api.get(f"/eligibility/received-applications/{application_id}")
        if response.status_code == 200:
            return response.json()
        time.sleep(0.2)
    raise AssertionError(f"eligibility did not receive {application_id} within {timeout}s")


def wait_until_budget_reviewed(api: httpx.Client, application_id: str, timeout: float = 60) -> dict:
    """Settlement's binding review of the submitted budget (001 §6)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        response = api.get(f"/settlement/applications/{application_id}/budget-review")
        if response.status_code == 200:
            return response.json()
        time.sleep(0.2)
    raise AssertionError(f"settlement did not review the budget of {application_id}")


def wait_until_evaluated(
    api: httpx.Client, application_id: str, stage: str = "document-review", timeout: float = 60
) -> dict:
    """The application's evaluation once scoring has entered it in ``stage``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        response = api.get(f"/scoring/evaluations/{application_id}/{stage}")
        if response.status_code == 200:
            return response.json()
        time.sleep(0.2)
    raise AssertionError(f"{application_id} never entered {stage}")
