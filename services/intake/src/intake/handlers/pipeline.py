"""Intake's part of the live dashboard: applications of a call by status, submissions per
minute over the last ten minutes, and the deadline (the latest published version's)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from intake.models import application, call_version, submission
from sfms_shared.clock import Clock
from sfms_shared.pipeline import CallCounts

MINUTES = 10


def call_counts(clock: Clock) -> CallCounts:
    async def counts(session: AsyncSession, call_id: str) -> dict[str, Any]:
        now = clock.now()
        by_status = dict(
            (
                await session.execute(
                    select(application.c.status, func.count())
                    .where(application.c.call_id == call_id)
                    .group_by(application.c.status)
                )
            ).all()
        )
        since = now - timedelta(minutes=MINUTES)
        received = (
            await session.execute(
                select(submission.c.received_at)
                .join(application, application.c.id == submission.c.application_id)
                .where(application.c.call_id == call_id, submission.c.received_at >= since)
            )
        ).scalars()
        per_minute = [0] * MINUTES
        for instant in received:
            age = int((now - instant).total_seconds() // 60)
            if 0 <= age < MINUTES:
                per_minute[MINUTES - 1 - age] += 1
        document = await session.scalar(
            select(call_version.c.document)
            .where(call_version.c.call_id == call_id, call_version.c.status == "published")
            .order_by(call_version.c.version.desc())
            .limit(1)
        )
        window = ((document or {}).get("schedule") or {}).get("application") or {}
        return {
            "drafts": by_status.get("draft", 0),
            "submitted": by_status.get("submitted", 0),
            "withdrawn": by_status.get("withdrawn", 0),
            "submissions_per_minute": per_minute,  # oldest minute first, the current one last
            "deadline": window.get("closes_at"),
            "opens_at": window.get("opens_at"),
        }

    return counts


async def published_call_ids(session: AsyncSession) -> list[str]:
    rows = await session.execute(
        select(call_version.c.call_id).where(call_version.c.status == "published").distinct()
    )
    return sorted(rows.scalars())
