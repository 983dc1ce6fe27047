"""Business registration numbers (사업자등록번호): 10 digits, the last a check digit.

The check digit: weights 1,3,7,1,3,7,1,3,5 on the first nine digits, plus the tens
digit of (9th digit × 5); the check digit is (10 − sum mod 10) mod 10.
"""

from __future__ import annotations

import re

_WEIGHTS = (1, 3, 7, 1, 3, 7, 1, 3, 5)
_SHAPE = re.compile(r"^\d{3}-?\d{2}-?\d{5}$")


def normalise_brn(value: str) -> str:
    """``123-45-67890`` or ``1234567890`` → ``1234567890``; raises ValueError if invalid."""
    candidate = value.strip()
    if not _SHAPE.match(candidate):
        raise ValueError("a business registration number has 10 digits (000-00-00000)")
    digits = candidate.replace("-", "")
    if not brn_check_digit_ok(digits):
        raise ValueError("the check digit of the business registration number does not match")
    return digits


def check_digit(first_nine: str) -> int:
    """The tenth digit that makes ``first_nine`` a valid number."""
    numbers = [int(c) for c in first_nine]
    total = sum(d * w for d, w in zip(numbers, _WEIGHTS, strict=True))
    total += numbers[8] * 5 // 10
    return (10 - total % 10) % 10


def brn_check_digit_ok(digits: str) -> bool:
    return check_digit(digits[:9]) == int(digits[9])


def format_brn(digits: str) -> str:
    return f"{digits[:3]}-{digits[3:5]}-{digits[5:]}"
