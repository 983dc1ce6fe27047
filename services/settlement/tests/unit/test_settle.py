"""Settlement (정산) arithmetic: recognised spending line by line, the government share due
at the agreed ratio (001 §1: 정부출연금 총사업비의 50% 이내), the in-kind caps checked again
(001 §6 현물편성: 기업부담금 중 20% 이내, 연차별 최대 6천만원), recovery (환수)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from settlement_budgets import line, lines_001

from settlement.domain.agreements import AgreementError, cut, ends_on
from settlement.domain.settle import Executed, SettlementError, settle
from sfms_shared.contracts.calls import CallDocument
from sfms_shared.testing.snapshots import AUTONOMOUS


@pytest.fixture(scope="module")
def in_kind(calls: dict[str, CallDocument]):  # noqa: ANN201
    return calls[AUTONOMOUS].terms.budget.in_kind  # type: ignore[union-attr]


def as_agreed(lines):  # noqa: ANN001, ANN201
    return [
        Executed(
            i, x.government_krw + x.private_cash_krw + x.large_enterprise_krw, x.private_in_kind_krw
        )
        for i, x in enumerate(lines)
    ]


def test_spent_as_agreed_recovers_nothing(in_kind) -> None:  # noqa: ANN001
    lines = tuple(lines_001())
    result = settle(lines, as_agreed(lines), in_kind)
    assert result.government_paid == result.government_due == 600_000_000
    assert result.recovery == 0


def test_under_spending_recovers_the_share_of_what_was_not_spent(in_kind) -> None:  # noqa: ANN001
    lines = tuple(lines_001())
    executed = as_agreed(lines)
    executed[0] = Executed(0, executed[0].cash_krw - 100_000_001)
    result = settle(lines, executed, in_kind)
    year1 = result.years[0]
    assert year1.recognised == 499_999_999
    assert year1.government_due == 249_999_999  # ⌊499,999,999 × 300/600⌋
    assert year1.recovery == 50_000_001
    assert result.recovery == 50_000_001


def test_spending_over_a_line_is_not_recognised_and_pays_no_more(in_kind) -> None:  # noqa: ANN001
    lines = tuple(lines_001())
    executed = as_agreed(lines)
    executed[0] = Executed(0, executed[0].cash_krw + 5_000_000)
    result = settle(lines, executed, in_kind)
    assert result.lines[0].recognised_cash == 559_000_000
    assert result.lines[0].notes and "5,000,000" in result.lines[0].notes[0]["ko"]
    assert result.government_due == 600_000_000 and result.recovery == 0


def test_in_kind_over_the_cap_after_under_spending_is_not_recognised(in_kind) -> None:  # noqa: ANN001
    """Year 1 agreed 60,000,000 in kind of a 300,000,000 company share (exactly 20%); the
    company then spends only half its cash: 20% of the smaller share is the new cap."""
    lines = (
        line(1, "솔루션", gov=300_000_000, cash=240_000_000),
        line(1, "클라우드", code="cloud-fee", kind=60_000_000, years=1),
    )
    executed = [Executed(0, 400_000_000), Executed(1, 0, 60_000_000)]
    result = settle(lines, executed, in_kind)
    year = result.years[0]
    company = year.recognised - year.government_due
    assert year.in_kind_disallowed > 0
    assert (year.recognised - 400_000_000) * 5 <= company  # in kind ≤ 20% of company share
    assert year.notes and year.notes[0]["source"].startswith("001_39e04bdc262ce7ee.txt")
    assert year.recovery == year.government_paid - year.government_due > 0


def test_a_grant_paid_short_recovers_nothing_more_than_was_paid(in_kind) -> None:  # noqa: ANN001
    lines = tuple(lines_001())
    result = settle(lines, as_agreed(lines), in_kind, {1: 250_000_000})
    assert result.years[0].recovery == 0


def test_bad_execution_lines_are_refused() -> None:
    lines = tuple(lines_001())
    with pytest.raises(SettlementError) as raised:
        settle(lines, [Executed(99, 1)], None)
    assert raised.value.field == "executed.line"
    with pytest.raises(SettlementError):
        settle(lines, [Executed(0, 1), Executed(0, 2)], None)


@pytest.mark.parametrize(
    ("start", "months", "end"),
    [
        (date(2026, 9, 1), 24, date(2028, 8, 31)),  # 001 §1: 최대 2년
        (date(2026, 9, 15), 9, date(2027, 6, 14)),  # 003 고도화1: 9개월
        (date(2026, 1, 31), 1, date(2026, 2, 27)),  # to the end of a short month
    ],
)
def test_agreement_period(start: date, months: int, end: date) -> None:
    assert ends_on(start, months) == end


def test_a_cost_review_only_cuts_and_records_why() -> None:
    lines = tuple(lines_001())
    at = datetime(2026, 8, 20, tzinfo=UTC)
    changed, done = cut(lines, 0, {"government_krw": 280_000_000}, "중복 장비 제외", "op", at)
    assert changed[0].government_krw == 280_000_000
    assert done.amount_krw == 10_000_000 and done.reason == "중복 장비 제외"
    with pytest.raises(AgreementError) as raised:
        cut(lines, 0, {"private_cash_krw": 270_000_000}, "x", "op", at)
    assert raised.value.code == "cut-raises" and raised.value.field == "private_cash_krw"
    with pytest.raises(AgreementError) as raised:
        cut(lines, 0, {"government_krw": 290_000_000}, "x", "op", at)
    assert raised.value.code == "nothing-cut"
    with pytest.raises(AgreementError) as raised:
        cut(lines, 40, {"government_krw": 1}, "x", "op", at)
    assert raised.value.code == "no-such-line"
