"""A walk-through of a real call against a running platform (README command 1).

Signs up a company account, registers the company, starts an application to the 2026
autonomous-factory call (001), uploads the required documents, submits, prints the
receipt, shows that another company cannot see it while the call's operator can, and
follows the application across services until requirement review has received it.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from datetime import date, datetime

import httpx

from gateway.dev_issuer import DEV_PASSWORD
from intake.domain.brn import check_digit, format_brn
from sfms_shared.clock import KST

CALL_ID = "2026-autonomous-factory-2"
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Count 0/Kids[]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


DECIDED = ("eligible", "ineligible", "needs-review")


def say(step: str, text: str) -> None:
    print(f"\n[{step}] {text}", flush=True)


def valid_brn(rng: random.Random) -> str:
    first_nine = f"{rng.randrange(100, 1000)}{rng.randrange(81, 89)}{rng.randrange(0, 10000):04d}"
    return format_brn(first_nine + str(check_digit(first_nine)))


def check(response: httpx.Response, expected: int) -> dict:
    if response.status_code != expected:
        print(f"Unexpected answer {response.status_code}: {response.text}", file=sys.stderr)
        raise SystemExit(1)
    return response.json() if response.content else {}


def documents_for(call: dict, today: date) -> list[dict]:
    """One file per required document of a corporation; statements per fiscal year."""
    uploads = []
    for requirement in call["required_documents"]:
        if requirement["required"] == "optional" or requirement.get("condition") in (
            "bonus-claimed",
            "branch-workplace",
        ):
            continue
        if requirement.get("fiscal_years"):
            uploads += [
                {"kind": requirement["kind"], "fiscal_year": str(y), "issuer": "국세청"}
                for y in requirement["fiscal_years"]["years"]
            ]
        else:
            uploads.append(
                {"kind": requirement["kind"], "issued_on": today.isoformat(), "issuer": "발급기관"}
            )
    return uploads


def sign_in(gateway: str, username: str, password: str) -> httpx.Client:
    login = check(
        httpx.post(
            gateway + "/api/v1/auth/login",
            json={"username": username, "password": password},
            timeout=30,
        ),
        200,
    )
    return httpx.Client(
        base_url=gateway + "/api/v1",
        headers={"Authorization": f"Bearer {login['access_token']}"},
        timeout=30,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--gateway", default="http://127.0.0.1:8000")
    parser.add_argument("--seed", type=int, default=None)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    public = httpx.Client(base_url=args.gateway + "/api/v1", timeout=30)

    say("1/8", "The call (공고), public to everyone")
    call = check(public.get(f"/calls/{CALL_ID}"), 200)["document"]
    window = call["schedule"]["application"]
    print(f"  {call['title']['ko']}  ({call['title']['en']})")
    print(
        f"  applications {window['opens_at']} → {window['closes_at']}, target {call['target']['value']} projects"
    )

    say("2/8", "Sign up a company account for its BRN and sign in (development issuer)")
    brn = valid_brn(rng)
    username = f"walkthrough-{brn.replace('-', '')}"
    check(
        public.post(
            "/auth/signup",
            json={
                "username": username,
                "password": "walkthrough",
                "name": "김대표",
                "role": "applicant",
                "brn": brn,
            },
        ),
        201,
    )
    api = sign_in(args.gateway, username, "walkthrough")
    me = check(api.get("/auth/me"), 200)
    print(f"  signed in as {me['sub']}  roles {me['roles']}  organisation {format_brn(me['org'])}")

    say("3/8", "Bad input is refused with a problem naming the field (nothing is stored)")
    company = {
        "kind": "company",
        "name": "(주)한빛정밀",
        "legal_form": "corporation",
        "ksic_code": "C29",
        "size_class": "small",
        "region": "경기",
        "founded_on": "2012-03-05",
        "headcount": 48,
        "smart_factory": {
            "level": "중간1",
            "evidence": "level-check-certified",
            "certified_on": "2025-02-10",
        },
        "financials": [
            {
                "year": y,
                "revenue_krw": r,
                "operating_profit_krw": p,
                "total_liabilities_krw": 4_100_000_000,
                "total_equity_krw": 5_000_000_000,
            }
            for y, r, p in (
                (2023, 9_800_000_000, 510_000_000),
                (2024, 10_400_000_000, 560_000_000),
                (2025, 11_700_000_000, 640_000_000),
            )
        ],
    }
    problem = api.post("/organisations", json={**company, "brn": "123-45-67890"}).json()
    print(f"  {problem['status']} {problem['type']}  field={problem['field']}")
    print(f"  en: {problem['detail']}\n  ko: {problem['detail_ko']}")

    say("4/8", "Register the company (도입기업) by its workplace BRN")
    organisation = check(api.post("/organisations", json={**company, "brn": brn}), 201)
    print(
        f"  {organisation['name']}  BRN {format_brn(organisation['brn'])}  id {organisation['id']}"
    )

    say("5/8", "Start a solo application and upload the required documents")
    application = check(
        api.post(
            "/applications",
            json={
                "call_id": CALL_ID,
                "applicant_id": organisation["id"],
                "mode": "solo",
                "support_type": "advanced",
                "project_title": "AI·디지털트윈 기반 정밀가공 자율형공장 구축",
            },
        ),
        201,
    )
    today = datetime.fromisoformat(
        check(api.get(f"/applications/{application['id']}"), 200)["updated_at"]
    ).date()
    for upload in documents_for(call, today):
        check(
            api.post(
                f"/applications/{application['id']}/documents",
                data=upload,
                files={"file": (f"{upload['kind']}.pdf", PDF, "application/pdf")},
            ),
            201,
        )
    print(
        f"  application {application['id']}: {len(documents_for(call, today))} documents uploaded"
    )

    say("6/8", "Submit")
    receipt = check(api.post(f"/applications/{application['id']}/submit"), 200)
    received_at = datetime.fromisoformat(receipt["received_at"]).astimezone(KST)
    print(
        f"  receipt number {receipt['receipt_number']}  received at {received_at:%Y-%m-%d %H:%M:%S.%f} KST"
        f"  (submission version {receipt['submission_version']}, call version {receipt['call_version']})"
    )

    say("7/8", "Each sees what is theirs: another company cannot, the call's operator can")
    other = sign_in(args.gateway, "applicant2", DEV_PASSWORD)
    denied = other.get(f"/applications/{application['id']}")
    print(f"  another company's account: {denied.status_code} {denied.json()['title']}")
    operator = sign_in(args.gateway, "operator", DEV_PASSWORD)
    seen = check(operator.get(f"/applications/{application['id']}"), 200)
    print(f"  the 001 operator: 200, status {seen['status']}")

    say("8/8", "Requirement review decides; the application across services")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        status = check(api.get(f"/applications/{application['id']}/status"), 200)
        if status["stages"]["requirement_review"]["state"] in DECIDED:
            for stage, state in status["stages"].items():
                print(f"  {stage:<20} {state['state']}")
            trace = check(api.get(f"/eligibility/decisions/{application['id']}"), 200)
            print(
                f"  requirement review (요건검토): {trace['verdict']}, rules of "
                f"{trace['rule_set']['call_id']} v{trace['rule_set']['call_version']}"
            )
            for outcome in trace["outcomes"]:
                print(
                    f"    {outcome['outcome']:<14} {outcome['rule_id']:<42} "
                    f"{outcome['source']['section'][:30]}"
                )
            print(f"\nWalk-through complete. Seeded users (password {DEV_PASSWORD}): ", end="")
            print(", ".join(u["username"] for u in check(public.get("/auth/dev-users"), 200)))
            return 0
        time.sleep(0.25)
    print("  requirement review did not decide within 60 s", file=sys.stderr)
    return 1


if __name__ == "__main__":
    raise SystemExit(main())
