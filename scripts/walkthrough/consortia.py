"""Planning support (기획지원, 001 §2 기획기관 역할, §5): every shortlisted application is matched
with a planner from the pool, and through it with a supplier, by mutual consent. The
operators' optimiser proposes for the whole call; each planner and supplier answers; one
planner declines and the optimiser places that application again. Once formed, each
consortium's planner submits the business plan, which settlement pays (10백만원)."""

from __future__ import annotations

from typing import Any

from walkthrough.platform import CALL, Platform, ok, wait_until
from walkthrough.population import Company, Population
from walkthrough.report import line, progress, table

DECLINE_REASON = "투입 가능 인력 일정이 맞지 않아 수행이 어렵습니다"


def match_of(platform: Platform, company: Company) -> dict[str, Any]:
    return ok(platform.as_user("operator").get(f"/matching/matches/{company.ids['application']}"))


def form_consortia(
    platform: Platform, people: Population, shortlisted: list[Company], seed: int
) -> list[Company]:
    operator = platform.as_user("operator")
    for company in shortlisted:
        wait_until(
            f"the match of {company.name}",
            lambda c=company: (
                operator.get(f"/matching/matches/{c.ids['application']}").status_code == 200 or None
            ),
        )
    members = {m.member_id: m for m in (*people.planners, *people.suppliers)}
    _advice(platform, members, shortlisted[0])
    declined = False
    for role in ("planner", "planner", "supplier"):
        run = ok(
            operator.post(
                f"/matching/calls/{CALL}/optimiser-runs", json={"role": role, "seed": seed}
            )
        )
        if run["waiting"] == 0:
            continue
        line(
            f"optimiser ({role}): {run['proposed']} of {run['waiting']} proposed, mean fit {run['mean_fit']}, "
            f"unplaced {len(run['unplaced'])}"
        )
        for company in progress(shortlisted, f"{role} answers"):
            for proposal in match_of(platform, company)["proposals"]:
                if proposal["role"] != role or proposal["state"] != "proposed":
                    continue
                accept = declined or role != "planner"
                answer = {"accept": True} if accept else {"accept": False, "reason": DECLINE_REASON}
                member = members[proposal["member_id"]]
                ok(
                    platform.as_user(member.account).post(
                        f"/matching/matches/{company.ids['application']}/proposals/{proposal['id']}/answer",
                        json=answer,
                    )
                )
                if not accept:
                    declined = True
                    line(f"✗ {member.name} declined {company.name}: {DECLINE_REASON}")
    for company in shortlisted:
        _await_consortium(platform, company)
    _plans(platform, members, shortlisted)
    return shortlisted


def _await_consortium(platform: Platform, company: Company) -> None:
    """Wait until the match is formed (a wait that ends without it stops the walk-through);
    note its planner and suppliers."""
    match = wait_until(
        f"the consortium of {company.name}",
        lambda: (m := match_of(platform, company))["state"] == "formed" and m or None,
    )
    accepted = [p for p in match["proposals"] if p["state"] == "accepted"]
    company.ids["planner"] = next(p["member_id"] for p in accepted if p["role"] == "planner")
    company.ids["suppliers"] = ",".join(
        p["member_name"] for p in accepted if p["role"] == "supplier"
    )


def _advice(platform: Platform, members: dict[str, Any], company: Company) -> None:
    """What the applicant sees: planners ranked by fit, each factor explained."""
    owner = platform.as_user(company.ids["account"])
    advice = ok(
        owner.get(
            f"/matching/matches/{company.ids['application']}/recommendations",
            params={"role": "planner"},
        )
    )
    line(f"recommended planners for {company.name} (the applicant's view):")
    for item in advice["items"][:3]:
        reasons = " · ".join(f["reason_ko"] for f in item["factors"][:2])
        line(f"  {members[item['member_id']].name}: fit {item['fit']} — {reasons}")


def _plans(platform: Platform, members: dict[str, Any], formed: list[Company]) -> None:
    rows = []
    for company in progress(formed, "business plans (사업계획서)"):
        planner = members[company.ids["planner"]]
        ok(
            platform.as_user(planner.account).post(
                f"/matching/matches/{company.ids['application']}/business-plan",
                json={"title": f"{company.name[3:]} 자율형공장 구축 사업계획서"},
            ),
            201,
        )
        rows.append((company.name, planner.name, company.ids["suppliers"]))
    line(f"consortia formed: {len(formed)}")
    table(("도입기업 applicant", "기획기관 planner", "공급기업 supplier"), rows[:5])
