"""Applications to the 001 call (001 §3 신청 기간 및 방법, 제출서류): each company registers
by its workplace BRN, drafts a solo application with its budget, uploads the required
documents (its 표준재무제표증명 and 수출실적증명서 as generated PDFs) and submits before
2026-06-16 17:00 KST. Partner agencies report what they know first (a participation
restriction, tax arrears); drafts left open get the D-3 and D-1 reminders; one company
submits ten seconds before the deadline and three try after it."""

from __future__ import annotations

import tempfile
from datetime import datetime
from pathlib import Path
from typing import Any

from walkthrough.budgets import budget
from walkthrough.platform import CALL, Platform, Refused, ok, wait_until
from walkthrough.population import (
    INCOMPLETE,
    LAST_MINUTE,
    LATE,
    SANCTIONED,
    TAX_ARREARS,
    Company,
    Population,
)
from walkthrough.report import in_parallel, line, progress

from sfms_shared.clock import KST
from sfms_shared.testing.statement_pdfs import (
    export_record_pdf,
    font_covering,
    standard_financial_statement_pdf,
)

MINIMAL_PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Count 0/Kids[]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
LEFT_OUT = "national-tax-clearance"  # what the incomplete applications lack (001 §3 제출서류 4)


def organisation(company: Company) -> dict[str, Any]:
    return {
        "kind": "company",
        "brn": company.brn,
        "name": company.name,
        "legal_form": "corporation",
        "ksic_code": company.ksic_code,
        "size_class": company.size_class,
        "region": company.region,
        "founded_on": company.founded_on.isoformat(),
        "headcount": company.headcount,
        "smart_factory": {
            "level": company.level,
            "evidence": "level-check-certified",
            "certified_on": company.certified_on.isoformat(),
        },
        "financials": [
            {
                "year": year,
                "revenue_krw": revenue,
                "operating_profit_krw": profit,
                "total_liabilities_krw": liabilities,
                "total_equity_krw": equity,
            }
            for year, revenue, profit, liabilities, equity in company.statements
        ],
        "exports": [
            {"year": y, "direct_export_krw": v} for y, v in sorted(company.exports.items())
        ],
        "contact": {"name": "사업 담당자", "email": f"sf.{company.brn}@example.kr"},
    }


class Uploads:
    """The files each company uploads: generated certificates for the statements and
    exports, a plain PDF for the rest."""

    def __init__(self, call: dict[str, Any], people: Population) -> None:
        self.requirements = [
            r
            for r in call["required_documents"]
            if r["required"] != "optional"
            and r.get("condition") not in ("bonus-claimed", "branch-workplace")
        ]
        folder = Path(tempfile.mkdtemp(prefix="sfms-walkthrough-"))
        self.font = font_covering(people.names, folder / "certificates.otf")

    def files(self, company: Company, issued_on: str) -> list[tuple[dict[str, str], bytes]]:
        files = []
        for requirement in self.requirements:
            if company.fate == INCOMPLETE and requirement["kind"] == LEFT_OUT:
                continue
            years = (requirement.get("fiscal_years") or {}).get("years") or [None]
            for year in years:
                fields = {"kind": requirement["kind"], "issued_on": issued_on, "issuer": "발급기관"}
                content = MINIMAL_PDF
                if year is not None:
                    fields["fiscal_year"] = str(year)
                    fields["issuer"] = "국세청"
                    content = self.statement(company, year)
                files.append((fields, content))
        if company.exports:
            fields = {"kind": "export-record", "issued_on": issued_on, "issuer": "한국무역협회"}
            exports = export_record_pdf(
                company_name=company.name, brn=company.brn, by_year=company.exports, font=self.font
            )
            files += [({**fields, "fiscal_year": str(y)}, exports) for y in sorted(company.exports)]
        return files

    def statement(self, company: Company, year: int) -> bytes:
        _, revenue, profit, liabilities, equity = next(
            s for s in company.statements if s[0] == year
        )
        return standard_financial_statement_pdf(
            company_name=company.name,
            brn=company.brn,
            fiscal_year=year,
            revenue=revenue,
            operating_profit=profit,
            total_liabilities=liabilities,
            total_equity=equity,
            font=self.font,
        )


def report_registries(platform: Platform, people: Population) -> None:
    """Partner agencies' systems report restrictions and arrears (001 부적격 사항)."""
    kiria = platform.partner("한국로봇산업진흥원", ["registries:sanctions:write"])
    tax = platform.partner("국세청 체납정보 연계", ["registries:tax-arrears:write"])
    for company in people.companies:
        if company.fate == SANCTIONED:
            reporter, registry = kiria, "sanctions"
            record = {
                "record_key": f"KIRIA-2026-{company.number:04d}",
                "source": "kiria",
                "program": "제조로봇도입",
                "starts_on": "2026-01-01",
                "reason": "협약 위반",
            }
        elif company.fate == TAX_ARREARS:
            reporter, registry = tax, "tax-arrears"
            record = {
                "record_key": f"NTS-2026-{company.number:04d}",
                "tax": "national",
                "since": "2026-03-31",
            }
        else:
            continue
        path = f"/eligibility/registries/{registry}/records"
        ok(reporter.post(path, json={**record, "brn": company.brn}), 201)


