"""Evaluator panels at work (001 §4 평가절차, 붙임2): operators form panels and assign, each
evaluator scores what their panel holds, and the stage is completed into a ranking.

Points follow what the plan is worth (``merit``) with each evaluator's own leaning, in
the rubric's 0.5 steps (drawn from the participant's stable key and the evaluator's seat
in the panel, so a seed gives the same ranking whatever ids the run made), above 20 % of each maximum and below it, so no comment is owed
(SheetRules); a failed site check carries its comment.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from walkthrough.platform import (
    CALL,  # noqa: E402
    Platform,
    ok,
)
from walkthrough.report import progress

EVALUATORS = {
    "evaluator": ("정평가", "한국생산기술연구원"),
    "evaluator2": ("강심사", "한국산업기술대학교"),
    "evaluator3": ("조검토", "스마트제조혁신추진단"),
    "evaluator4": ("임평정", "한국전자통신연구원"),
    "evaluator5": ("서채점", "중소기업기술정보진흥원 자문단"),
    "evaluator6": ("권현장", "한국기계연구원"),
}


def register_evaluators(platform: Platform) -> dict[str, str]:
    """The evaluators' registry entries (평가위원), by sign-in subject."""
    operator = platform.as_user("operator")
    ids = {}
    for subject, (name, affiliation) in EVALUATORS.items():
        made = operator.post(
            "/scoring/evaluators",
            json={"subject": subject, "name": name, "affiliation": affiliation},
        )
        ids[subject] = ok(made, 201)["id"]
    return ids


def rubric(call: dict[str, Any], stage: str) -> dict[str, Any]:
    return next(r for r in call["terms"]["evaluation"]["rubrics"] if r["stage"] == stage)


def points(maximum: int, merit: float, rng: random.Random) -> str:
    share = min(max(merit + rng.uniform(-0.08, 0.08), 0.3), 0.95)
    halves = Decimal(maximum * share * 2).quantize(Decimal(1), ROUND_HALF_UP)
    halves = min(max(halves, Decimal(maximum * 2 // 5 + 1)), Decimal(maximum * 2 - 1))
    return str(halves / 2)


def score_stage(
    platform: Platform,
    call: dict[str, Any],
    stage: str,
    panels: dict[str, list[str]],
    evaluator_ids: dict[str, str],
    judged: Callable[[str], tuple[str, float]],
    seed: int,
    failed_checks: Callable[[str], dict[str, str]] = lambda _: {},
) -> dict[str, Any]:
    """Form ``panels`` (name → evaluator subjects), assign, score every sheet, complete.
    ``judged`` gives an evaluated id's stable key and merit; ``failed_checks`` its failed
    site checks with their comments."""
    operator = platform.as_user("operator")
    path = f"/scoring/calls/{CALL}/stages/{stage}"
    for name, members in panels.items():
        ok(
            operator.post(
                f"{path}/panels",
                json={"name": name, "evaluator_ids": [evaluator_ids[m] for m in members]},
            ),
            201,
        )
    ok(operator.post(f"{path}/assignment", json={"seed": seed}))
    terms = rubric(call, stage)
    scored = [i for i in terms["items"] if i.get("scored_by") != "quantitative"]
    work = [
        (seat, subject, entry["application_id"])
        for members in panels.values()
        for seat, subject in enumerate(members)
        for entry in _assigned(platform, subject, path)
    ]
    for seat, subject, application_id in progress(work, f"{terms['name']['ko']} score sheets"):
        key, merit = judged(application_id)
        rng = random.Random(f"{seed}:{stage}:{key}:{seat}")
        failed = failed_checks(application_id)
        sheet = {
            "items": {i["code"]: points(i["max_points"], merit, rng) for i in scored},
            "checks": {
                c["code"]: "fail" if c["code"] in failed else "pass"
                for c in terms.get("checks", [])
            },
            "comments": failed,
        }
        evaluator = platform.as_user(subject)
        sheet_path = f"/scoring/evaluations/{application_id}/{stage}/sheet"
        ok(evaluator.put(sheet_path, json=sheet))
        ok(evaluator.post(f"{sheet_path}/submit"))
    return ok(operator.post(f"{path}/completion"))


def _assigned(platform: Platform, subject: str, path: str) -> list[dict[str, Any]]:
    evaluator = platform.as_user(subject)
    found, cursor = [], None
    while True:
        query = {"limit": 100} | ({"cursor": cursor} if cursor else {})
        page = ok(evaluator.get(f"{path}/evaluations", params=query))
        found += page["items"]
        cursor = page.get("next_cursor")
        if not cursor:
            return found
