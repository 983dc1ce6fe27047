"""Planning agencies and suppliers (001 §2 기획기관 모집, 공급기업 Pool): suppliers ask to join
the pool and are approved; planners apply in the recruitment window and are checked
against the call's planner rules at once; regional technoparks are designated; the
planners who pass are evaluated (기획기관평가) and selected into the call's pool."""

from __future__ import annotations

from typing import Any

from walkthrough.evaluation import score_stage
from walkthrough.platform import CALL, Platform, ok
from walkthrough.population import PoolMember, Population
from walkthrough.report import line, progress, table

DIVISIONS = ["20", "22", "24", "25", "26", "28", "29", "30"]
TECHNOLOGIES = ["ai", "digital-twin", "aas", "opc-ua", "cloud"]


def register(platform: Platform, member: PoolMember, role: str) -> None:
    """The member's company account and its organisation at intake (notices reach its
    contact: proposals, payments)."""
    account = platform.sign_up(role, member.brn, f"{member.name} 담당자")
    ok(
        account.post(
            "/organisations",
            json={
                "kind": role,
                "brn": member.brn,
                "name": member.name,
                "legal_form": "corporation",
                "ksic_code": "M71" if role == "planner" else "J58",
                "size_class": "small",
                "region": member.region,
                "founded_on": "2010-03-02",
                "headcount": member.staff * 3,
                "contact": {"name": "담당자", "email": f"{role}.{member.brn}@example.kr"},
            },
        ),
        201,
    )
    member.account = f"{role}-{member.brn}"


def offer(member: PoolMember) -> dict[str, Any]:
    return {
        "name": member.name,
        "regions": [member.region],
        "industries": DIVISIONS,
        "technologies": TECHNOLOGIES,
        "records": member.records,
        "full_time_staff": member.staff,
    }


def build_pools(
    platform: Platform, people: Population, evaluator_ids: dict[str, str], seed: int
) -> None:
    operator = platform.as_user("operator")
    for supplier in progress(people.suppliers, "suppliers: pool request and approval"):
        register(platform, supplier, "supplier")
        asked = ok(
            platform.as_user(supplier.account).post("/matching/suppliers", json=offer(supplier)),
            201,
        )
        supplier.member_id = ok(operator.post(f"/matching/suppliers/{asked['id']}/approval"))["id"]
    outcomes = []
    for planner in progress(people.planners, "planners: applications and designations"):
        register(platform, planner, "planner")
        if planner.designated:
            made = operator.post(
                f"/matching/calls/{CALL}/planner-designations",
                json={"brn": planner.brn, **offer(planner)},
            )
        else:
            made = platform.as_user(planner.account).post(
                f"/matching/calls/{CALL}/planner-applications",
                json={**offer(planner), "subcontracts": planner.subcontracts},
            )
        member = ok(made, 201)
        planner.member_id = member["id"]
        failed = [f["message_ko"] for f in member["findings"] if not f["passed"]]
        outcomes.append((planner, member["status"], failed))
    for planner, status, failed in outcomes:
        if failed:
            line(f"✗ {planner.name}: {status} — {'; '.join(failed)}")
    by_id = {p.member_id: p for p in people.planners}
    ranking = score_stage(
        platform,
        platform.call,
        "planner-evaluation",
        {"기획기관 평가위원회": ["evaluator", "evaluator2", "evaluator3"]},
        evaluator_ids,
        lambda member_id: (by_id[member_id].name, 0.5 + by_id[member_id].records / 100),
        seed,
    )
    table(
        ("순위 rank", "기획기관 planner", "점수 score", "결과 outcome"),
        [
            (r["rank"], by_id[r["application_id"]].name, r["final"], r["outcome"])
            for r in ranking["rows"]
        ],
    )
