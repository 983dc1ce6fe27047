"""Recording outgoing events in the handler's transaction."""

from __future__ import annotations

import asyncio
from datetime import datetime

from sqlalchemy import Table
from sqlalchemy.ext.asyncio import AsyncSession

from sfms_shared.contracts.events import EventPayload
from sfms_shared.messaging.envelope import Envelope


class Outbox:
    """Writes events into the service's outbox table and wakes the relay after commit."""

    def __init__(self, table: Table, producer: str) -> None:
        self.table = table
        self.producer = producer
        self.wakeup = asyncio.Event()

    async def record(
        self,
        session: AsyncSession,
        payload: EventPayload,
        *,
        occurred_at: datetime,
        correlation_id: str,
        causation_id: str | None = None,
    ) -> Envelope:
        envelope = Envelope(
            event_type=payload.event_type,
            schema_version=payload.schema_version,
            occurred_at=occurred_at,
            producer=self.producer,
            key=payload.aggregate_key(),
            correlation_id=correlation_id,
            causation_id=causation_id,
            payload=payload.model_dump(mode="json"),
        )
        await session.execute(
            self.table.insert().values(
                event_id=envelope.event_id,
                topic=payload.topic,
                key=envelope.key,
                envelope=envelope.model_dump_json(),
                created_at=occurred_at,
            )
        )
        return envelope

    def notify(self) -> None:
        """Call after the transaction committed, so the relay publishes without waiting a poll."""
        self.wakeup.set()
