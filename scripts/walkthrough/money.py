"""Agreements and money (001 §5 협약, §6 사업비, §2 기획기관 역할): agreements for the selected
with the on-site cost review's cut, signed once the budget passes every rule; the
planners' milestone payments (10백만원 at the business plan, 10백만원 at the agreement);
the settlement fee of each project by the fee table; and one project settled, with
what is recovered (환수)."""

from __future__ import annotations

import uuid
from collections import Counter
from typing import Any

from walkthrough.budgets import settlement_fee
from walkthrough.platform import CALL, Platform, Refused, ok, wait_until
from walkthrough.population import Company
from walkthrough.report import krw, line, progress, table

STARTS_ON = "2026-09-01"
CUT_REASON = "현장평가 비용심의: 기 보유 설비와 중복되는 구축 범위 제외"


def sign_agreements(platform: Platform, selected: list[Company]) -> list[dict[str, Any]]:
    operator = platform.as_user("operator")
    signed = []
    largest = max(selected, key=lambda c: (c.government_per_year, -c.number))
    for company in progress(selected, "agreements (협약)"):
        key = str(uuid.uuid5(uuid.NAMESPACE_URL, f"agreement:{company.ids['application']}"))
        drafted = wait_until(
            f"an agreement for {company.name}",
            lambda c=company, k=key: _draft(operator, c, k),
        )
        current = operator.get(f"/settlement/agreements/{drafted.json()['id']}")
        agreement, tag = ok(current), current.headers["ETag"]
        if company is largest:
            line_index = 0  # the year-1 build line
            cut = operator.post(
                f"/settlement/agreements/{agreement['id']}/cuts",
                headers={"If-Match": tag},
                json={
                    "line": line_index,
                    "government_krw": agreement["lines"][line_index]["government_krw"] - 20_000_000,
                    "reason": CUT_REASON,
                },
            )
            agreement, tag = ok(cut), cut.headers["ETag"]
            line(
                f"cost review cut {company.name}: {krw(agreement['cut_total_krw'])} — {CUT_REASON}"
            )
        done = operator.post(
            f"/settlement/agreements/{agreement['id']}/signature", headers={"If-Match": tag}
        )
        signed.append(ok(done))
    line(f"agreements signed: {len(signed)} ({signed[0]['starts_on']} → {signed[0]['ends_on']})")
    return signed


def _draft(operator: Any, company: Company, key: str) -> Any:
    """The draft once settlement knows the final selection and the consortium (a retry
    with the same Idempotency-Key cannot make a second one)."""
    response = operator.post(
        "/settlement/agreements",
        headers={"Idempotency-Key": key},
        json={"application_id": company.ids["application"], "starts_on": STARTS_ON},
    )
    if response.status_code in (200, 201):
        return response
    if response.status_code in (404, 409):
        return None
    raise Refused(f"agreement for {company.name}: {response.status_code} {response.text[:300]}")


def planner_payments(platform: Platform, plans: int, agreements: int) -> None:
    """The payables ledger once both milestones are in for every project."""
    operator = platform.as_user("operator")
    expected = {
        "business-plan-submitted": 10_000_000 * plans,
        "agreement-signed": 10_000_000 * agreements,
    }

    def settled() -> dict[str, Any] | None:
        ledger = ok(operator.get(f"/settlement/calls/{CALL}/payables", params={"limit": 1}))
        return ledger if ledger["totals"]["by_milestone_krw"] == expected else None

    ledger = wait_until("the planners' payables", settled)
    totals = ledger["totals"]
    line(
        f"business plans: {plans} × 10,000,000 = {krw(totals['by_milestone_krw']['business-plan-submitted'])}; "
        f"agreements: {agreements} × 10,000,000 = {krw(totals['by_milestone_krw']['agreement-signed'])}"
    )
    line(f"payable to planners: {krw(totals['payable_krw'])}")


def settlement_fees(platform: Platform, signed: list[dict[str, Any]]) -> None:
    """Each project's fee as settlement explains it, checked against the call's table."""
    operator = platform.as_user("operator")
    bands = next(
        t for t in platform.call["terms"]["budget"]["fee_tables"] if t["code"] == "settlement-fee"
    )["bands"]
    by_band: Counter[tuple[str, int]] = Counter()
    for agreement in signed:
        lines = agreement["lines"]
        figures = {
            "government_krw": sum(x["government_krw"] for x in lines),
            "private_cash_krw": sum(
                x["private_cash_krw"] + x.get("large_enterprise_krw", 0) for x in lines
            ),
            "private_in_kind_krw": sum(x["private_in_kind_krw"] for x in lines),
        }
        fee = ok(operator.get(f"/settlement/calls/{CALL}/settlement-fee", params=figures))
        total = fee["inputs"]["total_project_cost_krw"]
        if fee["fee_krw"] != settlement_fee(total, bands):
            raise Refused(f"settlement fee {fee['fee_krw']} for {total} is not the table's")
        by_band[(fee["band"]["ko"], fee["fee_krw"])] += 1
    table(
        ("총사업비 구간 band", "정산 수수료 fee (VAT 제외)", "사업 projects"),
        [
            (band, krw(amount), n)
            for (band, amount), n in sorted(by_band.items(), key=lambda b: b[0][1])
        ],
    )


def settle_one(platform: Platform, agreement: dict[str, Any]) -> None:
    """Settle a project that spent 30,000,000 KRW less on its year-2 build line than agreed."""
    operator = platform.as_user("operator")
    executed = [
        {
            "line": n,
            "cash_krw": x["government_krw"]
            + x["private_cash_krw"]
            - (30_000_000 if n == _year2_build(agreement) else 0),
            "in_kind_krw": x["private_in_kind_krw"],
        }
        for n, x in enumerate(agreement["lines"])
    ]
    result = ok(
        operator.put(
            f"/settlement/agreements/{agreement['id']}/settlement", json={"executed": executed}
        )
    )
    line(
        f"settled {agreement['applicant']['name']}: government share due {krw(result['government_due_krw'])}, "
        f"recovered (환수) {krw(result['recovery_krw'])}"
    )


def _year2_build(agreement: dict[str, Any]) -> int:
    return next(
        n
        for n, x in enumerate(agreement["lines"])
        if x["year"] == 2 and x["category"] == "외주용역비"
    )
