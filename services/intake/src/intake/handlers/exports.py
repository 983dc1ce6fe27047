"""A call's received applications as operators (and partner keys holding the call's
applications feed) open them in a spreadsheet: the latest submission of each."""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, select

from intake.handlers.context import Intake
from intake.models import application, submission
from sfms_shared.access import forbidden
from sfms_shared.clock import KST
from sfms_shared.identity import Identity
from sfms_shared.policy import APPLICATIONS_FEED

HEADERS = [
    "접수번호",
    "기업명",
    "사업자등록번호",
    "지역",
    "업종(KSIC)",
    "신청유형",
    "신청방식",
    "상태",
    "제출일시(KST)",
    "제출 차수",
    "정부출연금(원)",
    "민간부담금(원)",
    "총사업비(원)",
]
STATUS_KO = {"submitted": "제출완료", "withdrawn": "철회"}


async def applications(ctx: Intake, who: Identity, call_id: str) -> list[list[Any]]:
    if not (who.operates(call_id) or who.reads_feed(APPLICATIONS_FEED, call_id)):
        raise forbidden("export this call's applications", "이 공고의 신청 목록을 내려받을")
    async with ctx.sessions() as session:
        rows = (
            await session.execute(
                select(application.c.status, submission.c.snapshot, submission.c.received_at)
                .join(
                    submission,
                    and_(
                        submission.c.application_id == application.c.id,
                        submission.c.version == application.c.submitted_version,
                    ),
                )
                .where(application.c.call_id == call_id)
                .order_by(submission.c.received_at, submission.c.receipt_number)
            )
        ).all()
    return [_line(row) for row in rows]


def _line(row: Any) -> list[Any]:
    snapshot = row.snapshot
    company = snapshot["applicant"]
    budget = snapshot.get("budget", [])
    government = sum(line["government_krw"] for line in budget)
    private = sum(
        line["private_cash_krw"] + line["private_in_kind_krw"] + line.get("large_enterprise_krw", 0)
        for line in budget
    )
    return [
        snapshot["receipt_number"],
        company["name"],
        company["brn"],
        company["region"],
        company["ksic_code"],
        snapshot["support_type"],
        "컨소시엄" if snapshot["mode"] == "consortium" else "단독",
        STATUS_KO.get(row.status, row.status),
        row.received_at.astimezone(KST).strftime("%Y-%m-%d %H:%M:%S"),
        snapshot["submission_version"],
        government,
        private,
        government + private,
    ]
