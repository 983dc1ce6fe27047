"""기업역량: the document-based quantitative item of 서면평가 (001 붙임2 도입기업 역량
정량배점 항목기준), four measures of 5 points computed from the applicant's statements.

``score_capability`` takes the rubric item as the call defines it (measures, bands,
fallbacks: data, not code), the founding date, the declared figures and what was read
from each uploaded document, and returns a ``QuantitativeScore`` that explains every
point: the value, the band or fallback that decided it with its source, the figures used
with their provenance (document page or declaration), and flags for an evaluator.

Interpretation of the seed, where it is silent:

- Growth is (to − from) / |from|. 001 does not say what growth from a negative base
  (an operating loss) means; dividing by the magnitude makes the sign say whether the
  figure improved (a loss of 100 turning into a profit of 50 is +150 %), which is the
  reading the bands reward. From a base of 0 growth is not computable: the measure is
  flagged ``not-computable`` and the ``financials-unavailable`` fallback gives its
  provisional points until an evaluator confirms.
- Debt ratio with total equity ≤ 0 (자본잠식) has no finite value; the company is
  scored in the band open above (the highest debt, ``≥ 180 %`` → 1 point) and flagged
  ``impaired-capital``.
- "2025년 재무제표 미확정 기업은 2022~2024년 재무제표 제출" (001 §3 제출서류 목록 6): when
  the applicant has no statement (read or declared) for a financial measure's ``to_year``
  but has one for the year before, the measure is computed one year earlier (growth
  2023→2024, debt ratio 2024), flagged ``alternative-years`` for confirmation.
- Direct exports: a year the export record does not show is taken from the declaration;
  no record and nothing declared above 0 is "실적이 없는 경우" (1 point), not
  "unavailable". A true value resting only on declared years needs confirmation.
- ``needs_confirmation`` is set only where the points depend on an uncertain figure: a
  founded-on-or-after fallback fixes the points whatever the figures say, so the flags
  are still shown but no confirmation is asked for.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import ROUND_FLOOR, Context, Decimal

from scoring.domain.evidence import (
    FigureBook,
    FigureUse,
    Flag,
    FlagCode,
    Resolved,
    alternative_years,
    growth_from_zero,
    no_finite_ratio,
)
from scoring.domain.figures import ExportReading, StatementReading, Unreadable
from sfms_shared.contracts.applications import ExportYear, FinancialYear
from sfms_shared.contracts.common import Source
from sfms_shared.contracts.terms_scoring import (
    BandedMeasure,
    Computation,
    FlagMeasure,
    RubricItem,
    ScoreBand,
)

__all__ = [
    "FigureUse",
    "Flag",
    "FlagCode",
    "MeasureScore",
    "QuantitativeScore",
    "score_capability",
]

# Quotients are floored at 50 significant digits. A quotient of two amounts either ends
# within those digits (exact: 12,000,000 / 100,000,000 = 0.12) or is floored onto a grid
# that contains every band bound, so ``value >= bound`` and ``value < bound`` decide as
# the exact fraction would: nothing is rounded in a way that can move a band.
_DIVISION = Context(prec=50, rounding=ROUND_FLOOR)


@dataclass(frozen=True, slots=True)
class MeasureScore:
    """One measure's points and why.

    ``value``: the growth or ratio as a fraction (0.12 = 12 %), or whether there were
    direct exports; None when it cannot be computed. ``rule``: what decided the points,
    e.g. ``[0.09, 0.12) → 4`` or ``financials-unavailable → 1``; ``source`` is where the
    call takes that rule from. ``from_year``/``to_year``: the years actually used (one
    earlier than the call's under ``alternative-years``)."""

    code: str
    value: Decimal | bool | None
    points: int
    max_points: int
    rule: str
    source: Source
    from_year: int | None
    to_year: int
    inputs: tuple[FigureUse, ...]
    flags: tuple[Flag, ...]
    needs_confirmation: bool


@dataclass(frozen=True, slots=True)
class QuantitativeScore:
    """A quantitative rubric item's points: the sum of its measures' points."""

    item_code: str
    points: int
    max_points: int
    measures: tuple[MeasureScore, ...]
    needs_confirmation: bool

    def measure(self, code: str) -> MeasureScore:
        return next(m for m in self.measures if m.code == code)


@dataclass(frozen=True, slots=True)
class _Value:
    value: Decimal | bool | None
    from_year: int | None
    to_year: int
    inputs: tuple[FigureUse, ...]
    flags: tuple[Flag, ...]
    uncertain: bool
    unbounded_above: bool = False  # a ratio over a denominator ≤ 0 (자본잠식)


def score_capability(
    item: RubricItem,
    *,
    founded_on: date,
    declared_financials: Sequence[FinancialYear],
    declared_exports: Sequence[ExportYear],
    readings: Sequence[StatementReading | ExportReading | Unreadable],
) -> QuantitativeScore:
    """Score a quantitative rubric item (001 붙임2 기업역량) from the documents read.

    ``readings`` are in upload order: where two documents show the same figure for the
    same year, the later one is used and the disagreement is flagged."""
    if item.scored_by != "quantitative":
        raise ValueError(f"{item.code}: not a quantitative item")
    book = FigureBook(
        declared_financials=declared_financials,
        declared_exports=declared_exports,
        readings=readings,
    )
    measures = tuple(_score_measure(item, m, book, founded_on) for m in item.measures)
    return QuantitativeScore(
        item_code=item.code,
        points=sum(m.points for m in measures),
        max_points=item.max_points,
        measures=measures,
        needs_confirmation=any(m.needs_confirmation for m in measures),
    )


def _score_measure(
    item: RubricItem, measure: BandedMeasure | FlagMeasure, book: FigureBook, founded_on: date
) -> MeasureScore:
    computation = measure.computation
    if computation.formula == "growth":
        found = _growth(computation, book)
    elif computation.formula == "ratio":
        found = _ratio(computation, book)
    else:
        found = _any_positive(computation, book)
    points, rule, source, value_decides = _decide(item, measure, found, founded_on)
    return MeasureScore(
        code=measure.code,
        value=found.value,
        points=points,
        max_points=measure.max_points,
        rule=rule,
        source=source,
        from_year=found.from_year,
        to_year=found.to_year,
        inputs=found.inputs,
        flags=found.flags,
        needs_confirmation=found.uncertain and value_decides,
    )


def _decide(
    item: RubricItem, measure: BandedMeasure | FlagMeasure, found: _Value, founded_on: date
) -> tuple[int, str, Source, bool]:
    """Points, the rule that gave them, its source, and whether the value decided them.

    Fallbacks are tried in the call's order, first match wins, exactly as
    ``RubricItem.measure_points`` does (the founded-on-or-after cases come before
    "unavailable": 001 붙임2 ** "단, ...")."""
    for fallback in item.fallbacks:
        if measure.code not in fallback.measures:
            continue
        if fallback.condition == "founded-on-or-after":
            threshold = fallback.founded_on_or_after
            if threshold is not None and founded_on >= threshold:
                rule = f"founded-on-or-after {threshold} (founded {founded_on}) → {fallback.points}"
                return fallback.points, rule, fallback.source, False
        elif found.value is None and not found.unbounded_above:
            return (
                fallback.points,
                f"financials-unavailable → {fallback.points}",
                fallback.source,
                True,
            )
    if isinstance(measure, FlagMeasure):
        value = bool(found.value)
        points = measure.points_for(value)
        return points, f"{'true' if value else 'false'} → {points}", measure.source, True
    if found.unbounded_above:
        band = next(b for b in measure.bands if b.upper is None)
        return band.points, f"no finite ratio: {_band_text(band)}", measure.source, True
    if not isinstance(found.value, Decimal):
        raise ValueError(f"{measure.code}: no value and no fallback")
    band = next(b for b in measure.bands if b.contains(found.value))
    return band.points, _band_text(band), measure.source, True


def _band_text(band: ScoreBand) -> str:
    lower = "(-∞" if band.lower is None else f"[{band.lower}"
    upper = "∞)" if band.upper is None else f"{band.upper})"
    return f"{lower}, {upper} → {band.points}"


def _quotient(numerator: int, denominator: int) -> Decimal:
    return _DIVISION.divide(Decimal(numerator), Decimal(denominator))


def _years(computation: Computation, book: FigureBook) -> tuple[int | None, int, tuple[Flag, ...]]:
    """The years to compute over: the call's, or one year earlier when there is no
    statement for ``to_year`` but there is one for the year before (001 §3 목록 6 *)."""
    to_year, from_year = computation.to_year, computation.from_year
    if to_year in book.statement_years or to_year - 1 not in book.statement_years:
        return from_year, to_year, ()
    earlier_from = None if from_year is None else from_year - 1
    flag = alternative_years(to_year, earlier_from, to_year - 1)
    return earlier_from, to_year - 1, (flag,)


def _combine(
    from_year: int | None, to_year: int, shift: tuple[Flag, ...], *resolved: Resolved
) -> _Value:
    return _Value(
        value=None,
        from_year=from_year,
        to_year=to_year,
        inputs=tuple(r.use for r in resolved if r.use is not None),
        flags=shift + tuple(f for r in resolved for f in r.flags),
        uncertain=bool(shift) or any(r.uncertain for r in resolved),
    )


def _growth(computation: Computation, book: FigureBook) -> _Value:
    from_year, to_year, shift = _years(computation, book)
    assert from_year is not None  # growth always has from_year (Computation validates)
    base = book.resolve(computation.figure, from_year)
    current = book.resolve(computation.figure, to_year)
    found = _combine(from_year, to_year, shift, base, current)
    if base.use is None or current.use is None:
        return found
    if base.use.value == 0:
        flag = growth_from_zero(base.use)
        return replace(found, flags=found.flags + (flag,), uncertain=True)
    growth = _quotient(current.use.value - base.use.value, abs(base.use.value))
    return replace(found, value=growth)


def _ratio(computation: Computation, book: FigureBook) -> _Value:
    _, year, shift = _years(computation, book)
    assert computation.denominator is not None  # ratio always has one (Computation validates)
    numerator = book.resolve(computation.figure, year)
    denominator = book.resolve(computation.denominator, year)
    found = _combine(None, year, shift, numerator, denominator)
    if numerator.use is None or denominator.use is None:
        return found
    if denominator.use.value <= 0:
        return replace(
            found,
            flags=found.flags + (no_finite_ratio(denominator.use),),
            unbounded_above=True,
        )
    return replace(found, value=_quotient(numerator.use.value, denominator.use.value))


def _any_positive(computation: Computation, book: FigureBook) -> _Value:
    """Above 0 in any year of the window: the document's figure for a year it shows,
    else the declared one (direct exports, 001 붙임2 ***, §3 목록 7)."""
    assert computation.from_year is not None  # any-positive always has a window
    figure = computation.figure
    uses: list[FigureUse] = []
    flags: list[Flag] = []
    uncertain = False
    for year in range(computation.from_year, computation.to_year + 1):
        if book.document(figure, year) is not None:
            resolved = book.resolve(figure, year)
            assert resolved.use is not None
            uses.append(resolved.use)
            flags.extend(resolved.flags)
            uncertain = uncertain or resolved.uncertain
        elif (declared := book.declared(figure, year)) is not None:
            uses.append(declared)
    value = any(u.value > 0 for u in uses)
    if value and not any(u.value > 0 and u.provenance == "document" for u in uses):
        # true only on the applicant's word: each declared year above 0 is shown
        flags.extend(book.absence_flag(figure, u.year, u) for u in uses if u.value > 0)
        uncertain = True
    elif not value and book.unreadable and not book.has_export_record:
        flags.append(book.unread_in_window(figure, computation.from_year, computation.to_year))
        uncertain = True
    return _Value(
        value=value,
        from_year=computation.from_year,
        to_year=computation.to_year,
        inputs=tuple(uses),
        flags=tuple(flags),
        uncertain=uncertain,
    )
