"""Conflicts of interest and the assignment of applications to panels (DOMAIN §5: panels
have several evaluators). An evaluator in conflict (same organisation as, or a declared
relationship with, any party of the application) is never on the panel that evaluates
it; loads are as even as the conflicts and capacities allow (checked against brute force);
the same seed gives the same assignment."""

from __future__ import annotations

import random
from dataclasses import replace
from itertools import product

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring.domain.balancing import place
from scoring.domain.panels import (
    Declaration,
    Evaluator,
    Panel,
    Party,
    Subject,
    assign,
    conflicts,
    normalise_brn,
)

APPLICANT, PLANNER, SUPPLIER, OTHER = "1234567891", "2148600016", "1078155843", "2208162517"


def subject(n: int, *brns: str) -> Subject:
    return Subject(
        f"app-{n:05d}",
        tuple(Party("applicant" if i == 0 else "supplier", b) for i, b in enumerate(brns)),
    )


def plain(evaluator_id: str) -> Evaluator:
    return Evaluator(evaluator_id, "평가위원", None)


# Business registration numbers


@pytest.mark.parametrize("form", ["123-45-67891", "1234567891", " 123-45-67891 ", "12345-67891"])
def test_a_brn_is_its_ten_digits(form: str) -> None:
    assert normalise_brn(form) == "1234567891"


@pytest.mark.parametrize(
    "form", ["123-456-7891", "123456789", "12345678910", "123 45 67891", "１２３４５６７８９１", ""]
)
def test_anything_else_is_not_a_brn(form: str) -> None:
    with pytest.raises(ValueError, match="business registration number"):
        normalise_brn(form)


def test_hyphenated_and_plain_brns_meet_in_a_conflict() -> None:
    judge = Evaluator("e1", "정평가", "123-45-67891")
    assert judge.organisation_brn == "1234567891"
    (found,) = conflicts(judge, Subject("a", (Party("applicant", "1234567891"),)))
    assert found.brn == "1234567891"
    declared = Evaluator("e2", "김심사", None, declarations=(Declaration("214-86-00016"),))
    assert conflicts(declared, Subject.consortium("a", APPLICANT, planner="2148600016"))


# Conflicts


def test_the_evaluators_own_organisation_is_detected_among_the_parties() -> None:
    judge = Evaluator("e1", "정평가", SUPPLIER, affiliation="(주)스마트솔루션")
    application = Subject.consortium("a", APPLICANT, planner=PLANNER, suppliers=[SUPPLIER])
    (found,) = conflicts(judge, application)
    assert (found.evaluator_id, found.brn, found.role) == ("e1", SUPPLIER, "supplier")
    assert (found.kind, found.relation) == ("same-organisation", None)
    assert "공급기업" in found.message_ko and SUPPLIER in found.message_ko
    assert "(주)스마트솔루션" in found.message_ko
    assert "works for the supplier" in found.message_en


@pytest.mark.parametrize(
    ("relation", "ko", "en"),
    [
        ("business-relationship", "거래 관계", "business relationship"),
        ("former-employee", "전 소속", "former employment"),
        ("relative", "친족", "family relationship"),
        ("advisory", "자문", "advisory contract"),
        ("other", "기타", "other interest"),
    ],
)
def test_a_declared_relationship_with_any_party_is_a_conflict(
    relation: str, ko: str, en: str
) -> None:
    judge = Evaluator("e1", "김심사", None, declarations=(Declaration(PLANNER, relation),))  # type: ignore[arg-type]
    (found,) = conflicts(judge, Subject.consortium("a", APPLICANT, planner=PLANNER))
    assert (found.kind, found.relation, found.role, found.brn) == (
        "declared",
        relation,
        "planner",
        PLANNER,
    )
    assert ko in found.message_ko and "기획기관" in found.message_ko
    assert en in found.message_en and "planner" in found.message_en


