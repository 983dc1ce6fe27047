"""A stage's ranking as a selection committee reads it, as one table that
``sfms_shared.exports`` writes as CSV or XLSX."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from sfms_shared.contracts.terms_scoring import Rubric

OUTCOME_KO = {
    "shortlisted": "선발",
    "not-shortlisted": "미선발",
    "selected": "선정",
    "alternate": "후보",
    "not-selected": "미선정",
    "supported": "지원",
    "below-threshold": "기준점수 미달",
    "checks-failed": "현장확인 부적합",
}
STAGE_KO = {
    "document-review": "서면평가",
    "on-site-review": "현장평가",
    "planner-evaluation": "기획기관평가",
    "selection-evaluation": "선정평가",
}


def ranking_table(
    rubric: Rubric, rows: Sequence[dict[str, Any]]
) -> tuple[list[str], list[list[Any]]]:
    """Headers and one line per ranked application: rank, company, per-criterion averages,
    total without bonus, bonus, final, tie-break note, result."""
    items = list(rubric.items)
    headers = [
        "순위",
        "기업명",
        "사업자등록번호",
        *[f"{item.name.ko} ({item.max_points}점)" for item in items],
        "가점 제외 총점",
        "가점",
        "최종점수",
        "동점 처리",
        "결과",
        "평가위원 수",
    ]
    lines = []
    for row in rows:
        points = {entry["code"]: entry["points"] for entry in row["items"]}
        lines.append(
            [
                row["rank"],
                row["company_name"],
                row["applicant_brn"],
                *[_number(points.get(item.code)) for item in items],
                _number(row["total_without_bonus"]),
                row["bonus"],
                _number(row["final"]),
                row.get("tie_break") or "",
                OUTCOME_KO[row["outcome"]],
                row["evaluators"],
            ]
        )
    return headers, lines


def _number(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)
