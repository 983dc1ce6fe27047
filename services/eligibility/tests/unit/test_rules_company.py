"""The applicant's own requirements and disqualifications, each at its boundary.

Sources: 001_39e04bdc262ce7ee.txt §3 신청자격 (도입기업) and 부적격 사항; 붙임2 가점 1
(수준 확인서 발급일로부터 3년이내); §3 제출서류 목록 (발행일로부터 3개월 이내).
"""

from __future__ import annotations

from datetime import date

import pytest
from review_cases import (
    APPLICANT_BRN,
    application,
    arrears,
    case,
    company,
    decide,
    document,
    facts_of_applicant,
    outcome,
    status,
)

from eligibility.domain.facts import Evidence, FundedPlan
from sfms_shared.contracts.applications import SmartFactoryStatus


def level(level: str, evidence: str, certified_on: date) -> SmartFactoryStatus:
    return SmartFactoryStatus(level=level, evidence=evidence, certified_on=certified_on)


def with_applicant(**changes: object):
    return case(application(applicant=company(**changes)))


def test_a_complete_application_in_good_standing_is_eligible() -> None:
    decision = decide(case())
    assert decision.verdict == "eligible"
    assert {o.outcome for o in decision.outcomes} <= {"pass", "not-applicable"}


@pytest.mark.parametrize(
    ("certified_on", "expected"),
    [
        (date(2023, 6, 16), "pass"),  # exactly 3 years before the deadline day: still valid
        (date(2023, 6, 15), "fail"),  # one day earlier: expired on the deadline
    ],
)
def test_level_certificate_valid_for_three_years_from_issue(certified_on, expected) -> None:
    """001 §3 수준확인기업; 붙임2: 발급일로부터 3년이내 (3 years is the call's parameter)."""
    decided = decide(
        with_applicant(smart_factory=level("중간1", "level-check-certified", certified_on))
    )
    found = outcome(decided, "applicant-smart-factory-level")
    assert found.outcome == expected
    assert found.inputs["certificate_valid_until"] == "2026-06-16" if expected == "pass" else True


def test_a_verified_government_build_has_no_certificate_expiry() -> None:
    """001 §3: '중간1' 이상 구축기업(점검·감리 등으로 확인)."""
    built = level("중간1", "government-support-verified", date(2019, 1, 1))
    assert (
        outcome(
            decide(with_applicant(smart_factory=built)), "applicant-smart-factory-level"
        ).outcome
        == "pass"
    )


@pytest.mark.parametrize(
    ("found", "expected"), [("기초", "fail"), ("중간1", "pass"), ("중간2", "pass")]
)
def test_level_at_least_intermediate_1(found: str, expected: str) -> None:
    decided = decide(
        with_applicant(smart_factory=level(found, "level-check-certified", date(2025, 5, 1)))
    )
    result = outcome(decided, "applicant-smart-factory-level")
    assert result.outcome == expected
    if expected == "fail":
        assert "기초" in result.reason.ko and "중간1" in result.reason.en
        assert decided.verdict == "ineligible"


def test_no_level_on_record_fails() -> None:
    result = outcome(decide(with_applicant(smart_factory=None)), "applicant-smart-factory-level")
    assert result.outcome == "fail"


@pytest.mark.parametrize(
    ("size_class", "expected"), [("small", "pass"), ("midsize", "pass"), ("large", "fail")]
)
def test_sme_or_midsize(size_class: str, expected: str) -> None:
    assert (
        outcome(decide(with_applicant(size_class=size_class)), "applicant-sme-or-midsize").outcome
        == expected
    )


@pytest.mark.parametrize(
    ("ksic", "expected"), [("C29", "pass"), ("C10", "pass"), ("G46", "fail"), ("J58", "fail")]
)
def test_manufacturers_only_ksic_section_c(ksic: str, expected: str) -> None:
    assert (
        outcome(decide(with_applicant(ksic_code=ksic)), "applicant-manufacturer").outcome
        == expected
    )


@pytest.mark.parametrize(
    ("ksic", "expected"),
    [
        ("I55", "fail"),  # 숙박업
        ("I56", "fail"),  # 음식점 및 주점업
        ("I56211", "fail"),  # 일반유흥주점업, inside I56
        ("C33402", "needs-review"),  # 영상게임기 제조업: 불건전 오락용품 or not, a person decides
        ("C33409", "needs-review"),  # 기타 오락용품 제조업
        ("C33401", "pass"),  # 인형 및 장난감 제조업
        ("C29", "pass"),
    ],
)
def test_excluded_industries_by_ksic_code(ksic: str, expected: str) -> None:
    """001 §3 부적격 사항: 유흥·향락업, 숙박·음식점, 불건전 오락용품 제조업."""
    assert (
        outcome(decide(with_applicant(ksic_code=ksic)), "applicant-excluded-industry").outcome
        == expected
    )


