"""The 001 seed call (2026 자율형공장 2차): support limits, schedule, documents, consortium,
eligibility and concurrency restrictions.

Every number asserted here is transcribed from the seed text named in the test's
docstring (/work/shared/seeds/), not read back from the YAML, so a wrong number in
the data fails a test.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from seed_call_support import KST

from sfms_shared.contracts.call_terms import CallTerms
from sfms_shared.contracts.calls import CallDocument
from sfms_shared.contracts.common import SmartFactoryLevel as L


def test_001_target_and_support_limits(af: CallDocument) -> None:
    """001 §1 지원 규모 및 조건: 15개 내외; 총 사업비의 50%(6억원) 이내, 최대 2년, 연 3억원 이내;
    구축목표수준 중간1 이상; AI·DT·AAS 적용 필수."""
    assert af.target is not None and af.target.value == 15 and af.target.approximate
    (support,) = af.support_types
    assert support.government_limit_total_krw == 600_000_000
    assert support.government_limit_per_year_krw == 300_000_000
    assert support.government_ratio_max == Decimal("0.50")
    assert support.duration_months == 24
    assert support.target_level_min is L.INTERMEDIATE_1
    assert support.applicant_level_min is L.INTERMEDIATE_1
    assert set(support.mandatory_technologies) == {"AI", "DT", "AAS"}


def test_001_schedule_in_korea_time(af: CallDocument) -> None:
    """001 주요사항 1, §2, §3: 신청 '26.4.27 ~ 6.16(화) 17시; 기획기관 4.27 ~ 5.15(금) 17시;
    선정평가 '26년 6~8월; 협약 '26년 8~9월. 17시 이전 완료 필요."""
    assert af.schedule is not None
    window = af.schedule.application
    assert window.opens_at == datetime(2026, 4, 27, 0, 0, tzinfo=KST)
    assert window.closes_at == datetime(2026, 6, 16, 17, 0, tzinfo=KST)
    assert window.contains(datetime(2026, 6, 16, 16, 59, 59, 999000, tzinfo=KST))
    assert not window.contains(datetime(2026, 6, 16, 17, 0, tzinfo=KST))
    assert window.contains(datetime(2026, 6, 16, 7, 59, 59, tzinfo=UTC))
    planner = af.schedule.planner_recruitment
    assert planner is not None
    assert (planner.opens_at, planner.closes_at) == (
        datetime(2026, 4, 27, 0, 0, tzinfo=KST),
        datetime(2026, 5, 15, 17, 0, tzinfo=KST),
    )
    assert af.schedule.selection_evaluation is not None and af.schedule.agreement is not None
    assert (
        af.schedule.selection_evaluation.from_month,
        af.schedule.selection_evaluation.to_month,
    ) == ("2026-06", "2026-08")
    assert (af.schedule.agreement.from_month, af.schedule.agreement.to_month) == (
        "2026-08",
        "2026-09",
    )


def test_001_required_documents(af: CallDocument) -> None:
    """001 §3 제출서류 목록: 11 items; certificates 발행일로부터 3개월 이내; 재무제표 '23~'25 or
    '22~'24; 수출실적 해당시; 가점 증빙 접수 마감일 기준 유효."""
    assert [d.kind for d in af.required_documents] == [
        "application-form",
        "business-registration-certificate",
        "corporate-register-extract",
        "branch-workplace-statement",
        "sme-confirmation",
        "national-tax-clearance",
        "local-tax-clearance",
        "corporate-seal-certificate",
        "seal-usage-statement",
        "financial-statements",
        "export-record",
        "social-insurance-roster",
        "personal-info-consent",
        "sme-integrated-system-consent",
        "bonus-evidence",
    ]
    three_months = {
        "business-registration-certificate",
        "corporate-register-extract",
        "national-tax-clearance",
        "local-tax-clearance",
        "corporate-seal-certificate",
        "seal-usage-statement",
    }
    for kind in three_months:
        doc = af.document_requirement(kind)
        assert doc is not None and doc.validity is not None
        assert (doc.validity.max_age_months, doc.validity.reference) == (3, "submission"), kind
    for kind in (
        "corporate-register-extract",
        "corporate-seal-certificate",
        "seal-usage-statement",
    ):
        doc = af.document_requirement(kind)
        assert doc is not None and (doc.required, doc.condition) == (
            "when-applicable",
            "corporation",
        )
    branch = af.document_requirement("branch-workplace-statement")
    assert branch is not None and branch.condition == "branch-workplace"
    statements = af.document_requirement("financial-statements")
    assert statements is not None and statements.fiscal_years is not None
    assert statements.fiscal_years.years == (2023, 2024, 2025)
    assert statements.fiscal_years.alternative_years == (2022, 2023, 2024)
    export = af.document_requirement("export-record")
    assert export is not None and export.required == "optional"
    bonus = af.document_requirement("bonus-evidence")
    assert bonus is not None and bonus.validity is not None
    assert (bonus.required, bonus.condition, bonus.validity.reference) == (
        "when-applicable",
        "bonus-claimed",
        "deadline",
    )


def test_001_planner_documents_and_consortium(af: CallDocument) -> None:
    """001 §2 제출서류 목록 and 신청대상 및 자격: 실적 '23~'25 (10건 이상), 상근 5인 이상;
    기획기관은 공급기업 동시 수행 불가; 도입기업 단독 또는 컨소시엄."""
    kinds = [d.kind for d in af.planner_required_documents]
    assert kinds == [
        "planner-application-form",
        "pledge-and-consent",
        "staff-and-insurance-roster",
        "track-record",
        "national-tax-clearance",
        "local-tax-clearance",
        "corporate-seal-certificate",
        "seal-usage-statement",
        "business-registration-certificate",
        "corporate-register-extract",
        "financial-statements",
    ]
    record = next(d for d in af.planner_required_documents if d.kind == "track-record")
    assert record.fiscal_years is not None and record.fiscal_years.years == (2023, 2024, 2025)
    assert af.terms.eligibility is not None
    track = af.terms.eligibility.rule("planner-track-record")
    staff = af.terms.eligibility.rule("planner-staff")
    assert track is not None and track.parameters["min_records"] == 10
    assert staff is not None and staff.parameters["min_full_time_staff"] == 5
    assert af.consortium is not None
    assert af.consortium.modes == ("solo", "consortium")
    roles = {r.role: (r.min_count, r.max_count) for r in af.consortium.roles}
    assert roles == {"applicant": (1, 1), "supplier": (0, None), "planner": (0, 1)}
    assert af.consortium.planner_may_not_supply is True


def test_001_eligibility_rules(af_terms: CallTerms) -> None:
    """001 §3 신청자격 and 부적격 사항, judged as of the deadline (접수 마감일 기준)."""
    eligibility = af_terms.eligibility
    assert eligibility is not None
    assert eligibility.judged_as_of == "application-deadline"
    assert (
        eligibility.any_stage_removal is not None
        and eligibility.any_stage_removal.agreement_terminated
    )
    level = eligibility.rule("applicant-smart-factory-level")
    assert level is not None
    assert level.parameters["min_level"] == "중간1"
    assert level.parameters["level_certificate_validity_years"] == 3
    industry = eligibility.rule("applicant-manufacturer")
    assert industry is not None and industry.parameters["ksic_sections"] == ("C",)
    ongoing = eligibility.rule("applicant-no-ongoing-restricted-program")
    assert (
        ongoing is not None
        and ongoing.parameters["exception"] == "build-period-ended-before-final-selection"
    )
    checks = {r.check for r in eligibility.rules}
    assert {
        "business-active",
        "no-tax-arrears",
        "excluded-industry",
        "no-ongoing-restricted-program",
        "no-participation-restriction",
        "no-duplicate-funding",
        "supplier-in-pool",
        "planner-applied-and-selected",
        "planner-not-supplier",
    } <= checks
    assert (
        level.render_reason(found="기초").ko
        == "스마트공장 수준이 중간1 이상으로 확인되지 않습니다(확인된 수준: 기초)."
    )


def test_001_concurrency_8_never_with_2(af_terms: CallTerms) -> None:
    """001 붙임1 동시 지원·선정 제한: ①~⑦ 동시 수행 불가; ①~⑥ 중 하나와 ⑧, ⑨ 가능;
    단, ⑧제조시트화와 ②자율형공장은 동시 수행 불가; ⑩ ①~⑨와 중복되지 않은 경우만."""
    concurrency = af_terms.concurrency
    assert concurrency is not None
    assert concurrency.this_call_program == 2
    assert [p.number for p in concurrency.programs] == list(range(1, 11))
    assert not concurrency.compatible(8, 2)
    assert not concurrency.compatible(2, 8)
    assert concurrency.compatible(8, 1)
    assert concurrency.compatible(9, 2)
    assert not concurrency.compatible(2, 7)
    assert not concurrency.compatible(1, 3)
    assert not concurrency.compatible(10, 9)
    assert concurrency.compatible_set({1, 8, 9})
    assert not concurrency.compatible_set({2, 8})


def test_001_ongoing_restrictions_and_sanction_sources(af_terms: CallTerms) -> None:
    """001 붙임1: 동시 수행 제한사업 7개 ('22~'25), 단 구축기간 종료 시 신청 가능;
    참여제한 확인처 smart-factory.kr, 한국로봇산업진흥원, 국가뿌리산업진흥센터."""
    concurrency = af_terms.concurrency
    assert concurrency is not None
    assert len(concurrency.ongoing_restricted) == 7
    assert concurrency.ongoing_exception == "build-period-ended-before-final-selection"
    assert {p.name.ko for p in concurrency.ongoing_restricted} >= {
        "자율형공장",
        "탄소중립형 스마트공장",
    }
    registries = [(s.program.ko, s.registry) for s in concurrency.sanction_sources]
    assert ("제조로봇도입", "kiria") in registries
    assert ("자동화공정구축", "kpic") in registries
    assert sum(1 for _, r in registries if r == "smart-factory-sanctions") == 3
