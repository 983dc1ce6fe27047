"""A stage's ranking: final scores, the call's tie-break chain, and its cut-off.

What is ranked is what the committee sees: the score without bonus is rounded once to the
call's places (``Aggregation.rounded``), the capped bonus (``BonusTerms.total``, whole
points) is added, and that final score orders the rows, higher first. Equal final scores
go to the chain (001 붙임2 현장평가 ※ 동점: ① 가점 제외한 총점 ② 고도화 ③ 지속 가능성
④ 파급효과, higher wins), each step on the rounded figure; the row placed second of such a
pair names the step that separated it. Rows still equal after the chain share the rank
and are listed by application id. Only the steps whose items belong to the stage apply.

Rows whose pass/fail checks failed are excluded (``checks-failed``, with the checks named)
and listed after the others. The cut is the stage's: a shortlist of a multiple of the
target with ties at the cut passing (서면평가 1.5배수 내외), the target selected and
alternates after it (현장평가 선정·후보), or a pass threshold on the final score (KAMP:
60점 이상). Re-ranking after a disqualification is ``rank`` over the remaining entries;
``cut_changes`` tells who moved into the cut.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import partial
from types import MappingProxyType
from typing import NamedTuple

from sfms_shared.contracts.terms_scoring import (
    ROUNDING_MODES,
    Aggregation,
    EvaluationTerms,
    FinalScore,
    Stage,
    TieBreakStep,
)

CIRCLED = "①②③④⑤⑥⑦⑧⑨"
ZERO = Decimal(0)
PASSING = frozenset({"shortlisted", "selected", "supported"})
COMPLETE_TIE = "동점 (동일 순위)"
_NO_COMPONENTS: Mapping[str, Decimal] = MappingProxyType({})


class Entry(NamedTuple):
    """One eligible, not disqualified application at a stage, as aggregated."""

    application_id: str
    items: Mapping[str, Decimal]  # per-criterion averages (exact)
    total: Decimal  # the stage's total without bonus (exact)
    bonus: int = 0  # already capped (BonusTerms.total); added where the final score says
    checks_passed: bool = True  # False: a pass/fail check failed, the row is excluded
    components: Mapping[str, Decimal] = _NO_COMPONENTS  # other final-score parts (KAMP 일자리)
    failed_checks: tuple[str, ...] = ()  # which checks failed (also excludes the row)


class RankedRow(NamedTuple):
    rank: int
    application_id: str
    final: Decimal  # rounded score without bonus + bonus
    total_without_bonus: Decimal  # rounded
    bonus: int
    items: Mapping[str, Decimal]  # exact averages: shown rounded as the call says
    outcome: str  # shortlisted, not-shortlisted, selected, alternate, not-selected, …
    tie_break: str | None  # the step that put this row after the one it tied with
    reason: str | None = None  # why a row is excluded or below the threshold


@dataclass(frozen=True)
class Ranking:
    stage: str
    rows: tuple[RankedRow, ...]
    passing: int  # rows shortlisted, selected or supported
    target: int | None
    cut_note: str


@dataclass(frozen=True)
class CutChange:
    """What a re-ranking changed: who entered the cut, who left it, who is gone."""

    entered: tuple[str, ...]  # passing now, not before (the next ones moving up)
    left: tuple[str, ...]  # passing before, still ranked, not passing now
    removed: tuple[str, ...]  # ranked before, not ranked now (disqualified)


def rank(
    evaluation: EvaluationTerms, stage: Stage, entries: Sequence[Entry], *, target: int | None
) -> Ranking:
    """Rank ``entries`` at ``stage`` and apply the stage's cut; ``target`` is the call's
    target count (``CallDocument.target.value``), None where the call sets none."""
    if evaluation.aggregation is None:
        raise ValueError("the call does not say how scores combine")
    rounded = _rounding(evaluation.aggregation)
    steps = _steps(evaluation, stage)
    final_terms = evaluation.final_score
    weighted = final_terms if final_terms is not None and final_terms.scored_at(stage) else None
    without_bonus, bonuses = _without_bonus(entries, weighted, rounded)
    finals = (
        [w + b if b else w for w, b in zip(without_bonus, bonuses, strict=True)]
        if any(bonuses)
        else without_bonus
    )
    passed = [e.checks_passed and not e.failed_checks for e in entries]
    chain = [
        without_bonus
        if step.item is None
        else [rounded(e.items.get(step.item, ZERO)) for e in entries]  # type: ignore[arg-type]
        for step in steps
    ]
    keys = list(zip(passed, finals, *chain, strict=True))
    ids = [e.application_id for e in entries]
    # checks passed first, then higher final and chain values; equal keys by id
    order = sorted(range(len(entries)), key=ids.__getitem__)
    order.sort(key=keys.__getitem__, reverse=True)
    ranks, notes = _places([keys[i] for i in order], steps)
    ordered = [entries[i] for i in order]
    outcomes, reasons, cut_note = _cut(
        evaluation, stage, weighted, ranks, ordered, [finals[i] for i in order], target
    )
    rows = tuple(
        map(
            RankedRow,
            ranks,
            [ids[i] for i in order],
            [finals[i] for i in order],
            [without_bonus[i] for i in order],
            [bonuses[i] for i in order],
            [e.items for e in ordered],
            outcomes,
            notes,
            reasons,
        )
    )
    passing = sum(1 for outcome in outcomes if outcome in PASSING)
    return Ranking(stage, rows, passing, target, cut_note)


def cut_changes(before: Ranking, after: Ranking) -> CutChange:
    """Compare two rankings of the same stage (before and after a disqualification)."""
    was = {r.application_id for r in before.rows if r.outcome in PASSING}
    now = {r.application_id for r in after.rows if r.outcome in PASSING}
    ranked_now = {r.application_id for r in after.rows}
    return CutChange(
        entered=tuple(r.application_id for r in after.rows if r.application_id in now - was),
        left=tuple(
            r.application_id
            for r in before.rows
            if r.application_id in was - now and r.application_id in ranked_now
        ),
        removed=tuple(r.application_id for r in before.rows if r.application_id not in ranked_now),
    )


def entered_cut(before: Ranking, after: Ranking) -> tuple[str, ...]:
    """Who passes now and did not before (the next ones moving up), in rank order."""
    return cut_changes(before, after).entered


def _rounding(aggregation: Aggregation) -> Callable[[Decimal], Decimal]:
    """``Aggregation.rounded`` as one bound call (the same quantum and mode)."""
    quantum = aggregation.rounded(ZERO)
    return partial(Decimal.quantize, exp=quantum, rounding=ROUNDING_MODES[aggregation.rounding])


def _without_bonus(
    entries: Sequence[Entry],
    weighted: FinalScore | None,
    rounded: Callable[[Decimal], Decimal],
) -> tuple[list[Decimal], list[int]]:
    """Each entry's rounded score without bonus, and the bonus the final score adds."""
    if weighted is None:
        return list(map(rounded, (e.total for e in entries))), [0] * len(entries)
    own = {c.code for c in weighted.components if c.rubric_stage is not None}
    scores = [
        rounded(
            weighted.compute(
                {
                    c.code: e.total if c.code in own else e.components[c.code]
                    for c in weighted.components
                },
                0,
            )
        )
        for e in entries
    ]
    bonuses = [e.bonus for e in entries] if weighted.add_bonus else [0] * len(entries)
    return scores, bonuses


