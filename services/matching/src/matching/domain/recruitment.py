"""Planner recruitment (기획기관 모집, 001 §2): the application window and the requirement
review before the capability evaluation.

The requirements are the call's own rules for planners (terms.eligibility: ``planner-
track-record``, ``planner-staff``, ``planner-no-subcontracting``), read with their
parameters, so recruitment and the requirement review of a consortium's planner judge by
the same numbers: '23~'25 relevant records ≥ 10, full-time staff ≥ 5, applying alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sfms_shared.contracts.calls import CallDocument
from sfms_shared.contracts.common import Source


@dataclass(frozen=True)
class Finding:
    rule_id: str
    passed: bool
    message_ko: str
    message_en: str
    source: Source


@dataclass(frozen=True)
class PlannerProfile:
    records: int  # relevant records in the call's window
    full_time_staff: int
    subcontracts: bool  # forms a partnership or subcontracts (협업체 구성·하도급)


def window_open(call: CallDocument, now: datetime) -> bool:
    """Within the recruitment window, half-open like the call's: "17시까지" closes at 17:00."""
    window = call.schedule.planner_recruitment
    return window is not None and window.opens_at <= now < window.closes_at


def review(call: CallDocument, name: str, profile: PlannerProfile) -> tuple[Finding, ...]:
    """Each planner rule of the call, judged on the profile of the planner ``name``
    (reasons worded as the call words them). A call without planner rules has nothing
    to review."""
    terms = call.terms.eligibility
    rules = [r for r in terms.rules if "planner" in r.applies_to] if terms else []
    findings = []
    for rule in rules:
        params = rule.parameters
        if rule.check == "planner-track-record":
            found, passed = profile.records, profile.records >= int(params["min_records"])
        elif rule.check == "planner-staff":
            found = profile.full_time_staff
            passed = found >= int(params["min_full_time_staff"])
        elif rule.check == "planner-no-subcontracting":
            found, passed = int(profile.subcontracts), not profile.subcontracts
        else:
            continue  # judged per project (planner-not-supplier) or by the registries
        text = rule.description if passed else rule.render_reason(found=found, organisation=name)
        findings.append(Finding(rule.id, passed, text.ko, text.en, rule.source))
    return tuple(findings)
