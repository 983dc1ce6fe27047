"""Assigning many applications to planners (or suppliers) at once, by min-cost flow.

The network: each application has one unit to place; it may send it to a member it has
an arc to (a candidate: conflicts and the other hard rules are missing arcs); each
member passes units to the sink through one arc per free slot, the k-th project it
would hold costing ``balance × k`` (a rising price, so the load spreads); a candidate
arc costs ``MAX_FIT − fit``. OR-Tools' ``SimpleMinCostFlow``
first places as many applications as capacities allow, then, among those placements,
minimises the cost: the most total fit less the price of the load. Capacity can never
be exceeded (slot arcs carry one unit each, and only the free ones exist).

Accepted matches are not re-solved: the caller leaves them out and counts them in each
member's ``load``, so a re-solve after declines keeps what was accepted. The same
problem and seed give the same answer: each application's candidate arcs go to the
solver best fit first, equal fits in an order drawn from the seed, and that order is what
decides between placements of equal cost.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence, Set
from dataclasses import dataclass, replace

import numpy as np
from ortools.graph.python import min_cost_flow

MAX_FIT = 10_000  # 100.00 points, in hundredths


@dataclass(frozen=True)
class Slots:
    """A member's free slots: its id, the projects it holds now and its capacity."""

    member_id: str
    load: int
    capacity: int


@dataclass(frozen=True)
class Candidates:
    """The arcs as parallel arrays: application index, member index, fit in hundredths."""

    application: np.ndarray
    member: np.ndarray
    fit: np.ndarray

    @classmethod
    def of(cls, arcs: Sequence[tuple[int, int, int]]) -> Candidates:
        table = np.asarray(arcs, dtype=np.int64).reshape(-1, 3)
        return cls(table[:, 0].copy(), table[:, 1].copy(), table[:, 2].copy())

    def __len__(self) -> int:
        return len(self.application)


@dataclass(frozen=True)
class Solution:
    placements: dict[str, str]  # application id → member id
    unplaced: tuple[str, ...]  # no candidate had a free slot left for them
    total_fit: int  # hundredths
    cost: int  # Σ (MAX_FIT − fit) + Σ slot prices: what was minimised


def solve(
    applications: Sequence[str],
    members: Sequence[Slots],
    candidates: Candidates,
    *,
    balance: int,
    seed: int,
) -> Solution:
    """Place ``applications`` with ``members`` along ``candidates``; ``balance`` is the
    price (hundredths of a fit point) of each project a member holds."""
    _check(applications, members, candidates, balance)
    n, m = len(applications), len(members)
    order, node = _arc_order(candidates, n, m, seed)
    app, member, fit = (
        candidates.application[order],
        candidates.member[order],
        candidates.fit[order],
    )
    sink = n + m  # nodes: applications 0..n-1 (one unit each), members n..n+m-1, the sink
    free = np.array([max(0, s.capacity - s.load) for s in members], dtype=np.int64)
    loads = np.array([s.load for s in members], dtype=np.int64)
    slot_member = np.repeat(np.arange(m, dtype=np.int64), free)
    # the k-th slot of a member holding L projects is its (L + k)-th project
    first_slot = np.repeat(np.cumsum(free) - free, free)
    held = loads[slot_member] + (np.arange(len(slot_member), dtype=np.int64) - first_slot) + 1
    tails = np.concatenate([node[app], slot_member + n])
    heads = np.concatenate([member + n, np.full(len(slot_member), sink, dtype=np.int64)])
    costs = np.concatenate([MAX_FIT - fit, balance * held])
    flow = min_cost_flow.SimpleMinCostFlow()
    flow.add_arcs_with_capacity_and_unit_cost(tails, heads, np.ones(len(tails), np.int64), costs)
    flow.set_nodes_supplies(
        np.append(np.arange(n, dtype=np.int64), sink),
        np.append(np.ones(n, dtype=np.int64), -n),
    )
    status = flow.solve_max_flow_with_min_cost()
    if status != flow.OPTIMAL:
        raise RuntimeError(f"min-cost flow did not solve: status {status}")
    used = flow.flows(np.arange(len(candidates), dtype=np.int64)) > 0
    placements = {
        applications[a]: members[b].member_id
        for a, b in zip(app[used].tolist(), member[used].tolist(), strict=True)
    }
    return Solution(
        placements=placements,
        unplaced=tuple(a for a in applications if a not in placements),
        total_fit=int(fit[used].sum()),
        cost=int(flow.optimal_cost()),
    )


