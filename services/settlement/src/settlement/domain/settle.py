"""Settlement (정산): executed expenses against the agreed budget, line by line and year by
year; the government share actually due and the amount to recover (환수).

The rules, per project year:

1. A line's spending is recognised up to what the agreement budgeted for it: cash up to
   the line's cash (government + private cash), in kind up to the line's in-kind amount;
   anything above is not recognised (over the line's budget).
2. The government grant and the private share are spent in the agreed ratio (001 §1:
   정부출연금은 총사업비의 50% 이내). The government share due is the recognised spending
   times the year's agreed ratio, rounded down to the won, and never more than the
   agreed grant; what was paid above it is recovered.
3. The in-kind caps are checked again on what was recognised (001 §6 현물편성: 기업부담금
   중 20% 이내, 연차별 최대 6천만원): in kind above them is not recognised, which lowers
   the spending and so the government share due (repeated until it holds).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from settlement.domain.findings import allowed, percent, won
from sfms_shared.contracts.applications import BudgetLine
from sfms_shared.contracts.call_terms import InKindRules
from sfms_shared.contracts.common import Source


class SettlementError(ValueError):
    def __init__(self, field: str, message_en: str, message_ko: str) -> None:
        super().__init__(message_en)
        self.field = field
        self.message_en = message_en
        self.message_ko = message_ko


@dataclass(frozen=True)
class Executed:
    """What a line actually spent: cash from the project account, and in kind."""

    line: int
    cash_krw: int
    in_kind_krw: int = 0


@dataclass(frozen=True)
class LineResult:
    index: int
    line: BudgetLine
    executed: Executed
    recognised_cash: int
    recognised_in_kind: int
    notes: tuple[dict[str, str], ...]

    @property
    def planned_cash(self) -> int:
        return (
            self.line.government_krw + self.line.private_cash_krw + self.line.large_enterprise_krw
        )

    @property
    def planned_total(self) -> int:
        return self.planned_cash + self.line.private_in_kind_krw


@dataclass(frozen=True)
class YearResult:
    year: int
    agreed_government: int
    agreed_total: int
    government_paid: int
    recognised: int  # after the in-kind caps
    in_kind_disallowed: int
    government_due: int
    notes: tuple[dict[str, str], ...] = field(default=())

    @property
    def recovery(self) -> int:
        return max(0, self.government_paid - self.government_due)

    @property
    def ratio(self) -> Fraction:
        return (
            Fraction(self.agreed_government, self.agreed_total)
            if self.agreed_total
            else Fraction(0)
        )


@dataclass(frozen=True)
class Settlement:
    lines: tuple[LineResult, ...]
    years: tuple[YearResult, ...]
    source: Source | None = None  # of the government share (001 §1: 50% 이내)

    @property
    def government_due(self) -> int:
        return sum(y.government_due for y in self.years)

    @property
    def government_paid(self) -> int:
        return sum(y.government_paid for y in self.years)

    @property
    def recovery(self) -> int:
        return sum(y.recovery for y in self.years)

    def as_json(self) -> dict[str, Any]:
        return {
            "government_paid_krw": self.government_paid,
            "government_due_krw": self.government_due,
            "recovery_krw": self.recovery,
            "years": [_year_json(y, self.source) for y in self.years],
            "lines": [_line_json(r) for r in self.lines],
        }


def settle(
    agreed: tuple[BudgetLine, ...],
    executed: list[Executed],
    in_kind: InKindRules | None,
    paid: dict[int, int] | None = None,
    source: Source | None = None,
) -> Settlement:
    """``paid``: the grant paid per project year, by default what the agreement grants;
    ``source``: where the government share comes from, shown with each year's formula."""
    spent = _by_line(agreed, executed)
    results = tuple(_line(i, agreed[i], spent[i]) for i in range(len(agreed)))
    years = sorted({line.year for line in agreed})
    return Settlement(
        results,
        tuple(
            _year(y, [r for r in results if r.line.year == y], in_kind, (paid or {}).get(y))
            for y in years
        ),
        source,
    )


def _by_line(agreed: tuple[BudgetLine, ...], executed: list[Executed]) -> dict[int, Executed]:
    spent: dict[int, Executed] = {}
    for entry in executed:
        if not 0 <= entry.line < len(agreed):
            raise SettlementError(
                "executed.line",
                f"No line {entry.line} in the agreed budget (0–{len(agreed) - 1})",
                f"협약 예산에 {entry.line}번 항목이 없습니다(0–{len(agreed) - 1})",
            )
        if entry.line in spent:
            raise SettlementError(
                "executed.line",
                f"Line {entry.line} is given twice",
                f"{entry.line}번 항목이 두 번 있습니다",
            )
        spent[entry.line] = entry
    return {i: spent.get(i, Executed(i, 0, 0)) for i in range(len(agreed))}


