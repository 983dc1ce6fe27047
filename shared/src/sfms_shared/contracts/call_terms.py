"""Call terms interpreted by the services downstream of intake.

Eligibility rules, rubrics, bonus items, fee tables, concurrency tables, budget
rules, size tables and catalogue rows. Typed so that a seed file that drifts from
the shape fails to load. Every rule and number carries a ``Source``.

Who reads what:

- eligibility: ``eligibility``, ``concurrency``, ``size_tables`` (small business);
- scoring: ``evaluation`` (rubrics, bands, aggregation, shortlist, final score,
  tie-break), ``bonus``;
- matching: ``eligibility`` rules for suppliers and planners;
- settlement: ``budget`` (fee tables, mandatory lines, shares, payments),
  ``size_tables`` (cloud-fee years), ``obligations``.

The parts live in ``terms_*`` modules and are re-exported here.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from sfms_shared.contracts.common import Count, Frozen, Slug, Source, Text
from sfms_shared.contracts.terms_bonus import BonusEvidence, BonusItem, BonusTerms
from sfms_shared.contracts.terms_budget import (
    BudgetTerms,
    CloudFees,
    FeeBand,
    FeeTable,
    InKindKind,
    InKindRules,
    MandatoryLine,
    PlannerPayment,
    ShareCap,
    StaffLabour,
    SupportTypeCap,
)
from sfms_shared.contracts.terms_concurrency import (
    ConcurrencyProgram,
    ConcurrencyRule,
    ConcurrencyTerms,
    OngoingRestrictedProgram,
    SanctionSource,
)
from sfms_shared.contracts.terms_eligibility import (
    CONTEXT_PLACEHOLDERS,
    AnyStageRemoval,
    EligibilityRule,
    EligibilityTerms,
)
from sfms_shared.contracts.terms_matching import (
    Capacity,
    FitWeights,
    MatchingTerms,
    RequiredTechnologies,
)
from sfms_shared.contracts.terms_programs import (
    CostShare,
    LevelLimit,
    ProgramRow,
    ProgramSchedule,
    ProgramVariant,
)
from sfms_shared.contracts.terms_scoring import (
    Aggregation,
    BandedMeasure,
    Computation,
    EvaluationTerms,
    FinalScore,
    FinalScoreComponent,
    FlagMeasure,
    PassFailCheck,
    Rubric,
    RubricItem,
    RubricSubstitution,
    ScoreBand,
    ScoreFallback,
    Selection,
    Shortlist,
    TieBreak,
    TieBreakStep,
)
from sfms_shared.contracts.terms_tables import (
    AutonomyLevel,
    AutonomyScale,
    Kpi,
    KpiCatalogue,
    KpiCategory,
    SizeException,
    SizeRow,
    SizeTable,
)


class Obligation(Frozen):
    """A duty after agreement or completion that no budget line covers.

    e.g. solution usage logs for 3 years after completion, or twice a year by hand
    (001 §6 기타 사항); 스마트공장 교육 이수 (001 §6 교육 이수).
    """

    code: Slug
    description: Text
    years_after_completion: Count | None = None
    manual_months: tuple[int, ...] = ()  # 연 2회(6월·12월) 수기 등록
    source: Source


class Note(Frozen):
    """A sourced remark that matters to people but that no service computes from."""

    code: Slug
    text: Text
    kind: Literal["condition", "ambiguity", "procedure", "information"] = "information"
    source: Source


class CallTerms(Frozen):
    eligibility: EligibilityTerms | None = None
    concurrency: ConcurrencyTerms | None = None
    evaluation: EvaluationTerms | None = None
    matching: MatchingTerms | None = None
    bonus: BonusTerms | None = None
    budget: BudgetTerms | None = None
    size_tables: tuple[SizeTable, ...] = ()
    autonomy_levels: AutonomyScale | None = None
    kpis: KpiCatalogue | None = None
    obligations: tuple[Obligation, ...] = ()
    notes: tuple[Note, ...] = Field(default=())

    @model_validator(mode="after")
    def _references(self) -> CallTerms:
        tables = [t.code for t in self.size_tables]
        if len(tables) != len(set(tables)):
            raise ValueError("size table codes must be unique")
        cloud = self.budget.cloud_fees if self.budget else None
        if cloud is not None and cloud.size_table not in tables:
            raise ValueError(f"cloud fees refer to unknown size table {cloud.size_table}")
        final = self.evaluation.final_score if self.evaluation else None
        if final is not None and final.add_bonus and self.bonus is None:
            raise ValueError("the final score adds a bonus but the call has no bonus terms")
        for codes in ([o.code for o in self.obligations], [n.code for n in self.notes]):
            if len(codes) != len(set(codes)):
                raise ValueError("obligation and note codes must be unique")
        return self

    def size_table(self, code: str) -> SizeTable | None:
        return next((t for t in self.size_tables if t.code == code), None)


__all__ = [
    "CONTEXT_PLACEHOLDERS",
    "Aggregation",
    "AnyStageRemoval",
    "AutonomyLevel",
    "AutonomyScale",
    "BandedMeasure",
    "BonusEvidence",
    "BonusItem",
    "BonusTerms",
    "BudgetTerms",
    "CallTerms",
    "Capacity",
    "CloudFees",
    "Computation",
    "ConcurrencyProgram",
    "ConcurrencyRule",
    "ConcurrencyTerms",
    "CostShare",
    "EligibilityRule",
    "EligibilityTerms",
    "EvaluationTerms",
    "FeeBand",
    "FeeTable",
    "FinalScore",
    "FinalScoreComponent",
    "FitWeights",
    "FlagMeasure",
    "InKindKind",
    "InKindRules",
    "Kpi",
    "KpiCatalogue",
    "KpiCategory",
    "LevelLimit",
    "MandatoryLine",
    "MatchingTerms",
    "Note",
    "Obligation",
    "OngoingRestrictedProgram",
    "PassFailCheck",
    "PlannerPayment",
    "ProgramRow",
    "ProgramSchedule",
    "ProgramVariant",
    "RequiredTechnologies",
    "Rubric",
    "RubricItem",
    "RubricSubstitution",
    "SanctionSource",
    "ScoreBand",
    "ScoreFallback",
    "Selection",
    "ShareCap",
    "Shortlist",
    "SizeException",
    "SizeRow",
    "SizeTable",
    "StaffLabour",
    "SupportTypeCap",
    "TieBreak",
    "TieBreakStep",
]
