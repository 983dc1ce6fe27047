"""Document review (서면평가) and on-site review (현장평가) of the 001 call (붙임2; §4 평가절차):
two panels of three evaluators each; document review shortlists about 1.5 × the target,
on-site review selects the target and names the rest as alternates (선정·후보); a factory
found not operating on site fails its check and is out."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from walkthrough.evaluation import score_stage
from walkthrough.platform import CALL, Platform, Refused, ok, wait_until
from walkthrough.population import Company, Population
from walkthrough.report import line, table

PANELS = {
    "1분과": ["evaluator", "evaluator2", "evaluator3"],
    "2분과": ["evaluator4", "evaluator5", "evaluator6"],
}
NOT_OPERATING = "현장 방문 시 구축 대상 공장이 가동 중지 상태로 확인됨"


def entered(platform: Platform, stage: str, expected: int) -> None:
    """Wait until scoring has entered ``expected`` applications in ``stage``."""
    operator = platform.as_user("operator")

    def count() -> int | None:
        found, cursor = 0, None
        while True:
            query = {"limit": 200} | ({"cursor": cursor} if cursor else {})
            page = ok(
                operator.get(f"/scoring/calls/{CALL}/stages/{stage}/evaluations", params=query)
            )
            found += len(page["items"])
            cursor = page.get("next_cursor")
            if not cursor:
                return found if found >= expected else None

    wait_until(f"{expected} applications in {stage}", count)


def document_review(
    platform: Platform,
    people: Population,
    eligible: list[Company],
    evaluators: dict[str, str],
    seed: int,
) -> list[Company]:
    by_id = {c.ids["application"]: c for c in eligible}
    ranking = _evaluate(platform, "document-review", "서면평가", by_id, evaluators, seed)
    target = platform.call["target"]["value"]
    multiple = Decimal(platform.call["terms"]["evaluation"]["shortlist"]["multiple_of_target"])
    cut = int((multiple * target).quantize(Decimal(1), ROUND_HALF_UP))
    shortlisted = [
        by_id[r["application_id"]] for r in ranking["rows"] if r["outcome"] == "shortlisted"
    ]
    line(
        f"evaluated {len(ranking['rows'])}; shortlisted {len(shortlisted)} (1.5 × {target} = {multiple * target} → {cut})"
    )
    if abs(len(shortlisted) - cut) > 2:
        raise Refused(f"document review shortlisted {len(shortlisted)}, not about {cut}")
    _top(ranking)
    best = ranking["rows"][0]["application_id"]
    evaluation = ok(
        platform.as_user("operator").get(f"/scoring/evaluations/{best}/document-review")
    )
    line(f"기업역량 of {by_id[best].name}, read from its statement PDFs (붙임2 정량배점):")
    for measure in evaluation["quantitative"]["measures"]:
        line(
            f"  {measure['code']:<24} {_shown(measure['code'], measure['value']):>8} → {measure['points']}/{measure['max_points']}  {_inputs(measure)}"
        )
    return shortlisted


def on_site_review(
    platform: Platform, formed: list[Company], evaluators: dict[str, str], seed: int
) -> tuple[list[Company], list[Company]]:
    """``formed`` in document-review order; the ninth is found not operating on site."""
    by_id = {c.ids["application"]: c for c in formed}
    closed = formed[8]
    ranking = _evaluate(
        platform,
        "on-site-review",
        "현장평가",
        by_id,
        evaluators,
        seed,
        lambda a: {"factory-operating": NOT_OPERATING} if by_id[a] is closed else {},
    )
    outcomes = Counter(r["outcome"] for r in ranking["rows"])
    selected = [by_id[r["application_id"]] for r in ranking["rows"] if r["outcome"] == "selected"]
    alternates = [
        by_id[r["application_id"]] for r in ranking["rows"] if r["outcome"] == "alternate"
    ]
    line("outcomes: " + ", ".join(f"{k} {v}" for k, v in sorted(outcomes.items())))
    for row in ranking["rows"]:
        if row["outcome"] == "checks-failed":
            line(
                f"✗ {row['company_name']}: {row.get('detail', {}).get('reason') or 'site check failed'} — {NOT_OPERATING}"
            )
    if len(selected) != platform.call["target"]["value"]:
        raise Refused(f"on-site review selected {len(selected)}, not the target")
    _top(ranking)
    return selected, alternates


def _evaluate(
    platform: Platform,
    stage: str,
    panel_prefix: str,
    by_id: dict[str, Company],
    evaluators: dict[str, str],
    seed: int,
    failed_checks: Callable[[str], dict[str, str]] = lambda _: {},
) -> dict[str, Any]:
    """Once scoring holds every one of ``by_id`` in ``stage``: both panels score, and the
    stage is completed into its ranking."""
    entered(platform, stage, len(by_id))
    return score_stage(
        platform,
        platform.call,
        stage,
        {f"{panel_prefix} {name}": members for name, members in PANELS.items()},
        evaluators,
        lambda application_id: (by_id[application_id].name, by_id[application_id].merit),
        seed,
        failed_checks,
    )


def _top(ranking: dict[str, Any], rows: int = 5) -> None:
    header = (
        "순위",
        "기업 company",
        "점수 final",
        "가점 bonus",
        "결과 outcome",
        "동점 처리 tie-break",
    )
    table(
        header,
        [
            (
                r["rank"],
                r["company_name"],
                r["final"],
                r["bonus"],
                r["outcome"],
                r["tie_break"] or "",
            )
            for r in ranking["rows"][:rows]
        ],
    )


def _shown(code: str, value: str) -> str:
    if code == "direct-exports":  # 실적 유무: 있음 5, 없음 1
        return "yes" if Decimal(value) else "no"
    return f"{(Decimal(value) * 100).quantize(Decimal('0.1'), ROUND_HALF_UP)}%"


def _inputs(measure: dict[str, Any]) -> str:
    return " / ".join(
        f"{i.get('label', i['figure'])} {i.get('year', '')} {i['value']:,} (p.{i.get('page')})"
        if isinstance(i["value"], int)
        else f"{i.get('label', i['figure'])} (p.{i.get('page')})"
        for i in measure["inputs"]
    )
