"""Recommendations: the hard rules that keep a member out, the fit from the call's weights
(001 call data: region 25, industry 20, technologies 25, records 20, load 10), and an
explanation naming every factor with its weight."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest
from pydantic import ValidationError

from intake.seed_calls import load_seed_calls
from matching.domain.fit import fit, recommend
from matching.domain.pools import Member, Need, ksic_division
from sfms_shared.contracts.terms_matching import Capacity, FitWeights

TERMS = next(c for c in load_seed_calls() if c.id == "2026-autonomous-factory-2").terms.matching
assert TERMS is not None
NEED = Need(
    application_id="app-1",
    region="경남",
    industry="29",
    technologies=frozenset({"ai", "digital-twin", "aas"}),  # 001 §1 **: 적용 필수
    parties=frozenset({"1234567891"}),
)


def member(member_id: str, **changes: object) -> Member:
    base: dict[str, object] = {
        "id": member_id,
        "brn": f"99999{member_id[-5:]:0>5}",
        "name": f"기관 {member_id}",
        "regions": frozenset({"경남"}),
        "industries": frozenset({"29"}),
        "technologies": frozenset({"ai", "digital-twin", "aas"}),
        "records": 30,
        "full_time_staff": 10,
        "capacity": 10,
        "load": 0,
    }
    return Member(**(base | changes))  # type: ignore[arg-type]


def test_a_perfect_fit_earns_every_point_and_names_every_factor_with_its_weight() -> None:
    found = fit(TERMS, NEED, member("p1"))
    assert found.fit == Decimal(100)
    assert [(f.code, f.weight) for f in found.factors] == [
        ("region", 25),
        ("industry", 20),
        ("technologies", 25),
        ("records", 20),
        ("load", 10),
    ]
    assert all(f.reason_ko and f.reason_en for f in found.factors)


def test_each_factor_earns_its_share() -> None:
    partial = member(
        "p2",
        regions=frozenset({"부산"}),
        industries=frozenset({"10"}),
        technologies=frozenset({"ai"}),
        records=15,
        load=5,
    )
    found = fit(TERMS, NEED, partial)
    points = {f.code: f.points for f in found.factors}
    assert points == {
        "region": 0,
        "industry": 0,
        "technologies": Decimal(25) / 3,
        "records": 10,
        "load": 5,
    }
    assert found.shown == Decimal("23.33") and found.hundredths == 2333
    technologies = next(f for f in found.factors if f.code == "technologies")
    assert "DT(디지털 트윈)" in technologies.reason_ko and "AAS" in technologies.reason_en


def test_records_count_up_to_full_marks_only() -> None:
    busy = fit(TERMS, NEED, member("p3", records=300))
    assert next(f for f in busy.factors if f.code == "records").points == 20


def test_hard_rules_keep_members_out_of_the_recommendations() -> None:
    full = member("p4", load=10)  # no free capacity
    applicant_itself = member("p5", brn="1234567891")  # a party of the project already
    declined = member("p6")
    fine = member("p7", records=12)
    need = replace(NEED, excluded=frozenset({"p6"}))
    listed = recommend(TERMS, need, [full, applicant_itself, declined, fine], limit=10)
    assert [r.member_id for r in listed] == ["p7"]


def test_equal_fits_are_ordered_by_records_then_id() -> None:
    a = member("p9", records=40)  # records past full marks: same fit as p8
    b = member("p8", records=30)
    c = member("p10", records=30)
    listed = recommend(TERMS, NEED, [c, a, b], limit=2)
    assert [r.member_id for r in listed] == ["p9", "p10"]


def test_fit_weights_add_up_to_a_hundred_and_capacity_follows_staff() -> None:
    source = TERMS.fit.source
    with pytest.raises(ValidationError, match="100"):
        FitWeights(region=30, industry=20, technologies=25, records=20, load=10, source=source)
    assert TERMS.planner_capacity.of(5) == 5  # 001 minimum staff: 5 projects at once
    assert Capacity(per_staff="0.5", source=source).of(7) == 3  # floored


def test_the_ksic_division_is_the_first_two_digits() -> None:
    assert ksic_division("C29") == "29" and ksic_division("29199") == "29"
    with pytest.raises(ValueError):
        ksic_division("C")
