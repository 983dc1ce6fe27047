"""Planner recruitment (001 §2 기획기관 모집 및 등록): the window "2026년 5월 15일(금)
17시까지" and the requirements '23~'25 relevant records ≥ 10, full-time staff ≥ 5,
applying alone (신청자격; 협업체 구성 및 하도급 불가), read from the call's rules."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from intake.seed_calls import load_seed_calls
from matching.domain.recruitment import PlannerProfile, review, window_open
from sfms_shared.clock import KST

CALL = next(c for c in load_seed_calls() if c.id == "2026-autonomous-factory-2")
CLOSES = datetime(2026, 5, 15, 17, 0, tzinfo=KST)


@pytest.mark.parametrize(
    ("at", "open_"),
    [
        (datetime(2026, 4, 26, 23, 59, 59, tzinfo=KST), False),
        (datetime(2026, 4, 27, 0, 0, tzinfo=KST), True),
        (CLOSES - timedelta(microseconds=1), True),
        (CLOSES, False),  # "17시까지": 17:00:00 is late
    ],
)
def test_the_recruitment_window_is_half_open(at: datetime, open_: bool) -> None:
    assert window_open(CALL, at) is open_


@pytest.mark.parametrize(
    ("records", "staff", "subcontracts", "failing"),
    [
        (10, 5, False, []),  # exactly the minima pass
        (9, 5, False, ["planner-track-record"]),
        (10, 4, False, ["planner-staff"]),
        (10, 5, True, ["planner-no-subcontracting"]),
    ],
)
def test_the_calls_planner_rules_decide(
    records: int, staff: int, subcontracts: bool, failing: list[str]
) -> None:
    findings = review(CALL, "기획", PlannerProfile(records, staff, subcontracts))
    assert {f.rule_id for f in findings} == {
        "planner-track-record",
        "planner-staff",
        "planner-no-subcontracting",
    }
    assert [f.rule_id for f in findings if not f.passed] == failing
    for finding in findings:
        assert finding.source.file.startswith("001_")
