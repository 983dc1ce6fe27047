"""The seed calls (services/intake/src/intake/seed_calls) against the seeds themselves.

Every number asserted here is transcribed from the seed text named in the test's
docstring (/work/shared/seeds/), not read back from the YAML, so a wrong number in
the data fails a test.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import pytest
from intake.seed_calls import SeedCallError, load_seed_call, load_seed_calls, seed_call_paths
from pydantic import BaseModel
from sfms_shared.contracts.call_terms import CallTerms, ProgramRow
from sfms_shared.contracts.calls import CallDocument, Source
from sfms_shared.contracts.common import SmartFactoryLevel as L

KST = timezone(timedelta(hours=9))
SEED_FILES = {
    "2026-autonomous-factory-2": "001_39e04bdc262ce7ee.txt",
    "2024-smart-manufacturing-catalogue": "002_247359b2586b7f4b.txt",
    "2021-kamp-ai-smart-factory": "003_819a3676ae3b20e0.txt",
    "2026-smart-manufacturing-catalogue": "004_615c5e1e5f9a1b7a.txt",
}


@pytest.fixture(scope="module")
def calls() -> dict[str, CallDocument]:
    return {call.id: call for call in load_seed_calls()}


@pytest.fixture(scope="module")
def af(calls: dict[str, CallDocument]) -> CallDocument:
    return calls["2026-autonomous-factory-2"]


@pytest.fixture(scope="module")
def af_terms(af: CallDocument) -> CallTerms:
    return af.terms


@pytest.fixture(scope="module")
def kamp(calls: dict[str, CallDocument]) -> CallDocument:
    return calls["2021-kamp-ai-smart-factory"]


def row(call: CallDocument, code: str) -> ProgramRow:
    return next(r for r in call.programs if r.code == code)


def sources(value: object) -> list[Source]:
    """Every Source inside a model tree."""
    found: list[Source] = []
    if isinstance(value, Source):
        found.append(value)
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            found.extend(sources(getattr(value, name)))
    elif isinstance(value, (tuple, list)):
        for item in value:
            found.extend(sources(item))
    return found


def floats(value: object) -> list[object]:
    if isinstance(value, float):
        return [value]
    if isinstance(value, BaseModel):
        return [f for name in type(value).model_fields for f in floats(getattr(value, name))]
    if isinstance(value, (tuple, list)):
        return [f for item in value for f in floats(item)]
    if isinstance(value, dict):
        return [f for item in value.values() for f in floats(item)]
    return []


# ── loading ────────────────────────────────────────────────────────────────


def test_every_seed_file_loads(calls: dict[str, CallDocument]) -> None:
    """One YAML file per seed (seeds/README.md), each named after its call id."""
    assert {p.stem for p in seed_call_paths()} == set(SEED_FILES)
    assert set(calls) == set(SEED_FILES)
    assert {c.id: c.kind for c in calls.values()} == {
        "2026-autonomous-factory-2": "call",
        "2024-smart-manufacturing-catalogue": "catalogue",
        "2021-kamp-ai-smart-factory": "call",
        "2026-smart-manufacturing-catalogue": "catalogue",
    }


def test_each_call_cites_only_its_own_seed(calls: dict[str, CallDocument]) -> None:
    """Every rule and number carries a source naming the seed file it was read from."""
    for call_id, call in calls.items():
        cited = {s.file for s in sources(call)}
        assert cited == {SEED_FILES[call_id]}, call_id
        assert all(s.section.strip() for s in sources(call))


def test_no_float_anywhere_and_json_round_trip(calls: dict[str, CallDocument]) -> None:
    """Money is integer KRW and ratios are Decimal (ARCHITECTURE.md, Conventions); a call
    survives the JSON of the intake.call-published event unchanged."""
    for call in calls.values():
        assert floats(call) == [], call.id
        assert CallDocument.model_validate_json(call.model_dump_json()) == call


def test_loader_rejects_floats_duplicates_and_misnamed_files(tmp_path: Path) -> None:
    """A ratio written as 0.5 instead of "0.50" never enters the system."""
    source = seed_call_paths()[0].read_text(encoding="utf-8")
    call_id = load_seed_call(seed_call_paths()[0]).id

    with_float = tmp_path / f"{call_id}.yaml"
    with_float.write_text(
        source.replace('government_ratio_max: "0.50"', "government_ratio_max: 0.5", 1),
        encoding="utf-8",
    )
    with pytest.raises(SeedCallError, match="floats are not allowed"):
        load_seed_call(with_float)

    duplicated = tmp_path / "dup" / f"{call_id}.yaml"
    duplicated.parent.mkdir()
    duplicated.write_text(source + "\nversion: 2\n", encoding="utf-8")
    with pytest.raises(SeedCallError, match="duplicate key"):
        load_seed_call(duplicated)

    misnamed = tmp_path / "other-name.yaml"
    misnamed.write_text(source, encoding="utf-8")
    with pytest.raises(SeedCallError, match="file name"):
        load_seed_call(misnamed)


# ── 001: 2026 자율형공장 2차 ──────────────────────────────────────────────────


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


def test_001_settlement_fee_table_edges(af_terms: CallTerms) -> None:
    """001 §6 정산 수수료 (부가세 제외): 50백만원 이하 455천원; 200백만원 이하 637천원;
    400백만원 이하 910천원; 400백만원 초과 1,182천원."""
    assert af_terms.budget is not None
    table = af_terms.budget.fee_table("settlement-fee")
    assert table is not None and table.vat_excluded
    assert table.fee_for(0) == 455_000
    assert table.fee_for(50_000_000) == 455_000
    assert table.fee_for(50_000_001) == 637_000
    assert table.fee_for(200_000_000) == 637_000
    assert table.fee_for(200_000_001) == 910_000
    assert table.fee_for(400_000_000) == 910_000
    assert table.fee_for(400_000_001) == 1_182_000
    assert table.fee_for(1_200_000_000) == 1_182_000


def test_001_mandatory_lines_and_budget_rules(af_terms: CallTerms) -> None:
    """001 §6 사업비 편성: 교육비 100만원(1차년도); 기술임치비 45만원(2차년도, 2년 이상 임치);
    정산 수수료(2차년도); 전주기관리 총사업비 5% 이내(연차별); 현물 기업부담금 20% 이내
    (연차별 최대 6천만원); 클라우드 최대 3년(소기업 5년); 기획기관 10백만원 + 10백만원."""
    budget = af_terms.budget
    assert budget is not None
    lines = {m.code: m for m in budget.mandatory_lines}
    assert (lines["training"].amount_krw, lines["training"].project_year) == (1_000_000, 1)
    assert (lines["technology-escrow"].amount_krw, lines["technology-escrow"].project_year) == (
        450_000,
        2,
    )
    assert lines["technology-escrow"].parameters["min_escrow_years"] == 2
    assert (lines["settlement-fee"].fee_table, lines["settlement-fee"].project_year) == (
        "settlement-fee",
        2,
    )
    assert all(m.if_not_budgeted == "applicant-pays-outside-total" for m in lines.values())
    assert budget.mandatory_amount("settlement-fee", 600_000_000) == 1_182_000
    assert budget.planner_management is not None
    assert budget.planner_management.max_ratio == Decimal("0.05")
    assert budget.planner_management.per_project_year
    assert budget.in_kind is not None
    assert budget.in_kind.max_ratio_of_company_share == Decimal("0.20")
    assert budget.in_kind.max_per_year_krw == 60_000_000
    kinds = {k.code: (k.cash_allowed, k.in_kind_allowed) for k in budget.in_kind.kinds}
    assert kinds == {
        "cloud-service-fee": (True, True),
        "applicant-staff-labour": (False, True),
        "ai-manufacturing-dataset": (False, True),
    }
    assert budget.cloud_fees is not None
    assert (budget.cloud_fees.max_years, budget.cloud_fees.small_business_max_years) == (3, 5)
    assert [(p.milestone, p.amount_krw) for p in budget.planner_payments] == [
        ("business-plan-submitted", 10_000_000),
        ("agreement-signed", 10_000_000),
    ]


def test_001_quantitative_bands_lower_bound_inclusive_at_12_percent(af_terms: CallTerms) -> None:
    """001 붙임2 도입기업 역량 정량배점: 매출액증가율 12%이상 5점, 12%미만~9%이상 4점 …;
    영업이익증가율 10%이상 5점 …; 부채비율 60%미만 5점 … 180%이상 1점; 수출 O 5점 / X 1점."""
    assert af_terms.evaluation is not None
    review = af_terms.evaluation.rubric("document-review")
    assert review is not None
    item = review.item("capability")
    assert item is not None and item.max_points == 20
    revenue = item.measure("revenue-growth")
    assert revenue.points_for(Decimal("0.12")) == 5  # type: ignore[union-attr]
    assert revenue.points_for(Decimal("0.11999")) == 4  # type: ignore[union-attr]
    assert revenue.points_for(Decimal("0.09")) == 4  # type: ignore[union-attr]
    assert revenue.points_for(Decimal("0.06")) == 3  # type: ignore[union-attr]
    assert revenue.points_for(Decimal("0.03")) == 2  # type: ignore[union-attr]
    assert revenue.points_for(Decimal("0.02999")) == 1  # type: ignore[union-attr]
    profit = item.measure("operating-profit-growth")
    assert [
        profit.points_for(Decimal(v))
        for v in ("0.10", "0.075", "0.0749", "0.05", "0.025", "0.0249")
    ] == [  # type: ignore[union-attr]
        5,
        4,
        3,
        3,
        2,
        1,
    ]
    debt = item.measure("debt-ratio")
    assert [
        debt.points_for(Decimal(v)) for v in ("0.5999", "0.60", "1.00", "1.40", "1.7999", "1.80")
    ] == [  # type: ignore[union-attr]
        5,
        4,
        3,
        2,
        2,
        1,
    ]
    assert item.measure_points("direct-exports", True) == 5
    assert item.measure_points("direct-exports", False) == 1


def test_001_quantitative_special_cases(af_terms: CallTerms) -> None:
    """001 붙임2 **: 재무 현황 확인 불가 1점; 단, 증가율은 '24.1.1 이후 창업기업 3점, 부채비율은
    '25.1.1 이후 창업기업 3점."""
    assert af_terms.evaluation is not None
    review = af_terms.evaluation.rubric("document-review")
    assert review is not None
    item = review.item("capability")
    assert item is not None
    assert item.measure_points("revenue-growth", None, founded_on=date(2024, 1, 1)) == 3
    assert item.measure_points("operating-profit-growth", None, founded_on=date(2024, 7, 1)) == 3
    assert item.measure_points("revenue-growth", None, founded_on=date(2023, 12, 31)) == 1
    assert item.measure_points("debt-ratio", None, founded_on=date(2024, 7, 1)) == 1
    assert item.measure_points("debt-ratio", None, founded_on=date(2025, 1, 1)) == 3
    assert item.measure_points("debt-ratio", Decimal("0.50"), founded_on=date(2020, 5, 5)) == 5


