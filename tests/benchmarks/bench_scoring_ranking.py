"""Benchmark: a document review's sheets to a ranked shortlist, in process.

Not a test: it prints figures and never fails on timing. Run it with

    uv run python tests/benchmarks/bench_scoring_ranking.py [--applications 50000]

A seeded instance of 50,000 applications, each scored by 5 evaluators on 10 criteria
(points in 0.5 steps), is aggregated (mean without the highest and lowest totals, outliers
flagged) and ranked with the 001 call's rounding, tie-break chain and 1.5× shortlist.
Timed are the two phases: ``Aggregator`` over every panel (with the ``Entry`` built from
each result) and ``rank``; building the instance is not. The garbage collector runs as it
normally does (``--freeze-gc`` moves the instance out of its reach first, to show what
collecting costs). The ranked output (every row's rank, id, final, total, bonus, rounded
criteria, outcome and tie-break note) is hashed: the same seed must give the same digest on
every run. Target: ≤ 1 s for 50,000 on a 2-core machine.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import os
import platform
import random
import statistics
import time
from decimal import Decimal

from intake.seed_calls import load_seed_calls
from scoring.domain.aggregation import Aggregator, EvaluatorScores
from scoring.domain.ranking import Entry, Ranking, rank
from sfms_shared.contracts.terms_scoring import Aggregation, EvaluationTerms

CRITERIA = [f"criterion-{n}" for n in range(10)]
HALVES = [Decimal(n) / 2 for n in range(0, 21)]  # 0 … 10 points in 0.5 steps


def instance(applications: int, evaluators: int, seed: int) -> list[list[EvaluatorScores]]:
    rng = random.Random(seed)
    return [
        [
            EvaluatorScores(f"e{e}", {c: HALVES[rng.randrange(6, 21)] for c in CRITERIA})
            for e in range(evaluators)
        ]
        for _ in range(applications)
    ]


def terms() -> tuple[EvaluationTerms, Aggregation]:
    call = next(c for c in load_seed_calls() if c.id == "2026-autonomous-factory-2")
    evaluation = call.terms.evaluation
    if evaluation is None or evaluation.aggregation is None:
        raise SystemExit("the 001 call has no evaluation terms")
    trimmed = evaluation.aggregation.model_copy(
        update={"method": "trimmed-mean", "trim_each_side": 1}
    )
    return evaluation.model_copy(update={"aggregation": trimmed}), trimmed


def digest(ranking: Ranking, aggregation: Aggregation) -> str:
    shown = aggregation.rounded
    lines = (
        f"{r.rank}|{r.application_id}|{r.final}|{r.total_without_bonus}|{r.bonus}|"
        + ",".join(f"{c}={shown(p)}" for c, p in r.items.items())
        + f"|{r.outcome}|{r.tie_break}"
        for r in ranking.rows
    )
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


def run(sheets: list[list[EvaluatorScores]], target: int) -> tuple[float, float, Ranking, int, int]:
    evaluation, aggregation = terms()
    collections = sum(s["collections"] for s in gc.get_stats())
    started = time.perf_counter()
    combine = Aggregator(aggregation)
    entries = []
    outliers = 0
    for n, panel in enumerate(sheets):
        result = combine(panel)
        outliers += bool(result.outliers)
        entries.append(Entry(f"app-{n:06d}", result.items, result.total))
    aggregated = time.perf_counter()
    ranking = rank(evaluation, "document-review", entries, target=target)
    ranked = time.perf_counter()
    collected = sum(s["collections"] for s in gc.get_stats()) - collections
    return aggregated - started, ranked - aggregated, ranking, outliers, collected


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--applications", type=int, default=50_000)
    parser.add_argument("--evaluators", type=int, default=5)
    parser.add_argument("--target", type=int, default=15_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--freeze-gc", action="store_true")
    args = parser.parse_args()
    print(
        f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}"
    )
    print(
        f"{args.applications:,} applications × {args.evaluators} evaluators × "
        f"{len(CRITERIA)} criteria, target {args.target:,} (shortlist 1.5×), seed {args.seed}"
    )
    sheets = instance(args.applications, args.evaluators, args.seed)
    if args.freeze_gc:
        gc.collect()
        gc.freeze()
        print("garbage collector: instance frozen")
    digests = set()
    totals = []
    for n in range(1, args.runs + 1):
        aggregating, ranking_time, ranking, outliers, collected = run(sheets, args.target)
        hashed = digest(ranking, terms()[1])
        digests.add(hashed)
        totals.append(aggregating + ranking_time)
        print(
            f"run {n}: aggregate {aggregating:.3f} s, rank {ranking_time:.3f} s, "
            f"total {aggregating + ranking_time:.3f} s "
            f"({(aggregating + ranking_time) / args.applications * 1e6:.1f} µs/application); "
            f"shortlisted {ranking.passing:,}, outlier panels {outliers:,}, "
            f"gc collections {collected}; sha256 {hashed[:16]}…"
        )
        del ranking
    print(f"median total {statistics.median(totals):.3f} s, best {min(totals):.3f} s")
    print(f"identical output across runs: {'yes' if len(digests) == 1 else 'NO'}")


if __name__ == "__main__":
    main()
