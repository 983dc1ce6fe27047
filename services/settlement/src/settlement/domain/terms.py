"""The money terms one project is held to, gathered from its call version.

A call that takes applications (001, 003) states them per support type (지원유형) and in
its budget terms; a catalogue (002, 004) states them per program row and variant, with
cost shares (대중소상생형, 제조데이터 가공) and level-dependent limits (레전드50+).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sfms_shared.contracts.call_terms import BudgetTerms, CostShare, LevelLimit
from sfms_shared.contracts.calls import CallDocument, SmartFactoryLevel
from sfms_shared.contracts.common import Source
from sfms_shared.contracts.terms_tables import SizeTable


class UnknownProgram(ValueError):
    """The call has no such support type, program or variant."""

    def __init__(self, field: str, code: str) -> None:
        super().__init__(f"no {field} {code!r} in this call")
        self.field = field
        self.code = code


@dataclass(frozen=True)
class GovernmentLimits:
    """지원비율 and 지원한도: the most the government grant may be."""

    ratio_max: Decimal | None
    total_max_krw: int | None
    per_year_max_krw: int | None
    source: Source


@dataclass(frozen=True)
class ProjectTerms:
    call_id: str
    call_version: int
    subject: str  # the support type, or "program" / "program/variant" in a catalogue
    government: GovernmentLimits
    cost_shares: tuple[CostShare, ...]
    level_limits: tuple[LevelLimit, ...]
    budget: BudgetTerms
    size_table: SizeTable | None
    staff_labour_cap_krw: int | None  # 003: 고도화1 4천만원, 고도화2 8천만원

    @classmethod
    def of(
        cls,
        call: CallDocument,
        *,
        support_type: str | None = None,
        program: str | None = None,
        variant: str | None = None,
    ) -> ProjectTerms:
        budget = call.terms.budget or BudgetTerms()
        cloud = budget.cloud_fees
        size_table = call.terms.size_table(cloud.size_table) if cloud else None
        if program is not None:
            return cls._of_program(call, budget, size_table, program, variant)
        kind = next((s for s in call.support_types if s.code == support_type), None)
        if kind is None:
            raise UnknownProgram("support_type", str(support_type))
        labour = budget.staff_labour
        caps = labour.caps if labour else ()
        cap = next((c.max_krw for c in caps if c.support_type == kind.code), None)
        return cls(
            call_id=call.id,
            call_version=call.version,
            subject=kind.code,
            government=GovernmentLimits(
                kind.government_ratio_max,
                kind.government_limit_total_krw,
                kind.government_limit_per_year_krw,
                kind.source,
            ),
            cost_shares=(),
            level_limits=(),
            budget=budget,
            size_table=size_table,
            staff_labour_cap_krw=cap,
        )

    @classmethod
    def _of_program(
        cls,
        call: CallDocument,
        budget: BudgetTerms,
        size_table: SizeTable | None,
        program: str,
        variant: str | None,
    ) -> ProjectTerms:
        row = next((r for r in call.programs if r.code == program), None)
        if row is None:
            raise UnknownProgram("program", program)
        chosen = row.variant(variant) if variant else None
        if variant and chosen is None:
            raise UnknownProgram("variant", variant)
        pick = chosen or row

        def first(name: str) -> object:
            return getattr(pick, name) if getattr(pick, name) is not None else getattr(row, name)

        return cls(
            call_id=call.id,
            call_version=call.version,
            subject=f"{row.code}/{chosen.code}" if chosen else row.code,
            government=GovernmentLimits(
                first("government_ratio_max"),  # type: ignore[arg-type]
                first("government_limit_krw"),  # type: ignore[arg-type]
                first("government_limit_per_year_krw"),  # type: ignore[arg-type]
                pick.source,
            ),
            cost_shares=(chosen.cost_shares if chosen and chosen.cost_shares else row.cost_shares),
            level_limits=row.level_limits,
            budget=budget,
            size_table=size_table,
            staff_labour_cap_krw=None,
        )

    def level_limit(
        self, current: SmartFactoryLevel | None, target: SmartFactoryLevel | None
    ) -> LevelLimit | None:
        return next(
            (lim for lim in self.level_limits if (lim.current, lim.target) == (current, target)),
            None,
        )
