"""Business registration numbers (사업자등록번호): 10 digits, the last a check digit.

The check digit is the contracts' rule (``sfms_shared.contracts.brn``); intake adds the
written forms people type (``123-45-67890``).
"""

from __future__ import annotations

import re

from sfms_shared.contracts.brn import brn_is_valid

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


def brn_check_digit_ok(digits: str) -> bool:
    return brn_is_valid(digits)


def format_brn(digits: str) -> str:
    return f"{digits[:3]}-{digits[3:5]}-{digits[5:]}"
