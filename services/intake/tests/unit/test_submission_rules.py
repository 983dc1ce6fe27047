"""Submission checks against the 001 call (2026 autonomous factory, 2nd call)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from uuid import uuid4

import pytest

from intake.domain.errors import RuleViolation
from intake.domain.submission import Member, SubmissionCandidate, check_submission, check_window
from intake.seed_calls import load_seed_calls
from sfms_shared.clock import KST
from sfms_shared.contracts.applications import BonusClaim, DocumentRef, OrganisationSnapshot

CALL = next(c for c in load_seed_calls() if c.id == "2026-autonomous-factory-2")
ON_TIME = datetime(2026, 6, 10, 11, 0, tzinfo=KST)


def organisation(kind: str = "company", **changes: object) -> OrganisationSnapshot:
    values = dict(
        id=uuid4(),
        kind=kind,
        brn="2208162517",
        name="테스트",
        legal_form="corporation",
        ksic_code="C29",
        size_class="small",
        region="경기",
        founded_on=date(2010, 1, 1),
        headcount=30,
    )
    return OrganisationSnapshot(**{**values, **changes})


def document(
    kind: str, issued_on: date | None = date(2026, 6, 1), fiscal_year: int | None = None
) -> DocumentRef:
    return DocumentRef(
        id=uuid4(),
        kind=kind,
        sha256="0" * 64,
        media_type="application/pdf",
        size_bytes=10,
        issuer="x",
        issued_on=issued_on,
        fiscal_year=fiscal_year,
        uploaded_at=datetime.now(UTC),
    )


def complete_documents() -> list[DocumentRef]:
    docs = []
    for requirement in CALL.required_documents:
        if requirement.required == "optional" or requirement.condition in (
            "bonus-claimed",
            "branch-workplace",
        ):
            continue
        if requirement.fiscal_years:
            docs += [
                document(requirement.kind, None, year) for year in requirement.fiscal_years.years
            ]
        else:
            docs.append(document(requirement.kind))
    return docs


def candidate(**changes: object) -> SubmissionCandidate:
    base = SubmissionCandidate(
        mode="solo",
        support_type="advanced",
        applicant=organisation(),
        members=(),
        bonus_claims=(),
        documents=tuple(complete_documents()),
    )
    return replace(base, **changes)


def violations(c: SubmissionCandidate, at: datetime = ON_TIME) -> list[tuple[str, str]]:
    try:
        check_submission(CALL, c, at)
    except RuleViolation as exc:
        return [(v.field, v.code) for v in exc.violations]
    return []


def test_a_complete_solo_application_passes() -> None:
    assert violations(candidate()) == []


def test_one_millisecond_before_the_deadline_is_on_time() -> None:
    """001 §3 신청기간: 2026-06-16(화) 17시까지."""
    check_window(CALL, datetime(2026, 6, 16, 16, 59, 59, 999000, tzinfo=KST))


def test_exactly_17_00_00_000_kst_is_late() -> None:
    """001 §3: 접수 마감일 17시 이전 완료 필요."""
    with pytest.raises(RuleViolation) as raised:
        check_window(CALL, datetime(2026, 6, 16, 17, 0, 0, 0, tzinfo=KST))
    assert raised.value.violations[0].code == "deadline-passed"
    assert raised.value.conflict


def test_the_deadline_is_the_same_instant_in_utc() -> None:
    with pytest.raises(RuleViolation):
        check_window(CALL, datetime(2026, 6, 16, 8, 0, tzinfo=UTC))
    check_window(CALL, datetime(2026, 6, 16, 7, 59, 59, 999999, tzinfo=UTC))


def test_before_opening_is_refused() -> None:
    with pytest.raises(RuleViolation) as raised:
        check_window(CALL, datetime(2026, 4, 26, 23, 59, 59, tzinfo=KST))
    assert raised.value.violations[0].code == "call-not-open"
    check_window(CALL, datetime(2026, 4, 27, 0, 0, tzinfo=KST))


def test_a_missing_required_document_is_named() -> None:
    docs = [d for d in complete_documents() if d.kind != "national-tax-clearance"]
    assert violations(candidate(documents=tuple(docs))) == [
        ("documents[national-tax-clearance]", "document-missing")
    ]


def test_a_tax_certificate_older_than_three_months_is_expired() -> None:
    """001 §3 제출서류 4: 국세 완납 증명서 발행일로부터 3개월 이내 (reference: the submission date)."""
    docs = [d for d in complete_documents() if d.kind != "national-tax-clearance"]
    at = datetime(2026, 6, 16, 10, 0, tzinfo=KST)
    on_the_edge = [*docs, document("national-tax-clearance", issued_on=date(2026, 3, 16))]
    assert violations(candidate(documents=tuple(on_the_edge)), at) == []
    one_day_over = [*docs, document("national-tax-clearance", issued_on=date(2026, 3, 15))]
    assert violations(candidate(documents=tuple(one_day_over)), at) == [
        ("documents[national-tax-clearance]", "document-expired")
    ]


def test_corporation_only_documents_are_not_asked_of_a_sole_proprietor() -> None:
    corporate = {"corporate-register-extract", "corporate-seal-certificate", "seal-usage-statement"}
    docs = tuple(d for d in complete_documents() if d.kind not in corporate)
    sole = organisation(legal_form="sole-proprietor")
    assert violations(candidate(applicant=sole, documents=docs)) == []
    assert {f for f, _ in violations(candidate(documents=docs))} == {
        f"documents[{k}]" for k in corporate
    }


def test_statements_for_2022_to_2024_replace_2023_to_2025() -> None:
    """001 §3 제출서류 6: 2025년 재무제표 미확정 기업은 2022~2024년 재무제표 제출."""
    others = [d for d in complete_documents() if d.kind != "financial-statements"]
    alternative = [document("financial-statements", None, y) for y in (2022, 2023, 2024)]
    assert violations(candidate(documents=tuple(others + alternative))) == []
    gap = [document("financial-statements", None, y) for y in (2023, 2025)]
    assert violations(candidate(documents=tuple(others + gap))) == [
        ("documents[financial-statements]", "document-missing")
    ]


def test_a_company_founded_in_2024_owes_no_2023_statement() -> None:
    others = [d for d in complete_documents() if d.kind != "financial-statements"]
    young = organisation(founded_on=date(2024, 3, 1))
    statements = [document("financial-statements", None, y) for y in (2024, 2025)]
    assert violations(candidate(applicant=young, documents=tuple(others + statements))) == []


def test_bonus_claims_need_bonus_evidence() -> None:
    claims = (BonusClaim(item="level-certificate"),)
    assert violations(candidate(bonus_claims=claims)) == [
        ("documents[bonus-evidence]", "document-missing")
    ]
    evidence = document("bonus-evidence")
    with_evidence = candidate(
        bonus_claims=(BonusClaim(item="level-certificate", evidence_document_id=evidence.id),),
        documents=(*complete_documents(), evidence),
    )
    assert violations(with_evidence) == []


def test_consortium_roles_must_be_consistent() -> None:
    """001 §2: 기획기관(공급기업 동시 수행 불가); a consortium names at least one member."""
    planner = organisation("planner")
    assert ("consortium", "consortium-without-members") in violations(candidate(mode="consortium"))
    assert ("consortium", "solo-with-members") in violations(
        candidate(members=(Member("planner", planner),))
    )
    both = (Member("planner", planner), Member("supplier", planner))
    found = violations(candidate(mode="consortium", members=both))
    assert ("consortium", "organisation-in-two-roles") in found
    assert ("consortium[1].organisation_id", "role-kind-mismatch") in found
    two_planners = (Member("planner", planner), Member("planner", organisation("planner")))
    assert ("consortium", "too-many-planners") in violations(
        candidate(mode="consortium", members=two_planners)
    )
    good = (Member("planner", planner), Member("supplier", organisation("supplier")))
    assert violations(candidate(mode="consortium", members=good)) == []


def test_unknown_support_type() -> None:
    assert violations(candidate(support_type="고도화2")) == [
        ("support_type", "unknown-support-type")
    ]
