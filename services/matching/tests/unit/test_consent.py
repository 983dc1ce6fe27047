"""Mutual consent (001 §2 컨소시엄 구성: 상호협의): proposals, answers, lapsing, and when a
도입-공급-기획기관 consortium is formed (001 §1 지원 대상)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from matching.domain.consent import ConsentError, Match

NOW = datetime(2026, 7, 1, 1, 0, tzinfo=UTC)
APPLICANT = "1208100011"
PLANNER = ("p1", "3058156785", "경기테크노파크")
OTHER_PLANNER = ("p2", "1018201236", "기획")
SUPPLIERS = [("s1", "6178123455", "공급1"), ("s2", "2208162517", "공급2")]


def proposed(match: Match, role: str, members: list, by: str = "applicant") -> Match:
    ids = [f"{role}-{len(match.proposals) + i}" for i in range(len(members))]
    return match.propose(role, members, by=by, now=NOW, answer_days=7, ids=ids)  # type: ignore[arg-type]


def with_planner() -> Match:
    match = proposed(Match("app", APPLICANT), "planner", [PLANNER])
    return match.answer(match.proposals[-1].id, accept=True, now=NOW)


def test_a_planner_proposal_awaits_its_answer_and_then_suppliers_follow() -> None:
    match = proposed(Match("app", APPLICANT), "planner", [PLANNER])
    assert match.state == "planner-proposed"
    assert match.proposals[0].expires_at == NOW + timedelta(days=7)
    with pytest.raises(ConsentError, match="already proposed"):
        proposed(match, "planner", [OTHER_PLANNER])
    with pytest.raises(ConsentError, match="once a planner has accepted"):
        proposed(match, "supplier", SUPPLIERS[:1], by="planner")
    accepted = match.answer(match.proposals[0].id, accept=True, now=NOW)
    assert accepted.state == "awaiting-suppliers" and accepted.planner is not None


def test_formed_once_a_supplier_accepted_and_nothing_is_open() -> None:
    match = proposed(with_planner(), "supplier", SUPPLIERS, by="planner")
    first, second = match.proposals[-2:]
    match = match.answer(first.id, accept=True, now=NOW)
    assert match.state == "awaiting-suppliers"  # the second has not answered
    match = match.answer(second.id, accept=False, now=NOW, reason="인력 부족")
    assert match.state == "formed" and [s.member_id for s in match.suppliers] == ["s1"]
    with pytest.raises(ConsentError, match="formed"):
        proposed(match, "supplier", [("s3", "1198100003", "공급3")], by="planner")


def test_all_suppliers_declining_leaves_the_planner_to_propose_again() -> None:
    match = proposed(with_planner(), "supplier", SUPPLIERS[:1], by="planner")
    match = match.answer(match.proposals[-1].id, accept=False, now=NOW)
    assert match.state == "awaiting-suppliers" and match.formed_at is None
    with pytest.raises(ConsentError, match="declined"):
        proposed(match, "supplier", SUPPLIERS[:1], by="planner")
    assert proposed(match, "supplier", SUPPLIERS[1:], by="planner").state == "awaiting-suppliers"


def test_no_organisation_plans_and_supplies_one_project() -> None:
    """001 §2: 기획기관(공급기업 동시 수행 불가): the planner's BRN is a party already."""
    planner_as_supplier = ("s9", PLANNER[1], "경기테크노파크(공급)")
    with pytest.raises(ConsentError, match="already in this project"):
        proposed(with_planner(), "supplier", [planner_as_supplier], by="planner")
    applicant_as_planner = ("p9", APPLICANT, "신청기업")
    with pytest.raises(ConsentError, match="already in this project"):
        proposed(Match("app", APPLICANT), "planner", [applicant_as_planner])


def test_an_unanswered_proposal_lapses_at_its_deadline_and_is_not_repeated() -> None:
    match = proposed(Match("app", APPLICANT), "planner", [PLANNER])
    deadline = match.proposals[0].expires_at
    assert deadline is not None
    assert match.lapse(deadline - timedelta(microseconds=1)).state == "planner-proposed"
    lapsed = match.lapse(deadline)
    assert lapsed.state == "awaiting-planner" and lapsed.proposals[0].state == "lapsed"
    assert [p.state for p in lapsed.changed] == ["lapsed"]
    with pytest.raises(ConsentError, match="lapse"):
        lapsed.answer(lapsed.proposals[0].id, accept=True, now=deadline)
    with pytest.raises(ConsentError, match="declined this project or let a proposal lapse"):
        proposed(lapsed, "planner", [PLANNER])


def test_members_named_at_submission_stand_accepted() -> None:
    match = Match("app", APPLICANT).named("planner", PLANNER, pid="n1", now=NOW)
    assert match.state == "awaiting-suppliers"
    match = match.named("supplier", SUPPLIERS[0], pid="n2", now=NOW)
    assert match.state == "formed" and len(match.changed) == 2