def test_no_shared_brn_no_conflict() -> None:
    judge = Evaluator("e1", "김심사", OTHER, declarations=(Declaration(PLANNER),))
    assert conflicts(judge, Subject.consortium("a", APPLICANT, suppliers=[SUPPLIER])) == ()


def test_every_conflict_is_listed_once_per_party_and_relation() -> None:
    judge = Evaluator(
        "e1",
        "김심사",
        APPLICANT,
        declarations=(
            Declaration(APPLICANT, "relative"),
            Declaration("123-45-67891", "relative"),  # the same declaration twice
            Declaration(SUPPLIER, "advisory"),
        ),
    )
    found = conflicts(judge, Subject.consortium("a", APPLICANT, suppliers=[SUPPLIER, OTHER]))
    assert [(c.brn, c.kind, c.relation) for c in found] == [
        (APPLICANT, "same-organisation", None),
        (APPLICANT, "declared", "relative"),
        (SUPPLIER, "declared", "advisory"),
    ]


def test_an_unknown_relation_or_a_bad_capacity_is_refused() -> None:
    with pytest.raises(ValueError, match="relation"):
        Declaration(APPLICANT, "friend")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="capacity"):
        Panel("p", (), capacity=-1)


# Assignment: examples


def test_without_conflicts_loads_differ_by_at_most_one() -> None:
    panels = [Panel(f"p{i}", (plain(f"e{i}"),)) for i in range(3)]
    result = assign([subject(n, f"{n:010d}") for n in range(10)], panels, seed=3)
    assert sorted(result.loads().values()) == [3, 3, 4]
    assert result.unplaced == () and result.spread() == 1


def test_an_application_every_panel_conflicts_with_is_unplaced_with_the_conflicts() -> None:
    panels = [
        Panel("p1", (Evaluator("e1", "x", APPLICANT), plain("e3"))),
        Panel("p2", (Evaluator("e2", "y", None, declarations=(Declaration(SUPPLIER),)),)),
    ]
    result = assign([subject(1, APPLICANT, SUPPLIER), subject(2, OTHER)], panels, seed=0)
    assert dict(result.placements) == {"app-00002": result.placements["app-00002"]}
    (unplaced,) = result.unplaced
    assert (unplaced.application_id, unplaced.code) == ("app-00001", "every-panel-conflicts")
    assert {(c.evaluator_id, c.brn) for c in unplaced.conflicts} == {
        ("e1", APPLICANT),
        ("e2", SUPPLIER),
    }
    assert unplaced.full_panels == () and "이해충돌" in unplaced.message_ko


def test_conflicts_push_applications_to_the_other_panels_and_loads_still_even_out() -> None:
    # p0 may take only the applications not involving APPLICANT; half the applications
    # involve it, so p0 takes its share from the other half.
    panels = [
        Panel("p0", (Evaluator("e0", "x", APPLICANT),)),
        Panel("p1", (plain("e1"),)),
        Panel("p2", (plain("e2"),)),
    ]
    subjects = [subject(n, APPLICANT if n % 2 else OTHER) for n in range(30)]
    result = assign(subjects, panels, seed=7)
    assert result.loads() == {"p0": 10, "p1": 10, "p2": 10}
    assert all(s.application_id not in result.members("p0") for s in subjects[1::2])


def test_a_full_panel_leaves_the_rest_unplaced_with_the_panels_named() -> None:
    panels = [
        Panel("p0", (plain("e0"),), capacity=2),
        Panel("p1", (Evaluator("e1", "x", APPLICANT),), capacity=5),
    ]
    result = assign([subject(n, APPLICANT) for n in range(4)], panels, seed=1)
    assert result.loads() == {"p0": 2, "p1": 0}
    assert [u.code for u in result.unplaced] == ["allowed-panels-full"] * 2
    assert result.unplaced[0].full_panels == ("p0",)
    assert [c.evaluator_id for c in result.unplaced[0].conflicts] == ["e1"]
    assert "정원" in result.unplaced[0].message_ko


