"""The audit log every service keeps of the writes it accepts.

A handler records an entry in the same transaction as its change, so the log and the
data cannot disagree: who (subject, role, organisation), when, under which correlation
id, what (action, entity) and the change itself. Operators read it through the gateway,
which merges every service's log (``GET /api/v1/audit-entries``).
"""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query
from fastapi.encoders import jsonable_encoder
from sqlalchemy import Column, Index, MetaData, String, Table, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from sfms_shared.access import Caller, forbidden
from sfms_shared.clock import Clock
from sfms_shared.db import JsonDocument, UtcDateTime
from sfms_shared.identity import ALL_CALLS, ANONYMOUS, Identity, current_identity
from sfms_shared.inputs import INT64_MAX
from sfms_shared.logging import correlation_id
from sfms_shared.messaging.tables import AutoIncrementId


def audit_table(metadata: MetaData) -> Table:
    table = Table(
        "audit_entry",
        metadata,
        Column("id", AutoIncrementId, primary_key=True, autoincrement=True),
        Column("recorded_at", UtcDateTime, nullable=False),
        Column("actor", String(200), nullable=False),
        Column("actor_kind", String(20), nullable=False),
        Column("role", String(20), nullable=False),
        Column("actor_organisation", String(10)),
        Column("correlation_id", String(100), nullable=False),
        Column("action", String(80), nullable=False),
        Column("entity_type", String(40), nullable=False),
        Column("entity_id", String(100), nullable=False),
        Column("application_id", String(36)),
        Column("organisation_id", String(36)),
        Column("call_id", String(100)),
        Column("change", JsonDocument, nullable=False),
    )
    Index("ix_audit_entry_application", table.c.application_id, table.c.id)
    Index("ix_audit_entry_organisation", table.c.organisation_id, table.c.id)
    Index("ix_audit_entry_actor", table.c.actor, table.c.id)
    return table


class AuditLog:
    def __init__(self, table: Table, clock: Clock) -> None:
        self.table = table
        self.clock = clock

    async def record(
        self,
        session: AsyncSession,
        action: str,
        entity_type: str,
        entity_id: object,
        change: dict[str, Any],
        *,
        application_id: object | None = None,
        organisation_id: object | None = None,
        call_id: str | None = None,
        actor: Identity | None = None,
    ) -> None:
        """Add an entry to the caller's transaction. The actor is the request's identity."""
        who = actor or current_identity.get() or ANONYMOUS
        await session.execute(
            self.table.insert().values(
                recorded_at=self.clock.now(),
                actor=who.subject,
                actor_kind=who.kind,
                role=who.primary_role,
                actor_organisation=who.organisation,
                correlation_id=correlation_id.get() or "none",
                action=action,
                entity_type=entity_type,
                entity_id=str(entity_id),
                application_id=_text(application_id),
                organisation_id=_text(organisation_id),
                call_id=call_id,
                change=jsonable_encoder(change),
            )
        )

    async def query(
        self,
        session: AsyncSession,
        reader: Identity,
        *,
        application_id: str | None,
        organisation_id: str | None,
        actor: str | None,
        before: int | None,
        limit: int,
    ) -> list[dict[str, Any]]:
        t = self.table
        query = select(t).order_by(t.c.id.desc()).limit(limit)
        for column, value in (
            (t.c.application_id, application_id),
            (t.c.organisation_id, organisation_id),
            (t.c.actor, actor),
        ):
            if value is not None:
                query = query.where(column == value)
        if before is not None:
            query = query.where(t.c.id < before)
        if not reader.is_admin and ALL_CALLS not in reader.calls:
            # An operator sees the calls in scope, and writes not tied to any call.
            query = query.where(or_(t.c.call_id.is_(None), t.c.call_id.in_(sorted(reader.calls))))
        rows = (await session.execute(query)).mappings().all()
        return [jsonable_encoder(dict(row)) for row in rows]


def _text(value: object | None) -> str | None:
    return None if value is None else str(value)


def audit_router(log: AuditLog, sessions: Any, service: str) -> APIRouter:
    """``GET /v1/audit-entries`` of one service; the gateway merges them all."""
    router = APIRouter(prefix="/v1", tags=["audit"])

    @router.get("/audit-entries", summary="This service's audit log (operators and admins)")
    async def audit_entries(
        reader: Caller,
        application_id: Annotated[UUID | None, Query()] = None,
        organisation_id: Annotated[UUID | None, Query()] = None,
        actor: Annotated[str | None, Query(max_length=200)] = None,
        before: Annotated[
            int | None, Query(ge=1, le=INT64_MAX, description="id of the last entry seen")
        ] = None,
        limit: Annotated[int, Query(ge=1, le=200)] = 50,
    ) -> dict[str, Any]:
        require_audit_reader(reader)
        async with sessions() as session:
            items = await log.query(
                session,
                reader,
                application_id=_text(application_id),
                organisation_id=_text(organisation_id),
                actor=actor,
                before=before,
                limit=limit,
            )
        for item in items:
            item["service"] = service
        return {"items": items, "next_before": items[-1]["id"] if len(items) == limit else None}

    return router


def require_audit_reader(reader: Identity) -> None:
    if not (reader.is_admin or "operator" in reader.roles):
        raise forbidden("read the audit log", "감사 기록을 조회할")
