"""A call's matches as operators open them in a spreadsheet: each application's state,
its accepted planner and suppliers, when the consortium was formed, the business plan."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import select

from matching.handlers.context import Matching
from matching.models import tables
from sfms_shared.access import require_call_operator
from sfms_shared.clock import KST
from sfms_shared.identity import Identity

HEADERS = [
    "기업명",
    "사업자등록번호",
    "지역",
    "업종(KSIC 중분류)",
    "상태",
    "기획기관",
    "공급기업",
    "컨소시엄 구성일시(KST)",
    "사업계획서 차수",
]
STATE_KO = {"open": "매칭 중", "formed": "구성 완료", "left": "제외"}


async def matches(ctx: Matching, who: Identity, call_id: str) -> list[list[Any]]:
    require_call_operator(who, call_id, "export the call's matches", "공고의 매칭 현황을 내려받을")
    match, proposal = tables.match, tables.proposal
    async with ctx.sessions() as session:
        rows = (
            await session.execute(
                select(match).where(match.c.call_id == call_id).order_by(match.c.applicant_name)
            )
        ).all()
        accepted = (
            await session.execute(
                select(proposal.c.application_id, proposal.c.role, proposal.c.member_name)
                .join(match, match.c.application_id == proposal.c.application_id)
                .where(match.c.call_id == call_id, proposal.c.state == "accepted")
                .order_by(proposal.c.answered_at)
            )
        ).all()
    members: dict[Any, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for row in accepted:
        members[row.application_id][row.role].append(row.member_name)
    return [
        [
            row.applicant_name,
            row.applicant_brn,
            row.region,
            row.industry,
            STATE_KO.get(row.status, row.status),
            ", ".join(members[row.application_id]["planner"]),
            ", ".join(members[row.application_id]["supplier"]),
            row.formed_at.astimezone(KST).strftime("%Y-%m-%d %H:%M") if row.formed_at else "",
            (row.business_plan or {}).get("version", ""),
        ]
        for row in rows
    ]
