"""Loading an application row, and the rules for when it may still change."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from intake.domain.errors import RuleViolation
from intake.domain.submission import check_window
from intake.handlers import calls
from intake.handlers.context import Intake, problem_from
from intake.models import application
from sfms_shared.problems import Problem


async def load_application(session: AsyncSession, application_id: UUID, lock: bool = False) -> Any:
    query = select(application).where(application.c.id == application_id)
    if lock and session.bind.dialect.name == "postgresql":
        query = query.with_for_update()
    row = (await session.execute(query)).first()
    if row is None:
        raise Problem.for_field(
            404,
            "application-not-found",
            "application_id",
            "Application not found",
            "신청을 찾을 수 없습니다",
        )
    return row


async def editable_application(ctx: Intake, session: AsyncSession, application_id: UUID) -> Any:
    row = await load_application(session, application_id, lock=True)
    if row.status == "withdrawn":
        raise withdrawn()
    call = await calls.current(session, row.call_id)
    raise_rules(lambda: check_window(call, ctx.clock.now()))
    return row


def raise_rules(check: Any) -> None:
    try:
        check()
    except RuleViolation as violation:
        raise problem_from(violation) from violation


def withdrawn() -> Problem:
    return Problem.for_field(
        409, "application-withdrawn", "status", "The application was withdrawn", "철회된 신청입니다"
    )
