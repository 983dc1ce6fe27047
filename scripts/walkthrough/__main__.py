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
from walkthrough.evaluation import register_evaluators
from walkthrough.platform import Platform, Refused
from walkthrough.pools import build_pools
from walkthrough.population import make_population
from walkthrough.review import review
from walkthrough.submissions import take_applications

STAGES = 9


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
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


def walk(platform: Platform, people, seed: int) -> None:  # noqa: ANN001
    platform.wait_for_the_call()
    call = platform.call
    platform.move_to(at("2026-05-11T09:00:00+09:00"))
    report.stage(1, STAGES, "기획기관 모집·평가 — planner recruitment and evaluation", f"{platform.now():%Y-%m-%d} KST")
    report.line(f"{call['title']['ko']} ({call['title']['en']}), target {call['target']['value']} projects")
    evaluators = register_evaluators(platform)
    build_pools(platform, people, evaluators, seed)

    platform.move_to(at("2026-06-10T10:00:00+09:00"))
    report.stage(2, STAGES, "신청·접수 — applications until 2026-06-16 17:00 KST", f"{platform.now():%Y-%m-%d} KST")
    take_applications(platform, people)

    report.stage(3, STAGES, "요건검토 — requirement review", f"{platform.now():%Y-%m-%d %H:%M} KST")
    review(platform, people)


if __name__ == "__main__":
    raise SystemExit(main())
