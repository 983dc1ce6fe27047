"""The checks a submission must pass against the call version it is made to.

Intake checks what it can know by itself: the window, the documents and their
validity, the consortium's shape. Requirement review (eligibility) judges the rest.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime

from intake.domain.documents import valid_on
from intake.domain.errors import RuleViolation, Violation
from sfms_shared.clock import KST
from sfms_shared.contracts.applications import BonusClaim, DocumentRef, OrganisationSnapshot
from sfms_shared.contracts.calls import CallDocument, DocumentRequirement

ROLE_KIND = {"supplier": "supplier", "planner": "planner"}


@dataclass(frozen=True)
class Member:
    role: str
    organisation: OrganisationSnapshot


@dataclass(frozen=True)
class SubmissionCandidate:
    mode: str
    support_type: str
    applicant: OrganisationSnapshot
    members: tuple[Member, ...]
    bonus_claims: tuple[BonusClaim, ...]
    documents: tuple[DocumentRef, ...]


def check_window(call: CallDocument, received_at: datetime) -> None:
    """``opens_at <= received_at < closes_at`` (001 §3 신청기간: 6월 16일 17시까지)."""
    window = call.schedule.application
    if received_at < window.opens_at:
        raise RuleViolation.single(
            "received_at",
            "call-not-open",
            f"Applications open at {window.opens_at.astimezone(KST).isoformat()} (KST)",
            f"접수는 {window.opens_at.astimezone(KST):%Y-%m-%d %H:%M} (한국시간)부터입니다",
            conflict=True,
        )
    if window.closes_at is not None and received_at >= window.closes_at:
        raise RuleViolation.single(
            "received_at",
            "deadline-passed",
            f"The deadline was {window.closes_at.astimezone(KST).isoformat()} (KST)",
            f"접수 마감({window.closes_at.astimezone(KST):%Y-%m-%d %H:%M}, 한국시간)이 지났습니다",
            conflict=True,
        )


def check_submission(
    call: CallDocument, candidate: SubmissionCandidate, received_at: datetime
) -> None:
    check_window(call, received_at)
    violations = [
        *_support_type(call, candidate),
        *_consortium(call, candidate),
        *_documents(call, candidate, received_at),
    ]
    if violations:
        raise RuleViolation(violations)


def _support_type(call: CallDocument, candidate: SubmissionCandidate) -> list[Violation]:
    codes = [s.code for s in call.support_types]
    if candidate.support_type in codes:
        return []
    return [
        Violation(
            "support_type",
            "unknown-support-type",
            f"Support type must be one of {codes}",
            f"지원유형은 {codes} 중 하나여야 합니다",
        )
    ]


def _consortium(call: CallDocument, candidate: SubmissionCandidate) -> list[Violation]:
    rules = call.consortium
    found: list[Violation] = []
    if candidate.mode not in rules.modes:
        found.append(
            Violation(
                "mode",
                "mode-not-allowed",
                f"Mode must be one of {list(rules.modes)}",
                f"신청방식은 {list(rules.modes)} 중 하나여야 합니다",
            )
        )
    if candidate.mode == "solo" and candidate.members:
        found.append(
            Violation(
                "consortium",
                "solo-with-members",
                "A solo application names no consortium members",
                "단독신청에는 컨소시엄 참여기관을 지정할 수 없습니다",
            )
        )
    if candidate.mode == "consortium" and not candidate.members:
        found.append(
            Violation(
                "consortium",
                "consortium-without-members",
                "A consortium application names at least one supplier or planner",
                "컨소시엄 신청에는 공급기업 또는 기획기관이 1개 이상 필요합니다",
            )
        )
    counts = Counter(m.role for m in candidate.members)
    for role in ("supplier", "planner"):
        limit = rules.role(role)
        if limit and limit.max_count is not None and counts[role] > limit.max_count:
            found.append(
                Violation(
                    "consortium",
                    f"too-many-{role}s",
                    f"At most {limit.max_count} {role}(s) ({limit.source.section})",
                    f"{_ROLE_KO[role]}은(는) 최대 {limit.max_count}개입니다",
                )
            )
    for index, member in enumerate(candidate.members):
        if member.organisation.kind != ROLE_KIND[member.role]:
            found.append(
                Violation(
                    f"consortium[{index}].organisation_id",
                    "role-kind-mismatch",
                    f"A {member.role} must be registered as a {ROLE_KIND[member.role]}",
                    f"{_ROLE_KO[member.role]}은(는) {_ROLE_KO[member.role]}으로 등록된 기관이어야 합니다",
                )
            )
        if member.organisation.id == candidate.applicant.id:
            found.append(
                Violation(
                    f"consortium[{index}].organisation_id",
                    "applicant-as-member",
                    "The applicant cannot also be a consortium member",
                    "도입기업은 컨소시엄 참여기관을 겸할 수 없습니다",
                )
            )
    ids = Counter(m.organisation.id for m in candidate.members)
    if rules.planner_may_not_supply and any(n > 1 for n in ids.values()):
        found.append(
            Violation(
                "consortium",
                "organisation-in-two-roles",
                "One organisation cannot hold two roles (a planner may not also supply)",
                "한 기관이 두 역할을 맡을 수 없습니다(기획기관은 공급기업 동시 수행 불가)",
            )
        )
    return found


_ROLE_KO = {"supplier": "공급기업", "planner": "기획기관"}


def _documents(
    call: CallDocument, candidate: SubmissionCandidate, received_at: datetime
) -> list[Violation]:
    by_kind: dict[str, list[DocumentRef]] = {}
    for document in candidate.documents:
        by_kind.setdefault(document.kind, []).append(document)
    references = {
        "submission": received_at.astimezone(KST).date(),
        "deadline": _deadline_or_submission(call, received_at),
    }
    found: list[Violation] = []
    for requirement in call.required_documents:
        if requirement.required == "optional" or not _applies(requirement, candidate):
            continue
        present = by_kind.get(requirement.kind, [])
        field = f"documents[{requirement.kind}]"
        if requirement.fiscal_years:
            found.extend(_fiscal_years(requirement, present, candidate.applicant, field))
            continue
        if not present:
            found.append(_missing(requirement, field))
            continue
        if requirement.validity:
            reference = references[requirement.validity.reference]
            if not any(
                d.issued_on and valid_on(requirement.validity, d.issued_on, reference)
                for d in present
            ):
                found.append(_expired(requirement, field, reference))
    found.extend(_bonus_evidence(candidate))
    return found


def _deadline_or_submission(call: CallDocument, received_at: datetime) -> date:
    """Documents valid 'on the deadline'; for a call open until its budget is spent, on receipt."""
    closes_at = call.schedule.application.closes_at or received_at
    return closes_at.astimezone(KST).date()


def _applies(requirement: DocumentRequirement, candidate: SubmissionCandidate) -> bool:
    if requirement.required != "when-applicable":
        return True
    applicant = candidate.applicant
    return {
        "corporation": applicant.legal_form == "corporation",
        "bonus-claimed": bool(candidate.bonus_claims),
        "branch-workplace": applicant.branch_workplace,
    }[requirement.condition]


def _fiscal_years(
    requirement: DocumentRequirement,
    present: list[DocumentRef],
    applicant: OrganisationSnapshot,
    field: str,
) -> list[Violation]:
    """001 §3: statements for '23–'25, or '22–'24 where 2025 is not closed; years before
    the company was founded cannot exist and are not asked for."""
    have = {d.fiscal_year for d in present}
    coverage = requirement.fiscal_years
    options = [coverage.years] + (
        [coverage.alternative_years] if coverage.alternative_years else []
    )
    for years in options:
        needed = {y for y in years if y >= applicant.founded_on.year}
        if needed <= have:
            return []
    needed = sorted(y for y in coverage.years if y >= applicant.founded_on.year)
    missing = sorted(set(needed) - have)
    return [
        Violation(
            field,
            "document-missing",
            f"{requirement.name.en}: one per fiscal year {needed} is required; missing {missing}",
            f"{requirement.name.ko}: {needed} 사업연도별 1부가 필요합니다(누락: {missing})",
        )
    ]


def _missing(requirement: DocumentRequirement, field: str) -> Violation:
    return Violation(
        field,
        "document-missing",
        f"{requirement.name.en} is required ({requirement.source.file}, {requirement.source.section})",
        f"{requirement.name.ko}이(가) 필요합니다",
    )


def _expired(requirement: DocumentRequirement, field: str, reference: date) -> Violation:
    months = requirement.validity.max_age_months
    return Violation(
        field,
        "document-expired",
        f"{requirement.name.en} must be issued within {months} months before {reference.isoformat()}",
        f"{requirement.name.ko}은(는) {reference.isoformat()} 기준 발행일로부터 {months}개월 이내여야 합니다",
    )


def _bonus_evidence(candidate: SubmissionCandidate) -> list[Violation]:
    ids = {d.id for d in candidate.documents}
    return [
        Violation(
            f"bonus_claims[{index}].evidence_document_id",
            "evidence-not-attached",
            "The evidence document must be one of this application's documents",
            "가점 증빙서류는 이 신청서에 첨부된 서류여야 합니다",
        )
        for index, claim in enumerate(candidate.bonus_claims)
        if claim.evidence_document_id is not None and claim.evidence_document_id not in ids
    ]