def test_capacities_are_filled_through_chains_before_anything_is_left_unplaced() -> None:
    # B-applications may only go to p1; A-applications anywhere. Capacity 2 each: the
    # two B-applications must take p1, so the A-applications go to p0 and p2.
    panels = [
        Panel("p0", (Evaluator("e0", "x", OTHER),), capacity=2),
        Panel("p1", (plain("e1"),), capacity=2),
        Panel("p2", (Evaluator("e2", "x", OTHER),), capacity=2),
    ]
    subjects = [subject(n, APPLICANT) for n in range(4)] + [subject(9, OTHER), subject(8, OTHER)]
    result = assign(subjects, panels, seed=0)
    assert result.unplaced == () and result.loads() == {"p0": 2, "p1": 2, "p2": 2}
    assert set(result.members("p1")) == {"app-00008", "app-00009"}


X, Y, Z = APPLICANT, PLANNER, SUPPLIER  # the organisations of p0's, p1's, p2's evaluator
BY_ORGANISATION = [Panel(f"p{i}", (Evaluator(f"e{i}", "x", b),)) for i, b in enumerate((X, Y, Z))]


def test_loads_even_out_along_chains_whatever_the_first_choices() -> None:
    # Allowed: a → {p0, p2}, b → {p1}, c → {p1, p2}. Placing a in p2 first and then c in
    # p1 gives loads 0/2/1; only the chain p1 → p2 → p0 (c moves on, a moves on) gives 1/1/1.
    subjects = [subject(1, Y), subject(2, X, Z), subject(3, X)]
    for seed in range(40):
        result = assign(subjects, BY_ORGANISATION, seed=seed)
        assert result.loads() == {"p0": 1, "p1": 1, "p2": 1}, seed


def test_an_application_is_not_left_out_while_a_chain_makes_room() -> None:
    # p0 takes none, p2 one. Allowed: a, b → {p0, p1}; c → {p0, p2}; d → {p1, p2}. If d
    # takes p2 first, c fits only once d moves on to p1.
    panels = [replace(p, capacity=c) for p, c in zip(BY_ORGANISATION, (0, 4, 1), strict=True)]
    subjects = [subject(1, Z), subject(2, Z), subject(3, Y), subject(4, X)]
    for seed in range(40):
        result = assign(subjects, panels, seed=seed)
        assert result.unplaced == () and result.loads() == {"p0": 0, "p1": 3, "p2": 1}, seed


def test_without_panels_every_application_is_unplaced() -> None:
    result = assign([subject(1, APPLICANT)], [], seed=0)
    assert [u.code for u in result.unplaced] == ["no-panels"] and result.loads() == {}


def test_repeated_ids_and_mixed_stages_are_refused() -> None:
    panel = Panel("p", (plain("e"),), stage="document-review")
    with pytest.raises(ValueError, match="application ids"):
        assign([subject(1, APPLICANT), subject(1, OTHER)], [panel], seed=0)
    with pytest.raises(ValueError, match="panel ids"):
        assign([], [panel, panel], seed=0)
    with pytest.raises(ValueError, match="stages"):
        assign([], [panel, Panel("q", (), stage="on-site-review")], seed=0)


def test_the_order_of_the_applications_does_not_matter_and_the_seed_does() -> None:
    panels = [Panel(f"p{i}", (plain(f"e{i}"),)) for i in range(4)]
    subjects = [subject(n, f"{n:010d}") for n in range(40)]
    shuffled = random.Random(1).sample(subjects, len(subjects))
    assert dict(assign(subjects, panels, seed=5).placements) == dict(
        assign(shuffled, panels, seed=5).placements
    )
    seen = {tuple(sorted(assign(subjects, panels, seed=s).placements.items())) for s in range(8)}
    assert len(seen) > 1


