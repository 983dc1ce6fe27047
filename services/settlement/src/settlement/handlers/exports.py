"""A call's payables to planners and its settlements, as operators open them in a
spreadsheet (the settlement of one project, line by line, is ``reports.py``)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from settlement.domain.payables import MILESTONES
from settlement.handlers.context import Settlement
from settlement.models import tables
from sfms_shared.access import require_call_operator
from sfms_shared.clock import KST
from sfms_shared.identity import Identity

PAYABLE_HEADERS = [
    "기록일시(KST)",
    "기획기관",
    "사업자등록번호",
    "과제",
    "지급 단계",
    "구분",
    "금액(원)",
    "사유",
    "근거",
]
SETTLEMENT_HEADERS = [
    "과제",
    "도입기업",
    "사업자등록번호",
    "정부출연금 지급액(원)",
    "정부출연금 정산액(원)",
    "환수액(원)",
    "정산일시(KST)",
    "정산 차수",
]


async def payables(ctx: Settlement, who: Identity, call_id: str) -> list[list[Any]]:
    require_call_operator(who, call_id, "export the call's payables", "공고의 지급 내역을 내려받을")
    table = tables.payable
    async with ctx.sessions() as session:
        rows = (
            await session.execute(
                select(table)
                .where(table.c.call_id == call_id)
                .order_by(table.c.recorded_at, table.c.id)
            )
        ).all()
    return [
        [
            row.recorded_at.astimezone(KST).strftime("%Y-%m-%d %H:%M:%S"),
            row.planner_name,
            row.planner_brn,
            str(row.application_id),
            MILESTONES[row.milestone][0],
            "취소" if row.reverses else "지급",
            row.amount_krw,
            row.reason or "",
            f"{row.source['file']} {row.source['section']}",
        ]
        for row in rows
    ]


async def settlements(ctx: Settlement, who: Identity, call_id: str) -> list[list[Any]]:
    require_call_operator(
        who, call_id, "export the call's settlements", "공고의 정산 내역을 내려받을"
    )
    settled, agreement = tables.settlement, tables.agreement
    async with ctx.sessions() as session:
        rows = (
            await session.execute(
                select(settled, agreement.c.applicant)
                .join(agreement, agreement.c.id == settled.c.agreement_id)
                .where(settled.c.call_id == call_id)
                .order_by(settled.c.settled_at)
            )
        ).all()
    return [
        [
            str(row.application_id),
            row.applicant["name"],
            row.applicant["brn"],
            row.result["government_paid_krw"],
            row.result["government_due_krw"],
            row.result["recovery_krw"],
            row.settled_at.astimezone(KST).strftime("%Y-%m-%d %H:%M:%S"),
            row.revision,
        ]
        for row in rows
    ]
