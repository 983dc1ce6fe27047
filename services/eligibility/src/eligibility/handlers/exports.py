"""A call's requirement-review results as operators open them in a spreadsheet: the latest
decision of each application with the reasons of every rule that did not pass."""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, func, select

from eligibility.handlers.context import Eligibility
from eligibility.models import decisions, replicas
from sfms_shared.access import require_call_operator
from sfms_shared.clock import KST
from sfms_shared.identity import Identity

HEADERS = [
    "접수번호",
    "기업명",
    "사업자등록번호",
    "판정",
    "사유",
    "판정일시(KST)",
    "판정 차수",
    "공고 버전",
]
VERDICT_KO = {"eligible": "적합", "ineligible": "부적격", "needs-review": "검토 필요"}


async def results(ctx: Eligibility, who: Identity, call_id: str) -> list[list[Any]]:
    require_call_operator(who, call_id, "export the review results", "요건검토 결과를 내려받을")
    latest = (
        select(decisions.c.application_id, func.max(decisions.c.sequence).label("sequence"))
        .where(decisions.c.call_id == call_id)
        .group_by(decisions.c.application_id)
        .subquery()
    )
    received = replicas.applications
    async with ctx.sessions() as session:
        rows = (
            await session.execute(
                select(decisions, received.c.receipt_number, received.c.snapshot)
                .join(
                    latest,
                    and_(
                        decisions.c.application_id == latest.c.application_id,
                        decisions.c.sequence == latest.c.sequence,
                    ),
                )
                .join(received, received.c.application_id == decisions.c.application_id)
                .order_by(received.c.receipt_number)
            )
        ).all()
    return [
        [
            row.receipt_number,
            row.snapshot["applicant"]["name"],
            row.applicant_brn,
            VERDICT_KO.get(row.verdict, row.verdict),
            "; ".join(
                f"{o['reason']['ko']} ({o['rule_id']})"
                for o in row.outcomes
                if o["outcome"] in ("fail", "needs-review")
            ),
            row.decided_at.astimezone(KST).strftime("%Y-%m-%d %H:%M:%S"),
            row.sequence,
            row.call_version,
        ]
        for row in rows
    ]
