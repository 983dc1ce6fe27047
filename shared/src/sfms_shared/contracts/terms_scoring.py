"""Evaluation terms: rubrics per stage, quantitative bands, aggregation, ranking.

Bands are half-open ``[lower, upper)``: the lower bound is inclusive and the upper
bound exclusive (001 붙임2: "12%이상" = 5 points, "12%미만~9%이상" = 4 points).
Bounds are fractions written as strings (``"0.12"`` = 12 %); ``None`` means
unbounded. A band set must cover every value exactly once: no gap, no overlap.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal
from itertools import pairwise
from typing import Annotated, Literal

from pydantic import Field, model_validator

from sfms_shared.contracts.common import Count, Dec, Frozen, Slug, Source, Text

Stage = Literal["document-review", "on-site-review", "planner-evaluation", "selection-evaluation"]


class ScoreBand(Frozen):
    points: Count
    lower: Dec | None = None  # inclusive; None: no lower bound
    upper: Dec | None = None  # exclusive; None: no upper bound

    @model_validator(mode="after")
    def _ordered(self) -> ScoreBand:
        if self.lower is not None and self.upper is not None and not self.lower < self.upper:
            raise ValueError(f"band lower {self.lower} must be below upper {self.upper}")
        return self

    def contains(self, value: Decimal) -> bool:
        return (self.lower is None or value >= self.lower) and (
            self.upper is None or value < self.upper
        )


Figure = Literal[
    "revenue", "operating-profit", "total-liabilities", "total-equity", "direct-exports"
]


class Computation(Frozen):
    """How a measure's value is computed from the applicant's figures.

    ``growth``: (figure in ``to_year`` − figure in ``from_year``) / |figure in ``from_year``|;
    ``ratio``: ``figure`` / ``denominator``, both in ``to_year``;
    ``any-positive``: true if ``figure`` is above zero in any year ``from_year``..``to_year``.
    """

    formula: Literal["growth", "ratio", "any-positive"]
    figure: Figure
    denominator: Figure | None = None
    from_year: int | None = None
    to_year: int

    @model_validator(mode="after")
    def _shape(self) -> Computation:
        if (self.formula == "ratio") != (self.denominator is not None):
            raise ValueError("denominator goes with formula ratio, and only with it")
        if (self.formula == "ratio") == (self.from_year is not None):
            raise ValueError("from_year goes with growth and any-positive, not with ratio")
        if self.from_year is not None and not self.from_year < self.to_year:
            raise ValueError("from_year must be before to_year")
        return self


class BandedMeasure(Frozen):
    """A number computed from the documents, scored by bands (e.g. revenue growth)."""

    kind: Literal["banded"] = "banded"
    code: Slug
    name: Text
    basis: Text  # what is measured, e.g. '24 대비 '25 증가율
    computation: Computation
    max_points: Count
    bands: tuple[ScoreBand, ...] = Field(min_length=1)
    source: Source

    @model_validator(mode="after")
    def _bands_partition_the_line(self) -> BandedMeasure:
        ordered = sorted(self.bands, key=lambda b: (b.lower is not None, b.lower or Decimal(0)))
        if ordered[0].lower is not None:
            raise ValueError(f"{self.code}: the lowest band must be open below (lower: null)")
        if ordered[-1].upper is not None:
            raise ValueError(f"{self.code}: the highest band must be open above (upper: null)")
        for below, above in pairwise(ordered):
            if below.upper is None or above.lower is None or below.upper != above.lower:
                raise ValueError(
                    f"{self.code}: bands must meet exactly (gap or overlap between "
                    f"{below.lower}..{below.upper} and {above.lower}..{above.upper})"
                )
        if max(b.points for b in self.bands) != self.max_points:
            raise ValueError(f"{self.code}: the best band must give max_points")
        return self

    def points_for(self, value: Decimal) -> int:
        if isinstance(value, float):
            raise TypeError("score a Decimal, not a float")
        return next(b.points for b in self.bands if b.contains(value))


class FlagMeasure(Frozen):
    """A yes/no fact scored with two values (e.g. direct exports 2021–2025)."""

    kind: Literal["flag"] = "flag"
    code: Slug
    name: Text
    basis: Text
    computation: Computation
    max_points: Count
    points_if_true: Count
    points_if_false: Count
    source: Source

    @model_validator(mode="after")
    def _max(self) -> FlagMeasure:
        if max(self.points_if_true, self.points_if_false) != self.max_points:
            raise ValueError(f"{self.code}: max_points must be the larger of the two values")
        return self

    def points_for(self, value: bool) -> int:
        return self.points_if_true if value else self.points_if_false


Measure = Annotated[BandedMeasure | FlagMeasure, Field(discriminator="kind")]


class ScoreFallback(Frozen):
    """Points given instead of the bands in a special case; the first match applies.

    ``founded-on-or-after``: the company was founded on or after ``founded_on_or_after``;
    ``financials-unavailable``: the value cannot be computed from the documents.
    """

    condition: Literal["founded-on-or-after", "financials-unavailable"]
    founded_on_or_after: date | None = None
    measures: tuple[Slug, ...] = Field(min_length=1)
    points: Count
    source: Source

    @model_validator(mode="after")
    def _date_with_founding(self) -> ScoreFallback:
        if (self.condition == "founded-on-or-after") != (self.founded_on_or_after is not None):
            raise ValueError("founded_on_or_after goes with condition founded-on-or-after, only")
        return self


class PassFailCheck(Frozen):
    """A site or interview check judged 적/부 (pass-fail) or only verified (확인·반영)."""

    code: Slug
    group: Text | None = None
    name: Text
    outcome: Literal["pass-fail", "verify"] = "pass-fail"
    source: Source


class RubricItem(Frozen):
    code: Slug
    name: Text
    group: Text | None = None  # the seed's 구분 when items are grouped
    max_points: Count
    scored_by: Literal["evaluator", "quantitative"] = "evaluator"
    criteria: tuple[Text, ...] = ()  # 평가요소
    measures: tuple[Measure, ...] = ()
    fallbacks: tuple[ScoreFallback, ...] = ()
    source: Source

    @model_validator(mode="after")
    def _quantitative_shape(self) -> RubricItem:
        if (self.scored_by == "quantitative") != bool(self.measures):
            raise ValueError(
                f"{self.code}: measures go with scored_by quantitative, and only with it"
            )
        if self.measures and sum(m.max_points for m in self.measures) != self.max_points:
            raise ValueError(f"{self.code}: measures must add up to max_points")
        codes = {m.code for m in self.measures}
        if len(codes) != len(self.measures):
            raise ValueError(f"{self.code}: measure codes must be unique")
        for fallback in self.fallbacks:
            if not set(fallback.measures) <= codes:
                raise ValueError(
                    f"{self.code}: fallback names unknown measures {fallback.measures}"
                )
        return self

    def measure(self, code: str) -> BandedMeasure | FlagMeasure:
        return next(m for m in self.measures if m.code == code)

    def measure_points(
        self, code: str, value: Decimal | bool | None, *, founded_on: date | None = None
    ) -> int:
        """Points for one measure; ``value`` None means it cannot be computed."""
        for fallback in self.fallbacks:
            if code not in fallback.measures:
                continue
            if fallback.condition == "founded-on-or-after":
                if founded_on is not None and founded_on >= fallback.founded_on_or_after:  # type: ignore[operator]
                    return fallback.points
            elif value is None:
                return fallback.points
        if value is None:
            raise ValueError(f"{code}: no value and no fallback")
        measure = self.measure(code)
        if isinstance(measure, FlagMeasure):
            return measure.points_for(bool(value))
        if isinstance(value, bool):
            raise TypeError(f"{code}: a banded measure needs a Decimal")
        return measure.points_for(value)


class Rubric(Frozen):
    stage: Stage
    name: Text
    total_points: Count  # 0 for a stage of pass/fail checks only
    items: tuple[RubricItem, ...] = ()
    checks: tuple[PassFailCheck, ...] = ()
    source: Source

    @model_validator(mode="after")
    def _adds_up(self) -> Rubric:
        if sum(i.max_points for i in self.items) != self.total_points:
            raise ValueError(f"{self.stage}: items must add up to total_points {self.total_points}")
        for codes in ([i.code for i in self.items], [c.code for c in self.checks]):
            if len(codes) != len(set(codes)):
                raise ValueError(f"{self.stage}: codes must be unique")
        return self

    def item(self, code: str) -> RubricItem | None:
        return next((i for i in self.items if i.code == code), None)


_QUANTA = [Decimal(1).scaleb(-places) for places in range(10)]
# How a figure is rounded: half-up (반올림), up (올림) or down (절사). Scores are never negative,
# so up and down are the ceiling and the floor.
Rounding = Literal["half-up", "up", "down"]
ROUNDING_MODES: dict[str, str] = {
    "half-up": ROUND_HALF_UP,
    "up": ROUND_CEILING,
    "down": ROUND_FLOOR,
}


class Aggregation(Frozen):
    """How several evaluators' scores combine, and how the result is shown.

    ``method``: ``mean``, or ``trimmed-mean``: the mean without the ``trim_each_side``
    highest and lowest totals (a count of evaluators, not a proportion; 1 = 최고·최저 제외),
    only when at least ``2 × trim_each_side + 1`` evaluators scored; with fewer, the plain
    mean. ``decimal_places`` and ``rounding``: every score shown or ranked is rounded once,
    to this many places, this way. ``outlier_points``: an evaluator whose total is more than
    this many points from the mean of the other evaluators on the panel is flagged for the
    committee (None: no flag).
    """

    method: Literal["mean", "trimmed-mean"]
    trim_each_side: Count = 0
    decimal_places: Annotated[int, Field(strict=True, ge=0, le=9)] = 2
    rounding: Rounding = "half-up"
    outlier_points: Dec | None = Field(default=None, ge=0)
    source: Source

    @model_validator(mode="after")
    def _trim(self) -> Aggregation:
        if (self.method == "trimmed-mean") != (self.trim_each_side > 0):
            raise ValueError("trim_each_side > 0 goes with trimmed-mean, and only with it")
        return self

    def trims(self, evaluators: int) -> bool:
        """Whether ``evaluators`` sheets are enough to leave out the highest and lowest."""
        return self.trim_each_side > 0 and evaluators >= 2 * self.trim_each_side + 1

    def rounded(self, value: Decimal) -> Decimal:
        """``value`` as shown and ranked: ``decimal_places`` places, ``rounding``."""
        return value.quantize(_QUANTA[self.decimal_places], rounding=ROUNDING_MODES[self.rounding])


class Shortlist(Frozen):
    """How many pass a stage, as a multiple of the call's target (서면평가: 1.5배수 내외).

    ``nominal_size`` rounds ``multiple_of_target × target`` to a whole number as ``rounding``
    says (15 × 1.5 = 22.5 → 23 half-up). ``approximate`` (내외): every application tied with
    the last one inside the nominal size passes too, so more than the nominal size may pass.
    """

    stage: Stage
    multiple_of_target: Dec = Field(gt=0)
    approximate: bool = True
    rounding: Rounding = "half-up"
    source: Source

    def nominal_size(self, target: int) -> int:
        size = self.multiple_of_target * target
        return int(size.to_integral_value(rounding=ROUNDING_MODES[self.rounding]))


class Selection(Frozen):
    """The final stage's cut: the call's target selected (선정), then ``alternates``
    alternates (후보) in rank order; None: every other application that passed the checks.
    Rows sharing the last selected rank (tied through the whole tie-break chain) are all
    selected, as the target is approximate (15개 내외)."""

    stage: Stage
    alternates: Count | None = None
    source: Source


class FinalScoreComponent(Frozen):
    code: Slug
    rubric_stage: Stage | None = None  # None: a score the call names but does not define
    name: Text
    weight: Dec = Field(gt=0)


class FinalScore(Frozen):
    """final = Σ weight × component (+ bonus); supported if ≥ pass_threshold when given."""

    components: tuple[FinalScoreComponent, ...] = Field(min_length=1)
    add_bonus: bool
    pass_threshold: Dec | None = None
    source: Source

    @model_validator(mode="after")
    def _unique(self) -> FinalScore:
        codes = [c.code for c in self.components]
        if len(codes) != len(set(codes)):
            raise ValueError("final score component codes must be unique")
        return self

    def compute(self, scores: Mapping[str, Decimal], bonus: int = 0) -> Decimal:
        """Σ weight × score, exact (rounded where shown or ranked), plus ``bonus``."""
        total = sum((c.weight * scores[c.code] for c in self.components), Decimal(0))
        return total + (bonus if self.add_bonus else 0)

    def passes(self, final: Decimal) -> bool:
        """Supported at or above the threshold (60.00 passes, 59.99 does not)."""
        return self.pass_threshold is None or final >= self.pass_threshold

    def scored_at(self, stage: str) -> bool:
        """Whether this stage's rubric total is one of the components."""
        return any(c.rubric_stage == stage for c in self.components)


