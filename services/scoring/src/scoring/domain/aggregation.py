"""One application's sheets at one stage combined into the panel's score.

Trimming (``Aggregation.method`` trimmed-mean) is by each evaluator's total: the
evaluators with the highest and the lowest totals are left out, and the per-criterion
averages are taken over the same kept evaluators, so the criteria add up to the total.
Equal totals are ordered by evaluator id, so among equal lowest totals the smaller id is
dropped and among equal highest totals the larger id. With fewer evaluators than the trim
needs (3 for one each side), the plain mean is taken and ``method_note`` says so.

Where rounding happens: nowhere here. Sums are exact; each average (each criterion, the
total) is one division carried to 28 significant digits in a fixed context, whatever the
caller's context. The quantitative criteria are added as given. Rounding to the call's
places happens once, where a score is shown or ranked (``Aggregation.rounded``).

Sheets on the 0.5-point grid (``SheetRules.step``) are summed as whole half-points
(``int``), which is exact and far faster than Decimal sums; each average is then the same
single division, so both paths give equal results (a property test holds them equal).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Context, Decimal
from functools import cache
from operator import attrgetter, itemgetter
from typing import Any, NamedTuple

from sfms_shared.contracts.terms_scoring import Aggregation

ZERO = Decimal(0)
UNITS_PER_POINT = 2  # sheets score in 0.5 steps (SheetRules.step)
DIVISION = Context(prec=28, rounding=ROUND_HALF_EVEN)  # every average: one division here
_CACHE_LIMIT = 100_000  # memoised values per table; beyond it values are computed each time


@dataclass(frozen=True, slots=True)
class EvaluatorScores:
    evaluator_id: str
    items: Mapping[str, Decimal]  # evaluator-scored criteria only


class Aggregate(NamedTuple):
    """The panel's score for one application at one stage (exact, not yet rounded)."""

    items: dict[str, Decimal]  # per-criterion averages, then the quantitative criteria
    total: Decimal  # Σ items
    kept: tuple[str, ...]  # evaluators whose sheets count, lowest total first
    dropped: tuple[str, ...]  # left out by the trim: the lowest, then the highest
    outliers: tuple[str, ...]  # further than outlier_points from the others' mean
    method_note: str  # how the scores combined, in the committee's words


def aggregate(
    aggregation: Aggregation,
    sheets: Sequence[EvaluatorScores],
    quantitative: Mapping[str, Decimal] | None = None,
) -> Aggregate:
    """Combine the evaluators' ``sheets`` for one application; ``quantitative`` criteria
    (computed from the documents, the same for every evaluator) are added as given."""
    return Aggregator(aggregation)(sheets, quantitative)


def aggregate_many(
    aggregation: Aggregation, panels: Iterable[Sequence[EvaluatorScores]]
) -> list[Aggregate]:
    """``aggregate`` for each application's sheets in turn (a whole stage at once)."""
    return list(map(Aggregator(aggregation), panels))


class Aggregator:
    """``aggregate`` with the call's terms read once, for many applications."""

    def __init__(self, aggregation: Aggregation) -> None:
        self.terms = aggregation
        self.method = aggregation.method
        self.trim = aggregation.trim_each_side
        self.limit = aggregation.outlier_points
        self.bounds: dict[tuple[int, int], int | Decimal] = {}
        self.notes: dict[tuple[int, int], str] = {}

    def __call__(
        self,
        sheets: Sequence[EvaluatorScores],
        quantitative: Mapping[str, Decimal] | None = None,
    ) -> Aggregate:
        if not sheets:
            raise ValueError("no sheets to aggregate")
        codes, rows, scale = _points(sheets)
        totals = list(map(sum, rows))
        scored = len(rows)
        # lowest total first; equal totals by evaluator id
        order = sorted(zip(totals, map(_ID, sheets), range(scored), strict=True))
        trim = self.trim if self.terms.trims(scored) else 0
        kept = order[trim : scored - trim] if trim else order
        divide = _quotient(scale * len(kept)) if scale > 1 else _decimal_quotient(len(kept))
        kept_rows = [rows[i] for _, _, i in kept] if trim else rows
        items = dict(zip(codes, map(divide, map(sum, zip(*kept_rows, strict=True))), strict=True))
        total = divide(sum(map(_TOTAL, kept)))
        if quantitative:
            items.update(quantitative)
            total += sum(quantitative.values(), ZERO)
        return Aggregate(
            items,
            total,
            tuple(map(_EVALUATOR, kept)),
            tuple(map(_EVALUATOR, order[:trim] + order[scored - trim :])) if trim else (),
            self._outliers(order, sum(totals), scale),
            self._note(scored, len(kept)),
        )

    def _outliers(
        self, order: list[tuple[Any, str, int]], everyone: Any, scale: int
    ) -> tuple[str, ...]:
        """Evaluators more than ``outlier_points`` from the mean of the others, in id order.

        With n totals summing to S, t − (S − t)/(n − 1) = (t·n − S)/(n − 1): an evaluator
        is flagged when |t·n − S| > limit·(n − 1), in the totals' units. That grows away
        from the middle of the sorted totals, so if neither end is flagged, none is."""
        scored = len(order)
        if self.limit is None or scored < 2:
            return ()
        bound = self.bounds.get((scale, scored))
        if bound is None:
            exact = self.limit * scale * (scored - 1)
            whole = int(exact)
            bound = self.bounds[scale, scored] = whole if whole == exact else exact
        if everyone - order[0][0] * scored <= bound and order[-1][0] * scored - everyone <= bound:
            return ()
        return tuple(sorted(e for t, e, _ in order if abs(t * scored - everyone) > bound))

    def _note(self, scored: int, kept: int) -> str:
        note = self.notes.get((scored, kept))
        if note is None:
            note = self.notes[scored, kept] = _note_for(self.method, self.trim, scored, kept)
        return note


