"""A decision: verdict from every outcome, operators' overrides on top, and replay from the
stored case giving the same result."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import get_args

from review_cases import (
    APPLICANT_BRN,
    AUTONOMOUS,
    application,
    call,
    case,
    company,
    decide,
    facts_of_applicant,
    outcome,
    sanction,
)

from eligibility.domain.case import ReviewCase
from eligibility.domain.outcomes import Override
from eligibility.domain.review import CHECKS, review
from sfms_shared.contracts.terms_eligibility import Check

AT = datetime(2026, 6, 20, 9, 0, tzinfo=UTC)


def test_every_check_of_the_vocabulary_has_an_implementation() -> None:
    assert set(CHECKS) == set(get_args(Check))


def test_a_person_needed_makes_the_decision_needs_review() -> None:
    decision = decide(case(application(applicant=company(ksic_code="C33402"))))
    assert decision.verdict == "needs-review"


def test_an_override_resolves_a_needs_review_with_its_reason_in_the_trace() -> None:
    needs = case(application(applicant=company(ksic_code="C33402")))
    resolved = Override(
        rule_id="applicant-excluded-industry",
        brn=APPLICANT_BRN,
        outcome="pass",
        reason="교육용 코딩 로봇 제조, 사행성 없음",
        actor="operator-1",
        at=AT,
    )
    decision = review(call(AUTONOMOUS), needs, [resolved])
    found = outcome(decision, "applicant-excluded-industry")
    assert decision.verdict == "eligible"
    assert found.evaluated == "needs-review" and found.outcome == "pass"
    assert found.override == resolved and "사행성 없음" in found.reason.ko
    assert found.as_json()["override"]["actor"] == "operator-1"


def test_the_latest_override_of_a_rule_wins() -> None:
    first = Override("applicant-excluded-industry", APPLICANT_BRN, "pass", "a", "op", AT)
    later = Override(
        "applicant-excluded-industry", APPLICANT_BRN, "fail", "b", "op", AT.replace(hour=10)
    )
    needs = case(application(applicant=company(ksic_code="C33402")))
    assert review(call(AUTONOMOUS), needs, [later, first]).verdict == "ineligible"


def test_a_stored_case_replays_to_the_same_decision() -> None:
    original = case(facts=facts_of_applicant(sanctions=(sanction("kpic", date(2026, 1, 1)),)))
    stored = original.model_dump(mode="json")
    replayed = ReviewCase.model_validate(stored)
    first, again = decide(original), decide(replayed)
    assert first.verdict == again.verdict == "ineligible"
    assert first.outcomes_json() == again.outcomes_json()


def test_every_failure_reads_in_korean_and_english_without_placeholders() -> None:
    facts = facts_of_applicant(sanctions=(sanction("smart-factory-sanctions", date(2026, 1, 1)),))
    decision = decide(case(application(applicant=company(size_class="large")), facts))
    assert len(decision.failures()) == 2
    for failed in decision.failures():
        for text in (failed.reason.ko, failed.reason.en):
            assert "{" not in text and text.strip()
