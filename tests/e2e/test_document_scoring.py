"""Document-based quantitative scoring through the real stack (001 붙임2 기업역량): the
applicant uploads its 표준재무제표증명 PDFs (generated with Korean text) at intake, is
reviewed eligible, and the scoring service reads 매출액/영업이익/부채총계/자본총계 from
them and scores the four items; the declared revenue that disagrees with the statement
is flagged on the sheet, and every figure names its document and page."""

from __future__ import annotations

import random
from decimal import Decimal

import pytest
from journey import (
    new_applicant,
    prepare_application,
    sign_in,
    wait_until_evaluated,
    wait_until_reviewed,
)

from sfms_shared.testing.statement_pdfs import standard_financial_statement_pdf

pytestmark = pytest.mark.e2e

# Revenue grows 12.0 % from 2024 to 2025 on the statements (5 points, 001 붙임2: "12%이상");
# operating profit 5.0 % (3 points); debt ratio 2025 = 60 % exactly (4 points: "100%미만~60%이상").
STATEMENTS = {
    2023: (9_000_000_000, 800_000_000, 5_000_000_000, 8_000_000_000),
    2024: (10_000_000_000, 1_000_000_000, 5_500_000_000, 9_000_000_000),
    2025: (11_200_000_000, 1_050_000_000, 6_000_000_000, 10_000_000_000),
}


def test_statements_uploaded_at_intake_are_read_and_scored(stack) -> None:
    owner, brn = new_applicant(stack.gateway_url, random.Random(5501))
    files = {
        ("financial-statements", year): standard_financial_statement_pdf(
            company_name="(주)시험정밀",
            brn=brn,
            fiscal_year=year,
            revenue=revenue,
            operating_profit=profit,
            total_liabilities=liabilities,
            total_equity=equity,
        )
        for year, (revenue, profit, liabilities, equity) in STATEMENTS.items()
    }
    declared = {
        "financials": [
            {
                "year": year,
                # The applicant declared 11,500,000,000 for 2025: not what the statement says.
                "revenue_krw": 11_500_000_000 if year == 2025 else revenue,
                "operating_profit_krw": profit,
                "total_liabilities_krw": liabilities,
                "total_equity_krw": equity,
            }
            for year, (revenue, profit, liabilities, equity) in STATEMENTS.items()
        ]
    }
    application_id = prepare_application(owner, brn, declared=declared, files=files)
    assert owner.post(f"/applications/{application_id}/submit").status_code == 200
    assert wait_until_reviewed(owner, application_id)["verdict"] == "eligible"

    operator = sign_in(stack.gateway_url, "operator")
    evaluation = wait_until_evaluated(operator, application_id)
    sheet = evaluation["quantitative"]
    measures = {m["code"]: m for m in sheet["measures"]}
    assert {code: m["points"] for code, m in measures.items()} == {
        "revenue-growth": 5,
        "operating-profit-growth": 3,
        "debt-ratio": 4,
        "direct-exports": 1,  # no export record: "실적이 없는 경우 1점"
    }
    assert sheet["points"] == 13
    assert Decimal(measures["revenue-growth"]["value"]) == Decimal("0.12")
    assert Decimal(measures["debt-ratio"]["value"]) == Decimal("0.6")
    for code in ("revenue-growth", "operating-profit-growth", "debt-ratio"):
        for used in measures[code]["inputs"]:
            assert used["provenance"] == "document", (code, used)
            assert used["document_id"] and used["page"] >= 1
    flags = {f["code"]: f for f in measures["revenue-growth"]["flags"]}
    shown = {(f["provenance"], f["value"]) for f in flags["declared-differs"]["figures"]}
    assert shown == {("declared", 11_500_000_000), ("document", 11_200_000_000)}
    assert not any(f["code"] == "declared-differs" for f in measures["debt-ratio"]["flags"])

    mine = owner.get(f"/scoring/evaluations/{application_id}/document-review")
    assert mine.status_code == 200 and mine.json()["quantitative"]["points"] == 13
    other, _ = new_applicant(stack.gateway_url, random.Random(5502))
    assert other.get(f"/scoring/evaluations/{application_id}/document-review").status_code == 404