def _line(index: int, line: BudgetLine, spent: Executed) -> LineResult:
    planned_cash = line.government_krw + line.private_cash_krw + line.large_enterprise_krw
    cash = min(spent.cash_krw, planned_cash)
    kind = min(spent.in_kind_krw, line.private_in_kind_krw)
    notes = []
    if spent.cash_krw > planned_cash:
        over = spent.cash_krw - planned_cash
        notes.append(
            {
                "ko": f"현금 집행이 협약 예산을 {won(over)}원 초과하여 초과분은 인정하지 않습니다.",
                "en": f"Cash spending is KRW {won(over)} over the agreed line; the excess is "
                "not recognised.",
            }
        )
    if spent.in_kind_krw > line.private_in_kind_krw:
        over = spent.in_kind_krw - line.private_in_kind_krw
        notes.append(
            {
                "ko": f"현물이 협약 예산의 현물을 {won(over)}원 초과하여 초과분은 인정하지 않습니다.",
                "en": f"In kind is KRW {won(over)} over the line's agreed in-kind amount; the "
                "excess is not recognised.",
            }
        )
    return LineResult(index, line, spent, cash, kind, tuple(notes))


def _year(
    year: int, lines: list[LineResult], rules: InKindRules | None, paid: int | None
) -> YearResult:
    government = sum(r.line.government_krw for r in lines)
    total = sum(r.planned_total for r in lines)
    cash = sum(r.recognised_cash for r in lines)
    kind = sum(r.recognised_in_kind for r in lines)
    ratio = Fraction(government, total) if total else Fraction(0)
    disallowed = 0
    due = _due(cash + kind, ratio, government)
    while rules is not None and kind:
        company = cash + kind - due
        limit = allowed(rules.max_ratio_of_company_share, company)
        if rules.max_per_year_krw is not None:
            limit = min(limit, rules.max_per_year_krw)
        if kind <= limit:  # whole won: kind ≤ ⌊ratio × company⌋ ⇔ kind ≤ ratio × company
            break
        excess = kind - limit
        kind -= excess
        disallowed += excess
        due = _due(cash + kind, ratio, government)
    notes = ()
    if disallowed and rules is not None:
        notes = (
            {
                "ko": f"현물 {won(disallowed)}원은 기업부담금의 "
                f"{percent(rules.max_ratio_of_company_share)} 또는 연 "
                f"{won(rules.max_per_year_krw or 0)}원을 넘어 인정하지 않습니다.",
                "en": f"KRW {won(disallowed)} in kind is over "
                f"{percent(rules.max_ratio_of_company_share)} of the company share or KRW "
                f"{won(rules.max_per_year_krw or 0)} a year and is not recognised.",
                "source": f"{rules.source.file} {rules.source.section}",
            },
        )
    return YearResult(
        year=year,
        agreed_government=government,
        agreed_total=total,
        government_paid=government if paid is None else paid,
        recognised=cash + kind,
        in_kind_disallowed=disallowed,
        government_due=due,
        notes=notes,
    )


def _due(recognised: int, ratio: Fraction, agreed_government: int) -> int:
    return min(agreed_government, int(ratio * recognised))  # int() floors a non-negative


def _year_json(y: YearResult, source: Source | None) -> dict[str, Any]:
    return {
        "year": y.year,
        "agreed_total_krw": y.agreed_total,
        "agreed_government_krw": y.agreed_government,
        "government_ratio": str(y.ratio.numerator) + "/" + str(y.ratio.denominator),
        "government_ratio_percent": percent(y.ratio),
        "recognised_krw": y.recognised,
        "in_kind_disallowed_krw": y.in_kind_disallowed,
        "government_paid_krw": y.government_paid,
        "government_due_krw": y.government_due,
        "recovery_krw": y.recovery,
        "rule": {
            "ko": f"정부출연금 정산액 = min(협약 정부출연금 {won(y.agreed_government)}원, "
            f"인정 사업비 {won(y.recognised)}원 × 협약 정부출연 비율 {percent(y.ratio)}) = "
            f"{won(y.government_due)}원; 환수액 = 지급액 {won(y.government_paid)}원 − 정산액 = "
            f"{won(y.recovery)}원",
            "en": f"Government share due = min(agreed grant KRW {won(y.agreed_government)}, "
            f"recognised spending KRW {won(y.recognised)} × agreed share {percent(y.ratio)}) = "
            f"KRW {won(y.government_due)}; recovery = paid KRW {won(y.government_paid)} − due = "
            f"KRW {won(y.recovery)}",
        },
        "notes": list(y.notes),
        "source": source.model_dump() if source else None,
    }


def _line_json(r: LineResult) -> dict[str, Any]:
    return {
        "line": r.index,
        "year": r.line.year,
        "category": r.line.category,
        "item": r.line.item,
        "code": r.line.code,
        "agreed_cash_krw": r.planned_cash,
        "agreed_in_kind_krw": r.line.private_in_kind_krw,
        "executed_cash_krw": r.executed.cash_krw,
        "executed_in_kind_krw": r.executed.in_kind_krw,
        "recognised_cash_krw": r.recognised_cash,
        "recognised_in_kind_krw": r.recognised_in_kind,
        "notes": list(r.notes),
    }
