"""Catalogue rows: one program (or one row of a program group) of an annual catalogue.

004 (2026) has 12 program groups; 002 (2024) has 15 numbered programs. A row
carries the summary table's figures (maxima); ``variants`` carry a program's
support types from its detailed section (e.g. 고도화 vs 고도화(동일수준)).
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from sfms_shared.contracts.common import (
    Count,
    Frozen,
    Krw,
    Ratio,
    Slug,
    SmartFactoryLevel,
    Source,
    Text,
)

# A month ("2026-03"), a month span ("2026-03..2026-04"), a span open at the end
# ("2026-04..", the seed's "'26.4~") or "rolling" (상시·수시).
_MONTH = r"\d{4}-(0[1-9]|1[0-2])"
_MONTH_OR_SPAN = rf"^({_MONTH}(\.\.({_MONTH})?)?|rolling)$"


class LevelLimit(Frozen):
    """Government limit by current → target level (004 레전드50+)."""

    current: SmartFactoryLevel
    target: SmartFactoryLevel
    government_limit_krw: Krw
    source: Source

    @model_validator(mode="after")
    def _upward(self) -> LevelLimit:
        if self.current.rank >= self.target.rank:
            raise ValueError(f"level limit must go upward ({self.current} → {self.target})")
        return self


class CostShare(Frozen):
    """One party's share (분담비율). ``of``: the base the ratio applies to."""

    party: Literal[
        "government", "large-enterprise", "applicant", "company", "company-cash", "local-government"
    ]
    min_ratio: Ratio | None = None
    max_ratio: Ratio | None = None
    of: Literal["total-project-cost", "company-share"] = "total-project-cost"
    source: Source

    @model_validator(mode="after")
    def _bounded(self) -> CostShare:
        if self.min_ratio is None and self.max_ratio is None:
            raise ValueError("a cost share needs min_ratio, max_ratio or both")
        if (
            self.min_ratio is not None
            and self.max_ratio is not None
            and self.min_ratio > self.max_ratio
        ):
            raise ValueError("min_ratio above max_ratio")
        return self


class ProgramSchedule(Frozen):
    announcement: str | None = Field(default=None, pattern=_MONTH_OR_SPAN)
    application: str | None = Field(default=None, pattern=_MONTH_OR_SPAN)
    selection: str | None = Field(default=None, pattern=_MONTH_OR_SPAN)
    source: Source


class ProgramVariant(Frozen):
    """A support type inside a program (지원유형), from the program's own section."""

    code: Slug
    name: Text
    target_count: Count | None = None
    duration_months: Count | None = None
    government_limit_krw: Krw | None = None
    government_limit_per_year_krw: Krw | None = None
    total_project_cost_krw: Krw | None = None  # when the seed states the total instead
    government_ratio_max: Ratio | None = None
    target_level_min: SmartFactoryLevel | None = None
    once_per_level: bool = False  # 수준별 1회
    cost_shares: tuple[CostShare, ...] = ()
    notes: tuple[Text, ...] = ()
    source: Source


class ProgramRow(Frozen):
    """One row of a catalogue. Figures are maxima unless the seed says otherwise."""

    group: str  # the catalogue's numbering: ① … ⑫ (004), ① … ⑮ (002)
    group_name: Text
    category: Text | None = None  # a heading above the group (002: 제조혁신 구축 …)
    code: Slug
    name: Text
    target_count: Count | None = None  # None: 미정 or not given
    target_unit: Literal["projects", "consortia", "companies"] = "projects"
    target_approximate: bool = False  # 내외
    duration_months: Count | None = None
    government_limit_krw: Krw | None = None
    government_limit_per_year_krw: Krw | None = None
    government_ratio_max: Ratio | None = None
    government_ratio_min: Ratio | None = None  # when the seed gives a range (80~100 %)
    cost_shares: tuple[CostShare, ...] = ()
    applicant_level_min: SmartFactoryLevel | None = None
    target_level_min: SmartFactoryLevel | None = None
    level_limits: tuple[LevelLimit, ...] = ()
    variants: tuple[ProgramVariant, ...] = ()
    schedule: ProgramSchedule | None = None
    notes: tuple[Text, ...] = ()
    source: Source

    @model_validator(mode="after")
    def _consistent(self) -> ProgramRow:
        lo, hi = self.government_ratio_min, self.government_ratio_max
        if lo is not None and (hi is None or lo > hi):
            raise ValueError(
                f"{self.code}: government_ratio_min needs a larger government_ratio_max"
            )
        pairs = [(lim.current, lim.target) for lim in self.level_limits]
        if len(pairs) != len(set(pairs)):
            raise ValueError(f"{self.code}: a level pair appears twice")
        for lim in self.level_limits:
            if (
                self.government_limit_krw is not None
                and lim.government_limit_krw > self.government_limit_krw
            ):
                raise ValueError(f"{self.code}: a level limit exceeds the row's government limit")
        codes = [v.code for v in self.variants]
        if len(codes) != len(set(codes)):
            raise ValueError(f"{self.code}: variant codes must be unique")
        return self

    def limit_for_levels(self, current: SmartFactoryLevel, target: SmartFactoryLevel) -> int | None:
        """Government limit for a current → target level pair, when the row sets one."""
        return next(
            (
                lim.government_limit_krw
                for lim in self.level_limits
                if lim.current == current and lim.target == target
            ),
            None,
        )

    def variant(self, code: str) -> ProgramVariant | None:
        return next((v for v in self.variants if v.code == code), None)
