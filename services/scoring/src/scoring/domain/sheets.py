"""An evaluator's score sheet (평가표) and its rules: drafted, submitted and locked,
reopened only by an operator with a reason.

The sheet rules are agency-set parameters the seeds do not state (``SheetRules``): points
in steps of 0.5 within each criterion's maximum; a comment explaining any score at or
below 20 % of the maximum or at the maximum, and any failed site check.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from decimal import Decimal
from typing import Any, Literal

from sfms_shared.contracts.terms_scoring import Rubric

Answer = Literal["pass", "fail"]


@dataclass(frozen=True)
class SheetRules:
    step: Decimal = Decimal("0.5")
    extreme_low_share: Decimal = Decimal("0.2")
    extreme_high_share: Decimal = Decimal("1.0")
    min_comment_chars: int = 10
    min_reason_chars: int = 5


class SheetError(Exception):
    def __init__(self, field: str, code: str, message_ko: str, message_en: str) -> None:
        super().__init__(message_en)
        self.field = field
        self.code = code
        self.message_ko = message_ko
        self.message_en = message_en


@dataclass(frozen=True)
class Reopening:
    reason: str
    actor: str
    at: datetime


@dataclass(frozen=True)
class ScoreSheet:
    application_id: str
    stage: str
    evaluator_id: str
    state: Literal["draft", "submitted"]
    items: Mapping[str, Decimal]
    checks: Mapping[str, Answer]
    comments: Mapping[str, str]
    comment: str = ""
    reopenings: tuple[Reopening, ...] = field(default=())


def draft(
    rubric: Rubric,
    rules: SheetRules,
    *,
    application_id: str,
    stage: str,
    evaluator_id: str,
    items: Mapping[str, Decimal],
    checks: Mapping[str, Answer],
    comments: Mapping[str, str],
    comment: str = "",
    previous: ScoreSheet | None = None,
) -> ScoreSheet:
    """A draft, possibly partial; each given score and answer is checked now."""
    if previous is not None and previous.state == "submitted":
        raise _locked()
    scored = {i.code: i for i in rubric.items}
    for code, points in items.items():
        item = scored.get(code)
        if item is None:
            raise SheetError(
                f"items.{code}",
                "unknown-item",
                f"이 평가 단계에 없는 항목입니다: {code}",
                f"No such criterion at this stage: {code}",
            )
        if item.scored_by != "evaluator":
            raise SheetError(
                f"items.{code}",
                "computed-item",
                f"'{item.name.ko}'은(는) 서류에서 산정하는 정량 항목입니다",
                f"'{item.name.en}' is computed from the documents, not scored by evaluators",
            )
        if not (0 <= points <= item.max_points) or points % rules.step:
            raise SheetError(
                f"items.{code}",
                "points-out-of-range",
                f"'{item.name.ko}' 점수는 0~{item.max_points}점, {rules.step}점 단위입니다",
                f"'{item.name.en}' takes 0 to {item.max_points} points in steps of {rules.step}",
            )
    known_checks = {c.code for c in rubric.checks}
    for code in checks:
        if code not in known_checks:
            raise SheetError(
                f"checks.{code}",
                "unknown-check",
                f"이 평가 단계에 없는 확인 항목입니다: {code}",
                f"No such check at this stage: {code}",
            )
    return ScoreSheet(
        application_id=application_id,
        stage=stage,
        evaluator_id=evaluator_id,
        state="draft",
        items=dict(items),
        checks=dict(checks),
        comments={k: v for k, v in comments.items() if v.strip()},
        comment=comment,
        reopenings=previous.reopenings if previous else (),
    )


def submit(rubric: Rubric, rules: SheetRules, sheet: ScoreSheet) -> ScoreSheet:
    """Complete and explained, or refused naming the first field at fault."""
    if sheet.state == "submitted":
        raise _locked()
    for item in rubric.items:
        if item.scored_by != "evaluator":
            continue
        points = sheet.items.get(item.code)
        if points is None:
            raise SheetError(
                f"items.{item.code}",
                "item-not-scored",
                f"'{item.name.ko}' 점수를 입력하세요",
                f"Score '{item.name.en}'",
            )
        extreme = (
            points <= rules.extreme_low_share * item.max_points
            or points >= rules.extreme_high_share * item.max_points
        )
        if extreme and not _explained(sheet.comments.get(item.code), rules):
            raise SheetError(
                f"comments.{item.code}",
                "comment-required",
                f"'{item.name.ko}' {points}점은 의견({rules.min_comment_chars}자 이상)이 필요합니다",
                f"{points} points for '{item.name.en}' need a comment of at least "
                f"{rules.min_comment_chars} characters",
            )
    for check in rubric.checks:
        answer = sheet.checks.get(check.code)
        if answer is None and check.outcome == "pass-fail":
            raise SheetError(
                f"checks.{check.code}",
                "check-not-answered",
                f"'{check.name.ko}' 적합 여부를 선택하세요",
                f"Answer '{check.name.en}'",
            )
        if answer == "fail" and not _explained(sheet.comments.get(check.code), rules):
            raise SheetError(
                f"comments.{check.code}",
                "comment-required",
                f"'{check.name.ko}' 부적합 사유({rules.min_comment_chars}자 이상)를 적으세요",
                f"A failed '{check.name.en}' needs a comment of at least "
                f"{rules.min_comment_chars} characters",
            )
    return replace(sheet, state="submitted")


def reopen(sheet: ScoreSheet, *, reason: str, actor: str, at: datetime) -> ScoreSheet:
    if sheet.state != "submitted":
        raise SheetError(
            "state",
            "sheet-not-submitted",
            "제출되지 않은 평가표는 재개할 수 없습니다",
            "Only a submitted sheet can be reopened",
        )
    if len(reason.strip()) < SheetRules.min_reason_chars:
        raise SheetError(
            "reason",
            "reason-required",
            f"재개 사유를 {SheetRules.min_reason_chars}자 이상 적으세요",
            f"Give a reason of at least {SheetRules.min_reason_chars} characters",
        )
    return replace(
        sheet, state="draft", reopenings=(*sheet.reopenings, Reopening(reason.strip(), actor, at))
    )


def total(sheet: ScoreSheet) -> Decimal:
    return sum(sheet.items.values(), Decimal(0))


def to_json(sheet: ScoreSheet) -> dict[str, Any]:
    return {
        "application_id": sheet.application_id,
        "stage": sheet.stage,
        "evaluator_id": sheet.evaluator_id,
        "state": sheet.state,
        "items": {k: str(v) for k, v in sheet.items.items()},
        "checks": dict(sheet.checks),
        "comments": dict(sheet.comments),
        "comment": sheet.comment,
        "reopenings": [
            {"reason": r.reason, "actor": r.actor, "at": r.at.isoformat()} for r in sheet.reopenings
        ],
    }


def from_json(data: Mapping[str, Any]) -> ScoreSheet:
    return ScoreSheet(
        application_id=data["application_id"],
        stage=data["stage"],
        evaluator_id=data["evaluator_id"],
        state=data["state"],
        items={k: Decimal(v) for k, v in data["items"].items()},
        checks=dict(data["checks"]),
        comments=dict(data["comments"]),
        comment=data["comment"],
        reopenings=tuple(
            Reopening(r["reason"], r["actor"], datetime.fromisoformat(r["at"]))
            for r in data["reopenings"]
        ),
    )


def _explained(comment: str | None, rules: SheetRules) -> bool:
    return comment is not None and len(comment.strip()) >= rules.min_comment_chars


def _locked() -> SheetError:
    return SheetError(
        "state",
        "sheet-locked",
        "제출된 평가표는 운영자가 재개하기 전까지 수정할 수 없습니다",
        "A submitted sheet is locked until an operator reopens it",
    )