@pytest.mark.parametrize(
    ("value", "effective", "expected"),
    [
        ("closed", date(2026, 6, 16), "fail"),  # closed on the deadline day
        ("closed", date(2026, 6, 17), "pass"),  # the day after: not closed when judged
        ("suspended", date(2026, 1, 2), "fail"),
        ("active", date(2026, 1, 2), "pass"),
    ],
)
def test_closed_or_suspended_on_the_deadline(value: str, effective: date, expected: str) -> None:
    facts = facts_of_applicant(statuses=(status(value, effective),))
    assert outcome(decide(case(facts=facts)), "applicant-business-active").outcome == expected


def test_a_reopened_business_counts_as_active() -> None:
    facts = facts_of_applicant(
        statuses=(status("suspended", date(2025, 3, 1)), status("active", date(2025, 9, 1)))
    )
    assert outcome(decide(case(facts=facts)), "applicant-business-active").outcome == "pass"


@pytest.mark.parametrize(
    ("since", "cleared", "expected"),
    [
        (date(2026, 3, 1), None, "fail"),
        (date(2026, 3, 1), date(2026, 6, 16), "pass"),  # paid on the deadline day
        (date(2026, 3, 1), date(2026, 6, 17), "fail"),  # paid the day after
        (date(2026, 6, 17), None, "pass"),  # arrears arising after the deadline
    ],
)
def test_tax_arrears_on_the_deadline(since: date, cleared: date | None, expected: str) -> None:
    facts = facts_of_applicant(tax_arrears=(arrears("local", since, cleared),))
    found = outcome(decide(case(facts=facts)), "applicant-no-tax-arrears")
    assert found.outcome == expected
    if expected == "fail":
        assert "지방세" in found.reason.ko and "local" in found.reason.en


def test_same_plan_funded_before_is_a_duplicate() -> None:
    plan = FundedPlan(
        evidence=Evidence(registry="funded-plans", record_key="f1", version=1),
        program="스마트공장 고도화",
        year=2024,
        project_title="AI 기반 자율가공 라인 구축",  # the same title, spaced differently
    )
    found = outcome(
        decide(case(facts=facts_of_applicant(funded_plans=(plan,)))),
        "applicant-no-duplicate-funding",
    )
    assert found.outcome == "fail"


@pytest.mark.parametrize(
    ("issued_on", "expected"),
    [
        (date(2026, 3, 10), "pass"),  # submitted 2026-06-10: exactly 3 months after issue
        (date(2026, 3, 9), "fail"),
        (date(2026, 6, 11), "fail"),  # dated after the submission
    ],
)
def test_certificates_issued_within_three_months(issued_on: date, expected: str) -> None:
    documents = (document("sme-confirmation"), document("national-tax-clearance", issued_on))
    found = outcome(decide(case(application(documents=documents))), "documents-valid")
    assert found.outcome == expected
    if expected == "fail":
        assert "국세 완납" in found.reason.ko


def test_a_branch_workplace_needs_its_statement() -> None:
    """001 §3 신청자격: 종된 사업장은 증빙서류 제출."""
    branch = application(applicant=company(branch_workplace=True))
    assert outcome(decide(case(branch)), "applicant-per-workplace").outcome == "fail"
    with_statement = application(
        applicant=company(branch_workplace=True),
        documents=(document("sme-confirmation"), document("branch-workplace-statement")),
    )
    assert outcome(decide(case(with_statement)), "applicant-per-workplace").outcome == "pass"


def test_every_outcome_names_its_source_and_inputs() -> None:
    decision = decide(
        case(facts=facts_of_applicant(tax_arrears=(arrears("national", date(2026, 1, 1)),)))
    )
    for found in decision.outcomes:
        assert found.source.file == "001_39e04bdc262ce7ee.txt"
        assert found.reason.ko and found.reason.en
    failed = outcome(decision, "applicant-no-tax-arrears", APPLICANT_BRN)
    assert failed.as_json()["inputs"]["arrears"][0]["evidence"]["registry"] == "tax-arrears"
