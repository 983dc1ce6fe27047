"""BRN check digit (사업자등록번호 검증번호), as partners send numbers: ten digits, no dashes."""

from __future__ import annotations

import pytest

from sfms_shared.contracts.brn import brn_is_valid, check_digit


@pytest.mark.parametrize("valid", ["2208162517", "1248100998", "1234567891", "2148600016"])
def test_valid_numbers(valid: str) -> None:
    assert brn_is_valid(valid)


@pytest.mark.parametrize(
    "invalid",
    [
        "2208162518",
        "1248100990",
        "220-81-62517",
        "220816251",
        "22081625170",
        "",
        "２２０８１６２５１７",
    ],
)
def test_a_wrong_check_digit_or_shape_is_refused(invalid: str) -> None:
    assert not brn_is_valid(invalid)


def test_exactly_one_check_digit_fits_each_prefix() -> None:
    prefix = "220816251"
    assert [d for d in "0123456789" if brn_is_valid(prefix + d)] == ["7"]
    assert check_digit(prefix) == 7
