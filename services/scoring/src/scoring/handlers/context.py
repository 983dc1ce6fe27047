"""What every scoring use case needs, built once in ``main.py``."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from scoring.config import Settings
from scoring.models import replicas
from sfms_shared.audit import AuditLog
from sfms_shared.clock import Clock
from sfms_shared.contracts.calls import CallDocument
from sfms_shared.document_store import LocalDocumentStore
from sfms_shared.logging import correlation_id
from sfms_shared.messaging.outbox import Outbox


@dataclass(frozen=True)
class Scoring:
    settings: Settings
    sessions: async_sessionmaker[AsyncSession]
    outbox: Outbox
    clock: Clock
    audit: AuditLog
    documents: LocalDocumentStore
    # Call versions parsed from the replica, by (call id, version): a version never changes.
    calls: dict[tuple[str, int], CallDocument] = field(default_factory=dict)

    @staticmethod
    def correlation() -> str:
        return correlation_id.get() or "none"

    async def call(self, session: AsyncSession, call_id: str, version: int) -> CallDocument | None:
        key = (call_id, version)
        if key not in self.calls:
            document = await replicas.call_document(session, call_id, version)
            if document is None:
                return None
            self.calls[key] = document
        return self.calls[key]