def _arc_order(candidates: Candidates, n: int, m: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """The order the arcs go to the solver in, and each application's node number.

    Applications are numbered by their best candidate, so that those competing for the
    same member are neighbours in the solver's node order (about a quarter faster on the
    benchmark than numbering them as given); the arcs follow, grouped by application,
    best fit first, equal fits in an order drawn from ``seed``. Each order is one sort of
    a packed int64 key (application | cost | draw)."""
    draws = np.random.default_rng(seed).integers(0, 1 << 24, len(candidates), dtype=np.int64)
    cost_and_draw = ((MAX_FIT - candidates.fit) << 24) | draws
    by_application = np.argsort((candidates.application << 40) | cost_and_draw, kind="stable")
    grouped = candidates.application[by_application]
    firsts = by_application[np.r_[True, grouped[1:] != grouped[:-1]]] if len(grouped) else grouped
    best = np.full(n, m, dtype=np.int64)  # an application without candidates comes last
    best[candidates.application[firsts]] = candidates.member[firsts]
    node = np.empty(n, dtype=np.int64)
    node[np.argsort(best, kind="stable")] = np.arange(n, dtype=np.int64)
    order = np.argsort((node[candidates.application] << 40) | cost_and_draw, kind="stable")
    return order, node


def resolve(
    applications: Sequence[str],
    members: Sequence[Slots],
    candidates: Candidates,
    *,
    locked: Mapping[str, str],
    declined: Set[tuple[str, str]],
    balance: int,
    seed: int,
) -> Solution:
    """Solve again after answers came in: ``locked`` matches (accepted: application →
    member) stay as they are and take their member's slots; ``declined`` (application,
    member) pairs, declined or lapsed, are arcs no more. The placements returned include
    the locked ones; ``total_fit`` and ``cost`` are of the new placements only."""
    held = {s.member_id: 0 for s in members}
    for member_id in locked.values():
        held[member_id] += 1
    index = {s.member_id: i for i, s in enumerate(members)}
    open_apps = [a for a in applications if a not in locked]
    new_index = {a: i for i, a in enumerate(open_apps)}
    old_to_new = np.array([new_index.get(a, -1) for a in applications], dtype=np.int64)
    keep = old_to_new[candidates.application] >= 0
    if declined:
        width = max(1, len(members))
        position = {a: i for i, a in enumerate(applications)}
        refused = [
            position[a] * width + index[m] for a, m in declined if a in position and m in index
        ]
        pairs = candidates.application * width + candidates.member
        keep &= ~np.isin(pairs, np.array(refused, dtype=np.int64))
    remaining = Candidates(
        old_to_new[candidates.application][keep], candidates.member[keep], candidates.fit[keep]
    )
    slots = [replace(s, load=s.load + held[s.member_id]) for s in members]
    found = solve(open_apps, slots, remaining, balance=balance, seed=seed)
    return replace(found, placements=dict(locked) | found.placements)


def _check(
    applications: Sequence[str], members: Sequence[Slots], candidates: Candidates, balance: int
) -> None:
    if len(applications) >= 1 << 23:
        raise ValueError("at most 8,388,607 applications in one run")
    if len(set(applications)) != len(applications):
        raise ValueError("application ids must be distinct")
    if len({s.member_id for s in members}) != len(members):
        raise ValueError("member ids must be distinct")
    if balance < 0 or any(s.load < 0 or s.capacity < 0 for s in members):
        raise ValueError("balance, loads and capacities cannot be negative")
    if len(candidates):
        if candidates.application.min() < 0 or candidates.application.max() >= len(applications):
            raise ValueError("a candidate arc names an unknown application")
        if candidates.member.min() < 0 or candidates.member.max() >= len(members):
            raise ValueError("a candidate arc names an unknown member")
        if candidates.fit.min() < 0 or candidates.fit.max() > MAX_FIT:
            raise ValueError(f"fit must be between 0 and {MAX_FIT} hundredths")
    pairs = np.sort(candidates.application * max(1, len(members)) + candidates.member)
    if bool((pairs[1:] == pairs[:-1]).any()):
        raise ValueError("an application has two arcs to the same member")