class TieBreakStep(Frozen):
    key: Literal["total-without-bonus", "item"]
    stage: Stage | None = None
    item: Slug | None = None
    name: Text

    @model_validator(mode="after")
    def _item(self) -> TieBreakStep:
        if (self.key == "item") != (self.item is not None and self.stage is not None):
            raise ValueError("stage and item go with key item, and only with it")
        return self


class TieBreak(Frozen):
    steps: tuple[TieBreakStep, ...] = Field(min_length=1)
    higher_wins: bool = True
    source: Source


class RubricSubstitution(Frozen):
    """A rubric item replaced by an external result (004: 공급기업 역량진단 지표 대체)."""

    field: Text  # 스마트공장 / 스마트서비스
    stage: Text  # 서면평가 / 대면평가
    item: Text
    points: Count
    out_of: Count
    source: Source


class EvaluationTerms(Frozen):
    rubrics: tuple[Rubric, ...] = ()
    aggregation: Aggregation | None = None
    shortlist: Shortlist | None = None
    selection: Selection | None = None
    final_score: FinalScore | None = None
    tie_break: TieBreak | None = None
    substitutions: tuple[RubricSubstitution, ...] = ()

    @model_validator(mode="after")
    def _references(self) -> EvaluationTerms:
        stages = [r.stage for r in self.rubrics]
        if len(stages) != len(set(stages)):
            raise ValueError("one rubric per stage")
        if self.shortlist and self.shortlist.stage not in stages:
            raise ValueError(f"shortlist stage {self.shortlist.stage} has no rubric")
        if self.selection and self.selection.stage not in stages:
            raise ValueError(f"selection stage {self.selection.stage} has no rubric")
        if self.shortlist and self.selection and self.shortlist.stage == self.selection.stage:
            raise ValueError("a stage ends in a shortlist or in a selection, not both")
        if self.final_score:
            for c in self.final_score.components:
                if c.rubric_stage is not None and c.rubric_stage not in stages:
                    raise ValueError(f"final score component {c.code} has no rubric")
        for step in self.tie_break.steps if self.tie_break else ():
            if step.key == "item":
                rubric = self.rubric(step.stage)  # type: ignore[arg-type]
                if rubric is None or rubric.item(step.item) is None:  # type: ignore[arg-type]
                    raise ValueError(f"tie-break refers to unknown item {step.stage}/{step.item}")
        return self

    def rubric(self, stage: Stage) -> Rubric | None:
        return next((r for r in self.rubrics if r.stage == stage), None)
