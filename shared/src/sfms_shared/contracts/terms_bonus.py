"""Bonus points (가점): items, their evidence and the caps.

001 붙임2: 3 points per item, at most 2 items, at most 5 points.
003 Ⅺ: 3 points per item, at most 5 points; one item (코로나19 대응) gives 5.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

from pydantic import Field, model_validator

from sfms_shared.contracts.common import Count, Frozen, Params, Slug, Source, Text


class BonusEvidence(Frozen):
    """A document (or a check by the agency) that proves a bonus item.

    ``max_age_months``: issued at most this long before ``reference``
    (수준확인서 발급일로부터 3년이내 = 36). ``reference``: the instant the
    evidence must be valid at (001 §3: 접수 마감일을 기준으로 유효한 서류).
    """

    name: Text
    verified_by: Literal["document", "agency", "business-plan"] = "document"
    max_age_months: Count | None = None
    reference: Literal["deadline", "submission"] = "deadline"


class BonusItem(Frozen):
    code: Slug
    name: Text
    criteria: tuple[Text, ...] = Field(min_length=1)  # any one qualifies
    evidence: tuple[BonusEvidence, ...] = ()  # any one suffices
    points: Count | None = None  # None: BonusTerms.points_per_item
    parameters: Params = Field(default_factory=dict)
    source: Source


class BonusTerms(Frozen):
    points_per_item: Count
    max_items: Count | None = None  # None: the seed sets no item cap
    max_points: Count
    items: tuple[BonusItem, ...] = Field(min_length=1)
    source: Source

    @model_validator(mode="after")
    def _unique(self) -> BonusTerms:
        codes = [i.code for i in self.items]
        if len(codes) != len(set(codes)):
            raise ValueError("bonus item codes must be unique")
        return self

    def item(self, code: str) -> BonusItem | None:
        return next((i for i in self.items if i.code == code), None)

    def item_points(self, code: str) -> int:
        item = self.item(code)
        if item is None:
            raise KeyError(f"unknown bonus item {code}")
        return self.points_per_item if item.points is None else item.points

    def total(self, granted: Iterable[str]) -> int:
        """Bonus for the items granted: the best ``max_items`` items, capped at ``max_points``."""
        points = sorted((self.item_points(c) for c in set(granted)), reverse=True)
        if self.max_items is not None:
            points = points[: self.max_items]
        return min(sum(points), self.max_points)