def test_001_rubrics_per_stage(af_terms: CallTerms) -> None:
    """001 붙임2: 서면 참여의지 20, 필요성 20, 수행환경 40, 기업역량 20 (5×4); 현장 고도화 40,
    지속가능성 30, 파급효과 30 + 적/부 확인 3 + 가점 확인; 기획기관 30/40/30."""
    assert af_terms.evaluation is not None
    points = {
        r.stage: [(i.code, i.max_points) for i in r.items] for r in af_terms.evaluation.rubrics
    }
    assert points == {
        "document-review": [
            ("participation-will", 20),
            ("necessity", 20),
            ("environment", 40),
            ("capability", 20),
        ],
        "on-site-review": [("advancement", 40), ("sustainability", 30), ("ripple-effect", 30)],
        "planner-evaluation": [
            ("capability", 30),
            ("execution-plan", 40),
            ("performance-management", 30),
        ],
    }
    review = af_terms.evaluation.rubric("document-review")
    assert review is not None and review.item("capability") is not None
    assert [m.max_points for m in review.item("capability").measures] == [5, 5, 5, 5]  # type: ignore[union-attr]
    site = af_terms.evaluation.rubric("on-site-review")
    assert site is not None
    assert [(c.code, c.outcome) for c in site.checks] == [
        ("factory-operating", "pass-fail"),
        ("plan-matches-site", "pass-fail"),
        ("equipment-working", "pass-fail"),
        ("bonus-claims-verified", "verify"),
    ]


