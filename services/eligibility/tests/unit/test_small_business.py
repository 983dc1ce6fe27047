"""Small-business classification by the call year's size table: 001_39e04bdc262ce7ee.txt
붙임6 (2026) and 003_819a3676ae3b20e0.txt 붙임1 (2021) disagree for G, J, E, L, M, N, R."""

from __future__ import annotations

from review_cases import AUTONOMOUS, KAMP, call, company

from sfms_shared.contracts.applications import FinancialYear
from sfms_shared.small_business import classify


def revenues(*amounts: int) -> tuple[FinancialYear, ...]:
    return tuple(
        FinancialYear(
            year=2023 + i,
            revenue_krw=a,
            operating_profit_krw=0,
            total_liabilities_krw=0,
            total_equity_krw=1,
        )
        for i, a in enumerate(amounts)
    )


def table(call_id: str):
    return call(call_id).terms.size_tables[0]


def test_a_wholesaler_with_4_billion_is_small_in_2021_and_not_in_2026() -> None:
    """G 도매 및 소매업: 50억 (2021, 003 붙임1 row 32) vs 30억 (2026, 001 붙임6 row 32)."""
    wholesaler = company(ksic_code="G46", financials=revenues(4_000_000_000, 4_000_000_000))
    assert classify(wholesaler, table(KAMP)).small is True
    assert classify(wholesaler, table(AUTONOMOUS)).small is False
    assert classify(wholesaler, table(AUTONOMOUS)).threshold_krw == 3_000_000_000


def test_the_threshold_is_inclusive_and_the_average_exact() -> None:
    """평균매출액등 30억원 이하: exactly 30억 on average is small; one won more is not."""
    exact = company(
        ksic_code="G46", financials=revenues(2_999_999_999, 3_000_000_000, 3_000_000_001)
    )
    assert classify(exact, table(AUTONOMOUS)).small is True
    over = company(
        ksic_code="G46", financials=revenues(3_000_000_000, 3_000_000_000, 3_000_000_001)
    )
    assert classify(over, table(AUTONOMOUS)).small is False


def test_the_latest_three_years_are_averaged() -> None:
    older_high = company(
        ksic_code="G46",
        financials=(
            *revenues(1, 1, 1),
            FinancialYear(
                year=2020,
                revenue_krw=90_000_000_000,
                operating_profit_krw=0,
                total_liabilities_krw=0,
                total_equity_krw=1,
            ),
        ),
    )
    assert classify(older_high, table(AUTONOMOUS)).years == (2023, 2024, 2025)


def test_manufacturing_agrees_in_both_years_and_unknowns_are_none() -> None:
    maker = company(ksic_code="C29", financials=revenues(9_000_000_000))
    assert classify(maker, table(KAMP)).small == classify(maker, table(AUTONOMOUS)).small
    assert classify(company(financials=()), table(AUTONOMOUS)).small is None
