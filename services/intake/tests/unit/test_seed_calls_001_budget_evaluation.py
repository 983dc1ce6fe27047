"""The 001 seed call (2026 자율형공장 2차): budget rules and fees, evaluation rubrics and
scoring, bonus points, autonomy levels and KPIs.

Every number asserted here is transcribed from the seed text named in the test's
docstring (/work/shared/seeds/), not read back from the YAML, so a wrong number in
the data fails a test.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sfms_shared.contracts.call_terms import CallTerms


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
        "cloud-fee": (True, True),
        "applicant-staff-labour": (False, True),
        "ai-dataset": (False, True),
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
