"""What a review finds: one outcome per rule and organisation, and the decision."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel

from sfms_shared.contracts.common import Source, Text
from sfms_shared.small_business import SmallBusinessClassification

Outcome = Literal["pass", "fail", "needs-review", "not-applicable"]
Verdict = Literal["eligible", "ineligible", "needs-review"]


def jsonable(value: Any) -> Any:
    """Inputs as JSON: checks keep the facts they used as objects; they are written out
    only when a decision is stored or sent."""
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    return value


def _source_json(source: Source) -> dict[str, str]:
    found = {"file": source.file, "section": source.section}
    return found if source.note is None else {**found, "note": source.note}


# Findings and outcomes are made by the thousand a second; plain slotted dataclasses
# (frozen ones set every field through object.__setattr__). Nothing mutates them.
@dataclass(slots=True)
class Finding:
    """What a check concludes. ``found`` and ``context`` fill the rule's reason template;
    ``note`` explains an outcome the template does not (a pass by exception, a person
    needed, a rule that does not apply)."""

    outcome: Outcome
    inputs: dict[str, Any] = field(default_factory=dict)
    found: str = ""
    context: dict[str, str] = field(default_factory=dict)
    note: Text | None = None


@dataclass(frozen=True, slots=True)
class Override:
    """An operator's decision on one rule for one organisation (a needs-review resolved,
    or an outcome corrected), with the mandatory reason."""

    rule_id: str
    brn: str
    outcome: Literal["pass", "fail"]
    reason: str
    actor: str
    at: datetime

    def as_json(self) -> dict[str, Any]:
        return {
            "rule_id": self.rule_id,
            "brn": self.brn,
            "outcome": self.outcome,
            "reason": self.reason,
            "actor": self.actor,
            "at": self.at.isoformat(),
        }


@dataclass(slots=True)
class RuleOutcome:
    rule_id: str
    check: str
    role: str
    brn: str
    outcome: Outcome
    inputs: dict[str, Any]
    reason: Text
    source: Source
    evaluated: Outcome  # what the rule itself found, before any override
    override: Override | None = None

    def overridden(self, override: Override) -> RuleOutcome:
        by = f"운영자 결정: {override.reason}", f"Operator decision: {override.reason}"
        return replace(
            self, outcome=override.outcome, override=override, reason=Text(ko=by[0], en=by[1])
        )

    def as_json(self) -> dict[str, Any]:
        return {
            "rule_id": self.rule_id,
            "check": self.check,
            "role": self.role,
            "brn": self.brn,
            "outcome": self.outcome,
            "evaluated": self.evaluated,
            "inputs": jsonable(self.inputs),
            "reason": {"ko": self.reason.ko, "en": self.reason.en},
            "source": _source_json(self.source),
            "override": self.override.as_json() if self.override else None,
        }


@dataclass(frozen=True, slots=True)
class Decision:
    verdict: Verdict
    outcomes: tuple[RuleOutcome, ...]
    call_id: str
    call_version: int
    small_business: SmallBusinessClassification | None = None

    @staticmethod
    def verdict_of(outcomes: tuple[RuleOutcome, ...]) -> Verdict:
        found = {o.outcome for o in outcomes}
        if "fail" in found:
            return "ineligible"
        return "needs-review" if "needs-review" in found else "eligible"

    def failures(self) -> tuple[RuleOutcome, ...]:
        return tuple(o for o in self.outcomes if o.outcome == "fail")

    def outcomes_json(self) -> list[dict[str, Any]]:
        return [o.as_json() for o in self.outcomes]
