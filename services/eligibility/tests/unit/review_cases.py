"""Builders for review cases over the real seed calls (services/eligibility/tests/unit is
on the pytest pythonpath, so test modules import this by name).

The calls come from intake's seed files, the ground truth the platform publishes; every
case starts from a complete, eligible 001 application and changes one thing.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from functools import cache
from typing import Any
from uuid import UUID, uuid4

from eligibility.domain.case import ReviewCase
from eligibility.domain.facts import (
    BusinessStatus,
    Evidence,
    OngoingProject,
    OrganisationFacts,
    PoolMembership,
    Sanction,
    TaxArrears,
)
from eligibility.domain.outcomes import Decision, RuleOutcome
from eligibility.domain.review import review
from intake.seed_calls import load_seed_calls
from sfms_shared.contracts.applications import (
    ApplicationSnapshot,
    ConsortiumMember,
    DocumentRef,
    FinancialYear,
    OrganisationSnapshot,
    SmartFactoryStatus,
)
from sfms_shared.contracts.calls import CallDocument

KST = timezone(timedelta(hours=9))
AUTONOMOUS = "2026-autonomous-factory-2"
KAMP = "2021-kamp-ai-smart-factory"
DEADLINE_001 = datetime(2026, 6, 16, 17, 0, tzinfo=KST)
APPLICANT_BRN = "1234567891"
SUPPLIER_BRN = "2148600016"
PLANNER_BRN = "1018200013"


@cache
def call(call_id: str) -> CallDocument:
    return next(c for c in load_seed_calls() if c.id == call_id)


def company(**changes: Any) -> OrganisationSnapshot:
    values: dict[str, Any] = {
        "id": uuid4(),
        "kind": "company",
        "brn": APPLICANT_BRN,
        "name": "(주)한빛정밀",
        "legal_form": "corporation",
        "ksic_code": "C29",
        "size_class": "small",
        "region": "경남",
        "founded_on": date(2012, 3, 1),
        "headcount": 48,
        "smart_factory": SmartFactoryStatus(
            level="중간1", evidence="level-check-certified", certified_on=date(2025, 1, 10)
        ),
        "financials": tuple(
            FinancialYear(
                year=y,
                revenue_krw=r,
                operating_profit_krw=r // 10,
                total_liabilities_krw=r // 2,
                total_equity_krw=r,
            )
            for y, r in ((2023, 9_000_000_000), (2024, 9_500_000_000), (2025, 10_000_000_000))
        ),
    }
    return OrganisationSnapshot(**{**values, **changes})


def document(kind: str, issued_on: date | None = None) -> DocumentRef:
    return DocumentRef(
        id=uuid4(),
        kind=kind,
        sha256="0" * 64,
        media_type="application/pdf",
        size_bytes=1000,
        issuer=None,
        issued_on=issued_on,
        uploaded_at=datetime(2026, 6, 1, tzinfo=UTC),
    )


def application(call_id: str = AUTONOMOUS, **changes: Any) -> ApplicationSnapshot:
    values: dict[str, Any] = {
        "application_id": UUID(int=1),
        "call_id": call_id,
        "call_version": 1,
        "submission_version": 1,
        "receipt_number": "AF26-2-000001",
        "received_at": datetime(2026, 6, 10, 10, 0, tzinfo=KST),
        "mode": "consortium",
        "support_type": "advanced",
        "applicant": company(),
        "consortium": (
            ConsortiumMember(
                role="supplier", organisation_id=uuid4(), brn=SUPPLIER_BRN, name="공급"
            ),
            ConsortiumMember(role="planner", organisation_id=uuid4(), brn=PLANNER_BRN, name="기획"),
        ),
        "documents": (
            document("sme-confirmation"),
            document("business-registration-certificate", date(2026, 6, 1)),
            document("national-tax-clearance", date(2026, 6, 1)),
        ),
        "project_title": "AI 기반 자율 가공 라인 구축",
    }
    return ApplicationSnapshot(**{**values, **changes})


def evidence(registry: str, key: str = "r1") -> Evidence:
    return Evidence(registry=registry, record_key=key, version=1)


def good_standing() -> dict[str, OrganisationFacts]:
    """The supplier in the pool and the planner selected, with its records and staff."""
    return {
        SUPPLIER_BRN: OrganisationFacts(
            brn=SUPPLIER_BRN,
            memberships=(
                PoolMembership(
                    evidence=evidence("pools", "sp"),
                    pool="supplier",
                    status="registered",
                    since=date(2024, 1, 1),
                ),
            ),
        ),
        PLANNER_BRN: OrganisationFacts(
            brn=PLANNER_BRN,
            memberships=(
                PoolMembership(
                    evidence=evidence("pools", "pp"),
                    pool="planner",
                    status="selected",
                    since=date(2026, 5, 29),
                    relevant_records=12,
                    full_time_staff=7,
                    subcontracts=False,
                ),
            ),
        ),
    }


def facts_of_applicant(**facts: Any) -> dict[str, OrganisationFacts]:
    return {**good_standing(), APPLICANT_BRN: OrganisationFacts(brn=APPLICANT_BRN, **facts)}


def case(
    snapshot: ApplicationSnapshot | None = None,
    facts: dict[str, OrganisationFacts] | None = None,
    judged_as_of: datetime = DEADLINE_001,
    **changes: Any,
) -> ReviewCase:
    return ReviewCase(
        application=snapshot or application(),
        judged_as_of=judged_as_of,
        known_at=datetime(2026, 6, 20, tzinfo=UTC),
        facts=good_standing() if facts is None else facts,
        **changes,
    )


def decide(review_case: ReviewCase, call_id: str = AUTONOMOUS) -> Decision:
    return review(call(call_id), review_case)


def outcome(decision: Decision, rule_id: str, brn: str = APPLICANT_BRN) -> RuleOutcome:
    return next(o for o in decision.outcomes if o.rule_id == rule_id and o.brn == brn)


def sanction(source: str, starts: date, ends: date | None = None) -> Sanction:
    return Sanction(
        evidence=evidence("sanctions"),
        source=source,
        program="제조로봇도입",
        starts_on=starts,
        ends_on=ends,
    )


def status(value: str, effective: date) -> BusinessStatus:
    return BusinessStatus(evidence=evidence("closures"), status=value, effective_on=effective)


def arrears(tax: str, since: date, cleared: date | None = None) -> TaxArrears:
    return TaxArrears(evidence=evidence("tax-arrears"), tax=tax, since=since, cleared_on=cleared)


def project(program: str, **changes: Any) -> OngoingProject:
    values: dict[str, Any] = {
        "evidence": evidence("ongoing-projects"),
        "program": program,
        "year": 2025,
        "stage": "executing",
    }
    return OngoingProject(**{**values, **changes})
