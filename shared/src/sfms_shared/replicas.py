"""What a downstream service keeps of intake's events: the calls it has heard of and the
applications submitted to them (latest submission version wins; withdrawals mark them).

Every service that consumes intake's events owns these two tables in its own database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from sqlalchemy import Column, Integer, MetaData, String, Table, Uuid, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from sfms_shared.contracts.calls import CallDocument
from sfms_shared.contracts.events import (
    ApplicationSubmittedV1,
    ApplicationWithdrawnV1,
    CallPublishedV1,
)
from sfms_shared.db import JsonDocument, UtcDateTime
from sfms_shared.messaging.envelope import Envelope
from sfms_shared.messaging.tables import insert_if_absent
from sfms_shared.messaging.topics import (
    INTAKE_APPLICATION_SUBMITTED_V1,
    INTAKE_APPLICATION_WITHDRAWN_V1,
    INTAKE_CALL_PUBLISHED_V1,
)


@dataclass(frozen=True)
class IntakeReplicas:
    calls: Table
    applications: Table

    def handlers(self) -> dict[str, Any]:
        return {
            INTAKE_CALL_PUBLISHED_V1: self.on_call_published,
            INTAKE_APPLICATION_SUBMITTED_V1: self.on_application_submitted,
            INTAKE_APPLICATION_WITHDRAWN_V1: self.on_application_withdrawn,
        }

    async def on_call_published(self, session: AsyncSession, envelope: Envelope) -> None:
        event = CallPublishedV1.model_validate(envelope.payload)
        await insert_if_absent(
            session,
            self.calls,
            {
                "call_id": event.call_id,
                "version": event.version,
                "published_at": event.published_at,
                "document": event.document.model_dump(mode="json"),
            },
        )

    async def on_application_submitted(self, session: AsyncSession, envelope: Envelope) -> None:
        snapshot = ApplicationSubmittedV1.model_validate(envelope.payload).application
        values = {
            "submission_version": snapshot.submission_version,
            "call_id": snapshot.call_id,
            "call_version": snapshot.call_version,
            "receipt_number": snapshot.receipt_number,
            "received_at": snapshot.received_at,
            "status": "submitted",
            "snapshot": snapshot.model_dump(mode="json"),
            "event_id": envelope.event_id,
        }
        await keep_newest(session, self.applications, snapshot.application_id, values)

    async def on_application_withdrawn(self, session: AsyncSession, envelope: Envelope) -> None:
        event = ApplicationWithdrawnV1.model_validate(envelope.payload)
        table = self.applications
        await session.execute(
            update(table)
            .where(table.c.application_id == event.application_id)
            .values(status="withdrawn")
        )

    async def application(
        self, session: AsyncSession, application_id: UUID
    ) -> dict[str, Any] | None:
        row = (
            await session.execute(
                select(self.applications).where(
                    self.applications.c.application_id == application_id
                )
            )
        ).first()
        return dict(row._mapping) if row else None

    async def call_document(
        self, session: AsyncSession, call_id: str, version: int
    ) -> CallDocument | None:
        """A call version as published (a version never changes, so callers may keep it)."""
        row = (
            await session.execute(
                select(self.calls.c.document).where(
                    self.calls.c.call_id == call_id, self.calls.c.version == version
                )
            )
        ).first()
        return None if row is None else CallDocument.model_validate(row.document)

    async def call_ids(self, session: AsyncSession) -> list[str]:
        """Every call this service has heard of."""
        rows = await session.execute(select(self.calls.c.call_id).distinct())
        return sorted(rows.scalars())

    async def latest_version(self, session: AsyncSession, call_id: str) -> int | None:
        """The newest published version of the call, None if none has arrived."""
        return (
            await session.execute(
                select(func.max(self.calls.c.version)).where(self.calls.c.call_id == call_id)
            )
        ).scalar()


@dataclass(frozen=True)
class CallVersions:
    """Call versions read from the replica, parsed once per service instance: a published
    version never changes, so a parsed document can be kept."""

    replicas: IntakeReplicas
    parsed: dict[tuple[str, int], CallDocument] = field(default_factory=dict)

    async def get(self, session: AsyncSession, call_id: str, version: int) -> CallDocument | None:
        key = (call_id, version)
        if key not in self.parsed:
            document = await self.replicas.call_document(session, call_id, version)
            if document is None:
                return None
            self.parsed[key] = document
        return self.parsed[key]


def intake_replicas(metadata: MetaData) -> IntakeReplicas:
    calls = Table(
        "known_call",
        metadata,
        Column("call_id", String(100), primary_key=True),
        Column("version", Integer, primary_key=True),
        Column("published_at", UtcDateTime, nullable=False),
        Column("document", JsonDocument, nullable=False),
    )
    applications = Table(
        "received_application",
        metadata,
        Column("application_id", Uuid, primary_key=True),
        Column("submission_version", Integer, nullable=False),
        Column("call_id", String(100), nullable=False, index=True),
        Column("call_version", Integer, nullable=False),
        Column("receipt_number", String(40), nullable=False),
        Column("received_at", UtcDateTime, nullable=False),
        Column("status", String(20), nullable=False),
        Column("event_id", Uuid, nullable=False),
        Column("snapshot", JsonDocument, nullable=False),
    )
    return IntakeReplicas(calls=calls, applications=applications)


async def keep_newest(
    session: AsyncSession, table: Table, application_id: UUID, values: dict[str, Any]
) -> None:
    """Store ``values`` for an application unless a newer submission version is stored:
    resubmissions may arrive in any order."""
    if not await insert_if_absent(session, table, {"application_id": application_id, **values}):
        await session.execute(
            update(table)
            .where(
                table.c.application_id == application_id,
                table.c.submission_version < values["submission_version"],
            )
            .values(**values)
        )