def test_001_shortlist_final_score_and_tie_break(af_terms: CallTerms) -> None:
    """001 §4 평가절차: 서면평가 지원목표 1.5배수 내외; 최종점수 = 현장평가 + 가점;
    붙임2 ※ 동점: ①가점 제외한 총점 ②고도화 ③지속 가능성 ④파급효과."""
    evaluation = af_terms.evaluation
    assert evaluation is not None and evaluation.shortlist is not None
    assert evaluation.shortlist.multiple_of_target == Decimal("1.5")
    assert evaluation.shortlist.nominal_size(15) == 23  # 22.5, ROUND_HALF_UP
    assert evaluation.final_score is not None
    assert evaluation.final_score.compute({"on-site-review": Decimal("81.5")}, bonus=5) == Decimal(
        "86.5"
    )
    assert evaluation.tie_break is not None
    assert [(s.key, s.item) for s in evaluation.tie_break.steps] == [
        ("total-without-bonus", None),
        ("item", "advancement"),
        ("item", "sustainability"),
        ("item", "ripple-effect"),
    ]
    assert evaluation.aggregation is not None and evaluation.aggregation.method in {
        "mean",
        "trimmed-mean",
    }


def test_001_bonus_cap(af_terms: CallTerms) -> None:
    """001 붙임2 가점: 항목당 3점, 최대 5점(최대 2개까지 인정); 수준 확인서 발급일로부터 3년이내."""
    bonus = af_terms.bonus
    assert bonus is not None
    assert (bonus.points_per_item, bonus.max_items, bonus.max_points) == (3, 2, 5)
    assert [i.code for i in bonus.items] == [
        "level-certificate",
        "solution-utilisation",
        "global-1000-plus",
    ]
    assert bonus.total(["level-certificate"]) == 3
    assert bonus.total(["level-certificate", "global-1000-plus"]) == 5
    assert bonus.total(["level-certificate", "solution-utilisation", "global-1000-plus"]) == 5
    level = bonus.item("level-certificate")
    assert level is not None and level.evidence[0].max_age_months == 36
    assert level.evidence[0].reference == "deadline"
    utilisation = bonus.item("solution-utilisation")
    assert utilisation is not None
    assert utilisation.parameters["consecutive_months"] == 6
    assert Decimal(str(utilisation.parameters["utilisation"])) == Decimal(1)
    assert utilisation.parameters["min_operating_days_per_month"] == 20


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


