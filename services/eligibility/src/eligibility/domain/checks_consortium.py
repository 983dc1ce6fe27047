"""Checks on the consortium: suppliers in the pool, planners selected and independent.

Sources: 001 §2 신청대상 및 자격 (기획기관), §3 신청자격 (공급기업), §6; 003 Ⅳ, Ⅷ, Ⅸ.
A planner's records and staff come from the planner pool, where the planner evaluation
put them; when the pool has no figure, a person checks the planner's documents.
"""

from __future__ import annotations

from eligibility.domain.case import Context, Subject
from eligibility.domain.facts import PoolMembership
from eligibility.domain.outcomes import Finding
from sfms_shared.contracts.common import Text
from sfms_shared.contracts.terms_eligibility import EligibilityRule

PLANNER_STANDING = frozenset({"selected", "designated"})


def _membership(who: Subject, pool: str, ctx: Context) -> PoolMembership | None:
    return who.facts.member_of(pool, ctx.as_of_day)


def _evidence(membership: PoolMembership | None) -> dict:
    return {"membership": membership}


def supplier_in_pool(rule: EligibilityRule, who: Subject, ctx: Context) -> Finding:
    membership = _membership(who, "supplier", ctx)
    return Finding("pass" if membership else "fail", _evidence(membership))


def planner_applied_and_selected(rule: EligibilityRule, who: Subject, ctx: Context) -> Finding:
    """Selected in the planner recruitment, or designated by default (지역테크노파크)."""
    membership = _membership(who, "planner", ctx)
    standing = membership is not None and membership.status in PLANNER_STANDING
    return Finding("pass" if standing else "fail", _evidence(membership))


def planner_not_supplier(rule: EligibilityRule, who: Subject, ctx: Context) -> Finding:
    suppliers = [m.brn for m in ctx.case.application.consortium if m.role == "supplier"]
    inputs = {"supplier_brns": suppliers}
    return Finding("fail" if who.brn in suppliers else "pass", inputs)


def _figure(who: Subject, ctx: Context, field: str, minimum: int, what: Text) -> Finding:
    membership = _membership(who, "planner", ctx)
    value = getattr(membership, field) if membership else None
    inputs = {**_evidence(membership), field: value, "minimum": minimum}
    if value is None:
        return Finding(
            "needs-review",
            inputs,
            note=Text(
                ko=f"기획기관 Pool에 {what.ko} 정보가 없어 제출서류로 확인이 필요합니다",
                en=f"The planner pool holds no {what.en}: to be checked against the documents",
            ),
        )
    return Finding("pass" if value >= minimum else "fail", inputs, found=str(value))


def planner_track_record(rule: EligibilityRule, who: Subject, ctx: Context) -> Finding:
    minimum = int(rule.parameters["min_records"])
    return _figure(who, ctx, "relevant_records", minimum, Text(ko="실적", en="record count"))


def planner_staff(rule: EligibilityRule, who: Subject, ctx: Context) -> Finding:
    minimum = int(rule.parameters["min_full_time_staff"])
    return _figure(who, ctx, "full_time_staff", minimum, Text(ko="상근 인력", en="staff count"))


def planner_no_subcontracting(rule: EligibilityRule, who: Subject, ctx: Context) -> Finding:
    membership = _membership(who, "planner", ctx)
    subcontracts = membership.subcontracts if membership else None
    inputs = {**_evidence(membership), "subcontracts": subcontracts}
    if subcontracts is None:
        return Finding(
            "needs-review",
            inputs,
            note=Text(
                ko="협업체 구성·하도급 여부 확인이 필요합니다",
                en="Whether the planner partners or subcontracts is to be checked",
            ),
        )
    return Finding("fail" if subcontracts else "pass", inputs)


def solution_equipment_integration(rule: EligibilityRule, who: Subject, ctx: Context) -> Finding:
    """003 Ⅸ: whether the solution integrates with the equipment is seen in the plan and
    on site, by a person."""
    return Finding(
        "needs-review",
        note=Text(
            ko="도입 솔루션과 장비의 연동 여부는 사업계획서와 현장에서 확인합니다",
            en="Integration of the solution with the equipment is checked in the plan and on site",
        ),
    )
