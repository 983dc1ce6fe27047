"""The 003 seed call (2021 KAMP AI smart factory), and its size table against 001's.

Every number asserted here is transcribed from the seed text named in the test's
docstring (/work/shared/seeds/), not read back from the YAML, so a wrong number in
the data fails a test.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from seed_call_support import KST

from sfms_shared.contracts.call_terms import CallTerms
from sfms_shared.contracts.calls import CallDocument
from sfms_shared.contracts.common import SmartFactoryLevel as L

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
        for a, b in zip(t2026.rows, t2021.rows, strict=False)
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
