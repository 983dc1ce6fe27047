"""Budget review against catalogue programs (004, 2026) and the 003 KAMP call (2021).

004 2. ④ 레전드50+ (현재-목표 수준별 지원한도금액), 2. ⑧ ⑨ 대중소 상생형 분담비율,
2. ⑨ 제조데이터 상품 가공지원 (정부 80% 이내, 기업 20% 이상, 기업부담금의 10% 이상 현금);
003 Ⅲ 지원조건 and Ⅷ 기타사항 (도입기업 인건비 기업부담금 20% 이내, 4천만원 / 8천만원).
"""

from __future__ import annotations

import pytest
from settlement_budgets import budget, line

from settlement.domain.review import Circumstances, review
from settlement.domain.terms import ProjectTerms, UnknownProgram
from sfms_shared.contracts.calls import CallDocument

CATALOGUE_2026 = "2026-smart-manufacturing-catalogue"
KAMP = "2021-kamp-ai-smart-factory"


def _findings(lines, terms, **circumstances):  # noqa: ANN001, ANN202
    result = review(budget(lines), terms, Circumstances(**circumstances))
    return {f.rule: f for f in result.findings}


@pytest.mark.parametrize(
    ("current", "target", "limit"),
    [
        ("미적용", "중간1", 300_000_000),
        ("미적용", "중간2", 500_000_000),
        ("기초", "중간1", 200_000_000),
        ("기초", "중간2", 400_000_000),
        ("중간1", "중간2", 200_000_000),
    ],
)
def test_legend50_limit_by_current_and_target_level(
    calls: dict[str, CallDocument], current: str, target: str, limit: int
) -> None:
    """004 2. ④ 레전드50+: 미적용→중간1 3억, 미적용→중간2 5억, 기초→중간1 2억, 기초→중간2
    4억, 중간1→중간2 2억 (정부 50% 이내)."""
    terms = ProjectTerms.of(calls[CATALOGUE_2026], program="legend50-plus")
    at = [line(1, "구축", gov=limit, cash=limit)]
    over = [line(1, "구축", gov=limit + 1, cash=limit + 1)]
    found = _findings(at, terms, current_level=current, target_level=target)
    assert found["level-limit"].outcome == "pass"
    assert found["level-limit"].figures["limit_krw"] == limit
    assert found["government-ratio"].outcome == "pass"
    found = _findings(over, terms, current_level=current, target_level=target)
    assert found["level-limit"].outcome == "fail"
    assert found["level-limit"].source.section.startswith("2. ④")


def test_legend50_without_a_known_level_pair_fails(calls: dict[str, CallDocument]) -> None:
    terms = ProjectTerms.of(calls[CATALOGUE_2026], program="legend50-plus")
    found = _findings(
        [line(1, "구축", gov=1, cash=1)], terms, current_level="중간1", target_level="고도화"
    )
    assert found["level-limit"].outcome == "fail"


def test_co_funded_30_30_40(calls: dict[str, CallDocument]) -> None:
    """004 2. ⑧: 정부 30% / 대기업 30% 이상 / 도입기업 40% 이내; 정부 1.2억 이내."""
    terms = ProjectTerms.of(calls[CATALOGUE_2026], program="large-sme-win-win")
    exact = [line(1, "구축", gov=36_000_000, large=36_000_000, cash=48_000_000)]
    found = _findings(exact, terms)
    assert {r: found[r].outcome for r in found if r.startswith("cost-share")} == {
        "cost-share-government": "pass",
        "cost-share-large-enterprise": "pass",
        "cost-share-applicant": "pass",
    }
    shifted = [line(1, "구축", gov=36_000_000, large=35_999_999, cash=48_000_001)]
    found = _findings(shifted, terms)
    assert found["cost-share-large-enterprise"].outcome == "fail"
    assert found["cost-share-applicant"].outcome == "fail"
    assert found["government-limit"].outcome == "pass"
    big = [line(1, "구축", gov=120_000_001, large=120_000_001, cash=160_000_002)]
    assert _findings(big, terms)["government-limit"].outcome == "fail"


def test_co_funded_ai_track_50_20_30_with_500m(calls: dict[str, CallDocument]) -> None:
    """004 2. ⑨ 상생형 AI트랙: 정부 50% / 대기업 20% 이상 / 도입기업 30% 이내, 정부 5억."""
    terms = ProjectTerms.of(calls[CATALOGUE_2026], program="win-win-ai-track")
    exact = [line(1, "구축", gov=500_000_000, large=200_000_000, cash=300_000_000)]
    found = _findings(exact, terms)
    assert all(f.outcome == "pass" for f in found.values()), [f.message_en for f in found.values()]
    over = [line(1, "구축", gov=500_000_001, large=200_000_000, cash=299_999_999)]
    found = _findings(over, terms)
    assert found["government-limit"].outcome == "fail"
    assert found["cost-share-government"].outcome == "fail"
    assert found["cost-share-applicant"].outcome == "pass"


