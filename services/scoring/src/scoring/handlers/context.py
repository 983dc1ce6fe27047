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
from sfms_shared.replicas import CallVersions


@dataclass(frozen=True)
class Scoring:
    settings: Settings
    sessions: async_sessionmaker[AsyncSession]
    outbox: Outbox
    clock: Clock
    audit: AuditLog
    documents: LocalDocumentStore
    calls: CallVersions = field(default_factory=lambda: CallVersions(replicas))

    @staticmethod
    def correlation() -> str:
        return correlation_id.get() or "none"

    async def call(self, session: AsyncSession, call_id: str, version: int) -> CallDocument | None:
        return await self.calls.get(session, call_id, version)