def test_001_autonomy_levels_and_kpis(af_terms: CallTerms) -> None:
    """001 붙임3: 1 모사, 2 관제, 3 시뮬레이션, 4 공정연합, 5 자율제조; 붙임4: 22개 지표 중
    핵심지표 8개, 핵심 2개 이상 + 자율형 지표 2개 이상."""
    assert af_terms.autonomy_levels is not None
    assert [(lv.level, lv.name.ko) for lv in af_terms.autonomy_levels.levels] == [
        (1, "모사"),
        (2, "관제"),
        (3, "시뮬레이션"),
        (4, "공정연합"),
        (5, "자율제조"),
    ]
    kpis = af_terms.kpis
    assert kpis is not None
    assert len(kpis.indicators) == 22
    assert len(kpis.core) == 8
    assert (kpis.min_core_selected, kpis.min_autonomous_selected) == (2, 2)
    assert {k.code: k.core for k in kpis.indicators}["safety-certification"] is True


# ── size tables: 001 붙임6 vs 003 붙임1 ──────────────────────────────────────


def test_size_tables_differ_for_section_g(af_terms: CallTerms, kamp: CallDocument) -> None:
    """001 붙임6: 32. 도매 및 소매업 G 평균매출액등 30억원 이하; 003 붙임1: G 50억원 이하."""
    t2026 = af_terms.size_table("small-business-2026")
    t2021 = kamp.terms.size_table("small-business-2021")
    assert t2026 is not None and t2021 is not None
    assert t2026.threshold_for("G46") == 3_000_000_000
    assert t2021.threshold_for("G46") == 5_000_000_000


