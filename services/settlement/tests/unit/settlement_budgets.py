"""A budget that satisfies every 001 rule, to change one figure at a time in tests.

Two project years of 600,000,000 KRW each; government 300,000,000 a year (50 %).
"""

from __future__ import annotations

from settlement.domain.budget import Budget
from sfms_shared.contracts.applications import BudgetLine


def line(
    year: int,
    item: str,
    *,
    code: str | None = None,
    gov: int = 0,
    cash: int = 0,
    kind: int = 0,
    large: int = 0,
    years: int | None = None,
    category: str = "기타비용",
) -> BudgetLine:
    return BudgetLine(
        year=year,
        category=category,
        item=item,
        code=code,
        government_krw=gov,
        private_cash_krw=cash,
        private_in_kind_krw=kind,
        large_enterprise_krw=large,
        service_years=years,
    )


def lines_001() -> list[BudgetLine]:
    return [
        line(1, "AI 자율제어 솔루션", gov=290_000_000, cash=269_000_000, category="외주용역비"),
        line(1, "교육비", code="training", cash=1_000_000),
        line(1, "전주기관리", code="planner-management", gov=10_000_000, cash=10_000_000),
        line(1, "클라우드 이용료", code="cloud-fee", kind=20_000_000, years=1),
        line(2, "디지털 트윈 고도화", gov=290_000_000, cash=268_368_000, category="외주용역비"),
        line(2, "정산 수수료", code="settlement-fee", cash=1_182_000),
        line(2, "기술임치비", code="technology-escrow", cash=450_000),
        line(2, "전주기관리", code="planner-management", gov=10_000_000, cash=10_000_000),
        line(2, "클라우드 이용료", code="cloud-fee", kind=20_000_000, years=2),
    ]


def budget(lines: list[BudgetLine]) -> Budget:
    return Budget(tuple(lines))


def shift(lines: list[BudgetLine], index: int, **change: int) -> list[BudgetLine]:
    """``lines`` with line ``index``'s amounts moved by the given deltas (gov=-1, ...)."""
    names = {"gov": "government_krw", "cash": "private_cash_krw", "kind": "private_in_kind_krw"}
    target = lines[index]
    moved = replace_line(
        target, **{names[k]: getattr(target, names[k]) + v for k, v in change.items()}
    )
    return [*lines[:index], moved, *lines[index + 1 :]]


def replace_line(target: BudgetLine, **values: object) -> BudgetLine:
    return target.model_copy(update=values)
