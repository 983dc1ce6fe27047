"""Final scores, the tie-break chain and the cut-offs, on the calls' own terms:
001 붙임2 (현장평가, 가점, ※ 동점 처리), 001 §4 평가절차 (서면평가 1.5배수 내외, 현장평가
선정·후보), 003 Ⅶ (선정평가 80 % + 일자리평가 20 % + 가점, 60점 이상 지원) and Ⅺ (가점)."""

from __future__ import annotations

from decimal import Decimal
from functools import cache

import pytest

from intake.seed_calls import load_seed_calls
from scoring.domain.ranking import Entry, entered_cut, rank
from sfms_shared.contracts.calls import CallDocument


@cache
def call(call_id: str) -> CallDocument:
    return next(c for c in load_seed_calls() if c.id == call_id)


AUTONOMOUS = call("2026-autonomous-factory-2")
KAMP = call("2021-kamp-ai-smart-factory")


def on_site(name: str, advancement: str, sustainability: str, ripple: str, bonus: int = 0) -> Entry:
    items = {
        "advancement": Decimal(advancement),
        "sustainability": Decimal(sustainability),
        "ripple-effect": Decimal(ripple),
    }
    return Entry(name, items, sum(items.values(), Decimal(0)), bonus)


def ranked(*entries: Entry, target: int = 15) -> list[tuple[str, int, str | None]]:
    result = rank(AUTONOMOUS.terms.evaluation, "on-site-review", entries, target=target)
    return [(r.application_id, r.rank, r.tie_break) for r in result.rows]


# ── bonus (001 붙임2 가점; 003 Ⅺ) ───────────────────────────────────────────


@pytest.mark.parametrize(
    ("claims", "points"),
    [
        (["level-certificate"], 3),
        (["level-certificate", "global-1000-plus"], 5),  # 6, capped at 5
        (["level-certificate", "global-1000-plus", "solution-utilisation"], 5),  # best 2 items
    ],
)
def test_001_bonus_is_3_per_item_at_most_2_items_at_most_5(claims: list[str], points: int) -> None:
    assert AUTONOMOUS.terms.bonus.total(claims) == points


@pytest.mark.parametrize(
    ("claims", "points"),
    [
        (["reshoring"], 3),
        (["covid-19-response"], 5),
        (["reshoring", "covid-19-response"], 5),
        (["reshoring", "root-industry", "crisis-region"], 5),  # no item cap; 9 capped at 5
    ],
)
def test_kamp_bonus_is_capped_at_5_points_without_an_item_cap(
    claims: list[str], points: int
) -> None:
    assert KAMP.terms.bonus.total(claims) == points


# ── tie-break chain (001 붙임2 현장평가 ※) ──────────────────────────────────


def test_final_score_is_the_on_site_score_plus_bonus() -> None:
    result = rank(
        AUTONOMOUS.terms.evaluation,
        "on-site-review",
        [on_site("a", "35", "25", "20", 5)],
        target=15,
    )
    (row,) = result.rows
    assert (row.total_without_bonus, row.bonus, row.final) == (
        Decimal("80.00"),
        5,
        Decimal("85.00"),
    )


def test_step_1_total_without_bonus() -> None:
    with_bonus = on_site("with-bonus", "35", "25", "25", bonus=3)  # 85 + 3 = 88
    without = on_site("without", "38", "25", "25")  # 88
    assert ranked(with_bonus, without) == [
        ("without", 1, None),
        ("with-bonus", 2, "① 가점 제외한 총점"),
    ]


def test_step_2_advancement() -> None:
    assert ranked(on_site("b", "30", "30", "20"), on_site("a", "35", "25", "20")) == [
        ("a", 1, None),
        ("b", 2, "② 고도화"),
    ]


def test_step_3_sustainability() -> None:
    assert ranked(on_site("b", "35", "20", "25"), on_site("a", "35", "25", "20")) == [
        ("a", 1, None),
        ("b", 2, "③ 지속 가능성"),
    ]


def test_step_4_ripple_effect_on_rounded_averages() -> None:
    """Equal once rounded on every earlier step, apart on the rounded 파급효과."""
    a = on_site("a", "30.00", "20.004", "20.001")  # 70.005 → 70.01; 20.00, 20.00
    b = on_site("b", "30.00", "20.000", "20.005")  # 70.005 → 70.01; 20.00, 20.01
    assert ranked(a, b) == [("b", 1, None), ("a", 2, "④ 파급효과")]


