"""Budget review against the 001 call (2026 자율형공장 2차), edge by edge.

Each test names the seed section its figures come from: 001 §1 지원 규모 및 조건 (50%,
연 3억, 2년 6억), 001 §6 사업비 편성 관련 (필수계상, 전주기관리, 현물편성, 클라우드), 붙임6.
"""

from __future__ import annotations

from datetime import date

import pytest
from settlement_budgets import budget, line, lines_001, shift

from settlement.domain.review import Circumstances, review
from settlement.domain.terms import ProjectTerms
from sfms_shared.contracts.calls import CallDocument
from sfms_shared.small_business import classify
from sfms_shared.testing.snapshots import AUTONOMOUS, application, financials


@pytest.fixture(scope="module")
def terms(calls: dict[str, CallDocument]) -> ProjectTerms:
    return ProjectTerms.of(calls[AUTONOMOUS], support_type="advanced")


def outcomes(lines, terms, **circumstances):  # noqa: ANN001, ANN201
    found = review(budget(lines), terms, Circumstances(**circumstances))
    return {(f.rule, f.year): f for f in found.findings}, found


def test_the_reference_budget_passes_every_rule(terms: ProjectTerms) -> None:
    found, result = outcomes(lines_001(), terms)
    assert result.verdict == "pass", [f.message_en for f in found.values() if f.outcome != "pass"]
    assert result.budget.figures.total == 1_200_000_000
    assert {rule for rule, _ in found} >= {
        "government-ratio",
        "government-limit",
        "government-limit-per-year",
        "mandatory-settlement-fee",
        "mandatory-training",
        "mandatory-technology-escrow",
        "planner-management",
        "in-kind-limit",
        "cloud-fee-years",
    }


def test_government_ratio_exactly_50_percent_passes_and_just_over_fails(
    terms: ProjectTerms,
) -> None:
    """001 §1: 총 사업비의 50% 이내. 600,000,000 of 1,200,000,000 is exactly 50%; one won
    less of private cash makes it 50.00000004%."""
    found, _ = outcomes(lines_001(), terms)
    assert found[("government-ratio", None)].outcome == "pass"
    found, _ = outcomes(shift(lines_001(), 0, cash=-1), terms)
    ratio = found[("government-ratio", None)]
    assert ratio.outcome == "fail"
    assert ratio.figures["government_krw"] == 600_000_000
    assert ratio.figures["total_krw"] == 1_199_999_999
    assert ratio.figures["allowed_krw"] == 599_999_999  # ⌊0.5 × 1,199,999,999⌋


def test_government_total_600m_passes_and_600m_plus_one_fails(terms: ProjectTerms) -> None:
    """001 §1: 2년 6억. The extra won comes with the same cash, so the ratio holds."""
    found, _ = outcomes(lines_001(), terms)
    assert found[("government-limit", None)].figures == {
        "government_krw": 600_000_000,
        "limit_krw": 600_000_000,
    }
    assert found[("government-limit", None)].outcome == "pass"
    found, _ = outcomes(shift(lines_001(), 4, gov=1, cash=1), terms)
    assert found[("government-limit", None)].outcome == "fail"
    assert "KRW 1 over" in found[("government-limit", None)].message_en
    assert found[("government-ratio", None)].outcome == "pass"


def test_a_year_at_300m_plus_one_fails_the_yearly_limit(terms: ProjectTerms) -> None:
    """001 §1: 연 3억원 이내. Year 1 at 300,000,001 and year 2 at 299,999,999: the two-year
    total is still 600,000,000."""
    lines = shift(shift(lines_001(), 0, gov=1, cash=-1), 4, gov=-1, cash=1)
    found, _ = outcomes(lines, terms)
    assert found[("government-limit-per-year", 1)].outcome == "fail"
    assert found[("government-limit-per-year", 1)].figures["government_krw"] == 300_000_001
    assert found[("government-limit-per-year", 2)].outcome == "pass"
    assert found[("government-limit", None)].outcome == "pass"


