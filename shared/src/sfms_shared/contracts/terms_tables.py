"""Reference tables a call carries: small-business size, autonomy levels, KPIs.

Size tables differ from year to year (001 붙임6 vs 003 붙임1 disagree for sections
G, J, E, L, M, N and R), so each call carries its own, exactly as its seed says.
"""

from __future__ import annotations

from pydantic import Field, model_validator

from sfms_shared.contracts.common import Count, Frozen, Krw, Ksic, Slug, Source, Text


class SizeRow(Frozen):
    """One industry of a size table: KSIC code (section or division) → revenue threshold."""

    number: Count  # the row number in the seed (1.–43.)
    industry: Text
    ksic: Ksic
    excludes: tuple[Ksic, ...] = ()  # e.g. E (E36 제외)
    max_average_revenue_krw: Krw  # 평균매출액등 N억원 이하 (inclusive)

    @model_validator(mode="after")
    def _excludes_are_inside(self) -> SizeRow:
        for code in self.excludes:
            if not code.startswith(self.ksic) or code == self.ksic:
                raise ValueError(f"{self.ksic}: exclusion {code} is not a sub-code")
        return self


class SizeException(Frozen):
    """A narrower activity inside a KSIC code with its own threshold (비고 2).

    The activity is narrower than the code, so it is applied on an operator's
    judgment, not by code alone.
    """

    ksic: Ksic
    activity: Text
    max_average_revenue_krw: Krw


class SizeTable(Frozen):
    code: Slug
    name: Text
    basis: Text  # 평균매출액등; KSIC per 통계법 제22조
    rows: tuple[SizeRow, ...] = Field(min_length=1)
    exceptions: tuple[SizeException, ...] = ()
    source: Source

    @model_validator(mode="after")
    def _unique(self) -> SizeTable:
        codes = [r.ksic for r in self.rows]
        if len(codes) != len(set(codes)):
            raise ValueError(f"{self.code}: a KSIC code appears twice")
        return self

    def row_for(self, ksic: str) -> SizeRow | None:
        """The most specific row whose code prefixes ``ksic`` and does not exclude it."""
        candidates = [
            r
            for r in self.rows
            if ksic.startswith(r.ksic) and not any(ksic.startswith(x) for x in r.excludes)
        ]
        return max(candidates, key=lambda r: len(r.ksic), default=None)

    def threshold_for(self, ksic: str) -> int | None:
        row = self.row_for(ksic)
        return None if row is None else row.max_average_revenue_krw

    def is_small(self, ksic: str, average_revenue_krw: int) -> bool | None:
        """Small business by this table; None when the industry is not in it."""
        threshold = self.threshold_for(ksic)
        return None if threshold is None else average_revenue_krw <= threshold


class AutonomyLevel(Frozen):
    level: int = Field(strict=True, ge=1, le=5)
    name: Text
    description: Text


class AutonomyScale(Frozen):
    levels: tuple[AutonomyLevel, ...]
    source: Source

    @model_validator(mode="after")
    def _one_to_n(self) -> AutonomyScale:
        if sorted(lv.level for lv in self.levels) != list(range(1, len(self.levels) + 1)):
            raise ValueError("autonomy levels must be numbered 1..n, each once")
        return self


class KpiCategory(Frozen):
    code: str = Field(pattern=r"^[A-Z]$")  # P, Q, C, D, E, S
    name: Text
    definition: Text


class Kpi(Frozen):
    code: Slug
    category: str
    metric: Text  # 공정관리지표
    unit: str
    improvement: Text  # 공정개선 성과지표
    core: bool  # 핵심지표


class KpiCatalogue(Frozen):
    categories: tuple[KpiCategory, ...]
    indicators: tuple[Kpi, ...]
    min_core_selected: Count  # 핵심지표 중 N개 이상
    min_autonomous_selected: Count  # 자율형공장 지표(자체 개발·설정) N개 이상
    source: Source

    @model_validator(mode="after")
    def _categories_known(self) -> KpiCatalogue:
        known = {c.code for c in self.categories}
        for kpi in self.indicators:
            if kpi.category not in known:
                raise ValueError(f"{kpi.code}: unknown category {kpi.category}")
        codes = [k.code for k in self.indicators]
        if len(codes) != len(set(codes)):
            raise ValueError("KPI codes must be unique")
        return self

    @property
    def core(self) -> tuple[Kpi, ...]:
        return tuple(k for k in self.indicators if k.core)
