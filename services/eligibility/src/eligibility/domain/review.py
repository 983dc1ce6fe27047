"""Requirement review (요건검토): every rule of the call version, for every organisation it
applies to, with its outcome, the inputs it used, a reason in Korean and English and its
source; operators' overrides applied on top.

``review`` is pure: the same call version, case and overrides give the same decision, so a
stored decision can be replayed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from eligibility.domain import checks_company, checks_consortium, checks_programs
from eligibility.domain.case import Context, ReviewCase, Subject, subjects
from eligibility.domain.outcomes import Decision, Finding, Override, RuleOutcome
from sfms_shared.clock import KST
from sfms_shared.contracts.applications import OrganisationSnapshot
from sfms_shared.contracts.calls import CallDocument, DocumentRequirement
from sfms_shared.contracts.common import Text
from sfms_shared.contracts.terms_eligibility import CONTEXT_PLACEHOLDERS, Check, EligibilityRule
from sfms_shared.contracts.terms_tables import SizeRow, SizeTable
from sfms_shared.small_business import SmallBusinessClassification, classify

CheckFn = Callable[[EligibilityRule, Subject, Context], Finding]

CHECKS: dict[Check, CheckFn] = {
    "domestic-company": checks_company.domestic_company,
    "company-size": checks_company.company_size,
    "industry": checks_company.industry,
    "smart-factory-level": checks_company.smart_factory_level,
    "per-workplace": checks_company.per_workplace,
    "business-active": checks_company.business_active,
    "no-tax-arrears": checks_company.no_tax_arrears,
    "excluded-industry": checks_company.excluded_industry,
    "no-duplicate-funding": checks_company.no_duplicate_funding,
    "documents-valid": checks_company.documents_valid,
    "no-ongoing-restricted-program": checks_programs.no_ongoing_restricted_program,
    "concurrency-table": checks_programs.concurrency_table,
    "no-participation-restriction": checks_programs.no_participation_restriction,
    "program-specific-exclusion": checks_programs.program_specific_exclusion,
    "supplier-in-pool": checks_consortium.supplier_in_pool,
    "planner-applied-and-selected": checks_consortium.planner_applied_and_selected,
    "planner-not-supplier": checks_consortium.planner_not_supplier,
    "planner-no-subcontracting": checks_consortium.planner_no_subcontracting,
    "planner-track-record": checks_consortium.planner_track_record,
    "planner-staff": checks_consortium.planner_staff,
    "solution-equipment-integration": checks_consortium.solution_equipment_integration,
}
# Rules on the applicant's own record (size, level, industry code...) need its full
# snapshot; consortium members are known by BRN and name only.
APPLICANT_RECORD_CHECKS = frozenset(
    {"company-size", "industry", "smart-factory-level", "per-workplace"}
)


@dataclass(frozen=True, slots=True)
class _Step:
    """One rule, prepared once per call version: its check and its fixed reasons."""

    rule: EligibilityRule
    roles: frozenset[str]
    check: CheckFn
    needs_record: bool
    met: Text
    not_applicable: Text


@dataclass(frozen=True, slots=True)
class _Plan:
    call: CallDocument
    steps: tuple[_Step, ...]
    size_table: SizeTable | None
    size_rows: dict[str, SizeRow | None]  # by KSIC code, filled as codes are met
    requirements: dict[str, DocumentRequirement]
    deadline_day: date | None

    def small_business(self, company: OrganisationSnapshot) -> SmallBusinessClassification | None:
        if self.size_table is None:
            return None
        ksic = company.ksic_code
        if ksic not in self.size_rows:
            self.size_rows[ksic] = self.size_table.row_for(ksic)
        return classify(company, self.size_table, self.size_rows[ksic])


_plans: dict[int, _Plan] = {}
MAX_PLANS = 64


def _plan(call: CallDocument) -> _Plan:
    """The call's rules prepared for reviewing (kept per call object; a version is immutable)."""
    plan = _plans.get(id(call))
    if plan is not None and plan.call is call:
        return plan
    terms = call.terms.eligibility
    steps = tuple(
        _Step(
            rule=rule,
            roles=frozenset(rule.applies_to),
            check=CHECKS[rule.check],
            needs_record=rule.check in APPLICANT_RECORD_CHECKS,
            met=Text(ko=f"충족: {rule.description.ko}", en=f"Met: {rule.description.en}"),
            not_applicable=Text(
                ko=f"해당 없음: {rule.description.ko}", en=f"Not applicable: {rule.description.en}"
            ),
        )
        for rule in (terms.rules if terms else ())
    )
    tables = call.terms.size_tables
    window = call.schedule.application if call.schedule else None
    plan = _Plan(
        call,
        steps,
        tables[0] if tables else None,
        {},
        {r.kind: r for r in call.required_documents},
        window.closes_at.astimezone(KST).date() if window and window.closes_at else None,
    )
    if len(_plans) >= MAX_PLANS:
        _plans.clear()
    _plans[id(call)] = plan
    return plan


def review(call: CallDocument, case: ReviewCase, overrides: Iterable[Override] = ()) -> Decision:
    """Every rule for every organisation it applies to; the call's size table classifies
    the applicant (used later for the cloud-fee years)."""
    plan = _plan(call)
    ctx = Context(
        call=call,
        case=case,
        as_of_day=case.as_of_day,
        submitted_day=case.application.received_at.astimezone(KST).date(),
        deadline_day=plan.deadline_day,
        requirements=plan.requirements,
    )
    deadline = case.judged_as_of.isoformat()
    found: list[RuleOutcome] = []
    for who in subjects(case):
        for step in plan.steps:
            if who.role not in step.roles or (step.needs_record and who.organisation is None):
                continue
            finding = step.check(step.rule, who, ctx)
            found.append(_outcome(step, who, finding, deadline))
    outcomes = _overridden(tuple(found), overrides)
    small = plan.small_business(case.application.applicant)
    return Decision(Decision.verdict_of(outcomes), outcomes, call.id, call.version, small)


def _outcome(step: _Step, who: Subject, finding: Finding, deadline: str) -> RuleOutcome:
    rule = step.rule
    return RuleOutcome(
        rule_id=rule.id,
        check=rule.check,
        role=who.role,
        brn=who.brn,
        outcome=finding.outcome,
        inputs=finding.inputs,
        reason=_reason(step, who, finding, deadline),
        source=rule.source,
        evaluated=finding.outcome,
    )


def _reason(step: _Step, who: Subject, finding: Finding, deadline: str) -> Text:
    if finding.outcome == "fail":
        context = dict.fromkeys(CONTEXT_PLACEHOLDERS, "")
        context.update(deadline=deadline, role=who.role, organisation=who.name, found=finding.found)
        context.update(finding.context)
        return step.rule.render_reason(**context)
    if finding.note is not None:
        return finding.note
    return step.not_applicable if finding.outcome == "not-applicable" else step.met


def _overridden(
    outcomes: tuple[RuleOutcome, ...], overrides: Iterable[Override]
) -> tuple[RuleOutcome, ...]:
    """The latest override of each (rule, organisation) replaces the rule's outcome."""
    latest = {(o.rule_id, o.brn): o for o in sorted(overrides, key=lambda o: o.at)}
    if not latest:
        return outcomes
    return tuple(
        o.overridden(latest[(o.rule_id, o.brn)]) if (o.rule_id, o.brn) in latest else o
        for o in outcomes
    )