def test_a_budget_without_the_training_line_names_the_amount_and_rule(
    terms: ProjectTerms,
) -> None:
    """001 §6 (필수계상): 교육비 100만원 필수 편성(1차년도); 미편성할 경우, 총사업비와 별개로
    도입기업 부담."""
    lines = [x for x in lines_001() if x.code != "training"]
    found, result = outcomes(lines, terms)
    training = found[("mandatory-training", 1)]
    assert result.verdict == "fail"
    assert training.outcome == "fail"
    assert training.figures["expected_krw"] == 1_000_000
    assert training.source.file == "001_39e04bdc262ce7ee.txt"
    assert "§6" in training.source.section
    assert "1,000,000원" in training.message_ko and "총사업비와 별개로 도입기업이 부담" in (
        training.message_ko
    )
    assert "KRW 1,000,000" in training.message_en
    assert "outside the total project cost" in training.message_en


def test_mandatory_lines_in_the_wrong_year_or_short_are_findings(terms: ProjectTerms) -> None:
    """001 §6: 정산 수수료·기술임치비 (2차년도); the fee by the table for a 1.2억+ total."""
    moved = [
        x.model_copy(update={"year": 1}) if x.code == "technology-escrow" else x
        for x in lines_001()
    ]
    found, _ = outcomes(moved, terms)
    escrow = found[("mandatory-technology-escrow", 2)]
    assert escrow.outcome == "fail" and escrow.figures["in_other_years"] == [1]
    short = [
        x.model_copy(update={"private_cash_krw": 910_000}) if x.code == "settlement-fee" else x
        for x in lines_001()
    ]
    found, _ = outcomes(short, terms)
    fee = found[("mandatory-settlement-fee", 2)]
    assert fee.outcome == "fail"
    assert fee.figures == {"expected_krw": 1_182_000, "budgeted_krw": 910_000, "in_other_years": []}


def test_planner_management_exactly_5_percent_passes_one_won_over_fails(
    terms: ProjectTerms,
) -> None:
    """001 §6 (전주기관리): 기획기관의 관리비용으로 총사업비 5% 이내(연차별). Year 1 is
    600,000,000: 30,000,000 is exactly 5%."""
    at_limit = shift(
        shift(lines_001(), 2, gov=5_000_000, cash=5_000_000), 0, gov=-5_000_000, cash=-5_000_000
    )
    found, _ = outcomes(at_limit, terms)
    year1 = found[("planner-management", 1)]
    assert year1.figures["amount_krw"] == 30_000_000
    assert year1.figures["total_krw"] == 600_000_000
    assert year1.outcome == "pass"
    over = shift(shift(at_limit, 2, cash=1), 0, cash=-1)
    found, _ = outcomes(over, terms)
    assert found[("planner-management", 1)].figures["amount_krw"] == 30_000_001
    assert found[("planner-management", 1)].outcome == "fail"
    assert found[("planner-management", 2)].outcome == "pass"


def _with_cloud_in_year_one(in_kind: int, company_share: int) -> list:  # noqa: ANN401
    """Year 1 with ``in_kind`` of cloud fees and a company share of ``company_share``; the
    government share and the year's other lines stay, the solution's cash absorbs it."""
    lines = lines_001()
    cash_elsewhere = 1_000_000 + 10_000_000  # training, planner management
    solution_cash = company_share - in_kind - cash_elsewhere
    lines[0] = lines[0].model_copy(update={"private_cash_krw": solution_cash})
    lines[3] = lines[3].model_copy(update={"private_in_kind_krw": in_kind})
    return lines


@pytest.mark.parametrize(
    ("in_kind", "company_share", "outcome"),
    [
        (60_000_000, 300_000_000, "pass"),  # exactly 20% and exactly 60M
        (50_000_000, 250_000_000, "pass"),  # exactly 20%
        (50_000_001, 250_000_000, "fail"),  # one won over 20%
        (60_000_000, 400_000_000, "pass"),  # exactly 60M, 15%
        (60_000_001, 400_000_000, "fail"),  # one won over 60M, 15%
    ],
)
def test_in_kind_at_20_percent_and_60m(
    terms: ProjectTerms, in_kind: int, company_share: int, outcome: str
) -> None:
    """001 §6 (현물편성): 기업부담금 중 20% 이내(연차별 최대 6천만원)."""
    found, result = outcomes(_with_cloud_in_year_one(in_kind, company_share), terms)
    limit = found[("in-kind-limit", 1)]
    assert result.budget.year(1).company_share == company_share
    assert limit.figures["in_kind_krw"] == in_kind
    assert limit.outcome == outcome, limit.message_en


