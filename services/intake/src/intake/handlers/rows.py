"""Loading an application row, and the rules for when it may still change."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from intake.domain.errors import RuleViolation
from intake.domain.submission import check_window
from intake.handlers import calls
from intake.handlers.access import application_not_found, check_actable, check_readable
from intake.handlers.context import Intake, problem_from
from intake.models import application
from sfms_shared.identity import Identity
from sfms_shared.problems import Problem


async def load_application(session: AsyncSession, application_id: UUID, lock: bool = False) -> Any:
    query = select(application).where(application.c.id == application_id)
    if lock and session.bind.dialect.name == "postgresql":
        query = query.with_for_update()
    row = (await session.execute(query)).first()
    if row is None:
        raise application_not_found()
    return row


async def readable_application(
    session: AsyncSession, who: Identity, application_id: UUID, lock: bool = False
) -> Any:
    row = await load_application(session, application_id, lock)
    await check_readable(session, who, row)
    return row


async def own_application(session: AsyncSession, who: Identity, application_id: UUID) -> Any:
    """The application, locked, for a change by its applicant."""
    row = await load_application(session, application_id, lock=True)
    await check_actable(session, who, row)
    return row


async def editable_application(
    ctx: Intake, session: AsyncSession, who: Identity, application_id: UUID
) -> Any:
    row = await own_application(session, who, application_id)
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