def test_fifty_thousand_applications_over_twenty_panels_with_conflicts() -> None:
    rng = random.Random(11)
    orgs = [f"{n:010d}" for n in range(400)]
    panels = [
        Panel(
            f"p{p:02d}",
            tuple(
                Evaluator(
                    f"e{p}-{i}",
                    "x",
                    rng.choice(orgs),
                    declarations=tuple(Declaration(rng.choice(orgs)) for _ in range(4)),
                )
                for i in range(5)
            ),
        )
        for p in range(20)
    ]
    subjects = [subject(n, *rng.sample(orgs, 3)) for n in range(50_000)]
    result = assign(subjects, panels, seed=1)
    by_id = {p.id: p for p in panels}
    assert not result.unplaced and result.spread() <= 1
    for s in subjects[::97]:
        assert not by_id[result.placements[s.application_id]].conflicts(s)


# Assignment: properties over random instances

ORGS = [f"{n:010d}" for n in range(8)]
HYPHENATED = {b: f"{b[:3]}-{b[3:5]}-{b[5:]}" for b in ORGS}


@st.composite
def instances(
    draw: st.DrawFn, max_apps: int = 40, max_panels: int = 4, capacities: bool = False
) -> tuple[list[Subject], list[Panel]]:
    def brn() -> str:
        value = draw(st.sampled_from(ORGS))
        return HYPHENATED[value] if draw(st.booleans()) else value

    evaluators = [
        Evaluator(
            f"e{i}",
            f"평가위원{i}",
            brn() if draw(st.booleans()) else None,
            declarations=tuple(
                Declaration(brn(), draw(st.sampled_from(["business-relationship", "relative"])))
                for _ in range(draw(st.integers(0, 2)))
            ),
        )
        for i in range(draw(st.integers(1, 9)))
    ]
    panel_count = draw(st.integers(1, min(max_panels, len(evaluators))))
    panels = [
        Panel(
            f"p{p}",
            tuple(evaluators[p::panel_count]),
            capacity=draw(st.none() | st.integers(0, max_apps)) if capacities else None,
        )
        for p in range(panel_count)
    ]
    subjects = [
        Subject(
            f"app-{n}",
            tuple(
                Party(draw(st.sampled_from(["applicant", "planner", "supplier"])), b)
                for b in draw(st.sets(st.sampled_from(ORGS), min_size=1, max_size=3))
            ),
        )
        for n in range(draw(st.integers(0, max_apps)))
    ]
    return subjects, panels


def _allowed(s: Subject, panels: list[Panel]) -> list[str]:
    return [p.id for p in panels if not any(conflicts(e, s) for e in p.evaluators)]


@settings(max_examples=300, deadline=None)
@given(instances(), st.integers(0, 2**31 - 1))
def test_no_application_goes_to_a_panel_with_a_conflicted_evaluator(instance, seed: int) -> None:  # noqa: ANN001
    subjects, panels = instance
    result = assign(subjects, panels, seed=seed)
    by_id = {p.id: p for p in panels}
    unplaced = [u.application_id for u in result.unplaced]
    assert len(set(unplaced)) == len(unplaced)
    assert set(unplaced).isdisjoint(result.placements)
    assert set(unplaced) | set(result.placements) == {s.application_id for s in subjects}
    reasons = {u.application_id: u for u in result.unplaced}
    for s in subjects:
        if s.application_id in reasons:  # unplaced only when every panel conflicts
            assert _allowed(s, panels) == []
            assert reasons[s.application_id].code == "every-panel-conflicts"
            assert {c.evaluator_id for c in reasons[s.application_id].conflicts} >= {
                e.id for p in panels for e in p.evaluators if conflicts(e, s)
            }
        else:
            panel = by_id[result.placements[s.application_id]]
            assert not any(conflicts(e, s) for e in panel.evaluators)
    if all(_allowed(s, panels) == list(by_id) for s in subjects):
        assert result.spread() <= 1
    assert assign(subjects, panels, seed=seed) == result


