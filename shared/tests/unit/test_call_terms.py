"""Validation of the call-terms model (sfms_shared.contracts.call_terms).

The model must refuse data that would make a downstream computation wrong: floats
where exact decimals are needed, band sets with gaps or overlaps, fee tables out of
order, rubrics that do not add up, references to things that do not exist.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from pydantic import ValidationError
from sfms_shared.contracts import calls, common
from sfms_shared.contracts.call_terms import (
    BandedMeasure,
    BonusItem,
    BonusTerms,
    BudgetTerms,
    CallTerms,
    CloudFees,
    ConcurrencyProgram,
    ConcurrencyTerms,
    CostShare,
    EligibilityRule,
    EvaluationTerms,
    FeeTable,
    FinalScore,
    FlagMeasure,
    LevelLimit,
    ProgramRow,
    Rubric,
    RubricItem,
    ScoreBand,
    ScoreFallback,
    SizeRow,
    SizeTable,
    TieBreak,
)
from sfms_shared.contracts.common import SmartFactoryLevel as L
from sfms_shared.contracts.common import Source, Text

SRC = Source(file="001_39e04bdc262ce7ee.txt", section="test")
T = Text(ko="이름", en="name")


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


def fee_table(bands: list[dict[str, object]]) -> FeeTable:
    return FeeTable.model_validate(
        {
            "code": "settlement-fee",
            "name": T,
            "basis": T,
            "vat_excluded": True,
            "bands": bands,
            "source": SRC,
        }
    )


# ── common types ────────────────────────────────────────────────────────────


def test_common_types_are_the_ones_calls_uses() -> None:
    """Moving Frozen/Source/Text/SmartFactoryLevel to common.py keeps calls' names working."""
    assert calls.Source is common.Source
    assert calls.Text is common.Text
    assert calls.Frozen is common.Frozen
    assert calls.SmartFactoryLevel is common.SmartFactoryLevel
    assert calls.CallDocument.model_fields["terms"].default == CallTerms()


@pytest.mark.parametrize("bad", [0.5, 1, True, "1.5", "-0.1", "NaN"])
def test_a_ratio_must_be_an_exact_decimal_string_between_0_and_1(bad: object) -> None:
    with pytest.raises(ValidationError):
        CostShare.model_validate({"party": "government", "max_ratio": bad, "source": SRC})


def test_a_ratio_written_as_a_string_is_read_exactly() -> None:
    share = CostShare.model_validate({"party": "government", "max_ratio": "0.50", "source": SRC})
    assert share.max_ratio == Decimal("0.50")
    assert isinstance(share.max_ratio, Decimal)


@pytest.mark.parametrize("bad", [455000.0, True, "455000", -1])
def test_money_must_be_a_non_negative_integer(bad: object) -> None:
    with pytest.raises(ValidationError):
        fee_table([{"up_to_krw": None, "fee_krw": bad}])