def draft(platform: Platform, uploads: Uploads, company: Company) -> None:
    """Account, organisation, application with its budget, documents."""
    account = platform.sign_up("applicant", company.brn, f"{company.name} 대표")
    company.ids["account"] = f"applicant-{company.brn}"
    company.ids["organisation"] = ok(
        account.post("/organisations", json=organisation(company)), 201
    )["id"]
    fees = next(
        t for t in platform.call["terms"]["budget"]["fee_tables"] if t["code"] == "settlement-fee"
    )
    application = account.post(
        "/applications",
        json={
            "call_id": CALL,
            "applicant_id": company.ids["organisation"],
            "mode": "solo",
            "support_type": "advanced",
            "project_title": f"{company.name[3:]} AI·디지털트윈 자율형공장 구축",
            "budget": budget(company.government_per_year, fees["bands"]),
        },
    )
    company.ids["application"] = ok(application, 201)["id"]
    issued_on = platform.now().date().isoformat()
    for fields, content in uploads.files(company, issued_on):
        ok(
            account.post(
                f"/applications/{company.ids['application']}/documents",
                data=fields,
                files={"file": (f"{fields['kind']}.pdf", content, "application/pdf")},
            ),
            201,
        )


def submit(platform: Platform, company: Company) -> dict[str, Any]:
    """The receipt, or the problem that refused the submission."""
    account = platform.as_user(company.ids["account"])
    answer = account.post(f"/applications/{company.ids['application']}/submit")
    body = answer.json()
    if answer.status_code == 200:
        company.ids["receipt"] = body["receipt_number"]
    return body | {"status_code": answer.status_code}


def take_applications(platform: Platform, people: Population) -> dict[str, list[Company]]:
    """Everything from the first draft to the deadline; who was received and who not."""
    report_registries(platform, people)
    uploads = Uploads(platform.call, people)
    in_parallel(
        people.companies,
        "companies: registration, application, documents",
        lambda company: draft(platform, uploads, company),
    )
    refused: dict[str, list[Company]] = {"incomplete": [], "late": []}
    on_time = [c for c in people.companies if c.fate not in (LATE, LAST_MINUTE)]
    for company in progress(on_time, "submissions before the deadline"):
        answer = submit(platform, company)
        if answer["status_code"] != 200:
            if company.fate != INCOMPLETE:
                raise Refused(f"{company.name} was refused: {answer}")
            refused["incomplete"].append(company)
    problem = submit(platform, refused["incomplete"][0])
    line(
        f"incomplete ({len(refused['incomplete'])}): {problem['status_code']} {problem['type']} field={problem.get('field')}"
    )
    line(f"  ko: {problem['detail_ko']}")
    line(f"  en: {problem['detail']}")
    _reminders(platform)
    _at_the_deadline(platform, people, refused)
    return refused


def _reminders(platform: Platform) -> None:
    deadline = datetime.fromisoformat(platform.call["schedule"]["application"]["closes_at"])
    for days, kind in ((3, "reminder-d3"), (1, "reminder-d1")):
        platform.move_to(deadline.replace(day=deadline.day - days, second=5))
        drafts = wait_until(f"{kind} notices", lambda kind=kind: platform.notices().get(kind))
        line(
            f"D-{days} ({platform.now():%m-%d %H:%M} KST): {drafts} drafts reminded by mail ({kind})"
        )


def _at_the_deadline(
    platform: Platform, people: Population, refused: dict[str, list[Company]]
) -> None:
    deadline = datetime.fromisoformat(platform.call["schedule"]["application"]["closes_at"])
    platform.move_to(deadline.replace(hour=16, minute=59, second=50))
    for company in (c for c in people.companies if c.fate == LAST_MINUTE):
        receipt = submit(platform, company)
        received = datetime.fromisoformat(receipt["received_at"]).astimezone(KST)
        line(
            f"{company.name}: received {received:%H:%M:%S.%f}"[:-3]
            + f" KST, receipt {receipt['receipt_number']}"
        )
    platform.move_to(deadline)
    for company in (c for c in people.companies if c.fate == LATE):
        answer = submit(platform, company)
        if answer["status_code"] == 200:
            raise Refused(f"{company.name} was received after the deadline")
        refused["late"].append(company)
    line(
        f"after {deadline.astimezone(KST):%H:%M:%S} KST: {len(refused['late'])} refused, "
        f"{answer['type']} — {answer['detail_ko']}"
    )
