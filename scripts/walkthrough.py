"""A walk-through of a real call against a running platform (README command 1).

Registers a company, starts an application to the 2026 autonomous-factory call (001),
uploads the required documents, submits, prints the receipt, and shows that the
eligibility service received the submission event.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from datetime import date, datetime

import httpx

from intake.domain.brn import check_digit, format_brn
from sfms_shared.clock import KST

CALL_ID = "2026-autonomous-factory-2"
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Count 0/Kids[]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--gateway", default="http://127.0.0.1:8000")
    parser.add_argument("--seed", type=int, default=None)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    api = httpx.Client(base_url=args.gateway + "/api/v1", timeout=30)

    say("1/6", "The call (공고)")
    call = check(api.get(f"/calls/{CALL_ID}"), 200)["document"]
    window = call["schedule"]["application"]
    print(f"  {call['title']['ko']}  ({call['title']['en']})")
    print(
        f"  applications {window['opens_at']} → {window['closes_at']}, target {call['target']['value']} projects"
    )

    say("2/6", "Bad input is refused with a problem naming the field (nothing is stored)")
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

    say("3/6", "Register the company (도입기업) by its workplace BRN")
    organisation = check(api.post("/organisations", json={**company, "brn": valid_brn(rng)}), 201)
    print(
        f"  {organisation['name']}  BRN {format_brn(organisation['brn'])}  id {organisation['id']}"
    )

    say("4/6", "Start a solo application and upload the required documents")
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

    say("5/6", "Submit")
    receipt = check(api.post(f"/applications/{application['id']}/submit"), 200)
    received_at = datetime.fromisoformat(receipt["received_at"]).astimezone(KST)
    print(
        f"  receipt number {receipt['receipt_number']}  received at {received_at:%Y-%m-%d %H:%M:%S.%f} KST"
        f"  (submission version {receipt['submission_version']}, call version {receipt['call_version']})"
    )

    say(
        "6/6",
        "The eligibility service received the submission event (intake.application-submitted.v1)",
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        response = api.get(f"/eligibility/received-applications/{application['id']}")
        if response.status_code == 200:
            body = response.json()
            print(
                f"  eligibility has {body['receipt_number']} (status {body['status']}, "
                f"call {body['call_id']} v{body['call_version']})"
            )
            print("\nWalk-through complete.")
            return 0
        time.sleep(0.25)
    print("  eligibility did not receive the event within 60 s", file=sys.stderr)
    return 1


if __name__ == "__main__":
    raise SystemExit(main())
