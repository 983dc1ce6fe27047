"""Domain failures, each naming the field at fault in Korean and English."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Violation:
    field: str
    code: str
    en: str
    ko: str


class RuleViolation(Exception):
    """One or more rules of the call or of the application's life were broken.

    ``conflict`` marks violations of state (409) rather than of content (422).
    """

    def __init__(self, violations: list[Violation], conflict: bool = False) -> None:
        super().__init__("; ".join(f"{v.field}: {v.en}" for v in violations))
        self.violations = violations
        self.conflict = conflict

    @classmethod
    def single(
        cls, field: str, code: str, en: str, ko: str, conflict: bool = False
    ) -> RuleViolation:
        return cls([Violation(field, code, en, ko)], conflict=conflict)
