"""Agreements (협약): after final selection, the budget as the on-site cost review left it,
the consortium and the period.

A cost review only cuts: each cut lowers one line's amounts, never raises them, and
records its reason; the requested budget stays beside the agreed one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sfms_shared.clock import add_months
from sfms_shared.contracts.applications import BudgetLine

AMOUNTS = ("government_krw", "private_cash_krw", "private_in_kind_krw", "large_enterprise_krw")
AGREEABLE = frozenset({"selected", "supported"})  # 현장평가 선정; KAMP: 지원


class AgreementError(ValueError):
    def __init__(self, status: int, code: str, field: str, message_en: str, message_ko: str):
        super().__init__(message_en)
        self.status = status
        self.code = code
        self.field = field
        self.message_en = message_en
        self.message_ko = message_ko


@dataclass(frozen=True)
class Cut:
    line: int
    before: dict[str, int]
    after: dict[str, int]
    reason: str
    by: str
    at: datetime

    @property
    def amount_krw(self) -> int:
        return sum(self.before.values()) - sum(self.after.values())

    def as_json(self) -> dict[str, Any]:
        return {
            "line": self.line,
            "before": self.before,
            "after": self.after,
            "cut_krw": self.amount_krw,
            "reason": self.reason,
            "by": self.by,
            "at": self.at.isoformat(),
        }


def ends_on(starts_on: date, months: int) -> date:
    """The last day of a period of ``months`` from ``starts_on`` (2026-09-01, 24 → 2028-08-31)."""
    return add_months(starts_on, months) - timedelta(days=1)


def cut(
    lines: tuple[BudgetLine, ...],
    index: int,
    amounts: dict[str, int],
    reason: str,
    by: str,
    at: datetime,
) -> tuple[tuple[BudgetLine, ...], Cut]:
    if not 0 <= index < len(lines):
        raise AgreementError(
            422,
            "no-such-line",
            "line",
            f"No line {index} in the budget (0–{len(lines) - 1})",
            f"예산에 {index}번 항목이 없습니다(0–{len(lines) - 1})",
        )
    line = lines[index]
    before = {name: getattr(line, name) for name in AMOUNTS}
    after = before | {name: value for name, value in amounts.items() if value is not None}
    raised = [name for name in AMOUNTS if after[name] > before[name]]
    if raised:
        raise AgreementError(
            422,
            "cut-raises",
            raised[0],
            f"A cost review only lowers amounts: {raised[0]} would rise from "
            f"{before[raised[0]]:,} to {after[raised[0]]:,}",
            f"사업비 검토는 금액을 줄이기만 합니다: {raised[0]}이(가) {before[raised[0]]:,}원에서 "
            f"{after[raised[0]]:,}원으로 늘어납니다",
        )
    if after == before:
        raise AgreementError(
            422,
            "nothing-cut",
            "line",
            "The cut changes nothing",
            "삭감되는 금액이 없습니다",
        )
    changed = line.model_copy(update=after)
    return (*lines[:index], changed, *lines[index + 1 :]), Cut(index, before, after, reason, by, at)
