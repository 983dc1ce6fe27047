"""Business registration numbers (사업자등록번호): 10 digits, the last a check digit.

Every service identifies organisations by it, so its rule lives with the contracts: weights
1,3,7,1,3,7,1,3,5 on the first nine digits, plus the tens digit of (9th digit × 5); the
check digit is (10 − sum mod 10) mod 10.
"""

from __future__ import annotations

_WEIGHTS = (1, 3, 7, 1, 3, 7, 1, 3, 5)


def check_digit(first_nine: str) -> int:
    """The tenth digit that makes ``first_nine`` a valid number."""
    numbers = [int(c) for c in first_nine]
    total = sum(d * w for d, w in zip(numbers, _WEIGHTS, strict=True))
    total += numbers[8] * 5 // 10
    return (10 - total % 10) % 10


def brn_is_valid(brn: str) -> bool:
    """Ten ASCII digits whose last is the check digit of the first nine."""
    if len(brn) != 10 or not (brn.isascii() and brn.isdigit()):
        return False
    return check_digit(brn[:9]) == int(brn[9])