def _places(
    keys: list[tuple[object, ...]], steps: Sequence[TieBreakStep]
) -> tuple[list[int], list[str | None]]:
    """Ranks and tie-break notes down the ordered keys (checks passed, final, chain…)."""
    ranks: list[int] = []
    notes: list[str | None] = []
    above: tuple[object, ...] = ()
    for position, key in enumerate(keys, start=1):
        # tied: the same group (checks passed or not) and the same final score
        if above and above[1] == key[1] and above[0] == key[0]:
            if above == key:
                ranks.append(ranks[-1])
                notes.append(COMPLETE_TIE)
            else:
                ranks.append(position)
                notes.append(_separation(steps, above, key))
        else:
            ranks.append(position)
            notes.append(None)
        above = key
    return ranks, notes


def _steps(evaluation: EvaluationTerms, stage: str) -> tuple[TieBreakStep, ...]:
    """The chain's steps that apply at this stage (its items belong to this stage)."""
    chain = evaluation.tie_break.steps if evaluation.tie_break else ()
    return tuple(s for s in chain if s.key == "total-without-bonus" or s.stage == stage)


def _separation(
    steps: Sequence[TieBreakStep], above: tuple[object, ...], below: tuple[object, ...]
) -> str:
    """Which step put ``below`` after ``above``, their final scores being equal."""
    for index, (step, high, low) in enumerate(zip(steps, above[2:], below[2:], strict=True)):
        if high != low:
            return f"{CIRCLED[index]} {step.name.ko}"
    return COMPLETE_TIE


