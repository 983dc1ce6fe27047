"""What requirement review decides, as carried in ``eligibility.application-reviewed.v1``.

Every rule's outcome travels with the decision, with the inputs it used, its reason in
Korean and English and the seed section it comes from, so a consumer can show why
without asking eligibility.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict

from sfms_shared.contracts.common import Source, Text

Verdict = Literal["eligible", "ineligible", "needs-review"]
RuleOutcomeName = Literal["pass", "fail", "needs-review", "not-applicable"]
# What made eligibility decide (again): a submission, a registry change about one of the
# application's organisations (a disqualification found later), or an operator's override.
Trigger = Literal["submission", "registry-change", "override"]


class _Contract(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class OverrideRecord(_Contract):
    rule_id: str
    brn: str
    outcome: Literal["pass", "fail"]
    reason: str
    actor: str
    at: datetime


class RuleOutcomeRecord(_Contract):
    rule_id: str
    check: str
    role: Literal["applicant", "supplier", "planner"]
    brn: str
    outcome: RuleOutcomeName
    evaluated: RuleOutcomeName  # before any override
    inputs: dict[str, Any]
    reason: Text
    source: Source
    override: OverrideRecord | None = None


class SmallBusinessRecord(_Contract):
    table: str
    ksic_code: str
    row: int | None
    threshold_krw: int | None
    years: tuple[int, ...]
    average_revenue_krw: int | None
    small: bool | None


class ReviewDecision(_Contract):
    decision_id: UUID
    application_id: UUID
    sequence: int  # 1, 2, ... per application
    call_id: str
    call_version: int  # the rule set
    submission_version: int
    applicant_brn: str
    verdict: Verdict
    trigger: Trigger
    judged_as_of: datetime
    known_at: datetime  # the registries as known then
    decided_at: datetime
    outcomes: tuple[RuleOutcomeRecord, ...]
    small_business: SmallBusinessRecord | None = None
