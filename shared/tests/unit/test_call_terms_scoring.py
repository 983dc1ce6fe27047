"""Validation of the call-terms model (sfms_shared.contracts.call_terms): score bands with no
gaps or overlaps, rubrics that add up, fallbacks, tie-breaks and weighted final scores.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from call_terms_support import SRC, T
from pydantic import ValidationError

from sfms_shared.contracts.call_terms import (
    BandedMeasure,
    EvaluationTerms,
    FinalScore,
    FlagMeasure,
    Rubric,
    RubricItem,
    ScoreBand,
    ScoreFallback,
    TieBreak,
)


def growth_bands() -> list[dict[str, object]]:
    """001 붙임2 revenue-growth bands, as fractions."""
    return [
        {"points": 5, "lower": "0.12"},
        {"points": 4, "lower": "0.09", "upper": "0.12"},
        {"points": 3, "lower": "0.06", "upper": "0.09"},
        {"points": 2, "lower": "0.03", "upper": "0.06"},
        {"points": 1, "upper": "0.03"},
    ]


def banded(bands: list[dict[str, object]], max_points: int = 5) -> BandedMeasure:
    return BandedMeasure.model_validate(
        {
            "code": "revenue-growth",
            "name": T,
            "basis": T,
            "max_points": max_points,
            "bands": bands,
            "source": SRC,
        }
    )


# ── bands ──────────────────────────────────────────────────────────────────


def test_bands_are_lower_bound_inclusive() -> None:
    """001 붙임2: "12%이상" 5 points; "12%미만~9%이상" 4 points."""
    measure = banded(growth_bands())
    assert measure.points_for(Decimal("0.12")) == 5
    assert measure.points_for(Decimal("0.1199999")) == 4
    assert measure.points_for(Decimal("0.09")) == 4
    assert measure.points_for(Decimal("0.03")) == 2
    assert measure.points_for(Decimal("0.0299")) == 1
    assert measure.points_for(Decimal("-0.50")) == 1
    with pytest.raises(TypeError):
        measure.points_for(0.12)  # type: ignore[arg-type]


def test_a_band_set_with_a_gap_is_rejected() -> None:
    bands = growth_bands()
    bands[1] = {"points": 4, "lower": "0.09", "upper": "0.11"}  # 0.11..0.12 uncovered
    with pytest.raises(ValidationError, match="gap or overlap"):
        banded(bands)


def test_a_band_set_with_an_overlap_is_rejected() -> None:
    bands = growth_bands()
    bands[2] = {"points": 3, "lower": "0.06", "upper": "0.10"}  # overlaps 0.09..0.12
    with pytest.raises(ValidationError, match="gap or overlap"):
        banded(bands)


def test_a_band_set_must_be_open_at_both_ends() -> None:
    bands = growth_bands()
    bands[-1] = {"points": 1, "lower": "0", "upper": "0.03"}  # negative growth uncovered
    with pytest.raises(ValidationError, match="open below"):
        banded(bands)


def test_a_float_band_bound_is_rejected() -> None:
    bands = growth_bands()
    bands[0] = {"points": 5, "lower": 0.12}
    with pytest.raises(ValidationError, match="string"):
        banded(bands)


def test_the_best_band_must_give_max_points() -> None:
    with pytest.raises(ValidationError, match="max_points"):
        banded(growth_bands(), max_points=6)


def test_a_reversed_band_is_rejected() -> None:
    with pytest.raises(ValidationError):
        ScoreBand.model_validate({"points": 1, "lower": "0.5", "upper": "0.4"})


# ── rubrics ────────────────────────────────────────────────────────────────


def capability_item(**overrides: object) -> RubricItem:
    exports = FlagMeasure.model_validate(
        {
            "code": "direct-exports",
            "name": T,
            "basis": T,
            "max_points": 5,
            "points_if_true": 5,
            "points_if_false": 1,
            "source": SRC,
        }
    )
    data: dict[str, object] = {
        "code": "capability",
        "name": T,
        "max_points": 10,
        "scored_by": "quantitative",
        "measures": [banded(growth_bands()), exports],
        "fallbacks": [
            ScoreFallback(
                condition="founded-on-or-after",
                founded_on_or_after=date(2024, 1, 1),
                measures=("revenue-growth",),
                points=3,
                source=SRC,
            ),
            ScoreFallback(
                condition="financials-unavailable",
                measures=("revenue-growth",),
                points=1,
                source=SRC,
            ),
        ],
        "source": SRC,
    }
    data.update(overrides)
    return RubricItem.model_validate(data)


def test_quantitative_measures_must_add_up_to_the_item() -> None:
    with pytest.raises(ValidationError, match="add up"):
        capability_item(max_points=20)


def test_a_fallback_must_name_known_measures() -> None:
    bad = ScoreFallback(
        condition="financials-unavailable", measures=("debt-ratio",), points=1, source=SRC
    )
    with pytest.raises(ValidationError, match="unknown measures"):
        capability_item(fallbacks=[bad])


def test_a_founding_fallback_needs_its_date() -> None:
    with pytest.raises(ValidationError):
        ScoreFallback(
            condition="founded-on-or-after", measures=("revenue-growth",), points=3, source=SRC
        )


def test_fallbacks_apply_in_order_before_the_bands() -> None:
    item = capability_item()
    assert item.measure_points("revenue-growth", None, founded_on=date(2024, 1, 1)) == 3
    assert item.measure_points("revenue-growth", Decimal("0.50"), founded_on=date(2024, 3, 1)) == 3
    assert item.measure_points("revenue-growth", None, founded_on=date(2023, 12, 31)) == 1
    assert item.measure_points("revenue-growth", Decimal("0.12"), founded_on=date(2010, 1, 1)) == 5
    assert item.measure_points("direct-exports", True) == 5
    assert item.measure_points("direct-exports", False) == 1
    with pytest.raises(ValueError):
        item.measure_points("direct-exports", None)


def test_rubric_items_must_add_up_to_the_total() -> None:
    item = RubricItem(code="a", name=T, max_points=40, source=SRC)
    with pytest.raises(ValidationError, match="add up"):
        Rubric(stage="on-site-review", name=T, total_points=100, items=(item,), source=SRC)


def test_a_tie_break_must_name_an_existing_item() -> None:
    rubric = Rubric(
        stage="on-site-review",
        name=T,
        total_points=40,
        items=(RubricItem(code="advancement", name=T, max_points=40, source=SRC),),
        source=SRC,
    )
    ok = TieBreak.model_validate(
        {
            "steps": [
                {"key": "total-without-bonus", "name": T},
                {"key": "item", "stage": "on-site-review", "item": "advancement", "name": T},
            ],
            "source": SRC,
        }
    )
    EvaluationTerms(rubrics=(rubric,), tie_break=ok)
    bad = TieBreak.model_validate(
        {
            "steps": [
                {"key": "item", "stage": "on-site-review", "item": "sustainability", "name": T}
            ],
            "source": SRC,
        }
    )
    with pytest.raises(ValidationError, match="unknown item"):
        EvaluationTerms(rubrics=(rubric,), tie_break=bad)


def test_weighted_final_score_with_threshold() -> None:
    """003 Ⅶ shape: selection × 0.80 + job creation × 0.20 + bonus, pass at 60."""
    final = FinalScore.model_validate(
        {
            "components": [
                {"code": "selection", "name": T, "weight": "0.80"},
                {"code": "job-creation", "name": T, "weight": "0.20"},
            ],
            "add_bonus": True,
            "pass_threshold": "60",
            "source": SRC,
        }
    )
    score = final.compute({"selection": Decimal(65), "job-creation": Decimal(40)}, bonus=3)
    assert score == Decimal("63.00")
    assert final.passes(score)
    assert not final.passes(Decimal("59.99"))