def test_size_tables_differ_exactly_for_g_j_e_l_m_n_r(
    af_terms: CallTerms, kamp: CallDocument
) -> None:
    """001 붙임6 vs 003 붙임1: the two tables agree on 36 of 43 rows; they differ for G, J
    (30억 vs 50억) and E (E36 제외), L, M, N, R (10억 vs 30억). 17. 수도업 E36 is 120억 in both."""
    t2026 = af_terms.size_table("small-business-2026")
    t2021 = kamp.terms.size_table("small-business-2021")
    assert t2026 is not None and t2021 is not None
    assert [r.ksic for r in t2026.rows] == [r.ksic for r in t2021.rows]
    assert len(t2026.rows) == 43
    differ = {
        a.ksic
        for a, b in zip(t2026.rows, t2021.rows)
        if a.max_average_revenue_krw != b.max_average_revenue_krw
    }
    assert differ == {"G", "J", "E", "L", "M", "N", "R"}
    expected_2026 = {
        "G": 3_000_000_000,
        "J": 3_000_000_000,
        "E": 1_000_000_000,
        "L": 1_000_000_000,
        "M": 1_000_000_000,
        "N": 1_000_000_000,
        "R": 1_000_000_000,
    }
    expected_2021 = {
        "G": 5_000_000_000,
        "J": 5_000_000_000,
        "E": 3_000_000_000,
        "L": 3_000_000_000,
        "M": 3_000_000_000,
        "N": 3_000_000_000,
        "R": 3_000_000_000,
    }
    assert {k: t2026.threshold_for(k) for k in expected_2026} == expected_2026
    assert {k: t2021.threshold_for(k) for k in expected_2021} == expected_2021
    for table in (t2026, t2021):
        assert table.threshold_for("E36") == 12_000_000_000
        assert table.threshold_for("C10") == 12_000_000_000
        assert table.threshold_for("C22") == 8_000_000_000
        assert table.threshold_for("C34") == 1_000_000_000
        assert [e.ksic for e in table.exceptions] == ["C31202", "C31322"]


# ── 004: 2026 catalogue ──────────────────────────────────────────────────────


def test_004_legend50_plus_limits_by_level(calls: dict[str, CallDocument]) -> None:
    """004 2. ④ 레전드50+ 현재-목표 수준별 지원한도: 미적용→중간1 3억, 미적용→중간2 5억,
    기초→중간1 2억, 기초→중간2 4억, 중간1→중간2 2억."""
    legend = row(calls["2026-smart-manufacturing-catalogue"], "legend50-plus")
    assert legend.limit_for_levels(L.BASIC, L.INTERMEDIATE_2) == 400_000_000
    assert {(lim.current, lim.target): lim.government_limit_krw for lim in legend.level_limits} == {
        (L.NONE, L.INTERMEDIATE_1): 300_000_000,
        (L.NONE, L.INTERMEDIATE_2): 500_000_000,
        (L.BASIC, L.INTERMEDIATE_1): 200_000_000,
        (L.BASIC, L.INTERMEDIATE_2): 400_000_000,
        (L.INTERMEDIATE_1, L.INTERMEDIATE_2): 200_000_000,
    }
    assert (legend.target_count, legend.duration_months, legend.government_ratio_max) == (
        50,
        9,
        Decimal("0.50"),
    )


