"""The catalogue seeds: 002 (2024 catalogue) and 004 (2026 catalogue).

Every number asserted here is transcribed from the seed text named in the test's
docstring (/work/shared/seeds/), not read back from the YAML, so a wrong number in
the data fails a test.
"""

from __future__ import annotations

from decimal import Decimal

from sfms_shared.contracts.call_terms import ProgramRow
from sfms_shared.contracts.calls import CallDocument
from sfms_shared.contracts.common import SmartFactoryLevel as L


def row(call: CallDocument, code: str) -> ProgramRow:
    return next(r for r in call.programs if r.code == code)


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
