"""Checks against the organisation's other government programs and sanctions.

- ongoing restricted programs: 001 §3 부적격 사항 and 붙임1 (기존사업 수행중인 경우), with
  the exception "최종선정 전 기 수행과제의 구축기간이 종료된 기업은 지원 가능"; 003 Ⅸ
  (선정 이후부터 구축완료 전까지, no exception);
- the year's concurrency table: 001 붙임1 (26년 신규 신청인 경우, ①–⑩);
- participation restrictions: 001 붙임1 '참여제한' 제재 여부 확인 대상 사업 목록.
"""

from __future__ import annotations

from typing import Any

from eligibility.domain.case import Context, Subject, month_end
from eligibility.domain.facts import OngoingProject
from eligibility.domain.outcomes import Finding
from sfms_shared.contracts.common import Text
from sfms_shared.contracts.terms_concurrency import ConcurrencyTerms
from sfms_shared.contracts.terms_eligibility import EligibilityRule

RUNNING = frozenset({"selected", "executing"})  # 수행 중: from selection until built
LIVE_IN_YEAR = frozenset({"applied", "selected", "executing"})  # 동시 지원·선정


def _key(name: str) -> str:
    return "".join(name.split()).casefold()


def _restricted_names(rule: EligibilityRule, terms: ConcurrencyTerms | None, year: int) -> dict:
    """Normalised program name → (shown name, names it excludes) for projects of ``year``."""
    names: dict[str, tuple[str, tuple[str, ...]]] = {}
    for program in terms.ongoing_restricted if terms else ():
        if year in program.years:
            excludes = tuple(_key(e.ko) for e in program.excludes)
            names[_key(program.name.ko)] = (program.name.ko, excludes)
    for name in rule.parameters.get("programs", ()):
        names.setdefault(_key(name), (name, ()))
    return names


def _restricted(project: OngoingProject, names: dict) -> str | None:
    program = _key(project.program)
    for key, (shown, excludes) in names.items():
        if program.startswith(key) and not any(x in program for x in excludes):
            return shown
    return None


def no_ongoing_restricted_program(rule: EligibilityRule, who: Subject, ctx: Context) -> Finding:
    """A project of a restricted program that is running blocks the application, unless
    the call's exception holds: its build period under the agreement ends before final
    selection. Until the agency sets the final-selection date, the announced evaluation
    months stand in for it: a build ending before them passes, one ending after them
    fails, and one ending within them needs a person."""
    terms = ctx.call.terms.concurrency
    running = [
        p
        for p in who.facts.ongoing_projects
        if p.stage in RUNNING and (p.build_ends_on is None or p.build_ends_on >= ctx.as_of_day)
    ]
    blocking: list[tuple[OngoingProject, str]] = []
    for project in running:
        shown = _restricted(project, _restricted_names(rule, terms, project.year))
        if shown:
            blocking.append((project, shown))
    inputs: dict[str, Any] = {"projects": [p for p, _ in blocking]}
    if not blocking:
        return Finding("pass", inputs)
    exception = rule.parameters.get("exception") or (terms.ongoing_exception if terms else None)
    if exception != "build-period-ended-before-final-selection":
        project, shown = blocking[0]
        return Finding("fail", inputs, found=shown, context={"program": shown})
    return _before_final_selection(blocking, inputs, ctx)


def _before_final_selection(
    blocking: list[tuple[OngoingProject, str]], inputs: dict[str, Any], ctx: Context
) -> Finding:
    selection = ctx.case.final_selection_on
    span = ctx.call.schedule.selection_evaluation if ctx.call.schedule else None
    if selection is not None:
        first, last = selection, selection
        inputs["final_selection_on"] = selection.isoformat()
    elif span is not None:
        first, last = month_end(span.from_month).replace(day=1), month_end(span.to_month)
        inputs["selection_evaluation"] = {"from": span.from_month, "to": span.to_month}
    else:
        first = last = None
    doubtful = []
    for project, shown in blocking:
        ends = project.build_ends_on
        if ends is None or (last is not None and ends >= last) or first is None:
            return Finding("fail", inputs, found=shown, context={"program": shown})
        if ends >= first:
            doubtful.append(shown)
    if doubtful:
        names = ", ".join(doubtful)
        return Finding(
            "needs-review",
            inputs,
            note=Text(
                ko=f"{names}: 구축기간이 선정평가 기간 중 종료되어 최종선정일 확인이 필요합니다",
                en=f"{names}: the build ends during the evaluation months; the final-selection "
                "date decides",
            ),
        )
    names = ", ".join(shown for _, shown in blocking)
    return Finding(
        "pass",
        inputs,
        note=Text(
            ko=f"{names}: 구축기간이 최종선정 전에 종료되어 신청 가능합니다",
            en=f"{names}: the build period ends before final selection, so the application may "
            "proceed",
        ),
    )


