"""A ranking as it is stored (one row per application, with the exact entry it was
ranked from, so a later re-ranking starts from the same figures) and as it is announced
(``scoring.application-scored.v1`` per application, ``scoring.stage-completed.v1``)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from scoring.domain.ranking import Entry, RankedRow, Ranking
from sfms_shared.contracts.calls import CallDocument
from sfms_shared.contracts.scores import ApplicationScore, ItemScore, RankedEntry, StageResult
from sfms_shared.contracts.terms_scoring import Stage

Rounding = Callable[[Decimal], Decimal]


def stored_rows(
    ranking: Ranking,
    entries: list[Entry],
    details: dict[str, dict[str, Any]],
    shown: Rounding,
) -> list[dict[str, Any]]:
    by_id = {e.application_id: e for e in entries}
    return [
        {
            "rank": r.rank,
            "application_id": r.application_id,
            "company_name": details[r.application_id]["company_name"],
            "applicant_brn": details[r.application_id]["applicant_brn"],
            "items": [{"code": c, "points": str(shown(p))} for c, p in r.items.items()],
            "total_without_bonus": str(r.total_without_bonus),
            "bonus": r.bonus,
            "final": str(r.final),
            "outcome": r.outcome,
            "tie_break": r.tie_break,
            "evaluators": details[r.application_id]["evaluators"],
            "entry": entry_json(by_id[r.application_id]),
            "detail": details[r.application_id],
        }
        for r in ranking.rows
    ]


def stage_result(
    call: CallDocument,
    stage: Stage,
    ranking: Ranking,
    *,
    sequence: int,
    why: str,
    removed: tuple[UUID, ...],
    at: datetime,
) -> StageResult:
    return StageResult(
        call_id=call.id,
        call_version=call.version,
        stage=stage,
        sequence=sequence,
        why=why,  # type: ignore[arg-type]
        target=ranking.target,
        passing=ranking.passing,
        entries=tuple(
            RankedEntry(
                rank=r.rank,
                application_id=UUID(r.application_id),
                final=r.final,
                total_without_bonus=r.total_without_bonus,
                bonus=r.bonus,
                outcome=r.outcome,  # type: ignore[arg-type]
                tie_break=r.tie_break,
            )
            for r in ranking.rows
        ),
        removed=removed,
        completed_at=at,
    )


def application_scores(
    call: CallDocument,
    stage: Stage,
    ranking: Ranking,
    details: dict[str, dict[str, Any]],
    shown: Rounding,
    at: datetime,
) -> list[ApplicationScore]:
    rubric = call.terms.evaluation.rubric(stage)  # type: ignore[union-attr]
    maxima = {i.code: i.max_points for i in rubric.items} if rubric else {}
    has_checks = bool(rubric and rubric.checks)
    return [
        ApplicationScore(
            application_id=UUID(r.application_id),
            call_id=call.id,
            call_version=call.version,
            stage=stage,
            items=tuple(
                ItemScore(code=c, max_points=maxima.get(c, 0), points=shown(p))
                for c, p in r.items.items()
            ),
            total_without_bonus=r.total_without_bonus,
            bonus=r.bonus,
            final=r.final,
            evaluators=details[r.application_id]["evaluators"],
            checks_passed=(r.outcome != "checks-failed") if has_checks else None,
            scored_at=at,
        )
        for r in ranking.rows
    ]


def ranking_of(result: dict[str, Any]) -> Ranking:
    """Enough of a stored ranking to compare who passed."""
    rows = tuple(
        RankedRow(
            rank=r["rank"],
            application_id=r["application_id"],
            final=Decimal(r["final"]),
            total_without_bonus=Decimal(r["total_without_bonus"]),
            bonus=r["bonus"],
            items={i["code"]: Decimal(i["points"]) for i in r["items"]},
            outcome=r["outcome"],
            tie_break=r["tie_break"],
        )
        for r in result["rows"]
    )
    return Ranking(stage=result["stage"], rows=rows, passing=0, target=None, cut_note="")


def entry_json(entry: Entry) -> dict[str, Any]:
    return {
        "application_id": entry.application_id,
        "items": {k: str(v) for k, v in entry.items.items()},
        "total": str(entry.total),
        "bonus": entry.bonus,
        "checks_passed": entry.checks_passed,
        "components": {k: str(v) for k, v in entry.components.items()},
    }


def entry_from_json(data: dict[str, Any]) -> Entry:
    return Entry(
        application_id=data["application_id"],
        items={k: Decimal(v) for k, v in data["items"].items()},
        total=Decimal(data["total"]),
        bonus=data["bonus"],
        checks_passed=data["checks_passed"],
        components={k: Decimal(v) for k, v in data["components"].items()},
    )
