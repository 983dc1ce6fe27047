"""The optimiser's two stages on random pools where organisations are both planners and
suppliers: planners first, then suppliers with each project's planner excluded — never
one organisation planning and supplying one project (001 §2 "기획기관(공급기업 동시 수행
불가)"), never over capacity, never a member that declined."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from intake.seed_calls import load_seed_calls
from matching.domain.fit import recommend
from matching.domain.optimiser import Candidates, Slots, solve
from matching.domain.pools import Member, Need

TERMS = next(c for c in load_seed_calls() if c.id == "2026-autonomous-factory-2").terms.matching
assert TERMS is not None
REGIONS = ["경남", "서울", "부산"]
TECHNOLOGIES = ["ai", "digital-twin", "aas", "opc-ua"]


@st.composite
def pools(draw: st.DrawFn) -> tuple[list[Need], list[Member], list[Member]]:
    brns = [f"{n:010d}" for n in range(1, draw(st.integers(2, 8)) + 1)]

    def member(kind: str, n: int, brn: str) -> Member:
        capacity = draw(st.integers(0, 4))
        return Member(
            id=f"{kind}{n}",
            brn=brn,
            name=f"{kind}{n}",
            regions=frozenset(draw(st.sets(st.sampled_from(REGIONS), min_size=1))),
            industries=frozenset(draw(st.sets(st.sampled_from(["29", "30"])))),
            technologies=frozenset(draw(st.sets(st.sampled_from(TECHNOLOGIES)))),
            records=draw(st.integers(0, 40)),
            full_time_staff=capacity,
            capacity=capacity,
            load=draw(st.integers(0, capacity)),
        )

    planners = [
        member("p", n, b) for n, b in enumerate(draw(st.lists(st.sampled_from(brns), max_size=6)))
    ]
    suppliers = [
        member("s", n, b) for n, b in enumerate(draw(st.lists(st.sampled_from(brns), max_size=6)))
    ]
    ids = [m.id for m in planners + suppliers]
    needs = [
        Need(
            application_id=f"a{n}",
            region=draw(st.sampled_from(REGIONS)),
            industry="29",
            technologies=frozenset({"ai", "digital-twin", "aas"}),
            parties=frozenset({f"9{n:09d}"}),
            excluded=frozenset(draw(st.sets(st.sampled_from(ids)))) if ids else frozenset(),
        )
        for n in range(draw(st.integers(0, 12)))
    ]
    return needs, planners, suppliers


def stage(needs: list[Need], pool: list[Member], seed: int) -> dict[str, str]:
    index = {m.id: i for i, m in enumerate(pool)}
    arcs = [
        (position, index[r.member_id], r.hundredths)
        for position, need in enumerate(needs)
        for r in recommend(TERMS, need, pool, 50)
    ]
    slots = [Slots(m.id, m.load, m.capacity) for m in pool]
    found = solve(
        [n.application_id for n in needs], slots, Candidates.of(arcs), balance=200, seed=seed
    )
    return found.placements


@settings(max_examples=300, deadline=None)
@given(pools(), st.integers(0, 1000))
def test_planner_then_supplier_never_one_organisation_twice(instance: tuple, seed: int) -> None:
    needs, planners, suppliers = instance
    chosen_planner = stage(needs, planners, seed)
    by_id = {m.id: m for m in planners + suppliers}
    with_planner = [
        Need(
            application_id=n.application_id,
            region=n.region,
            industry=n.industry,
            technologies=n.technologies,
            parties=n.parties | {by_id[chosen_planner[n.application_id]].brn},
            excluded=n.excluded,
        )
        for n in needs
        if n.application_id in chosen_planner
    ]
    chosen_supplier = stage(with_planner, suppliers, seed)
    for application_id, supplier_id in chosen_supplier.items():
        assert by_id[supplier_id].brn != by_id[chosen_planner[application_id]].brn
    for placements, pool in ((chosen_planner, planners), (chosen_supplier, suppliers)):
        for member in pool:
            taken = sum(1 for m in placements.values() if m == member.id)
            assert member.load + taken <= member.capacity
    excluded = {n.application_id: n.excluded for n in needs}
    for placements in (chosen_planner, chosen_supplier):
        assert all(m not in excluded[a] for a, m in placements.items())
