"""Small-business classification (소기업) by the size table of the call's year.

Eligibility records it with each decision; settlement reads it for the cloud-fee years
(001 §6: 최대 3년, 소기업은 최대 5년).

The tables differ from year to year (001 붙임6 vs 003 붙임1: sections G, J, E, L, M, N and
R), so the same company can be small under one call and not under another. The measure
is 평균매출액등: the average revenue of the latest business years on record, at most three
(중소기업기본법 시행령 제7조), compared exactly in integer KRW.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sfms_shared.contracts.applications import OrganisationSnapshot
from sfms_shared.contracts.terms_tables import SizeRow, SizeTable

YEARS_AVERAGED = 3


@dataclass(frozen=True, slots=True)
class SmallBusinessClassification:
    table: str
    ksic_code: str
    row: int | None
    threshold_krw: int | None
    years: tuple[int, ...]
    average_revenue_krw: int | None  # rounded down, for showing; the comparison is exact
    small: bool | None  # None: the industry is not in the table, or no revenue on record

    def as_json(self) -> dict[str, Any]:
        return {
            "table": self.table,
            "ksic_code": self.ksic_code,
            "row": self.row,
            "threshold_krw": self.threshold_krw,
            "years": list(self.years),
            "average_revenue_krw": self.average_revenue_krw,
            "small": self.small,
        }


def classify(
    company: OrganisationSnapshot, table: SizeTable, row: SizeRow | None = None
) -> SmallBusinessClassification:
    """``row``: the table's row for the company's industry, when the caller has looked it up."""
    revenues = {f.year: f.revenue_krw for f in company.financials}
    return classify_revenues(company.ksic_code, revenues, table, row)


def classify_revenues(
    ksic_code: str, revenues: Mapping[int, int], table: SizeTable, row: SizeRow | None = None
) -> SmallBusinessClassification:
    """The same from an industry code and revenue by business year."""
    row = row or table.row_for(ksic_code)
    years = tuple(sorted(revenues)[-YEARS_AVERAGED:])
    total = sum(revenues[y] for y in years)
    small = None
    if row is not None and years:
        small = total <= row.max_average_revenue_krw * len(years)
    return SmallBusinessClassification(
        table=table.code,
        ksic_code=ksic_code,
        row=row.number if row else None,
        threshold_krw=row.max_average_revenue_krw if row else None,
        years=years,
        average_revenue_krw=total // len(years) if years else None,
        small=small,
    )