def _best(subjects: list[Subject], panels: list[Panel]) -> tuple[int, int]:
    """By brute force over every conflict-free choice (None: unplaced), within
    capacities: the most applications placed, and the least spread with that many."""
    best: tuple[int, int] = (0, 0)
    options = [[*_allowed(s, panels), None] for s in subjects]
    for choice in product(*options):
        counts = {p.id: 0 for p in panels}
        for panel_id in choice:
            if panel_id is not None:
                counts[panel_id] += 1
        if any(p.capacity is not None and counts[p.id] > p.capacity for p in panels):
            continue
        placed = sum(counts.values())
        spread = max(counts.values()) - min(counts.values())
        best = max(best, (placed, -spread))
    return best[0], -best[1]


@settings(max_examples=200, deadline=None)
@given(instances(max_apps=6, max_panels=3), st.integers(0, 1000))
def test_loads_are_as_even_as_the_conflicts_allow(instance, seed: int) -> None:  # noqa: ANN001
    subjects, panels = instance
    result = assign(subjects, panels, seed=seed)
    placed, spread = _best(subjects, panels)
    assert (len(result.placements), result.spread()) == (placed, spread)


@settings(max_examples=200, deadline=None)
@given(instances(max_apps=6, max_panels=3, capacities=True), st.integers(0, 1000))
def test_with_capacities_as_many_as_possible_are_placed_and_as_evenly(instance, seed: int) -> None:  # noqa: ANN001
    subjects, panels = instance
    result = assign(subjects, panels, seed=seed)
    placed, spread = _best(subjects, panels)
    assert (len(result.placements), result.spread()) == (placed, spread)
    loads = result.loads()
    assert all(p.capacity is None or loads[p.id] <= p.capacity for p in panels)
    for unplaced in result.unplaced:
        if unplaced.code == "allowed-panels-full":
            assert unplaced.full_panels
            assert all(
                loads[p] == next(q.capacity for q in panels if q.id == p)
                for p in unplaced.full_panels
            )


@st.composite
def allowed_sets(draw: st.DrawFn) -> tuple[list[int], list[int | None]]:
    panels = draw(st.integers(1, 4))
    allowed = draw(st.lists(st.integers(0, 2**panels - 1), max_size=6))
    capacities = draw(st.lists(st.none() | st.integers(0, 4), min_size=panels, max_size=panels))
    return allowed, capacities


@settings(max_examples=400, deadline=None)
@given(allowed_sets(), st.booleans(), st.integers(0, 1000))
def test_placement_by_allowed_sets_is_as_full_and_as_even_as_brute_force_finds(
    case: tuple[list[int], list[int | None]], capped: bool, seed: int
) -> None:
    """The placement itself on arbitrary allowed sets (bit masks over the panels), which
    reach the cases where the first, greedy pass is not optimal."""
    allowed, capacities = case
    capacities = capacities if capped else [None] * len(capacities)
    chosen = place(allowed, capacities, random.Random(seed))
    counts = [0] * len(capacities)
    for mask, panel in zip(allowed, chosen, strict=True):
        if panel is not None:
            assert mask >> panel & 1
            counts[panel] += 1
    assert all(c is None or n <= c for n, c in zip(counts, capacities, strict=True))
    assert (sum(counts), max(counts) - min(counts)) == _brute(allowed, capacities)


def _brute(allowed: list[int], capacities: list[int | None]) -> tuple[int, int]:
    """``_best`` on bit masks: the most placed within capacities, then the least spread."""
    panels = range(len(capacities))
    best: tuple[int, int] = (0, 0)
    options = [[*(p for p in panels if mask >> p & 1), None] for mask in allowed]
    for choice in product(*options):
        counts = [0] * len(capacities)
        for panel in choice:
            if panel is not None:
                counts[panel] += 1
        if any(c is not None and n > c for n, c in zip(counts, capacities, strict=True)):
            continue
        best = max(best, (sum(counts), min(counts) - max(counts)))
    return best[0], -best[1]
