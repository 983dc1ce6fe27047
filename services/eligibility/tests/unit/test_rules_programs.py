"""Other programs and sanctions: 001_39e04bdc262ce7ee.txt §3 부적격 사항 and 붙임1 (동시 수행
제한사업 목록, 동시 지원·선정 제한사업 목록 26년 신규 신청인 경우, '참여제한' 확인 대상);
003_819a3676ae3b20e0.txt Ⅸ (과제 신청일 기준 수행 중인 기업)."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from review_cases import (
    KAMP,
    KST,
    application,
    case,
    company,
    decide,
    facts_of_applicant,
    outcome,
    project,
    sanction,
)

from sfms_shared.contracts.applications import SmartFactoryStatus

ONGOING = "applicant-no-ongoing-restricted-program"


def ongoing(build_ends_on: date | None):
    running = project("자율형공장", build_ends_on=build_ends_on)
    return case(facts=facts_of_applicant(ongoing_projects=(running,)))


CONCURRENCY = "applicant-concurrency-2026"
SANCTIONS = "applicant-no-participation-restriction"


@pytest.mark.parametrize(
    ("build_ends_on", "expected"),
    [
        (date(2026, 5, 31), "pass"),  # built before the deadline: not running any more
        (date(2026, 5, 20), "pass"),
        (date(2026, 8, 31), "fail"),  # ends on the last day of the evaluation months
        (date(2026, 12, 31), "fail"),  # ends long after final selection
        (None, "fail"),  # running, no end on record
        (date(2026, 7, 15), "needs-review"),  # ends within 6–8월: final selection decides
    ],
)
def test_an_ongoing_restricted_project_until_final_selection(build_ends_on, expected) -> None:
    """§3: "단, 최종선정 전 기 수행과제의 구축기간이 종료된 기업은 지원 가능"; until the
    final-selection date is set, the announced 선정평가 '26년 6~8월 stands for it."""
    assert outcome(decide(ongoing(build_ends_on)), ONGOING).outcome == expected


@pytest.mark.parametrize(
    ("build_ends_on", "expected"),
    [(date(2026, 8, 20), "pass"), (date(2026, 8, 21), "fail"), (date(2026, 8, 22), "fail")],
)
def test_with_the_final_selection_date_set_the_build_must_end_before_it(
    build_ends_on: date, expected: str
) -> None:
    running = project("자율형공장", build_ends_on=build_ends_on)
    review_case = case(
        facts=facts_of_applicant(ongoing_projects=(running,)), final_selection_on=date(2026, 8, 21)
    )
    found = outcome(decide(review_case), ONGOING)
    assert found.outcome == expected
    if expected == "pass":
        assert "최종선정 전" in found.reason.ko


def test_a_completed_or_unrestricted_project_does_not_block() -> None:
    projects = (
        project("자율형공장", stage="completed", build_ends_on=date(2025, 12, 31)),
        project("스마트공장 수준확인", build_ends_on=date(2026, 12, 31)),  # not in the table
        # 대중소상생형 is restricted, except its sea-track (시트랙 제외)
        project("대중소상생형스마트공장 시트랙", build_ends_on=date(2026, 12, 31)),
    )
    found = outcome(decide(case(facts=facts_of_applicant(ongoing_projects=projects))), ONGOING)
    assert found.outcome == "pass"


def test_a_restricted_project_names_the_program() -> None:
    running = project("디지털협업공장", build_ends_on=date(2027, 3, 31))
    found = outcome(decide(case(facts=facts_of_applicant(ongoing_projects=(running,)))), ONGOING)
    assert found.outcome == "fail"
    assert "디지털협업공장" in found.reason.ko and "Digital collaboration" not in found.reason.ko


def concurrency(*programs: int, stage: str = "applied") -> str:
    projects = tuple(
        project(f"program {n}", year=2026, concurrency_program=n, stage=stage) for n in programs
    )
    return outcome(decide(case(facts=facts_of_applicant(ongoing_projects=projects))), CONCURRENCY)


