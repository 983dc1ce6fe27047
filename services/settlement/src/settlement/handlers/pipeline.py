"""Settlement's part of the live dashboard: budget reviews of a call by verdict,
agreements by status, settlements, and what the call owes its planners."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from settlement.models import tables


async def call_counts(session: AsyncSession, call_id: str) -> dict[str, Any]:
    review, agreement = tables.budget_review, tables.agreement
    reviews = dict(
        (
            await session.execute(
                select(review.c.verdict, func.count())
                .where(review.c.call_id == call_id)
                .group_by(review.c.verdict)
            )
        ).all()
    )
    agreements = dict(
        (
            await session.execute(
                select(agreement.c.status, func.count())
                .where(agreement.c.call_id == call_id)
                .group_by(agreement.c.status)
            )
        ).all()
    )
    settled = await session.scalar(
        select(func.count()).where(tables.settlement.c.call_id == call_id)
    )
    payable = await session.scalar(
        select(func.coalesce(func.sum(tables.payable.c.amount_krw), 0)).where(
            tables.payable.c.call_id == call_id
        )
    )
    return {
        "budget_reviews": reviews,
        "agreements": agreements,
        "settled": settled or 0,
        "payable_to_planners_krw": int(payable or 0),
    }
