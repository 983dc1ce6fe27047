"""Requirement review (요건검토): every rule of the call version, for every organisation it
applies to, with its outcome, the inputs it used, a reason in Korean and English and its
source; operators' overrides applied on top.

``review`` is pure: the same call version, case and overrides give the same decision, so a
stored decision can be replayed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from eligibility.domain import checks_company, checks_consortium, checks_programs
from eligibility.domain.case import Context, ReviewCase, Subject, subjects
from eligibility.domain.outcomes import Decision, Finding, Override, RuleOutcome
from eligibility.domain.size import classify
from sfms_shared.contracts.calls import CallDocument
from sfms_shared.contracts.common import Text
from sfms_shared.contracts.terms_eligibility import CONTEXT_PLACEHOLDERS, Check, EligibilityRule

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


def review(call: CallDocument, case: ReviewCase, overrides: Iterable[Override] = ()) -> Decision:
    terms = call.terms.eligibility
    rules = terms.rules if terms else ()
    ctx = Context(call=call, case=case, as_of_day=case.as_of_day)
    deadline = case.judged_as_of.isoformat()
    found: list[RuleOutcome] = []
    for who in subjects(case):
        for rule in rules:
            if who.role not in rule.applies_to:
                continue
            if rule.check in APPLICANT_RECORD_CHECKS and who.organisation is None:
                continue
            finding = CHECKS[rule.check](rule, who, ctx)
            found.append(_outcome(rule, who, finding, deadline))
    outcomes = _overridden(tuple(found), overrides)
    tables = call.terms.size_tables
    small = classify(case.application.applicant, tables[0]) if tables else None
    return Decision(Decision.verdict_of(outcomes), outcomes, call.id, call.version, small)


def _outcome(rule: EligibilityRule, who: Subject, finding: Finding, deadline: str) -> RuleOutcome:
    return RuleOutcome(
        rule_id=rule.id,
        check=rule.check,
        role=who.role,
        brn=who.brn,
        outcome=finding.outcome,
        inputs=finding.inputs,
        reason=_reason(rule, who, finding, deadline),
        source=rule.source,
        evaluated=finding.outcome,
    )


def _reason(rule: EligibilityRule, who: Subject, finding: Finding, deadline: str) -> Text:
    if finding.outcome == "fail":
        context = dict.fromkeys(CONTEXT_PLACEHOLDERS, "")
        context.update(deadline=deadline, role=who.role, organisation=who.name, found=finding.found)
        context.update(finding.context)
        return rule.render_reason(**context)
    if finding.note is not None:
        return finding.note
    if finding.outcome == "not-applicable":
        return Text(
            ko=f"해당 없음: {rule.description.ko}", en=f"Not applicable: {rule.description.en}"
        )
    return Text(ko=f"충족: {rule.description.ko}", en=f"Met: {rule.description.en}")


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
