"""The consortium: 001_39e04bdc262ce7ee.txt §2 신청대상 및 자격 (기획기관: 신청·선정 필수,
공급기업 동시 수행 불가, 단독 신청·하도급 불가, 실적 10건, 상근 인력 5인), §3 신청자격
(공급기업 Pool 등록)."""

from __future__ import annotations

from datetime import date
from uuid import uuid4

import pytest
from review_cases import (
    PLANNER_BRN,
    SUPPLIER_BRN,
    application,
    case,
    decide,
    evidence,
    good_standing,
    outcome,
)

from eligibility.domain.facts import OrganisationFacts, PoolMembership
from sfms_shared.contracts.applications import ConsortiumMember


def planner(**changes: object) -> dict[str, OrganisationFacts]:
    values = {
        "evidence": evidence("pools", "pp"),
        "pool": "planner",
        "status": "selected",
        "since": date(2026, 5, 29),
        "relevant_records": 10,
        "full_time_staff": 5,
        "subcontracts": False,
    }
    membership = PoolMembership(**{**values, **changes})
    facts = good_standing()
    facts[PLANNER_BRN] = OrganisationFacts(brn=PLANNER_BRN, memberships=(membership,))
    return facts


def planner_outcome(rule: str, **changes: object) -> str:
    return outcome(decide(case(facts=planner(**changes))), rule, PLANNER_BRN).outcome


def test_a_supplier_outside_the_pool_fails_and_is_named() -> None:
    facts = good_standing()
    facts[SUPPLIER_BRN] = OrganisationFacts(brn=SUPPLIER_BRN)
    decision = decide(case(facts=facts))
    found = outcome(decision, "supplier-in-pool", SUPPLIER_BRN)
    assert found.outcome == "fail"
    assert "공급" in found.reason.ko and decision.verdict == "ineligible"


def test_a_supplier_removed_from_the_pool_before_the_deadline_fails() -> None:
    facts = good_standing()
    removed = PoolMembership(
        evidence=evidence("pools", "sp"),
        pool="supplier",
        status="registered",
        since=date(2024, 1, 1),
        until=date(2026, 6, 15),
    )
    facts[SUPPLIER_BRN] = OrganisationFacts(brn=SUPPLIER_BRN, memberships=(removed,))
    assert outcome(decide(case(facts=facts)), "supplier-in-pool", SUPPLIER_BRN).outcome == "fail"


@pytest.mark.parametrize(
    ("status", "expected"), [("selected", "pass"), ("designated", "pass"), ("registered", "fail")]
)
def test_a_planner_must_be_selected_or_designated(status: str, expected: str) -> None:
    assert planner_outcome("planner-applied-and-selected", status=status) == expected


@pytest.mark.parametrize(
    ("records", "expected"), [(10, "pass"), (9, "fail"), (None, "needs-review")]
)
def test_planner_track_record_at_least_ten(records, expected) -> None:
    assert planner_outcome("planner-track-record", relevant_records=records) == expected


@pytest.mark.parametrize(("staff", "expected"), [(5, "pass"), (4, "fail"), (None, "needs-review")])
def test_planner_full_time_staff_at_least_five(staff, expected) -> None:
    assert planner_outcome("planner-staff", full_time_staff=staff) == expected


@pytest.mark.parametrize(
    ("subcontracts", "expected"), [(False, "pass"), (True, "fail"), (None, "needs-review")]
)
def test_planner_may_not_subcontract(subcontracts, expected) -> None:
    assert planner_outcome("planner-no-subcontracting", subcontracts=subcontracts) == expected


def test_a_planner_that_also_supplies_fails() -> None:
    both = (
        ConsortiumMember(role="supplier", organisation_id=uuid4(), brn=PLANNER_BRN, name="기획"),
        ConsortiumMember(role="planner", organisation_id=uuid4(), brn=PLANNER_BRN, name="기획"),
    )
    decision = decide(case(application(consortium=both)))
    assert outcome(decision, "planner-not-supplier", PLANNER_BRN).outcome == "fail"


def test_a_solo_application_has_no_consortium_rules() -> None:
    decision = decide(case(application(mode="solo", consortium=())))
    assert {o.role for o in decision.outcomes} == {"applicant"}
    assert decision.verdict == "eligible"