def test_004_twelve_groups_and_key_rows(calls: dict[str, CallDocument]) -> None:
    """004 1. 공통사항 지원사업 현황: ①~⑫; 정부형 265/9개월/2억/50%; 자율형공장 30/24개월/6억;
    대중소상생형 1.2억, 정부 30%·대기업 30% 이상·도입기업 40% 이내; 상생형 AI트랙 5억 50/20/30;
    제조데이터 가공 0.5억, 80%, 기업 20% 이상(그중 10% 이상 현금)."""
    catalogue = calls["2026-smart-manufacturing-catalogue"]
    groups = []
    for r in catalogue.programs:
        if r.group not in groups:
            groups.append(r.group)
    assert groups == ["①", "②", "③", "④", "⑤", "⑥", "⑦", "⑧", "⑨", "⑩", "⑪", "⑫"]
    gov = row(catalogue, "government-type")
    assert (gov.target_count, gov.duration_months, gov.government_limit_krw) == (
        265,
        9,
        200_000_000,
    )
    same = gov.variant("advanced-same-level")
    assert same is not None and (
        same.duration_months,
        same.government_limit_krw,
        same.once_per_level,
    ) == (6, 50_000_000, True)
    autonomous = row(catalogue, "autonomous-factory")
    assert (
        autonomous.target_count,
        autonomous.duration_months,
        autonomous.government_limit_krw,
    ) == (30, 24, 600_000_000)
    shares = {
        s.party: (s.min_ratio, s.max_ratio) for s in row(catalogue, "large-sme-win-win").cost_shares
    }
    assert row(catalogue, "large-sme-win-win").government_limit_krw == 120_000_000
    assert shares == {
        "government": (None, Decimal("0.30")),
        "large-enterprise": (Decimal("0.30"), None),
        "applicant": (None, Decimal("0.40")),
    }
    ai = {
        s.party: (s.min_ratio, s.max_ratio) for s in row(catalogue, "win-win-ai-track").cost_shares
    }
    assert row(catalogue, "win-win-ai-track").government_limit_krw == 500_000_000
    assert ai == {
        "government": (None, Decimal("0.50")),
        "large-enterprise": (Decimal("0.20"), None),
        "applicant": (None, Decimal("0.30")),
    }
    data = row(catalogue, "data-product-processing")
    assert (data.duration_months, data.government_limit_krw, data.government_ratio_max) == (
        4,
        50_000_000,
        Decimal("0.80"),
    )
    cash = next(s for s in data.cost_shares if s.party == "company-cash")
    assert (cash.min_ratio, cash.of) == (Decimal("0.10"), "company-share")


def test_004_supplier_diagnosis_substitutions(calls: dict[str, CallDocument]) -> None:
    """004 2. ⑤ 역량진단 지표 대체 평가항목(안): 스마트공장 서면 15/100, 대면 5/100;
    스마트서비스 대면 10/100."""
    evaluation = calls["2026-smart-manufacturing-catalogue"].terms.evaluation
    assert evaluation is not None
    assert [(s.field.ko, s.stage.ko, s.points, s.out_of) for s in evaluation.substitutions] == [
        ("스마트공장", "서면평가", 15, 100),
        ("스마트공장", "대면평가", 5, 100),
        ("스마트서비스", "대면평가", 10, 100),
    ]


# ── 002: 2024 catalogue ──────────────────────────────────────────────────────


def test_002_autonomous_factory_twenty_projects(calls: dict[str, CallDocument]) -> None:
    """002 2. ② 자율형공장: 지원과제 20개; 총 사업비의 50, 연 3억원, 최대 2년 (summary: 6억)."""
    autonomous = row(calls["2024-smart-manufacturing-catalogue"], "autonomous-factory")
    assert autonomous.target_count == 20
    assert autonomous.duration_months == 24
    assert autonomous.government_limit_krw == 600_000_000
    assert autonomous.government_limit_per_year_krw == 300_000_000
    assert autonomous.government_ratio_max == Decimal("0.50")


def test_002_fifteen_programs(calls: dict[str, CallDocument]) -> None:
    """002 2. 사업별 지원계획 ①~⑮ (① has two rows: 정부일반형 335, 지역특화프로젝트 165);
    ⑪ 공급기업 역량진단 80~100%; ⑮ 구매지원 최대 1천만원."""
    catalogue = calls["2024-smart-manufacturing-catalogue"]
    assert len(catalogue.programs) == 16
    assert len({r.group for r in catalogue.programs}) == 15
    assert [r.target_count for r in catalogue.programs if r.group == "①"] == [335, 165]
    diagnosis = row(catalogue, "supplier-diagnosis")
    assert (diagnosis.government_ratio_min, diagnosis.government_ratio_max) == (
        Decimal("0.80"),
        Decimal("1.00"),
    )
    assert row(catalogue, "data-product-purchase").government_limit_krw == 10_000_000
    assert row(catalogue, "manufacturing-base-automation").government_limit_krw == 90_000_000


