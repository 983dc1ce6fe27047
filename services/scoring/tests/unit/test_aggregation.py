"""How a panel's sheets combine (DOMAIN.md §5: mean, or the mean without the highest and
lowest — a call parameter): trimming by evaluators' totals, only with at least three
evaluators, the criteria averaged over the same evaluators, outliers flagged."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring.domain.aggregation import EvaluatorScores, aggregate
from sfms_shared.contracts.common import Source
from sfms_shared.contracts.terms_scoring import Aggregation

SRC = Source(file="001_39e04bdc262ce7ee.txt", section="붙임2")
MEAN = Aggregation(method="mean", source=SRC)
TRIMMED = Aggregation(
    method="trimmed-mean", trim_each_side=1, outlier_points=Decimal("15"), source=SRC
)


def sheets(*totals: str) -> list[EvaluatorScores]:
    """One sheet per evaluator, its total split 1:3 over two criteria."""
    return [
        EvaluatorScores(f"e{n}", {"will": Decimal(t) / 4, "environment": Decimal(t) * 3 / 4})
        for n, t in enumerate(totals, start=1)
    ]


@pytest.mark.parametrize(
    ("totals", "kept", "mean"),
    [
        (("60", "70", "90"), ("e2",), "70"),  # 3 evaluators: the median remains
        (("60", "70", "80", "90"), ("e2", "e3"), "75"),
        (("50", "60", "70", "80", "100"), ("e2", "e3", "e4"), "70"),
    ],
)
def test_trimmed_mean_drops_the_highest_and_lowest_totals(
    totals: tuple[str, ...], kept: tuple[str, ...], mean: str
) -> None:
    result = aggregate(TRIMMED, sheets(*totals))
    assert result.kept == kept
    assert len(result.dropped) == 2
    assert result.total == Decimal(mean)
    assert result.items["will"] + result.items["environment"] == result.total


def test_with_two_evaluators_the_trimmed_mean_is_the_plain_mean() -> None:
    result = aggregate(TRIMMED, sheets("60", "80"))
    assert result.kept == ("e1", "e2") and result.dropped == ()
    assert result.total == Decimal("70")
    assert "3명 이상" in result.method_note


def test_equal_totals_are_dropped_by_evaluator_id() -> None:
    result = aggregate(TRIMMED, sheets("70", "70", "70", "70"))
    assert result.kept == ("e2", "e3") and set(result.dropped) == {"e1", "e4"}


def test_the_mean_keeps_everyone_and_adds_the_quantitative_items() -> None:
    result = aggregate(MEAN, sheets("60", "70", "90"), {"capability": Decimal("16")})
    assert result.kept == ("e1", "e2", "e3")
    assert result.items["capability"] == Decimal("16")
    assert MEAN.rounded(result.total) == Decimal("89.33")


def test_an_evaluator_far_from_the_others_is_flagged() -> None:
    result = aggregate(TRIMMED, sheets("70", "72", "71", "95"))
    assert result.outliers == ("e4",)
    assert aggregate(TRIMMED, sheets("70", "72", "85")).outliers == ()  # 85 − 71 = 14 ≤ 15


def test_rounding_is_half_up_to_the_calls_places() -> None:
    assert MEAN.rounded(Decimal("70.125")) == Decimal("70.13")
    assert MEAN.rounded(Decimal("70.124999")) == Decimal("70.12")


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.lists(st.integers(0, 40), min_size=3, max_size=3), min_size=1, max_size=6),
    st.sampled_from([MEAN, TRIMMED]),
)
def test_half_point_integer_sums_equal_the_decimal_path(halves: list[list[int]], how) -> None:  # noqa: ANN001
    """Sheets on the 0.5 grid are summed as integers; a sheet with a point off the grid
    (here 0.25 added to one criterion and taken off another) forces the Decimal path."""
    on_grid = [
        EvaluatorScores(
            f"e{n}", {c: Decimal(h) / 2 for c, h in zip(("a", "b", "c"), row, strict=True)}
        )
        for n, row in enumerate(halves)
    ]
    off_grid = [
        EvaluatorScores(
            s.evaluator_id,
            {
                "a": s.items["a"] + Decimal("0.25"),
                "b": s.items["b"] - Decimal("0.25"),
                "c": s.items["c"],
            },
        )
        for s in on_grid
    ]
    fast, exact = aggregate(how, on_grid), aggregate(how, off_grid)
    assert fast.total == exact.total
    assert fast.items["c"] == exact.items["c"]
    assert (fast.kept, fast.dropped, fast.outliers) == (exact.kept, exact.dropped, exact.outliers)