def test_a_complete_tie_shares_the_rank() -> None:
    rows = ranked(
        on_site("a", "35", "25", "20"),
        on_site("b", "35", "25", "20"),
        on_site("c", "30", "20", "20"),
    )
    assert rows == [("a", 1, None), ("b", 1, "동점 (동일 순위)"), ("c", 3, None)]


# ── cut-offs ────────────────────────────────────────────────────────────────


def document_review(count: int, *, tie_at: int | None = None) -> list[Entry]:
    """Totals 90, 89, …; with ``tie_at``, that entry ties with the one before it."""
    totals = [Decimal(90 - n) for n in range(count)]
    if tie_at is not None:
        totals[tie_at] = totals[tie_at - 1]
    return [Entry(f"app-{n:02d}", {"environment": t}, t) for n, t in enumerate(totals)]


def test_document_review_shortlists_1_5_times_the_target_of_15() -> None:
    """001 §4: 지원목표(15개 내외) 1.5배수 내외 → 22.5, rounded half-up: 23."""
    assert AUTONOMOUS.terms.evaluation.shortlist.nominal_size(15) == 23
    result = rank(AUTONOMOUS.terms.evaluation, "document-review", document_review(30), target=15)
    assert result.passing == 23
    outcomes = [r.outcome for r in result.rows]
    assert outcomes == ["shortlisted"] * 23 + ["not-shortlisted"] * 7


def test_a_tie_at_the_cut_lets_both_pass() -> None:
    """내외: the 23rd and 24th are tied, both pass."""
    entries = document_review(30, tie_at=23)  # rows 22 and 23 (0-based) share 68 points
    result = rank(AUTONOMOUS.terms.evaluation, "document-review", entries, target=15)
    assert result.passing == 24
    assert [r.rank for r in result.rows[21:25]] == [22, 23, 23, 25]


def test_on_site_review_selects_the_target_and_names_the_rest_alternates() -> None:
    entries = [on_site(f"app-{n:02d}", str(40 - n), "25", "20") for n in range(20)]
    failed = Entry("failed", {"advancement": Decimal("40")}, Decimal("99"), checks_passed=False)
    result = rank(AUTONOMOUS.terms.evaluation, "on-site-review", [*entries, failed], target=15)
    outcomes = [r.outcome for r in result.rows]
    assert outcomes == ["selected"] * 15 + ["alternate"] * 5 + ["checks-failed"]
    assert result.rows[-1].application_id == "failed"


def kamp(selection: str, job_creation: str, bonus: int = 0) -> Entry:
    total = Decimal(selection)
    return Entry(
        f"{selection}/{job_creation}/{bonus}",
        {"ai-solution-validity": total},
        total,
        bonus,
        components={"job-creation": Decimal(job_creation)},
    )


@pytest.mark.parametrize(
    ("entry", "final", "outcome"),
    [
        (kamp("70", "19.95"), "59.99", "below-threshold"),  # 56 + 3.99
        (kamp("70", "20"), "60.00", "supported"),  # 56 + 4: exactly 60 is supported
        (kamp("70", "5", bonus=3), "60.00", "supported"),  # 56 + 1 + 3
        (kamp("70", "5", bonus=0), "57.00", "below-threshold"),
    ],
)
def test_kamp_final_is_80_percent_selection_20_percent_jobs_plus_bonus_supported_from_60(
    entry: Entry, final: str, outcome: str
) -> None:
    result = rank(KAMP.terms.evaluation, "selection-evaluation", [entry], target=None)
    (row,) = result.rows
    assert row.final == Decimal(final) and row.outcome == outcome


def test_a_disqualified_application_leaves_and_the_next_moves_up() -> None:
    entries = document_review(30)
    before = rank(AUTONOMOUS.terms.evaluation, "document-review", entries, target=15)
    after = rank(AUTONOMOUS.terms.evaluation, "document-review", entries[1:], target=15)
    assert after.rows[0].application_id == "app-01" and after.rows[0].rank == 1
    assert entered_cut(before, after) == ("app-23",)
    assert after.passing == 23
