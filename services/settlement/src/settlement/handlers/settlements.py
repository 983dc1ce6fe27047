"""Settlement (정산) of a signed agreement: the operator enters what each line executed;
the result (government share due, recovery) is stored with its inputs and can be
recomputed with corrected figures until the call's operators are done (PUT replaces)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from settlement.domain.settle import Executed, SettlementError, settle
from settlement.domain.terms import ProjectTerms
from settlement.handlers.agreements import load, may_read, no_agreement
from settlement.handlers.context import Settlement
from settlement.models import tables
from sfms_shared.access import not_found, require_call_operator
from sfms_shared.contracts.applications import BudgetLine
from sfms_shared.identity import Identity
from sfms_shared.messaging.tables import insert_if_absent
from sfms_shared.problems import Problem


async def record(
    ctx: Settlement,
    who: Identity,
    agreement_id: UUID,
    executed: list[dict[str, int]],
    paid: dict[int, int] | None,
) -> dict[str, Any]:
    now = ctx.clock.now()
    async with ctx.sessions() as session, session.begin():
        agreement = await load(session, agreement_id, lock=True)
        if agreement is None or not may_read(who, agreement):
            raise no_agreement()
        require_call_operator(who, agreement["call_id"], "settle an agreement", "정산할")
        if agreement["status"] != "signed":
            raise Problem.for_field(
                409,
                "agreement-not-signed",
                "agreement_id",
                "Only a signed agreement is settled",
                "체결된 협약만 정산할 수 있습니다",
            )
        call = await ctx.call(session, agreement["call_id"], agreement["call_version"])
        lines = tuple(BudgetLine.model_validate(x) for x in agreement["lines"])
        terms = ProjectTerms.of(call, support_type=agreement["review"]["subject"])
        try:
            result = settle(
                lines,
                [Executed(**entry) for entry in executed],
                terms.budget.in_kind,
                paid,
                terms.government.source,
            )
        except SettlementError as error:
            raise Problem.for_field(
                422, "invalid-execution", error.field, error.message_en, error.message_ko
            ) from error
        values = {
            "application_id": agreement["application_id"],
            "call_id": agreement["call_id"],
            "executed": {"lines": executed, "paid": {str(k): v for k, v in (paid or {}).items()}},
            "result": result.as_json(),
            "settled_by": who.subject,
            "settled_at": now,
        }
        table = tables.settlement
        if not await insert_if_absent(
            session, table, {"agreement_id": agreement_id, "revision": 1, **values}
        ):
            await session.execute(
                update(table)
                .where(table.c.agreement_id == agreement_id)
                .values(**values, revision=table.c.revision + 1)
            )
        await ctx.audit.record(
            session,
            "settlement.recorded",
            "agreement",
            agreement_id,
            {"recovery_krw": result.recovery, "government_due_krw": result.government_due},
            application_id=agreement["application_id"],
            call_id=agreement["call_id"],
            actor=who,
        )
        stored = await _stored(session, agreement_id)
    return _out(agreement, stored)


async def read(ctx: Settlement, who: Identity, agreement_id: UUID) -> tuple[dict, dict]:
    """The agreement and its settlement, for whoever may read the agreement."""
    async with ctx.sessions() as session:
        agreement = await load(session, agreement_id)
        if agreement is None or not may_read(who, agreement):
            raise no_agreement()
        stored = await _stored(session, agreement_id)
    if stored is None:
        raise not_found("agreement_id", "Not settled yet", "아직 정산되지 않았습니다")
    return agreement, _out(agreement, stored)


async def _stored(session: AsyncSession, agreement_id: UUID) -> dict[str, Any] | None:
    row = (
        await session.execute(
            select(tables.settlement).where(tables.settlement.c.agreement_id == agreement_id)
        )
    ).first()
    return dict(row._mapping) if row else None


def _out(agreement: dict[str, Any], stored: dict[str, Any] | None) -> dict[str, Any]:
    assert stored is not None
    return {
        "agreement_id": str(agreement["id"]),
        "application_id": str(agreement["application_id"]),
        "call_id": agreement["call_id"],
        "applicant": agreement["applicant"],
        "settled_at": stored["settled_at"],
        "revision": stored["revision"],
        **stored["result"],
    }