def _cut(
    evaluation: EvaluationTerms,
    stage: str,
    weighted: FinalScore | None,
    ranks: list[int],
    ordered: list[Entry],
    finals: list[Decimal],
    target: int | None,
) -> tuple[list[str], list[str | None], str]:
    """Each row's outcome and reason (rows in rank order), and a note on the cut."""
    reasons = [_exclusion(e) for e in ordered]
    excluded = [reason is not None for reason in reasons]
    open_rows = [i for i, out in enumerate(excluded) if not out]
    shortlist, selection = evaluation.shortlist, evaluation.selection
    if shortlist is not None and shortlist.stage == stage:
        size = len(open_rows) if target is None else shortlist.nominal_size(target)
        last = _last_rank(ranks, open_rows, size, approximate=shortlist.approximate)
        outcomes = ["not-shortlisted" if r > last else "shortlisted" for r in ranks]
        note = (
            f"목표 {target} × {shortlist.multiple_of_target} = {size}개 선발"
            + (" (동점은 함께 선발)" if shortlist.approximate else "")
            if target is not None
            else "목표 없음: 전원 선발"
        )
    elif weighted is not None and weighted.pass_threshold is not None:
        threshold = weighted.pass_threshold
        outcomes = ["supported" if weighted.passes(f) else "below-threshold" for f in finals]
        for i, (outcome, final) in enumerate(zip(outcomes, finals, strict=True)):
            if outcome == "below-threshold" and not excluded[i]:
                reasons[i] = f"최종점수 {final}점 < {threshold}점"
        note = f"최종점수 {threshold}점 이상 지원"
    elif selection is not None and selection.stage == stage:
        selected = _last_rank(ranks, open_rows, target, approximate=True)
        alternates = selection.alternates
        last_alternate = (
            _last_rank(ranks, open_rows, (target or 0) + alternates, approximate=True)
            if alternates is not None
            else None
        )
        outcomes = [
            "selected"
            if r <= selected
            else "alternate"
            if last_alternate is None or r <= last_alternate
            else "not-selected"
            for r in ranks
        ]
        shown = "나머지 전원" if alternates is None else f"{alternates}개"
        note = (
            f"목표 {target}개 선정, 후보 {shown}" if target is not None else "목표 없음: 전원 선정"
        )
    else:
        outcomes = ["selected"] * len(ordered)
        note = "선발 기준 없음: 순위만 매김"
    for i, out in enumerate(excluded):
        if out:
            outcomes[i] = "checks-failed"
    return outcomes, reasons, note


def _last_rank(ranks: list[int], open_rows: list[int], size: int | None, approximate: bool) -> int:
    """The last rank inside a cut of ``size`` rows (None: no limit). Approximate (내외): rows
    tied with the last one are inside too; otherwise a tie straddling the cut stays out."""
    if size is None or size >= len(open_rows):
        return ranks[open_rows[-1]] if open_rows else 0
    if size <= 0:
        return 0
    last = ranks[open_rows[size - 1]]
    if approximate or ranks[open_rows[size]] != last:
        return last
    return last - 1


def _exclusion(entry: Entry) -> str | None:
    if entry.checks_passed and not entry.failed_checks:
        return None
    if entry.failed_checks:
        return "확인 항목 부적합: " + ", ".join(entry.failed_checks)
    return "확인 항목 부적합"
