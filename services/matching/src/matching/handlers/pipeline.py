"""Matching's part of the live dashboard: matches of a call by state, the call's planner
pool and the supplier pool, and the business plans submitted."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from matching.handlers.pools import IN_POOL
from matching.models import tables


async def call_counts(session: AsyncSession, call_id: str) -> dict[str, Any]:
    match, member = tables.match, tables.member
    matches = dict(
        (
            await session.execute(
                select(match.c.status, func.count())
                .where(match.c.call_id == call_id)
                .group_by(match.c.status)
            )
        ).all()
    )
    plans = await session.scalar(
        select(func.count()).where(match.c.call_id == call_id, match.c.business_plan.is_not(None))
    )
    pools = dict(
        (
            await session.execute(
                select(member.c.pool, func.count())
                .where(
                    or_(member.c.call_id == call_id, member.c.call_id.is_(None)),
                    member.c.status.in_(IN_POOL["planner"] + IN_POOL["supplier"]),
                )
                .group_by(member.c.pool)
            )
        ).all()
    )
    return {
        "matches": matches,
        "business_plans": plans or 0,
        "planners_in_pool": pools.get("planner", 0),
        "suppliers_in_pool": pools.get("supplier", 0),
    }
