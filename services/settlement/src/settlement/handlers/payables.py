"""Planner payments recorded from events, statements, and reversing entries.

``matching.business-plan-submitted.v1`` and ``settlement.agreement-signed.v1`` each owe
the project's planner a milestone payment. A redelivered event is stopped by the inbox;
a second event for the same milestone (a revised plan) by the entry's payment key.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID, uuid4

from sqlalchemy import and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from settlement.domain.payables import Entry, payment_for, payment_key, totals
from settlement.handlers.context import Settlement
from settlement.models import replicas, tables
from sfms_shared.access import forbidden, not_found, require_call_operator
from sfms_shared.contracts.agreements import PlannerPaymentRecorded, SignedAgreement
from sfms_shared.contracts.events import PlannerPaymentRecordedV1
from sfms_shared.contracts.scores import BusinessPlan, ConsortiumParty
from sfms_shared.identity import ALL_CALLS, Identity
from sfms_shared.messaging.tables import insert_if_absent
from sfms_shared.problems import Problem


async def on_business_plan(
    ctx: Settlement, session: AsyncSession, plan: BusinessPlan, cause: str
) -> None:
    await _pay(
        ctx,
        session,
        plan.call_id,
        plan.application_id,
        plan.planner,
        "business-plan-submitted",
        cause,
    )


async def on_agreement_signed(
    ctx: Settlement, session: AsyncSession, agreement: SignedAgreement, cause: str
) -> None:
    if agreement.planner is not None:  # a call without planners (003) pays none
        await _pay(
            ctx,
            session,
            agreement.call_id,
            agreement.application_id,
            agreement.planner,
            "agreement-signed",
            cause,
        )


async def _pay(
    ctx: Settlement,
    session: AsyncSession,
    call_id: str,
    application_id: UUID,
    planner: ConsortiumParty,
    milestone: str,
    cause: str,
) -> None:
    version = await replicas.latest_version(session, call_id)
    call = await ctx.calls.get(session, call_id, version) if version else None
    if call is None:  # its call-published event is still on its way: try again later
        raise LookupError(f"call {call_id} not known yet")
    payment = payment_for(call.terms.budget, milestone) if call.terms.budget else None
    if payment is None:
        return  # the call pays no planner at this milestone
    entry_id, now = uuid4(), ctx.clock.now()
    inserted = await insert_if_absent(
        session,
        tables.payable,
        {
            "id": entry_id,
            "call_id": call_id,
            "application_id": application_id,
            "planner_member_id": planner.member_id,
            "planner_brn": planner.brn,
            "planner_name": planner.name,
            "milestone": milestone,
            "amount_krw": payment.amount_krw,
            "payment_key": payment_key(application_id, milestone),
            "reverses": None,
            "reason": None,
            "cause": cause,
            "source": payment.source.model_dump(),
            "recorded_by": "settlement",
            "recorded_at": now,
        },
    )
    if inserted:  # the planner is told of it (a payment notice)
        recorded = PlannerPaymentRecorded(
            entry_id=entry_id,
            call_id=call_id,
            application_id=application_id,
            planner=planner,
            milestone=milestone,
            amount_krw=payment.amount_krw,
            recorded_at=now,
        )
        await ctx.outbox.record(
            session,
            PlannerPaymentRecordedV1(payment=recorded),
            occurred_at=now,
            correlation_id=ctx.correlation(),
            causation_id=cause,
        )


async def statement(
    ctx: Settlement,
    who: Identity,
    *,
    planner_brn: str | None = None,
    call_id: str | None = None,
    limit: int,
    cursor: UUID | None,
) -> dict[str, Any]:
    """A planner's statement (the planner itself, or operators for their calls) or a call's
    (its operators): entries oldest first, one page at a time, and the sums of them all."""
    table = tables.payable
    where = []
    if planner_brn is not None:
        where.append(table.c.planner_brn == planner_brn)
        if not who.member_of(planner_brn):
            if not who.has_role("operator", "admin"):
                raise forbidden("read this planner's payables", "이 기획기관의 지급 내역을 볼")
            if not (who.is_admin or ALL_CALLS in who.calls):
                where.append(table.c.call_id.in_(sorted(who.calls)))
    if call_id is not None:
        require_call_operator(who, call_id, "read the call's payables", "공고의 지급 내역을 볼")
        where.append(table.c.call_id == call_id)
    async with ctx.sessions() as session:
        every = [_entry(r) for r in (await session.execute(select(table).where(*where))).all()]
        query = select(table).where(*where)
        if cursor is not None:
            after = (
                await session.execute(select(table.c.recorded_at).where(table.c.id == cursor))
            ).scalar()
            if after is None:
                raise _bad_cursor()
            query = query.where(
                or_(
                    table.c.recorded_at > after,
                    and_(table.c.recorded_at == after, table.c.id > cursor),
                )
            )
        rows = (
            await session.execute(query.order_by(table.c.recorded_at, table.c.id).limit(limit))
        ).all()
    items = [_entry(r).as_json() for r in rows]
    return {
        "planner_brn": planner_brn,
        "call_id": call_id,
        "totals": totals(every),
        "items": items,
        "next_cursor": items[-1]["id"] if len(items) == limit else None,
    }


async def reverse(
    ctx: Settlement, session: AsyncSession, who: Identity, entry_id: UUID, reason: str
) -> dict[str, Any]:
    """A reversing entry for a payable entry, in the caller's transaction."""
    now = ctx.clock.now()
    table = tables.payable
    row = (
        await session.execute(select(table).where(table.c.id == entry_id).with_for_update())
    ).first()
    if row is None or not who.operates(row.call_id):
        raise not_found("entry_id", "No such payable entry", "해당 지급 내역이 없습니다")
    original = _entry(row)
    if original.reverses is not None:
        raise Problem.for_field(
            409,
            "reversal-of-reversal",
            "entry_id",
            "A reversing entry cannot itself be reversed",
            "취소 분개는 다시 취소할 수 없습니다",
        )
    reversal = original.reversal(uuid4(), reason, who.subject, now)
    if not await insert_if_absent(session, table, _row(reversal)):
        raise Problem.for_field(
            409,
            "already-reversed",
            "entry_id",
            "This entry has already been reversed",
            "이미 취소된 지급 내역입니다",
        )
    await ctx.audit.record(
        session,
        "payable.reversed",
        "payable_entry",
        entry_id,
        {"reason": reason, "reversal": str(reversal.id), "amount_krw": reversal.amount_krw},
        application_id=original.application_id,
        call_id=original.call_id,
        actor=who,
    )
    return reversal.as_json()


def _entry(row: Any) -> Entry:
    return Entry(**{name: getattr(row, name) for name in Entry.__dataclass_fields__})


def _row(entry: Entry) -> dict[str, Any]:
    return {name: getattr(entry, name) for name in Entry.__dataclass_fields__}


def _bad_cursor() -> Problem:
    return Problem.for_field(
        422,
        "invalid-cursor",
        "cursor",
        "The cursor is not one this API gave",
        "cursor 값이 올바르지 않습니다",
    )
