"""Validation of the call-terms model (sfms_shared.contracts.call_terms): the common types,
exact ratios and integer money, frozen models, and fee tables.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from call_terms_support import SRC, T
from pydantic import ValidationError

from sfms_shared.contracts import calls, common
from sfms_shared.contracts.call_terms import BudgetTerms, CallTerms, CostShare, FeeTable


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