_TOTAL = itemgetter(0)
_EVALUATOR = itemgetter(1)
_ID = attrgetter("evaluator_id")


def _points(
    sheets: Sequence[EvaluatorScores],
) -> tuple[list[str], list[list[int]] | list[list[Decimal]], int]:
    """The criteria, each sheet's points in their order, and the units per point: whole
    half-points (2) when every sheet scores the same criteria on the 0.5 grid, else the
    Decimal points themselves (1), a criterion missing from a sheet counted as 0."""
    codes = list(sheets[0].items)
    rows = _in_half_points(sheets, codes)
    if rows is not None:
        return codes, rows, UNITS_PER_POINT
    for sheet in sheets[1:]:
        codes += [c for c in sheet.items if c not in codes]
    return codes, [[s.items.get(code, ZERO) for code in codes] for s in sheets], 1


def _in_half_points(sheets: Sequence[EvaluatorScores], codes: list[str]) -> list[list[int]] | None:
    """Each sheet's points for ``codes`` (the first sheet's) as whole half-points; None
    when the sheets do not score the same criteria (equal sizes and every code found in
    every sheet mean the same criteria) or a point is off the 0.5 grid."""
    width = len(codes)
    points = _getter(codes)
    half = _HALVES.__getitem__
    for attempt in range(2):
        try:
            rows = [list(map(half, points(s.items))) for s in sheets if len(s.items) == width]
        except KeyError:
            if attempt or not _learn(sheets):
                return None
        else:
            return rows if len(rows) == len(sheets) else None
    return None


def _getter(codes: list[str]) -> Callable[[Mapping[str, Decimal]], Sequence[Decimal]]:
    """A getter of the points for ``codes`` in order (KeyError if one is missing)."""
    if len(codes) == 1:
        code = codes[0]
        return lambda items: (items[code],)
    key = tuple(codes)
    getter = _GETTERS.get(key)
    if getter is None:
        getter = itemgetter(*codes)
        if len(_GETTERS) < _CACHE_LIMIT:
            _GETTERS[key] = getter
    return getter


_GETTERS: dict[tuple[str, ...], Callable[[Mapping[str, Decimal]], Sequence[Decimal]]] = {}
_HALVES: dict[Decimal, int] = {}  # a point value → whole half-points, for the values met


def _learn(sheets: Sequence[EvaluatorScores]) -> bool:
    """Add the sheets' values to ``_HALVES``; False if one is off the grid."""
    for sheet in sheets:
        for value in sheet.items.values():
            if value in _HALVES:
                continue
            doubled = value * UNITS_PER_POINT
            if not doubled.is_finite() or doubled != doubled.to_integral_value():
                return False
            if len(_HALVES) >= _CACHE_LIMIT:
                return False  # a flood of distinct values: take the Decimal path
            _HALVES[value] = int(doubled)
    return True


class _Quotients(dict[int, Decimal]):
    """n ↦ n / divisor as Decimal, memoised: panels repeat the same few sums."""

    def __init__(self, divisor: int) -> None:
        super().__init__()
        self.divisor = Decimal(divisor)

    def __missing__(self, numerator: int) -> Decimal:
        value = DIVISION.divide(Decimal(numerator), self.divisor)
        if len(self) < _CACHE_LIMIT:
            self[numerator] = value
        return value


_TABLES: dict[int, _Quotients] = {}


def _quotient(divisor: int) -> Callable[[int], Decimal]:
    table = _TABLES.get(divisor)
    if table is None:
        table = _TABLES[divisor] = _Quotients(divisor)
    return table.__getitem__


def _decimal_quotient(count: int) -> Callable[[Decimal], Decimal]:
    divisor = Decimal(count)
    return lambda numerator: DIVISION.divide(numerator, divisor)


@cache
def _note_for(method: str, trim: int, scored: int, kept: int) -> str:
    if method == "mean":
        return f"평균 ({scored}명)"
    if kept == scored:
        return f"평균 ({scored}명: 최고·최저 제외는 {2 * trim + 1}명 이상일 때)"
    return f"최고·최저 제외 평균 ({scored}명 중 {kept}명)"
