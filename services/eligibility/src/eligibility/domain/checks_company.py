"""Checks on the applicant company itself: who it is, its industry, level and standing.

Each check takes the rule (its parameters), the organisation in its role and the case,
and returns a ``Finding``. Sources: 001 §3 신청자격 and 부적격 사항; 003 Ⅳ and Ⅸ.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from typing import Any

from eligibility.domain.case import Context, Subject
from eligibility.domain.outcomes import Finding
from sfms_shared.clock import add_months
from sfms_shared.contracts.common import SmartFactoryLevel, Text
from sfms_shared.contracts.terms_eligibility import EligibilityRule

# The call data names the evidence as the announcement does; the application contract
# names the same two routes (001 §3: 구축기업(점검·감리 등으로 확인) 또는 수준확인기업).
EVIDENCE_NAMES = {
    "government-built-verified": "government-support-verified",
    "level-check-certified": "level-check-certified",
}
SIZES = {"small": "sme", "medium": "sme", "midsize": "midsize", "large": "large"}
RANK = {level: rank for rank, level in enumerate(SmartFactoryLevel)}  # 미적용 < … < 고도화
DEFAULT_LEVEL_CERTIFICATE_YEARS = 3  # DOMAIN.md §4; 001 붙임2 가점 1: 발급일로부터 3년이내


LEVELS = {level.value: level for level in SmartFactoryLevel}


@lru_cache(maxsize=64)
def _accepted(evidence: tuple[str, ...]) -> frozenset[str]:
    return frozenset(EVIDENCE_NAMES.get(e, e) for e in evidence)


def _needs_person(ko: str, en: str, **inputs: Any) -> Finding:
    return Finding("needs-review", inputs, note=Text(ko=ko, en=en))


def _not_applicable(ko: str, en: str) -> Finding:
    return Finding("not-applicable", note=Text(ko=ko, en=en))


def domestic_company(rule: EligibilityRule, who: Subject, ctx: Context) -> Finding:
    """Applicants register by a Korean business registration number, issued by the
    National Tax Service to businesses in Korea; intake has verified its check digit."""
    return Finding("pass", {"brn": who.brn})


def company_size(rule: EligibilityRule, who: Subject, ctx: Context) -> Finding:
    company = who.organisation
    assert company is not None  # applicant-only check
    size = SIZES[company.size_class]
    inputs: dict[str, Any] = {"size_class": company.size_class}
    if size not in rule.parameters.get("sizes", ("sme", "midsize")):
        return Finding("fail", inputs, found=company.size_class)
    sections = rule.parameters.get("ksic_sections")  # 003 Ⅳ: 중소·중견 '제조'기업
    if sections and not company.ksic_code.startswith(tuple(sections)):
        return Finding("fail", {**inputs, "ksic_code": company.ksic_code}, found=company.ksic_code)
    wanted = rule.parameters.get("evidence_document")
    if wanted:
        documents = [d.kind for d in ctx.case.application.documents]
        inputs["evidence_document"] = wanted if wanted in documents else None
        if wanted not in documents:
            return Finding("fail", inputs, found=f"{wanted} 없음 / missing")
    return Finding("pass", inputs)


def industry(rule: EligibilityRule, who: Subject, ctx: Context) -> Finding:
    company = who.organisation
    assert company is not None
    sections = tuple(rule.parameters["ksic_sections"])
    inputs = {"ksic_code": company.ksic_code, "ksic_sections": list(sections)}
    if company.ksic_code.startswith(sections):
        return Finding("pass", inputs)
    return Finding("fail", inputs, found=company.ksic_code)


def smart_factory_level(rule: EligibilityRule, who: Subject, ctx: Context) -> Finding:
    """Level ≥ ``min_level`` by an accepted route, with a level certificate still valid
    (``level_certificate_validity_years`` from issue, inclusive of the anniversary).

    A rule with ``support_type`` applies only to that support type (003 Ⅳ: 고도화1 중간1,
    고도화2 중간2).
    """
    params = rule.parameters
    support_type = params.get("support_type")
    if support_type and support_type != ctx.case.application.support_type:
        return _not_applicable(
            f"{support_type} 지원유형에만 적용됩니다",
            f"Applies to support type {support_type} only",
        )
    minimum = LEVELS[params["min_level"]]
    status = who.organisation.smart_factory if who.organisation else None
    if status is None:
        return Finding("fail", {"smart_factory": None}, found="확인 자료 없음 / none")
    inputs: dict[str, Any] = {
        "level": status.level.value,
        "evidence": status.evidence,
        "certified_on": status.certified_on.isoformat(),
        "min_level": minimum.value,
    }
    accepted = _accepted(tuple(params.get("evidence", EVIDENCE_NAMES)))
    if status.evidence not in accepted:
        return Finding("fail", inputs, found=f"{status.level.value} ({status.evidence})")
    if RANK[status.level] < RANK[minimum]:
        return Finding("fail", inputs, found=status.level.value)
    if status.evidence == "level-check-certified":
        years = int(params.get("level_certificate_validity_years", DEFAULT_LEVEL_CERTIFICATE_YEARS))
        valid_until = add_months(status.certified_on, 12 * years)
        inputs["certificate_valid_until"] = valid_until.isoformat()
        if ctx.as_of_day > valid_until:
            found = (
                f"{status.level.value}, 확인서 유효기간 만료 / certificate expired {valid_until}"
            )
            return Finding("fail", inputs, found=found)
    return Finding("pass", inputs)


def per_workplace(rule: EligibilityRule, who: Subject, ctx: Context) -> Finding:
    company = who.organisation
    assert company is not None
    inputs: dict[str, Any] = {"brn": company.brn, "branch_workplace": company.branch_workplace}
    evidence = rule.parameters.get("branch_evidence")
    if company.branch_workplace and evidence:
        present = any(d.kind == evidence for d in ctx.case.application.documents)
        inputs["branch_evidence"] = present
        if not present:
            return Finding("fail", inputs, found=company.brn)
    return Finding("pass", inputs)


def business_active(rule: EligibilityRule, who: Subject, ctx: Context) -> Finding:
    status = who.facts.status_on(ctx.as_of_day)
    if status is None:
        return Finding("pass", {"status": None})
    inputs = {"status": status.status, "effective_on": status.effective_on.isoformat()}
    inputs["evidence"] = status.evidence
    if status.status == "active":
        return Finding("pass", inputs)
    label = {"closed": "폐업 / closed", "suspended": "휴업 / suspended"}[status.status]
    return Finding("fail", inputs, found=f"{label} {status.effective_on}")


def no_tax_arrears(rule: EligibilityRule, who: Subject, ctx: Context) -> Finding:
    taxes = set(rule.parameters.get("taxes", ("national", "local")))
    owed = [a for a in who.facts.tax_arrears if a.tax in taxes and a.owed_on(ctx.as_of_day)]
    inputs = {"arrears": list(owed)}
    if not owed:
        return Finding("pass", inputs)
    found = ", ".join(f"{_TAX[a.tax]} {a.since}" for a in owed)
    return Finding("fail", inputs, found=found)


_TAX = {"national": "국세 / national", "local": "지방세 / local"}


def excluded_industry(rule: EligibilityRule, who: Subject, ctx: Context) -> Finding:
    """``ksic_codes`` are excluded outright; ``review_ksic_codes`` hold both excluded and
    lawful activities (불건전 오락용품 inside 오락용품 제조업), so a person decides."""
    ksic = who.organisation.ksic_code if who.organisation else None
    if ksic is None:
        return _needs_person(
            "업종 정보가 없어 확인이 필요합니다",
            "No industry code on record: to be checked",
            brn=who.brn,
        )
    inputs = {"ksic_code": ksic}
    excluded = [c for c in rule.parameters.get("ksic_codes", ()) if ksic.startswith(c)]
    if excluded:
        return Finding("fail", {**inputs, "matched": excluded}, found=ksic)
    doubtful = [c for c in rule.parameters.get("review_ksic_codes", ()) if ksic.startswith(c)]
    if doubtful:
        return _needs_person(
            f"업종({ksic})에 지원 제외 품목이 포함될 수 있어 확인이 필요합니다",
            f"The industry ({ksic}) may include excluded goods: to be checked",
            **inputs,
            matched=doubtful,
        )
    return Finding("pass", inputs)


def no_duplicate_funding(rule: EligibilityRule, who: Subject, ctx: Context) -> Finding:
    """A plan funded before under the same title is a duplicate; other funded plans are
    listed as evidence (similarity beyond the title is for evaluators to raise)."""
    title = _normalised(ctx.case.application.project_title)
    funded = who.facts.funded_plans
    inputs = {"funded_plans": list(funded)}
    same = [p for p in funded if _normalised(p.project_title) == title]
    if same:
        return Finding("fail", inputs, found=", ".join(f"{p.program} {p.year}" for p in same))
    return Finding("pass", inputs)


def _normalised(text: str) -> str:
    return "".join(text.split()).casefold()


def documents_valid(rule: EligibilityRule, who: Subject, ctx: Context) -> Finding:
    """Every certificate in the application issued within its validity (발행일로부터 N개월
    이내, valid through the same calendar day N months later) on its reference day; which
    documents are certificates, and N, come from the call's document table."""
    if who.role != "applicant":
        return _not_applicable(
            "신청서에 첨부된 서류는 도입기업 항목에서 확인합니다",
            "The application's documents are checked under the applicant",
        )
    checked: list[dict[str, Any]] = []
    for document in ctx.case.application.documents:
        requirement = ctx.requirements.get(document.kind)
        validity = requirement.validity if requirement else None
        if requirement is None or validity is None or validity.max_age_months is None:
            continue
        months = validity.max_age_months
        reference = _reference_day(ctx, validity.reference)
        checked.append({"kind": document.kind, "issued_on": str(document.issued_on)})
        if document.issued_on is None:
            return _needs_person(
                f"{requirement.name.ko}의 발행일이 없어 확인이 필요합니다",
                f"{requirement.name.en} has no issue date: to be checked",
                documents=checked,
            )
        if not document.issued_on <= reference <= add_months(document.issued_on, months):
            return Finding(
                "fail",
                {"documents": checked, "reference": reference.isoformat(), "months": months},
                found=str(document.issued_on),
                context={"document": f"{requirement.name.ko} / {requirement.name.en}"},
            )
    return Finding("pass", {"documents": checked})


def _reference_day(ctx: Context, reference: str) -> date:
    if reference == "deadline" and ctx.deadline_day is not None:
        return ctx.deadline_day
    return ctx.submitted_day
