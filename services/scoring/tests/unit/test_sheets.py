"""Score-sheet rules at their edges (001 붙임2 서면평가 and 현장평가 rubrics; the step and
comment rules are agency-set ``SheetRules``): points within each maximum in 0.5 steps,
computed criteria refused, comments for extreme scores and failed checks, lock on submit,
reopen only with a reason."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from intake.seed_calls import load_seed_calls
from scoring.domain.sheets import (
    SheetError,
    SheetRules,
    draft,
    from_json,
    reopen,
    submit,
    to_json,
    total,
)

CALL = next(c for c in load_seed_calls() if c.id == "2026-autonomous-factory-2")
DOCUMENT = CALL.terms.evaluation.rubric("document-review")
ON_SITE = CALL.terms.evaluation.rubric("on-site-review")
RULES = SheetRules()
COMMENT = "근거가 구체적이고 충분함을 확인함"


def sheet(items: dict[str, str], rubric=DOCUMENT, checks=None, comments=None, previous=None):  # noqa: ANN001, ANN201
    return draft(
        rubric,
        RULES,
        application_id="app",
        stage=rubric.stage,
        evaluator_id="e1",
        items={k: Decimal(v) for k, v in items.items()},
        checks=checks or {},
        comments=comments or {},
        previous=previous,
    )


def refused(action) -> SheetError:  # noqa: ANN001
    with pytest.raises(SheetError) as caught:
        action()
    return caught.value


FULL = {"participation-will": "15", "necessity": "12.5", "environment": "30"}


@pytest.mark.parametrize("points", ["0", "0.5", "19.5", "20"])
def test_points_within_the_maximum_in_half_steps_are_taken(points: str) -> None:
    assert sheet({"participation-will": points}).items["participation-will"] == Decimal(points)


@pytest.mark.parametrize("points", ["20.5", "-0.5", "12.25"])
def test_points_outside_the_range_or_the_step_are_refused(points: str) -> None:
    error = refused(lambda: sheet({"participation-will": points}))
    assert error.field == "items.participation-will" and error.code == "points-out-of-range"
    assert "0~20점" in error.message_ko


def test_the_quantitative_criterion_is_not_for_evaluators() -> None:
    error = refused(lambda: sheet({"capability": "10"}))
    assert (error.field, error.code) == ("items.capability", "computed-item")


def test_an_incomplete_sheet_cannot_be_submitted() -> None:
    error = refused(lambda: submit(DOCUMENT, RULES, sheet({"participation-will": "15"})))
    assert error.field == "items.necessity"


@pytest.mark.parametrize(
    ("points", "needs_comment"),
    [("4", True), ("4.5", False), ("19.5", False), ("20", True)],  # 20 % of 20 = 4; the maximum
)
def test_extreme_scores_need_a_comment(points: str, needs_comment: bool) -> None:
    plain = sheet(FULL | {"participation-will": points})
    if needs_comment:
        error = refused(lambda: submit(DOCUMENT, RULES, plain))
        assert (error.field, error.code) == ("comments.participation-will", "comment-required")
        explained = sheet(
            FULL | {"participation-will": points}, comments={"participation-will": COMMENT}
        )
        assert submit(DOCUMENT, RULES, explained).state == "submitted"
    else:
        assert submit(DOCUMENT, RULES, plain).state == "submitted"


def test_a_failed_site_check_needs_a_comment_and_every_check_an_answer() -> None:
    items = {"advancement": "30", "sustainability": "20", "ripple-effect": "20"}
    answers = {"factory-operating": "pass", "plan-matches-site": "pass"}
    unanswered = sheet(items, ON_SITE, checks=answers)
    assert refused(lambda: submit(ON_SITE, RULES, unanswered)).field == "checks.equipment-working"
    failed = sheet(items, ON_SITE, checks=answers | {"equipment-working": "fail"})
    assert refused(lambda: submit(ON_SITE, RULES, failed)).field == "comments.equipment-working"
    explained = sheet(
        items,
        ON_SITE,
        checks=answers | {"equipment-working": "fail"},
        comments={"equipment-working": "주요 가공설비 2대가 가동 중지 상태임"},
    )
    assert submit(ON_SITE, RULES, explained).state == "submitted"  # 'verify' checks are optional


def test_a_submitted_sheet_is_locked_until_reopened_with_a_reason() -> None:
    submitted = submit(DOCUMENT, RULES, sheet(FULL))
    assert total(submitted) == Decimal("57.5")
    assert refused(lambda: sheet(FULL, previous=submitted)).code == "sheet-locked"
    assert refused(lambda: submit(DOCUMENT, RULES, submitted)).code == "sheet-locked"
    at = datetime(2026, 6, 25, 1, tzinfo=UTC)
    error = refused(lambda: reopen(submitted, reason="  x ", actor="operator", at=at))
    assert (error.field, error.code) == ("reason", "reason-required")
    opened = reopen(submitted, reason="점수 근거 재확인", actor="operator", at=at)
    assert opened.state == "draft" and opened.reopenings[0].reason == "점수 근거 재확인"
    assert refused(lambda: reopen(opened, reason="다시 재개", actor="o", at=at)).code == (
        "sheet-not-submitted"
    )
    again = sheet(FULL | {"necessity": "13"}, previous=opened)
    assert again.reopenings == opened.reopenings


def test_a_sheet_round_trips_through_json() -> None:
    at = datetime(2026, 6, 25, 1, tzinfo=UTC)
    opened = reopen(submit(DOCUMENT, RULES, sheet(FULL)), reason="재확인 요청", actor="op", at=at)
    assert from_json(to_json(opened)) == opened
