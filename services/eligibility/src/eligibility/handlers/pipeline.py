"""Eligibility's part of the live dashboard: the latest verdict of every reviewed
application of a call, and the reasons of the most recent ineligible decisions."""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from eligibility.models import decisions

RECENT = 8


async def call_counts(session: AsyncSession, call_id: str) -> dict[str, Any]:
    latest = (
        select(decisions.c.application_id, func.max(decisions.c.sequence).label("sequence"))
        .where(decisions.c.call_id == call_id)
        .group_by(decisions.c.application_id)
        .subquery()
    )
    current = (
        select(decisions.c.verdict, decisions.c.decided_at, decisions.c.outcomes)
        .join(
            latest,
            and_(
                decisions.c.application_id == latest.c.application_id,
                decisions.c.sequence == latest.c.sequence,
            ),
        )
        .subquery()
    )
    verdicts = dict(
        (
            await session.execute(
                select(current.c.verdict, func.count()).group_by(current.c.verdict)
            )
        ).all()
    )
    ineligible = (
        await session.execute(
            select(current.c.decided_at, current.c.outcomes)
            .where(current.c.verdict == "ineligible")
            .order_by(current.c.decided_at.desc())
            .limit(RECENT)
        )
    ).all()
    reasons = [
        {"decided_at": row.decided_at.isoformat(), "rule_id": o["rule_id"], "reason": o["reason"]}
        for row in ineligible
        for o in row.outcomes
        if o["outcome"] == "fail"
    ]
    return {
        "reviewed": sum(verdicts.values()),
        "verdicts": verdicts,
        "recent_ineligibility_reasons": reasons[:RECENT],
    }