def concurrency_table(rule: EligibilityRule, who: Subject, ctx: Context) -> Finding:
    """This call's program held with the organisation's other programs of the same year."""
    terms = ctx.call.terms.concurrency
    this = rule.parameters.get("this_program") or (terms.this_call_program if terms else None)
    if terms is None or this is None:
        return Finding("not-applicable")
    others = [
        p
        for p in who.facts.ongoing_projects
        if p.year == ctx.call.year and p.concurrency_program and p.stage in LIVE_IN_YEAR
    ]
    numbers = {p.concurrency_program for p in others if p.concurrency_program != this}
    inputs: dict[str, Any] = {"this_program": this, "other_programs": sorted(numbers)}
    for number in sorted(numbers):
        if not terms.compatible(this, number):
            return Finding("fail", inputs, context={"program": _name(terms, number)})
    if not terms.compatible_set({this, *numbers}):
        shown = ", ".join(_name(terms, n) for n in sorted(numbers))
        return Finding("fail", inputs, context={"program": shown})
    if _after_service_blocks(terms, this, who):
        inputs["under_after_service"] = True
        return Finding("fail", inputs, context={"program": "유무상 AS / after-service"})
    return Finding("pass", inputs)


def _after_service_blocks(terms: ConcurrencyTerms, this: int, who: Subject) -> bool:
    """⑩: "단, 유무상 AS진행 중 신청불가"."""
    return any(
        rule.kind == "only-without"
        and this in rule.programs
        and rule.parameters.get("not_under_after_service")
        and any(p.under_after_service for p in who.facts.ongoing_projects)
        for rule in terms.rules
    )


def _name(terms: ConcurrencyTerms, number: int) -> str:
    program = terms.program(number)
    circled = chr(0x2460 + number - 1)
    return f"{circled} {program.name.ko}" if program else circled


def no_participation_restriction(rule: EligibilityRule, who: Subject, ctx: Context) -> Finding:
    """A restriction in force on the judgment day fails the rule. One that starts later
    but is in force now also bars participation (removal at any stage), so a person
    decides it."""
    registries = set(
        rule.parameters.get("registries", ("smart-factory-sanctions", "kiria", "kpic"))
    )
    sanctions = [s for s in who.facts.sanctions if s.source in registries]
    in_force = [s for s in sanctions if s.in_force_on(ctx.as_of_day)]
    inputs: dict[str, Any] = {"sanctions": list(sanctions)}
    if in_force:
        shown = "; ".join(f"{s.program} ({_registry_name(ctx, s.source)})" for s in in_force)
        return Finding("fail", inputs, found=shown, context={"program": shown})
    later = [s for s in sanctions if s.starts_on > ctx.as_of_day]
    if later:
        shown = "; ".join(f"{s.program} {s.starts_on}" for s in later)
        return Finding(
            "needs-review",
            inputs,
            note=Text(
                ko=f"판단 기준일 이후 시작된 참여제한이 있습니다({shown})",
                en=f"A participation restriction starting after the judgment day exists ({shown})",
            ),
        )
    return Finding("pass", inputs)


def _registry_name(ctx: Context, registry: str) -> str:
    terms = ctx.call.terms.concurrency
    for source in terms.sanction_sources if terms else ():
        if source.registry == registry:
            return source.registry_name.ko
    return registry


def program_specific_exclusion(rule: EligibilityRule, who: Subject, ctx: Context) -> Finding:
    """A catalogue defers to each program's own call (004 "개별 사업공고에서 정하는 바")."""
    return Finding(
        "needs-review",
        note=Text(
            ko="개별 사업공고의 신청 제한·지원 제외 사항은 담당자가 확인합니다",
            en="The program's own restrictions and exclusions are checked by a person",
        ),
    )
