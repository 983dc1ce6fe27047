"""Benchmark: requirement reviews per second on one core, in process, on the 2026 rule set.

Not a test: it prints figures and never fails on timing. Run it with

    uv run python tests/benchmarks/bench_eligibility_review.py [--cases 20000]

The cases vary the way deadline-day applications do: consortium or solo, some with
ongoing projects, sanctions, tax arrears, closures, expired certificates or a doubtful
industry code, so every check runs on both its passing and failing paths. Timed is
``review(call, case)``, the pure decision; building the cases is not. Target: ≥ 5,000
reviews per second per core.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import sys
import time
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[2] / "services/eligibility/tests/unit"))

from review_cases import (  # noqa: E402
    AUTONOMOUS,
    SUPPLIER_BRN,
    application,
    arrears,
    call,
    case,
    company,
    document,
    good_standing,
    project,
    sanction,
    status,
)

from eligibility.domain.case import ReviewCase  # noqa: E402
from eligibility.domain.facts import OrganisationFacts  # noqa: E402
from eligibility.domain.review import review  # noqa: E402


def varied_case(rng: random.Random) -> ReviewCase:
    brn = "1234567891"
    facts: dict = dict(good_standing())
    own: dict = {}
    if rng.random() < 0.2:
        own["ongoing_projects"] = (
            project(
                "자율형공장", build_ends_on=date(2026, 5, 1) + timedelta(days=rng.randint(0, 200))
            ),
            project("x", year=2026, concurrency_program=rng.randint(1, 10), stage="applied"),
        )
    if rng.random() < 0.05:
        own["sanctions"] = (sanction("kiria", date(2026, 1, 1) + timedelta(rng.randint(0, 300))),)
    if rng.random() < 0.05:
        own["tax_arrears"] = (arrears("national", date(2026, 3, 1)),)
    if rng.random() < 0.02:
        own["statuses"] = (status("closed", date(2026, 2, 1)),)
    facts[brn] = OrganisationFacts(brn=brn, **own)
    if rng.random() < 0.05:
        facts[SUPPLIER_BRN] = OrganisationFacts(brn=SUPPLIER_BRN)
    issued = date(2026, 3, 1) + timedelta(days=rng.randint(0, 100))
    snapshot = application(
        applicant=company(ksic_code=rng.choice(["C29", "C25", "C33402", "C10"])),
        documents=(document("sme-confirmation"), document("national-tax-clearance", issued)),
        **({"mode": "solo", "consortium": ()} if rng.random() < 0.3 else {}),
    )
    return case(snapshot, facts)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    rng = random.Random(20260616)
    rules = call(AUTONOMOUS)
    cases = [varied_case(rng) for _ in range(args.cases)]
    verdicts = Counter(review(rules, c).verdict for c in cases)  # warm-up, and the mix
    rates = []
    for _ in range(args.rounds):
        started = time.perf_counter()
        for c in cases:
            review(rules, c)
        rates.append(len(cases) / (time.perf_counter() - started))
    rules_per_review = len(review(rules, cases[0]).outcomes)
    print(
        f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}"
    )
    print(f"rule set: {rules.id} v{rules.version}; {rules_per_review} rule outcomes per review")
    print(f"cases: {len(cases)}; verdicts: {dict(verdicts)}")
    print(
        f"reviews/s on one core: median {statistics.median(rates):,.0f} "
        f"(min {min(rates):,.0f}, max {max(rates):,.0f} over {args.rounds} rounds)"
    )
    print(f"per review: {1e6 / statistics.median(rates):.1f} µs; target ≥ 5,000/s")


if __name__ == "__main__":
    main()
