"""A budget check's result: the rule, the figures it read, the outcome and the source.

Outcomes: ``pass``; ``fail`` (the budget breaks the rule); ``warning`` (allowed, but not
what the rule expects, e.g. a mandatory line budgeted above its standard amount);
``not-assessed`` (the budget does not carry what the rule needs, said why).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any, Literal

from sfms_shared.contracts.common import Source

Outcome = Literal["pass", "fail", "warning", "not-assessed"]


@dataclass(frozen=True)
class Finding:
    rule: str
    outcome: Outcome
    message_ko: str
    message_en: str
    source: Source
    year: int | None = None
    figures: dict[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "outcome": self.outcome,
            "year": self.year,
            "figures": self.figures,
            "message": {"ko": self.message_ko, "en": self.message_en},
            "source": self.source.model_dump(),
        }


def won(amount: int) -> str:
    """12,345,678원 / KRW 12,345,678."""
    return f"{amount:,}"


def percent(ratio: Decimal | Fraction) -> str:
    """A ratio as the seeds write it: 0.5 → 50%, 0.125 → 12.5%."""
    exact = Fraction(ratio) * 100
    value = Decimal(exact.numerator) / Decimal(exact.denominator)
    shown = value.quantize(Decimal("0.01"))
    if shown == shown.to_integral_value() and Fraction(shown) != exact:
        shown = value.quantize(Decimal("0.00000001"))  # 50.00000004%, not a misleading 50%
    return f"{shown.normalize():f}%"


def at_most(part: int, ratio: Decimal, base: int) -> bool:
    """``part ≤ ratio × base``, exactly (no rounding of the allowed amount)."""
    return Fraction(part) <= Fraction(ratio) * base


def at_least(part: int, ratio: Decimal, base: int) -> bool:
    return Fraction(part) >= Fraction(ratio) * base


def allowed(ratio: Decimal, base: int) -> int:
    """The largest whole won within ``ratio × base``."""
    return int(Fraction(ratio) * base)  # both non-negative: int() floors


def share(part: int, base: int) -> Fraction:
    return Fraction(part, base) if base else Fraction(0)
