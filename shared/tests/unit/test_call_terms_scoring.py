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
    Aggregation,
    BandedMeasure,
    Computation,
    EvaluationTerms,
    FinalScore,
    FlagMeasure,
    Rubric,
    RubricItem,
    ScoreBand,
    ScoreFallback,
    Selection,
    Shortlist,
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
            "computation": {
                "formula": "growth",
                "figure": "revenue",
                "from_year": 2024,
                "to_year": 2025,
            },
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
            "computation": {
                "formula": "any-positive",
                "figure": "direct-exports",
                "from_year": 2021,
                "to_year": 2025,
            },
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


# ── computations ───────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    "computation",
    [
        {"formula": "ratio", "figure": "total-liabilities", "to_year": 2025},
        {"formula": "growth", "figure": "revenue", "denominator": "total-equity", "to_year": 2025},
        {"formula": "growth", "figure": "revenue", "from_year": 2025, "to_year": 2025},
        {
            "formula": "ratio",
            "figure": "total-liabilities",
            "denominator": "total-equity",
            "from_year": 2024,
            "to_year": 2025,
        },
    ],
)
def test_a_malformed_computation_is_rejected(computation: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        Computation.model_validate(computation)


# ── aggregation, shortlist, selection, final score ─────────────────────────


def test_trimmed_mean_needs_a_trim_and_only_it_has_one() -> None:
    """DOMAIN.md §5: mean, or mean without the highest and lowest (a count, not a share)."""
    with pytest.raises(ValidationError, match="trim_each_side"):
        Aggregation(method="trimmed-mean", source=SRC)
    with pytest.raises(ValidationError, match="trim_each_side"):
        Aggregation(method="mean", trim_each_side=1, source=SRC)
    trimmed = Aggregation(method="trimmed-mean", trim_each_side=1, source=SRC)
    assert [trimmed.trims(n) for n in (1, 2, 3, 4, 5)] == [False, False, True, True, True]


def test_outlier_points_are_an_exact_non_negative_decimal() -> None:
    with pytest.raises(ValidationError):
        Aggregation(method="mean", outlier_points="-1", source=SRC)
    with pytest.raises(ValidationError, match="string"):
        Aggregation(method="mean", outlier_points=15.0, source=SRC)
    assert Aggregation(method="mean", outlier_points="15", source=SRC).outlier_points == 15


@pytest.mark.parametrize(
    ("rounding", "places", "value", "shown"),
    [
        ("half-up", 2, "70.125", "70.13"),
        ("half-up", 2, "70.124999", "70.12"),
        ("half-up", 1, "59.95", "60.0"),
        ("down", 2, "59.999", "59.99"),
        ("up", 2, "59.991", "60.00"),
        ("half-up", 0, "22.5", "23"),
    ],
)
def test_scores_are_rounded_once_as_the_call_says(
    rounding: str, places: int, value: str, shown: str
) -> None:
    aggregation = Aggregation.model_validate(
        {"method": "mean", "decimal_places": places, "rounding": rounding, "source": SRC}
    )
    assert aggregation.rounded(Decimal(value)) == Decimal(shown)
    assert str(aggregation.rounded(Decimal(value))) == shown


@pytest.mark.parametrize(("rounding", "size"), [("half-up", 23), ("up", 23), ("down", 22)])
def test_shortlist_size_is_1_5_times_the_target_rounded(rounding: str, size: int) -> None:
    """001 §4 평가절차: 지원목표 1.5배수 내외; 15 × 1.5 = 22.5."""
    shortlist = Shortlist.model_validate(
        {
            "stage": "document-review",
            "multiple_of_target": "1.5",
            "rounding": rounding,
            "source": SRC,
        }
    )
    assert shortlist.nominal_size(15) == size
    assert shortlist.nominal_size(10) == 15
    assert shortlist.approximate  # 내외 by default


def two_stage_rubrics() -> tuple[Rubric, ...]:
    return tuple(
        Rubric(
            stage=stage,  # type: ignore[arg-type]
            name=T,
            total_points=40,
            items=(RubricItem(code="advancement", name=T, max_points=40, source=SRC),),
            source=SRC,
        )
        for stage in ("document-review", "on-site-review")
    )


def test_shortlist_and_selection_need_their_stages_and_differ() -> None:
    rubrics = two_stage_rubrics()
    shortlist = Shortlist(stage="document-review", multiple_of_target=Decimal("1.5"), source=SRC)
    selection = Selection(stage="on-site-review", source=SRC)
    terms = EvaluationTerms(rubrics=rubrics, shortlist=shortlist, selection=selection)
    assert terms.selection is not None and terms.selection.alternates is None  # all the rest
    with pytest.raises(ValidationError, match="not both"):
        EvaluationTerms(
            rubrics=rubrics,
            shortlist=shortlist,
            selection=Selection(stage="document-review", source=SRC),
        )
    with pytest.raises(ValidationError, match="no rubric"):
        EvaluationTerms(
            rubrics=rubrics[:1], selection=Selection(stage="on-site-review", source=SRC)
        )


def test_final_score_components_are_unique_and_name_their_stage() -> None:
    """003 Ⅶ: 선정평가 점수(80%) 및 일자리평가 점수(20%)."""
    component = {"code": "selection", "name": T, "weight": "0.80"}
    with pytest.raises(ValidationError, match="unique"):
        FinalScore.model_validate(
            {"components": [component, component], "add_bonus": True, "source": SRC}
        )
    final = FinalScore.model_validate(
        {
            "components": [
                {**component, "rubric_stage": "selection-evaluation"},
                {"code": "job-creation", "name": T, "weight": "0.20"},
            ],
            "add_bonus": True,
            "pass_threshold": "60",
            "source": SRC,
        }
    )
    assert final.scored_at("selection-evaluation")
    assert not final.scored_at("on-site-review")
    assert final.passes(Decimal("60.00"))
    assert not final.passes(Decimal("59.99"))
