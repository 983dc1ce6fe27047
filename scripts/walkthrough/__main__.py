"""The 001 call end to end on a running platform (README command 1): planner recruitment,
sixty applications, requirement review, document review, planner and supplier matching
by consent, on-site review, final selection, agreements, the planners' payments and the
settlement fees; a summary at each stage.

    uv run python -m walkthrough --gateway URL --timeline FILE --mailbox DIR [--seed N]

The platform's processes follow the timeline file, which the walk-through moves through
the call's schedule (001 주요사항 1 추진일정). Same seed, same story.
"""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from pathlib import Path

from walkthrough import report
from walkthrough.consortia import form_consortia
from walkthrough.evaluation import register_evaluators
from walkthrough.money import planner_payments, settle_one, settlement_fees, sign_agreements
from walkthrough.notices import show_notices
from walkthrough.platform import CALL, Platform, Refused
from walkthrough.pools import build_pools
from walkthrough.population import Population, make_population
from walkthrough.requirement_review import review
from walkthrough.selection import document_review, on_site_review
from walkthrough.submissions import take_applications

STAGES = 9


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--gateway", default="http://127.0.0.1:8000")
    parser.add_argument("--timeline", type=Path, required=True)
    parser.add_argument("--mailbox", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    platform = Platform(args.gateway, args.timeline, args.mailbox)
    people = make_population(args.seed)
    try:
        walk(platform, people, args.seed)
    except Refused as refused:
        print(f"\nThe walk-through stopped: {refused}", file=sys.stderr)
        return 1
    return 0


def walk(platform: Platform, people: Population, seed: int) -> None:
    platform.wait_for_the_call()
    call = platform.call
    platform.move_to(at("2026-05-11T09:00:00+09:00"))
    report.stage(
        1, STAGES, "기획기관 모집·평가 — planner recruitment and evaluation", day(platform)
    )
    report.line(
        f"{call['title']['ko']} ({call['title']['en']}), target {call['target']['value']} projects"
    )
    evaluators = register_evaluators(platform)
    build_pools(platform, people, evaluators, seed)

    platform.move_to(at("2026-06-10T10:00:00+09:00"))
    report.stage(2, STAGES, "신청·접수 — applications until 2026-06-16 17:00 KST", day(platform))
    take_applications(platform, people)

    report.stage(3, STAGES, "요건검토 — requirement review", day(platform))
    verdicts = review(platform, people)
    eligible = [c for c in people.companies if verdicts.get(c.ids.get("application")) == "eligible"]

    platform.move_to(at("2026-06-24T10:00:00+09:00"))
    report.stage(4, STAGES, "서면평가 — document review", day(platform))
    shortlisted = document_review(platform, people, eligible, evaluators, seed)

    platform.move_to(at("2026-07-01T10:00:00+09:00"))
    report.stage(5, STAGES, "기획지원 — planner and supplier matching by consent", day(platform))
    formed = form_consortia(platform, people, shortlisted, seed)

    platform.move_to(at("2026-07-22T10:00:00+09:00"))
    report.stage(6, STAGES, "현장평가·최종선정 — on-site review and final selection", day(platform))
    selected, alternates = on_site_review(platform, formed, evaluators, seed)
    report.line(f"selected {len(selected)} + alternates {len(alternates)}")

    platform.move_to(at("2026-08-20T10:00:00+09:00"))
    report.stage(7, STAGES, "협약 — agreements", day(platform))
    signed = sign_agreements(platform, selected)

    report.stage(
        8, STAGES, "기획기관 지급·정산 수수료 — planner payments and settlement fees", day(platform)
    )
    planner_payments(platform, plans=len(formed), agreements=len(signed))
    settlement_fees(platform, signed)
    platform.move_to(at("2028-09-30T10:00:00+09:00"))
    settle_one(platform, signed[0])

    report.stage(9, STAGES, "알림·탐색 — notices, and what to open", day(platform))
    show_notices(platform, people, len(formed), len(signed))
    gateway = platform.gateway
    report.line(f"live dashboard (sign in as operator / sfms-dev): {gateway}/ops")
    report.line(f"API documents:                                   {gateway}/docs")
    report.line(
        f"ranking export: {gateway}/api/v1/scoring/calls/{CALL}/stages/on-site-review/ranking/export?format=xlsx"
    )
    report.line(
        f"the CLI:        uv run sfms --user operator --password sfms-dev export payables {CALL} -o payables.xlsx"
    )


def day(platform: Platform) -> str:
    return f"{platform.now():%Y-%m-%d %H:%M} KST"


if __name__ == "__main__":
    raise SystemExit(main())
