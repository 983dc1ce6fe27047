"""Benchmark: the operators' optimiser assigning planners to every pending application.

Not a test: it prints figures and never fails on timing. Run it with

    uv run python tests/benchmarks/bench_matching_optimiser.py [--applications 50000]

A seeded instance: 50,000 applications and 2,000 planners over the 17 시·도, each planner
with 15–45 full-time staff (capacity one project per staff, the 001 call's parameter) and
some projects already held; each application has at most 50 candidate planners, mostly
from its own region, with the fit the 001 weights give (region 25, industry 20,
technologies 25, records 20, load 10). Timed: ``solve`` (building the network, OR-Tools'
min-cost flow, reading the placements). Then 5% of the placed applications decline, the
rest accept, and ``resolve`` runs with the accepted matches locked and the declined pairs
removed. Peak memory is the process's maximum resident set size. The placements are
hashed: the same seed must give the same digest on every run.
Targets: ≤ 5 s and ≤ 1.5 GB for the solve, ≤ 2 s for the re-solve, on a 2-core machine.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import platform
import resource
import time

import numpy as np

from matching.domain.optimiser import Candidates, Slots, resolve, solve

REGIONS = 17
WEIGHTS = {"region": 25, "industry": 20, "technologies": 25, "records": 20, "load": 10}


def instance(
    applications: int, planners: int, per_application: int, seed: int
) -> tuple[list[str], list[Slots], Candidates]:
    rng = np.random.default_rng(seed)
    planner_region = rng.integers(0, REGIONS, planners)
    staff = rng.integers(15, 46, planners)
    load = rng.integers(0, 3, planners)
    records = rng.integers(10, 60, planners)
    techs = rng.integers(1, 4, planners)  # of AI, DT, AAS covered
    industries = rng.random((planners, 24)) < 0.2  # KSIC divisions 10–33 served
    app_region = rng.integers(0, REGIONS, applications)
    app_industry = rng.integers(0, 24, applications)
    by_region = [np.flatnonzero(planner_region == r) for r in range(REGIONS)]
    count = rng.integers(per_application // 2, per_application + 1, applications)
    local = (count * 0.7).astype(np.int64)
    rows, cols = [], []
    for i in range(applications):
        near = by_region[app_region[i]]
        chosen = set(rng.choice(near, size=min(local[i], len(near)), replace=False).tolist())
        while len(chosen) < count[i]:
            chosen.add(int(rng.integers(0, planners)))
        rows.extend([i] * len(chosen))
        cols.extend(chosen)
    app = np.array(rows, dtype=np.int64)
    member = np.array(cols, dtype=np.int64)
    free = (staff - load) / staff
    fit = (
        WEIGHTS["region"] * (planner_region[member] == app_region[app])
        + WEIGHTS["industry"] * industries[member, app_industry[app]]
        + WEIGHTS["technologies"] * techs[member] / 3
        + WEIGHTS["records"] * np.minimum(records[member], 30) / 30
        + WEIGHTS["load"] * free[member]
    )
    hundredths = np.round(fit * 100).astype(np.int64)
    apps = [f"app-{i:06d}" for i in range(applications)]
    members = [Slots(f"planner-{j:05d}", int(load[j]), int(staff[j])) for j in range(planners)]
    return apps, members, Candidates(app, member, hundredths)


def digest(placements: dict[str, str]) -> str:
    lines = "\n".join(f"{a}={m}" for a, m in sorted(placements.items()))
    return hashlib.sha256(lines.encode()).hexdigest()


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--applications", type=int, default=50_000)
    parser.add_argument("--planners", type=int, default=2_000)
    parser.add_argument("--candidates", type=int, default=50)
    parser.add_argument("--balance", type=int, default=200, help="hundredths of a point")
    parser.add_argument("--decline-share", type=float, default=0.05)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--runs", type=int, default=2)
    args = parser.parse_args()
    print(
        f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}"
    )
    apps, members, candidates = instance(
        args.applications, args.planners, args.candidates, args.seed
    )
    capacity = sum(s.capacity - s.load for s in members)
    print(
        f"{len(apps):,} applications × {len(members):,} planners, {len(candidates):,} "
        f"candidate arcs (≤ {args.candidates} each), {capacity:,} free slots, seed {args.seed}; "
        f"instance built, peak RSS {peak_mib():,.0f} MiB"
    )
    digests = set()
    for run in range(1, args.runs + 1):
        started = time.perf_counter()
        found = solve(apps, members, candidates, balance=args.balance, seed=args.seed)
        solved = time.perf_counter() - started
        digests.add(digest(found.placements))
        print(
            f"run {run}: solve {solved:.3f} s, placed {len(found.placements):,}, "
            f"unplaced {len(found.unplaced):,}, mean fit {found.total_fit / 100 / max(1, len(found.placements)):.2f}, "
            f"peak RSS {peak_mib():,.0f} MiB; sha256 {digest(found.placements)[:16]}…"
        )
    rng = np.random.default_rng(args.seed + 1)
    placed = sorted(found.placements)
    declining = set(
        rng.choice(placed, size=int(len(placed) * args.decline_share), replace=False).tolist()
    )
    locked = {a: m for a, m in found.placements.items() if a not in declining}
    declined = {(a, found.placements[a]) for a in declining}
    started = time.perf_counter()
    again = resolve(
        apps,
        members,
        candidates,
        locked=locked,
        declined=declined,
        balance=args.balance,
        seed=args.seed,
    )
    resolved = time.perf_counter() - started
    moved = sum(1 for a in declining if a in again.placements)
    kept = all(again.placements[a] == m for a, m in locked.items())
    print(
        f"re-solve after {len(declining):,} declines ({args.decline_share:.0%}): "
        f"{resolved:.3f} s, placed again {moved:,}, accepted matches kept: "
        f"{'yes' if kept else 'NO'}, peak RSS {peak_mib():,.0f} MiB"
    )
    print(f"identical output across runs: {'yes' if len(digests) == 1 else 'NO'}")


if __name__ == "__main__":
    main()