@pytest.mark.parametrize(
    ("others", "expected"),
    [
        ((), "pass"),
        ((1,), "fail"),  # ①–⑦ mutually exclusive: ② with ①
        ((3,), "fail"),
        ((6,), "fail"),
        ((7,), "fail"),  # ⑦ 수준확인 is in the exclusive group too
        ((8,), "fail"),  # ⑧ never with ②
        ((9,), "pass"),  # ⑨ may run alongside one of ①–⑥ (here ②)
        ((8, 9), "fail"),
        ((9, 1), "fail"),  # ⑨ is allowed, ① is not
        ((10,), "fail"),  # ⑩ only for a factory in none of ①–⑨: the pair is not allowed
    ],
)
def test_the_2026_concurrency_matrix_for_an_autonomous_factory(others, expected) -> None:
    """붙임1: ①~⑦ 동시 수행 불가; ①~⑥ 중 하나와 ⑧, ⑨ 동시수행가능; ⑧과 ② 동시 수행 불가."""
    assert concurrency(*others).outcome == expected


def test_a_concurrency_failure_names_the_program() -> None:
    found = concurrency(8)
    assert "⑧" in found.reason.ko and "제조시트화" in found.reason.ko
    assert "⑧" in found.reason.en


def test_withdrawn_or_earlier_year_programs_do_not_count() -> None:
    assert concurrency(1, stage="withdrawn").outcome == "pass"
    earlier = project("정부형", year=2025, concurrency_program=1, stage="executing")
    found = outcome(
        decide(case(facts=facts_of_applicant(ongoing_projects=(earlier,)))), CONCURRENCY
    )
    assert found.outcome == "pass"


@pytest.mark.parametrize(
    ("starts", "ends", "expected"),
    [
        (date(2025, 1, 1), date(2026, 6, 16), "fail"),  # ends on the deadline day: in force
        (date(2025, 1, 1), date(2026, 6, 15), "pass"),  # lifted the day before
        (date(2026, 6, 16), None, "fail"),  # starts on the deadline day
        (date(2026, 7, 1), None, "needs-review"),  # imposed after the deadline
    ],
)
def test_participation_restriction_on_the_deadline(starts, ends, expected) -> None:
    facts = facts_of_applicant(sanctions=(sanction("kiria", starts, ends),))
    found = outcome(decide(case(facts=facts)), SANCTIONS)
    assert found.outcome == expected
    if expected == "fail":
        assert "제조로봇도입" in found.reason.ko and "한국로봇산업진흥원" in found.reason.ko


def test_kamp_advanced_2_needs_intermediate_2() -> None:
    """003 Ⅳ: 고도화2는 스마트공장 수준 중간2 이상; 고도화1은 중간1 이상."""
    applicant = company(
        smart_factory=SmartFactoryStatus(
            level="중간1", evidence="level-check-certified", certified_on=date(2020, 9, 1)
        )
    )
    received = datetime(2021, 5, 20, 10, 0, tzinfo=KST)
    for support_type, expected in (("advanced-2", "fail"), ("advanced-1", "pass")):
        snapshot = application(
            KAMP,
            applicant=applicant,
            support_type=support_type,
            received_at=received,
            consortium=(),
        )
        decision = decide(case(snapshot, judged_as_of=received), KAMP)
        rule = (
            "applicant-level-advanced-2"
            if support_type == "advanced-2"
            else "applicant-level-advanced-1"
        )
        assert outcome(decision, rule).outcome == expected
        other = (
            "applicant-level-advanced-1"
            if support_type == "advanced-2"
            else "applicant-level-advanced-2"
        )
        assert outcome(decision, other).outcome == "not-applicable"


def test_kamp_blocks_a_running_build_without_exception() -> None:
    """003 Ⅸ: 과제 신청일 기준 수행 중(선정 이후부터 구축완료 전까지): no exception."""
    received = datetime(2021, 5, 20, 10, 0, tzinfo=KST)
    snapshot = application(KAMP, support_type="advanced-1", received_at=received, consortium=())
    running = project("고도화1", year=2020, build_ends_on=date(2021, 6, 30))
    review_case = case(
        snapshot, facts_of_applicant(ongoing_projects=(running,)), judged_as_of=received
    )
    found = outcome(decide(review_case, KAMP), "no-ongoing-smart-factory-program")
    assert found.outcome == "fail"
