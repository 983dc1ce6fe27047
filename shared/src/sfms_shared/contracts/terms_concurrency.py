"""Concurrency restrictions (동시 수행 제한), ongoing programs and sanction sources (001 붙임1).

Three tables:

- ``ongoing_restricted``: programs an applicant may not be executing when applying
  (기존사업 수행중인 경우), with the exception that a project whose build period
  under its agreement has ended does not count;
- ``programs`` and ``rules``: the numbered programs of the year (①–⑩) and which of
  them may be held together (26년 신규 신청인 경우);
- ``sanction_sources``: where a participation restriction (참여제한) is looked up.
"""

from __future__ import annotations

from itertools import combinations
from typing import Literal

from pydantic import Field, model_validator

from sfms_shared.contracts.common import Count, Frozen, Params, Slug, Source, Text


class ConcurrencyProgram(Frozen):
    number: int = Field(strict=True, ge=1)  # ① = 1
    code: Slug
    name: Text
    includes: tuple[Text, ...] = ()  # e.g. 점프업, 레전드50+, 지역특화형
    excludes: tuple[Text, ...] = ()  # e.g. 시트랙 제외
    source: Source


class ConcurrencyRule(Frozen):
    """One sentence of the concurrency table.

    - ``mutually-exclusive``: no two of ``programs`` together;
    - ``may-accompany``: each of ``programs`` may run alongside at most
      ``max_companions`` of ``companions`` (a permission; it forbids nothing);
    - ``never-together``: none of ``programs`` with any of ``companions``;
    - ``only-without``: ``programs`` only for a factory in none of ``companions``
      (and, per ``parameters``, not under after-service).
    """

    kind: Literal["mutually-exclusive", "may-accompany", "never-together", "only-without"]
    programs: tuple[int, ...] = Field(min_length=1)
    companions: tuple[int, ...] = ()
    max_companions: Count | None = None
    parameters: Params = Field(default_factory=dict)
    description: Text
    source: Source

    @model_validator(mode="after")
    def _shape(self) -> ConcurrencyRule:
        if self.kind == "mutually-exclusive":
            if len(self.programs) < 2 or self.companions:
                raise ValueError("mutually-exclusive takes two or more programs and no companions")
        elif not self.companions:
            raise ValueError(f"{self.kind} needs companions")
        if self.max_companions is not None and self.kind != "may-accompany":
            raise ValueError("max_companions belongs to may-accompany")
        return self

    def forbids(self, a: int, b: int) -> bool:
        pair = {a, b}
        if self.kind == "mutually-exclusive":
            return a != b and pair <= set(self.programs)
        if self.kind in ("never-together", "only-without"):
            return any(x in self.programs and y in self.companions for x, y in ((a, b), (b, a)))
        return False


class OngoingRestrictedProgram(Frozen):
    """A program that blocks a new application while being executed (붙임1 first table)."""

    name: Text
    years: tuple[int, ...]  # the columns of the table for which it is restricted
    excludes: tuple[Text, ...] = ()  # e.g. 시트랙 제외
    source: Source


class SanctionSource(Frozen):
    """Where to check a participation restriction (참여제한 여부 확인처)."""

    group: str  # the table's numbering, e.g. ①
    program: Text
    registry: Literal["smart-factory-sanctions", "kiria", "kpic"]
    registry_name: Text
    contact: str | None = None
    source: Source


class ConcurrencyTerms(Frozen):
    programs: tuple[ConcurrencyProgram, ...] = ()
    rules: tuple[ConcurrencyRule, ...] = ()
    this_call_program: int | None = None  # which numbered program this call is (② for 001)
    ongoing_restricted: tuple[OngoingRestrictedProgram, ...] = ()
    # 단, 협약서 상 구축기간이 종료된 경우 신청 가능 (001 붙임1);
    # 001 §3 adds: before final selection (최종선정 전).
    ongoing_exception: Literal["build-period-ended-before-final-selection"] | None = None
    ongoing_source: Source | None = None
    sanction_sources: tuple[SanctionSource, ...] = ()
    # 참여제한 사유가 선정·협약 이후 확인된 경우라도 평가 제외 및 협약해약
    sanction_source: Source | None = None

    @model_validator(mode="after")
    def _references(self) -> ConcurrencyTerms:
        numbers = [p.number for p in self.programs]
        if len(numbers) != len(set(numbers)):
            raise ValueError("concurrency program numbers must be unique")
        known = set(numbers)
        for rule in self.rules:
            missing = (set(rule.programs) | set(rule.companions)) - known
            if missing:
                raise ValueError(f"concurrency rule refers to unknown programs {sorted(missing)}")
        if self.this_call_program is not None and self.this_call_program not in known:
            raise ValueError("this_call_program is not in the programs table")
        if self.ongoing_restricted and (
            self.ongoing_exception is None or self.ongoing_source is None
        ):
            raise ValueError("ongoing_restricted needs ongoing_exception and ongoing_source")
        return self

    def program(self, number: int) -> ConcurrencyProgram | None:
        return next((p for p in self.programs if p.number == number), None)

    def compatible(self, a: int, b: int) -> bool:
        """Whether programs ``a`` and ``b`` may be held at the same time.

        A pair is compatible unless a rule forbids it; pairs the table does not
        mention are not restricted by it.
        """
        return not any(rule.forbids(a, b) for rule in self.rules)

    def compatible_set(self, numbers: set[int]) -> bool:
        if not all(self.compatible(a, b) for a, b in combinations(sorted(numbers), 2)):
            return False
        for rule in self.rules:
            if rule.kind != "may-accompany" or rule.max_companions is None:
                continue
            if (
                numbers & set(rule.programs)
                and len(numbers & set(rule.companions)) > rule.max_companions
            ):
                return False
        return True
