"""Validation of the call-terms model (sfms_shared.contracts.call_terms): catalogue rows,
level limits, schedules, size tables, and the cross-references between call terms.
"""

from __future__ import annotations

import pytest
from call_terms_support import SRC, T
from pydantic import ValidationError

from sfms_shared.contracts.call_terms import (
    BudgetTerms,
    CallTerms,
    CloudFees,
    EvaluationTerms,
    FinalScore,
    LevelLimit,
    ProgramRow,
    SizeRow,
    SizeTable,
)
from sfms_shared.contracts.common import SmartFactoryLevel as L

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
