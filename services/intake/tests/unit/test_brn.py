"""BRN check digit (사업자등록번호 검증번호)."""

from __future__ import annotations

import pytest

from intake.domain.brn import brn_check_digit_ok, format_brn, normalise_brn


@pytest.mark.parametrize("valid", ["220-81-62517", "2208162517", "124-81-00998"])
def test_valid_numbers_normalise_to_ten_digits(valid: str) -> None:
    assert normalise_brn(valid) == valid.replace("-", "")


@pytest.mark.parametrize("wrong_check_digit", ["220-81-62518", "124-81-00990"])
def test_a_wrong_check_digit_is_refused(wrong_check_digit: str) -> None:
    with pytest.raises(ValueError, match="check digit"):
        normalise_brn(wrong_check_digit)


@pytest.mark.parametrize(
    "bad_shape", ["", "22081625", "220-81-6251a", "220--81-62517", "2208162517 1"]
)
def test_anything_but_ten_digits_is_refused(bad_shape: str) -> None:
    with pytest.raises(ValueError, match="10 digits"):
        normalise_brn(bad_shape)


def test_exactly_one_check_digit_fits_each_prefix() -> None:
    prefix = "220816251"
    assert [d for d in "0123456789" if brn_check_digit_ok(prefix + d)] == ["7"]


def test_format() -> None:
    assert format_brn("2208162517") == "220-81-62517"
