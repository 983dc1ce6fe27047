"""The operators' optimiser (min-cost flow): hard rules on random instances, optimality
against an exhaustive reference, stable answers, re-solving after declines."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linear_sum_assignment

from matching.domain.optimiser import MAX_FIT, Candidates, Slots, resolve, solve


@st.composite
def instances(draw: st.DrawFn, max_apps: int = 30, max_members: int = 10) -> tuple:
    """Applications, members with load and capacity, candidate arcs with fits (a missing
    arc is a conflict or a hard rule), and a balance price."""
    n = draw(st.integers(0, max_apps))
    m = draw(st.integers(1, max_members))
    members = []
    for j in range(m):
        capacity = draw(st.integers(0, 5))
        members.append(Slots(f"m{j}", draw(st.integers(0, capacity)), capacity))
    arcs = []
    for i in range(n):
        for j in draw(st.sets(st.integers(0, m - 1), max_size=m)):
            arcs.append((i, j, draw(st.integers(0, MAX_FIT))))
    balance = draw(st.sampled_from([0, 1, 200, 5000]))
    return [f"a{i}" for i in range(n)], members, arcs, balance


def reference(apps: list[str], members: list[Slots], arcs: list, balance: int) -> tuple[int, int]:
    """The best (placed, cost) by scipy's assignment on the slot-expanded matrix: one
    column per free slot of each member (priced as the optimiser prices it), one
    "unplaced" column per application, priced so that placing one more always wins."""
    n = len(apps)
    if n == 0:
        return 0, 0
    slots = [
        (j, balance * held)
        for j, s in enumerate(members)
        for held in range(s.load + 1, s.capacity + 1)
    ]
    most = MAX_FIT + balance * max((s.capacity for s in members), default=0)
    unplaced = (n + 1) * most + 1
    forbidden = (n + 1) * unplaced
    fits = {(i, j): f for i, j, f in arcs}
    matrix = np.full((n, len(slots) + n), unplaced, dtype=np.int64)
    for column, (j, price) in enumerate(slots):
        for i in range(n):
            fit = fits.get((i, j))
            matrix[i, column] = forbidden if fit is None else MAX_FIT - fit + price
    rows, columns = linear_sum_assignment(matrix)
    chosen = matrix[rows, columns]
    placed = int((columns < len(slots)).sum())
    return placed, int(chosen[columns < len(slots)].sum())


@settings(max_examples=300, deadline=None)
@given(instances(), st.integers(0, 2**31 - 1))
def test_capacity_conflicts_and_optimum(instance: tuple, seed: int) -> None:
    apps, members, arcs, balance = instance
    found = solve(apps, members, Candidates.of(arcs), balance=balance, seed=seed)
    allowed = {(f"a{i}", members[j].member_id) for i, j, _ in arcs}
    assert all(pair in allowed for pair in found.placements.items())  # no conflicted pair
    for slots in members:
        taken = sum(1 for m in found.placements.values() if m == slots.member_id)
        assert slots.load + taken <= slots.capacity
    assert set(found.placements) | set(found.unplaced) == set(apps)
    assert (len(found.placements), found.cost) == reference(apps, members, arcs, balance)


@settings(max_examples=150, deadline=None)
@given(instances(max_apps=8, max_members=4), st.integers(0, 1000))
def test_without_a_balance_price_the_total_fit_is_the_best_any_assignment_reaches(
    instance: tuple, seed: int
) -> None:
    apps, members, arcs, _ = instance
    found = solve(apps, members, Candidates.of(arcs), balance=0, seed=seed)
    placed, cost = reference(apps, members, arcs, 0)
    assert len(found.placements) == placed
    assert found.total_fit == placed * MAX_FIT - cost


@settings(max_examples=100, deadline=None)
@given(instances(), st.integers(0, 1000))
def test_the_same_seed_gives_the_same_answer(instance: tuple, seed: int) -> None:
    apps, members, arcs, balance = instance
    first = solve(apps, members, Candidates.of(arcs), balance=balance, seed=seed)
    again = solve(apps, members, Candidates.of(arcs), balance=balance, seed=seed)
    assert first == again


@settings(max_examples=200, deadline=None)
@given(instances(), st.integers(0, 1000), st.randoms(use_true_random=False))
def test_a_resolve_keeps_accepted_matches_and_never_repeats_a_declined_pair(
    instance: tuple, seed: int, rng
) -> None:  # noqa: ANN001
    apps, members, arcs, balance = instance
    first = solve(apps, members, Candidates.of(arcs), balance=balance, seed=seed)
    answers = {app: rng.choice(["accept", "decline"]) for app in first.placements}
    locked = {a: m for a, m in first.placements.items() if answers[a] == "accept"}
    declined = {(a, m) for a, m in first.placements.items() if answers[a] == "decline"}
    again = resolve(
        apps,
        members,
        Candidates.of(arcs),
        locked=locked,
        declined=declined,
        balance=balance,
        seed=seed,
    )
    assert all(again.placements[a] == m for a, m in locked.items())
    assert not declined & set(again.placements.items())
    for slots in members:
        taken = sum(1 for m in again.placements.values() if m == slots.member_id)
        assert slots.load + taken <= slots.capacity


def test_placing_one_more_application_beats_any_better_fit() -> None:
    """a fits p best, but only q can take b: a goes to q so that both are placed."""
    apps = ["a", "b"]
    members = [Slots("p", 0, 1), Slots("q", 0, 1)]
    arcs = Candidates.of([(0, 0, 9_000), (0, 1, 1_000), (1, 0, 8_000)])
    found = solve(apps, members, arcs, balance=0, seed=7)
    assert found.placements == {"a": "q", "b": "p"} and found.unplaced == ()


def test_the_balance_price_spreads_equal_fits() -> None:
    apps = [f"a{i}" for i in range(6)]
    members = [Slots("p", 0, 6), Slots("q", 0, 6)]
    arcs = Candidates.of([(i, j, 5_000) for i in range(6) for j in (0, 1)])
    spread = solve(apps, members, arcs, balance=100, seed=1)
    loads = sorted(list(spread.placements.values()).count(m) for m in ("p", "q"))
    assert loads == [3, 3]


def test_bad_problems_are_refused() -> None:
    members = [Slots("p", 0, 1)]
    with pytest.raises(ValueError, match="distinct"):
        solve(["a", "a"], members, Candidates.of([]), balance=0, seed=0)
    with pytest.raises(ValueError, match="unknown member"):
        solve(["a"], members, Candidates.of([(0, 1, 10)]), balance=0, seed=0)
    with pytest.raises(ValueError, match="two arcs"):
        solve(["a"], members, Candidates.of([(0, 0, 10), (0, 0, 20)]), balance=0, seed=0)
    with pytest.raises(ValueError, match="fit"):
        solve(["a"], members, Candidates.of([(0, 0, MAX_FIT + 1)]), balance=0, seed=0)