@pytest.mark.parametrize(("cash", "outcome"), [(1_000_000, "pass"), (999_999, "fail")])
def test_data_processing_company_cash_at_least_10_percent_of_its_share(
    calls: dict[str, CallDocument], cash: int, outcome: str
) -> None:
    """004 2. ⑨ 제조데이터 상품 가공지원: 정부 80% 이내, 기업 20% 이상(기업부담금의 10% 이상
    현금부담), 0.5억원."""
    terms = ProjectTerms.of(calls[CATALOGUE_2026], program="data-product-processing")
    lines = [line(1, "가공", gov=40_000_000, cash=cash, kind=10_000_000 - cash)]
    found = _findings(lines, terms)
    assert found["cost-share-government"].outcome == "pass"
    assert found["cost-share-company"].outcome == "pass"
    assert found["cost-share-company-cash"].outcome == outcome
    assert found["cost-share-company-cash"].figures["base_krw"] == 10_000_000


def test_unknown_program_or_variant(calls: dict[str, CallDocument]) -> None:
    with pytest.raises(UnknownProgram) as raised:
        ProjectTerms.of(calls[CATALOGUE_2026], program="no-such-program")
    assert raised.value.field == "program"
    with pytest.raises(UnknownProgram) as raised:
        ProjectTerms.of(calls[CATALOGUE_2026], program="government-type", variant="nope")
    assert raised.value.field == "variant"
    variant = ProjectTerms.of(
        calls[CATALOGUE_2026], program="government-type", variant="advanced-same-level"
    )
    assert variant.government.total_max_krw == 50_000_000  # 고도화(동일수준) 0.5억


@pytest.mark.parametrize(
    ("support_type", "labour", "company", "outcome"),
    [
        ("advanced-1", 40_000_000, 200_000_000, "pass"),  # 20% and 4천만원 exactly
        ("advanced-1", 40_000_001, 300_000_000, "fail"),  # over 4천만원
        ("advanced-2", 60_000_000, 300_000_000, "pass"),  # 20%
        ("advanced-2", 60_000_001, 300_000_000, "fail"),  # over 20%
        ("advanced-2", 80_000_001, 500_000_000, "fail"),  # over 8천만원
    ],
)
def test_kamp_staff_labour_20_percent_and_cap(
    calls: dict[str, CallDocument], support_type: str, labour: int, company: int, outcome: str
) -> None:
    """003 Ⅲ 지원조건 *: 도입기업 인력 인건비를 기업 부담금 20% 이내(고도화1 최대 4천만원,
    고도화2 최대 8천만원 한도)."""
    terms = ProjectTerms.of(calls[KAMP], support_type=support_type)
    lines = [
        line(1, "구축", gov=company, cash=company - labour),
        line(1, "도입기업 인건비", code="applicant-staff-labour", cash=labour),
    ]
    found = _findings(lines, terms)
    assert found["staff-labour"].outcome == outcome, found["staff-labour"].message_en
    assert found["staff-labour"].source.file == "003_819a3676ae3b20e0.txt"


def test_2024_programs_are_held_to_the_2024_terms(calls: dict[str, CallDocument]) -> None:
    """002 (2024) 2. ⑭ 제조데이터 상품 가공지원: 정부 80% 이내, 기업 20% 이상 (기업부담금의
    10% 이상 현금); 2. ③ 대중소 상생형 고도화(동일수준): 0.3억, 30% 이내."""
    catalogue = calls["2024-smart-manufacturing-catalogue"]
    processing = ProjectTerms.of(catalogue, program="data-product-processing")
    found = _findings([line(1, "가공", gov=40_000_000, cash=999_999, kind=9_000_001)], processing)
    assert found["cost-share-company-cash"].outcome == "fail"
    assert found["cost-share-company-cash"].source.file == "002_247359b2586b7f4b.txt"
    same_level = ProjectTerms.of(
        catalogue, program="large-sme-win-win", variant="advanced-same-level"
    )
    at = [line(1, "구축", gov=30_000_000, large=30_000_000, cash=40_000_000)]
    assert _findings(at, same_level)["government-limit"].outcome == "pass"
    assert _findings(at, same_level)["government-ratio"].outcome == "pass"
    over = [line(1, "구축", gov=30_000_001, large=30_000_000, cash=39_999_999)]
    found = _findings(over, same_level)
    assert found["government-limit"].outcome == "fail"
    assert found["government-ratio"].outcome == "fail"
