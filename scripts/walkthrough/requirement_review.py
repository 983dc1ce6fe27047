"""Requirement review (요건검토, 001 부적격 사항): every received application is decided by the
call's rules as of the deadline; the ineligible ones with the reason a person reads."""

from __future__ import annotations

from collections import Counter
from typing import Any

from walkthrough.platform import CALL, Platform, Refused, ok, wait_until
from walkthrough.population import Population
from walkthrough.report import line


def decisions(platform: Platform) -> list[dict[str, Any]]:
    operator = platform.as_user("operator")
    found, cursor = [], None
    while True:
        query = {"call_id": CALL, "limit": 200} | ({"cursor": cursor} if cursor else {})
        page = ok(operator.get("/eligibility/decisions", params=query))
        found += page["items"]
        cursor = page.get("next_cursor")
        if not cursor:
            return found


def review(platform: Platform, people: Population) -> dict[str, str]:
    """Each received application's verdict, once all are decided."""
    received = {c.ids["application"] for c in people.companies if "receipt" in c.ids}

    def all_decided() -> list[dict[str, Any]] | None:
        found = decisions(platform)
        return found if {d["application_id"] for d in found} >= received else None

    decided = wait_until("a decision for every received application", all_decided)
    verdicts = {d["application_id"]: d["verdict"] for d in decided}
    if set(verdicts) != received:
        raise Refused("decisions for applications that were not received")
    counts = Counter(verdicts.values())
    line(
        f"received {len(received)} = reviewed {len(verdicts)}: "
        + ", ".join(f"{verdict} {n}" for verdict, n in sorted(counts.items()))
    )
    operator = platform.as_user("operator")
    by_application = {c.ids.get("application"): c for c in people.companies}
    for application_id, verdict in sorted(
        verdicts.items(), key=lambda v: by_application[v[0]].number
    ):
        if verdict == "eligible":
            continue
        trace = ok(operator.get(f"/eligibility/decisions/{application_id}"))
        for outcome in trace["outcomes"]:
            if outcome["outcome"] == "fail":
                line(f"✗ {by_application[application_id].name}: {outcome['reason']['ko']}")
                line(f"    {outcome['reason']['en']}  [{outcome['source']['section']}]")
    return verdicts
