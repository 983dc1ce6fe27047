"""A project budget (사업비) by project year, and the figures the rules are read against.

총사업비 (total project cost) = 정부출연금 (government grant) + 민간부담금 (private share,
cash and in kind): 001 §6 "정산대상 사업비(총사업비) : 정부출연금 + 민간부담금(현금·현물
포함)". The private share is the applicant's (기업부담금: cash and in kind) plus, in
co-funded programs, a large enterprise's (대중소상생형).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sfms_shared.contracts.applications import BudgetLine


@dataclass(frozen=True)
class Figures:
    """Sums over some lines, integer KRW."""

    government: int = 0
    applicant_cash: int = 0
    in_kind: int = 0
    large_enterprise: int = 0

    @classmethod
    def of(cls, lines: Iterable[BudgetLine]) -> Figures:
        g = c = k = le = 0
        for line in lines:
            g += line.government_krw
            c += line.private_cash_krw
            k += line.private_in_kind_krw
            le += line.large_enterprise_krw
        return cls(g, c, k, le)

    @property
    def company_share(self) -> int:
        """기업부담금: what the applicant itself puts in, cash and in kind."""
        return self.applicant_cash + self.in_kind

    @property
    def private(self) -> int:
        return self.company_share + self.large_enterprise

    @property
    def total(self) -> int:
        return self.government + self.private

    def as_json(self) -> dict[str, int]:
        return {
            "government_krw": self.government,
            "applicant_cash_krw": self.applicant_cash,
            "in_kind_krw": self.in_kind,
            "large_enterprise_krw": self.large_enterprise,
            "company_share_krw": self.company_share,
            "total_krw": self.total,
        }


@dataclass(frozen=True)
class Budget:
    lines: tuple[BudgetLine, ...]

    @property
    def years(self) -> tuple[int, ...]:
        return tuple(sorted({line.year for line in self.lines}))

    @property
    def figures(self) -> Figures:
        return Figures.of(self.lines)

    def year(self, year: int) -> Figures:
        return Figures.of(line for line in self.lines if line.year == year)

    def coded(self, code: str, year: int | None = None) -> tuple[BudgetLine, ...]:
        return tuple(
            line for line in self.lines if line.code == code and (year is None or line.year == year)
        )

    def sum_of(self, code: str, year: int | None = None) -> Figures:
        """The figures of the lines with ``code`` (in ``year``, or in all years)."""
        return Figures.of(self.coded(code, year))