def test_in_kind_only_of_the_allowed_kinds_and_years(terms: ProjectTerms) -> None:
    """001 §6 (현물편성): 클라우드(현금·현물), 도입기업 인건비(현금 불가), AI 제조 데이터셋
    (현금 불가, 2차년도 사업비 내 현물)."""
    lines = lines_001()
    lines.append(line(1, "장비 현물", kind=5_000_000))
    lines.append(line(1, "도입기업 인건비", code="applicant-staff-labour", cash=3_000_000))
    lines.append(line(1, "AI 제조 데이터셋", code="ai-dataset", kind=4_000_000))
    lines.append(line(2, "AI 제조 데이터셋", code="ai-dataset", kind=4_000_000))
    found, _ = outcomes(lines, terms)
    rules = sorted(
        (f.rule, f.year)
        for f in review(budget(lines), terms, Circumstances()).findings
        if f.rule.startswith("in-kind-") and f.outcome == "fail"
    )
    assert rules == [("in-kind-kind", 1), ("in-kind-only", 1), ("in-kind-year", 1)]


def _company(ksic: str, average_revenue: int):  # noqa: ANN202
    revenue = (average_revenue, average_revenue, average_revenue)
    return application(1, ksic_code=ksic, financials=financials(revenue, (1, 1, 1))).applicant


@pytest.mark.parametrize(
    ("ksic", "average_revenue", "years", "outcome"),
    [
        ("C25", 12_000_000_000, 5, "pass"),  # 금속가공 120억 이하: 소기업, 5 years
        ("C25", 12_000_000_000, 6, "fail"),
        ("C25", 12_000_000_001, 3, "pass"),  # not small: 3 years
        ("C25", 12_000_000_001, 4, "fail"),
        ("J", 3_000_000_000, 5, "pass"),  # 정보통신업 30억 이하 (2026 table)
        ("J", 4_000_000_000, 4, "fail"),  # small under 003's 50억, not under 2026's 30억
    ],
)
def test_cloud_fee_years_3_or_5_by_the_2026_size_table(
    calls: dict[str, CallDocument],
    terms: ProjectTerms,
    ksic: str,
    average_revenue: int,
    years: int,
    outcome: str,
) -> None:
    """001 §6 (현물편성) and 기타 사항: 클라우드 서비스 이용료 최대 3년, 소기업은 최대 5년;
    소기업 규모 기준은 붙임6 (2026), not 003 붙임1 (2021)."""
    table = calls[AUTONOMOUS].terms.size_table("small-business-2026")
    assert table is not None
    small = classify(_company(ksic, average_revenue), table)
    lines = [x for x in lines_001() if not (x.code == "cloud-fee" and x.year == 2)]
    lines[3] = lines[3].model_copy(update={"service_years": years})
    found, _ = outcomes(lines, terms, small_business=small)
    cloud = found[("cloud-fee-years", None)]
    assert cloud.outcome == outcome, cloud.message_en
    assert cloud.figures["service_years"] == years


def test_more_than_three_cloud_years_without_a_size_is_not_assessed(terms: ProjectTerms) -> None:
    found, _ = outcomes(lines_001(), terms)  # 1 + 2 years: within 3 whatever the size
    assert found[("cloud-fee-years", None)].outcome == "pass"
    lines = shift(lines_001(), 0, cash=0)
    lines[8] = lines[8].model_copy(update={"service_years": 4})
    found, _ = outcomes(lines, terms)
    assert found[("cloud-fee-years", None)].outcome == "not-assessed"


def test_the_review_explains_the_settlement_fee(terms: ProjectTerms) -> None:
    _, result = outcomes(lines_001(), terms)
    fee = result.as_json()["settlement_fee"]
    assert fee["fee_krw"] == 1_182_000
    assert fee["inputs"]["total_project_cost_krw"] == 1_200_000_000
    assert fee["vat_excluded"] is True
    assert fee["source"]["section"].startswith("§6")


def test_an_unknown_support_type_is_refused(calls: dict[str, CallDocument]) -> None:
    from settlement.domain.terms import UnknownProgram

    with pytest.raises(UnknownProgram):
        ProjectTerms.of(calls[AUTONOMOUS], support_type="basic")
    assert date(2026, 1, 1)  # the call is dated; its terms are the 2026 ones