def test_models_are_frozen_and_refuse_unknown_fields() -> None:
    share = CostShare.model_validate({"party": "government", "max_ratio": "0.50", "source": SRC})
    with pytest.raises(ValidationError):
        share.max_ratio = Decimal("0.60")  # type: ignore[misc]
    with pytest.raises(ValidationError):
        CostShare.model_validate(
            {"party": "government", "max_ratio": "0.50", "source": SRC, "typo": 1}
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


# ── fees ───────────────────────────────────────────────────────────────────


def test_fee_bands_are_closed_above() -> None:
    table = fee_table(
        [{"up_to_krw": 50_000_000, "fee_krw": 455_000}, {"up_to_krw": None, "fee_krw": 637_000}]
    )
    assert table.fee_for(50_000_000) == 455_000
    assert table.fee_for(50_000_001) == 637_000
    with pytest.raises(TypeError):
        table.fee_for(50_000_000.0)  # type: ignore[arg-type]


def test_fee_bands_must_increase_and_end_open() -> None:
    with pytest.raises(ValidationError, match="strictly increase"):
        fee_table(
            [
                {"up_to_krw": 200_000_000, "fee_krw": 1},
                {"up_to_krw": 50_000_000, "fee_krw": 2},
                {"up_to_krw": None, "fee_krw": 3},
            ]
        )
    with pytest.raises(ValidationError, match="only the last band"):
        fee_table([{"up_to_krw": 50_000_000, "fee_krw": 1}])
    with pytest.raises(ValidationError, match="only the last band"):
        fee_table([{"up_to_krw": None, "fee_krw": 1}, {"up_to_krw": None, "fee_krw": 2}])


def test_a_mandatory_line_needs_exactly_one_amount_and_a_known_table() -> None:
    line = {"code": "settlement-fee", "name": T, "category": T, "project_year": 2, "source": SRC}
    with pytest.raises(ValidationError, match="exactly one"):
        BudgetTerms.model_validate({"mandatory_lines": [line]})
    with pytest.raises(ValidationError, match="unknown fee table"):
        BudgetTerms.model_validate({"mandatory_lines": [{**line, "fee_table": "nope"}]})


# ── eligibility ────────────────────────────────────────────────────────────


def rule(**overrides: object) -> EligibilityRule:
    data: dict[str, object] = {
        "id": "applicant-smart-factory-level",
        "check": "smart-factory-level",
        "applies_to": ["applicant"],
        "description": T,
        "parameters": {"min_level": "중간1", "level_certificate_validity_years": 3},
        "reason": {
            "ko": "수준이 {min_level} 미만입니다({found}).",
            "en": "Level below {min_level} ({found}).",
        },
        "source": SRC,
    }
    data.update(overrides)
    return EligibilityRule.model_validate(data)


def test_a_reason_template_renders_from_parameters_and_context() -> None:
    reason = rule().render_reason(found="기초")
    assert reason == Text(ko="수준이 중간1 미만입니다(기초).", en="Level below 중간1 (기초).")


def test_a_reason_with_an_unknown_placeholder_is_rejected() -> None:
    with pytest.raises(ValidationError, match="unknown placeholders"):
        rule(reason={"ko": "{min_levle}", "en": "{min_levle}"})
    with pytest.raises(ValidationError, match="different placeholders"):
        rule(reason={"ko": "{min_level}", "en": "{found}"})


def test_rule_parameters_refuse_floats_and_unknown_checks() -> None:
    with pytest.raises(ValidationError):
        rule(parameters={"min_level": "중간1", "ratio": 0.2})
    with pytest.raises(ValidationError):
        rule(check="something-made-up")


# ── concurrency ────────────────────────────────────────────────────────────


def concurrency(rules: list[dict[str, object]]) -> ConcurrencyTerms:
    programs = [
        ConcurrencyProgram(number=n, code=f"p{n}", name=T, source=SRC) for n in range(1, 11)
    ]
    return ConcurrencyTerms.model_validate({"programs": programs, "rules": rules})


def test_concurrency_rules_forbid_pairs() -> None:
    """001 붙임1 shape: ①–⑦ exclusive; ⑧/⑨ with one of ①–⑥; never ⑧ with ②; ⑩ alone."""
    terms = concurrency(
        [
            {
                "kind": "mutually-exclusive",
                "programs": [1, 2, 3, 4, 5, 6, 7],
                "description": T,
                "source": SRC,
            },
            {
                "kind": "may-accompany",
                "programs": [8, 9],
                "companions": [1, 2, 3, 4, 5, 6],
                "max_companions": 1,
                "description": T,
                "source": SRC,
            },
            {
                "kind": "never-together",
                "programs": [8],
                "companions": [2],
                "description": T,
                "source": SRC,
            },
            {
                "kind": "only-without",
                "programs": [10],
                "companions": list(range(1, 10)),
                "description": T,
                "source": SRC,
            },
        ]
    )
    assert not terms.compatible(1, 2)
    assert not terms.compatible(8, 2) and not terms.compatible(2, 8)
    assert terms.compatible(8, 1) and terms.compatible(9, 2)
    assert not terms.compatible(10, 9)
    assert terms.compatible_set({1, 8, 9})
    assert not terms.compatible_set({2, 8})


def test_a_concurrency_rule_must_name_known_programs() -> None:
    with pytest.raises(ValidationError, match="unknown programs"):
        concurrency(
            [
                {
                    "kind": "never-together",
                    "programs": [8],
                    "companions": [11],
                    "description": T,
                    "source": SRC,
                }
            ]
        )


# ── bonus ──────────────────────────────────────────────────────────────────


def test_bonus_counts_the_best_items_then_caps() -> None:
    """001 붙임2: 3 per item, at most 2 items, at most 5 points."""
    items = [BonusItem(code=c, name=T, criteria=(T,), source=SRC) for c in ("a", "b", "c")]
    terms = BonusTerms(points_per_item=3, max_items=2, max_points=5, items=tuple(items), source=SRC)
    assert terms.total([]) == 0
    assert terms.total(["a"]) == 3
    assert terms.total(["a", "b"]) == 5
    assert terms.total(["a", "b", "c"]) == 5
    with pytest.raises(KeyError):
        terms.total(["z"])


# ── catalogue rows and tables ──────────────────────────────────────────────


def test_level_limits_go_upward_and_stay_under_the_row_limit() -> None:
    with pytest.raises(ValidationError, match="upward"):
        LevelLimit(
            current=L.INTERMEDIATE_2, target=L.INTERMEDIATE_1, government_limit_krw=1, source=SRC
        )
    limit = LevelLimit(
        current=L.BASIC, target=L.INTERMEDIATE_2, government_limit_krw=400_000_000, source=SRC
    )
    row = ProgramRow(
        group="①",
        group_name=T,
        code="legend50-plus",
        name=T,
        government_limit_krw=500_000_000,
        level_limits=(limit,),
        source=SRC,
    )
    assert row.limit_for_levels(L.BASIC, L.INTERMEDIATE_2) == 400_000_000
    assert row.limit_for_levels(L.NONE, L.INTERMEDIATE_2) is None
    with pytest.raises(ValidationError, match="exceeds"):
        ProgramRow(
            group="①",
            group_name=T,
            code="x",
            name=T,
            government_limit_krw=300_000_000,
            level_limits=(limit,),
            source=SRC,
        )


def test_a_schedule_month_must_be_well_formed() -> None:
    base = {"group": "①", "group_name": T, "code": "x", "name": T, "source": SRC}
    ProgramRow.model_validate(
        {
            **base,
            "schedule": {
                "announcement": "2025-11",
                "application": "2025-11..2026-01",
                "selection": "2026-04..",
                "source": SRC,
            },
        }
    )
    with pytest.raises(ValidationError):
        ProgramRow.model_validate({**base, "schedule": {"announcement": "25.11", "source": SRC}})


def test_size_table_uses_the_most_specific_row_and_honours_exclusions() -> None:
    table = SizeTable(
        code="t",
        name=T,
        basis=T,
        source=SRC,
        rows=(
            SizeRow(number=17, industry=T, ksic="E36", max_average_revenue_krw=12_000_000_000),
            SizeRow(
                number=34,
                industry=T,
                ksic="E",
                excludes=("E36",),
                max_average_revenue_krw=1_000_000_000,
            ),
            SizeRow(number=13, industry=T, ksic="C29", max_average_revenue_krw=12_000_000_000),
        ),
    )
    assert table.threshold_for("E36010") == 12_000_000_000
    assert table.threshold_for("E37011") == 1_000_000_000
    assert table.threshold_for("C29271") == 12_000_000_000
    assert table.threshold_for("C10") is None
    assert table.is_small("C29271", 12_000_000_000) is True
    assert table.is_small("C29271", 12_000_000_001) is False
    with pytest.raises(ValidationError, match="sub-code"):
        SizeRow(number=1, industry=T, ksic="E", excludes=("F36",), max_average_revenue_krw=1)


def test_call_terms_check_cross_references() -> None:
    cloud = CloudFees(max_years=3, small_business_max_years=5, size_table="missing", source=SRC)
    with pytest.raises(ValidationError, match="unknown size table"):
        CallTerms(budget=BudgetTerms(cloud_fees=cloud))
    final = FinalScore.model_validate(
        {"components": [{"code": "x", "name": T, "weight": "1"}], "add_bonus": True, "source": SRC}
    )
    with pytest.raises(ValidationError, match="no bonus terms"):
        CallTerms(evaluation=EvaluationTerms(final_score=final))