# ── 003: 2021 KAMP AI smart factory ─────────────────────────────────────────


def test_003_support_types(kamp: CallDocument) -> None:
    """003 Ⅲ 지원조건, Ⅳ 신청자격: 고도화1 2억원 9개월 (중간1 이상),
    고도화2 4억원 12개월 (중간2 이상); 총사업비의 50% 이내; 최대 3개월 연장; 보안솔루션 필수."""
    types = {t.code: t for t in kamp.support_types}
    a2 = types["advanced-2"]
    assert (a2.government_limit_total_krw, a2.duration_months) == (400_000_000, 12)
    assert a2.applicant_level_min is L.INTERMEDIATE_2
    a1 = types["advanced-1"]
    assert (a1.government_limit_total_krw, a1.duration_months) == (200_000_000, 9)
    assert a1.applicant_level_min is L.INTERMEDIATE_1
    for t in (a1, a2):
        assert t.government_ratio_max == Decimal("0.50")
        assert t.extension_months_max == 3
        assert "security-solution" in t.mandatory_technologies


def test_003_weighted_selection_and_bonus(kamp: CallDocument) -> None:
    """003 Ⅶ: 선정평가 점수(80%) + 일자리평가 점수(20%) + 우대가점, 60점 이상 지원; 선정평가 100점;
    Ⅺ: 항목 당 3점, 최대 5점, 코로나19 대응 5점."""
    evaluation = kamp.terms.evaluation
    assert evaluation is not None and evaluation.final_score is not None
    final = evaluation.final_score
    assert [(c.code, c.weight) for c in final.components] == [
        ("selection", Decimal("0.80")),
        ("job-creation", Decimal("0.20")),
    ]
    assert final.pass_threshold == Decimal(60)
    score = final.compute({"selection": Decimal(62), "job-creation": Decimal(40)}, bonus=3)
    assert score == Decimal("60.60") and final.passes(score)  # 49.6 + 8 + 3
    selection = evaluation.rubric("selection-evaluation")
    assert selection is not None and selection.total_points == 100 and len(selection.items) == 11
    bonus = kamp.terms.bonus
    assert bonus is not None
    assert (bonus.points_per_item, bonus.max_items, bonus.max_points) == (3, None, 5)
    assert len(bonus.items) == 23
    assert bonus.item_points("covid-19-response") == 5
    assert bonus.total(["covid-19-response", "root-industry"]) == 5
    assert bonus.total(["root-industry"]) == 3


def test_003_staff_labour_and_schedule(kamp: CallDocument) -> None:
    """003 Ⅷ: 도입기업 인건비 기업 부담금 20% 이내 (고도화1 4천만원, 고도화2 8천만원);
    Ⅴ: 접수 2021년 6월 18일(금)부터; Ⅸ: 과제 신청일 기준; 부적격은 도입·공급기업 모두."""
    assert kamp.terms.budget is not None and kamp.terms.budget.staff_labour is not None
    labour = kamp.terms.budget.staff_labour
    assert labour.max_ratio_of_company_share == Decimal("0.20")
    assert {c.support_type: c.max_krw for c in labour.caps} == {
        "advanced-1": 40_000_000,
        "advanced-2": 80_000_000,
    }
    assert kamp.schedule is not None
    assert kamp.schedule.application.opens_at == datetime(2021, 6, 18, 0, 0, tzinfo=KST)
    assert kamp.terms.eligibility is not None
    assert kamp.terms.eligibility.judged_as_of == "application-date"
    tax = kamp.terms.eligibility.rule("no-tax-arrears")
    assert tax is not None and tax.applies_to == ("applicant", "supplier")
