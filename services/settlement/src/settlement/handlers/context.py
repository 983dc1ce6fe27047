"""What every settlement use case needs, built once in ``main.py``."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from settlement.config import Settings
from settlement.models import replicas
from sfms_shared.audit import AuditLog
from sfms_shared.clock import Clock
from sfms_shared.contracts.calls import CallDocument
from sfms_shared.logging import correlation_id
from sfms_shared.messaging.outbox import Outbox
from sfms_shared.problems import Problem
from sfms_shared.replicas import CallVersions


@dataclass(frozen=True)
class Settlement:
    settings: Settings
    sessions: async_sessionmaker[AsyncSession]
    outbox: Outbox
    clock: Clock
    audit: AuditLog
    calls: CallVersions = field(default_factory=lambda: CallVersions(replicas))

    @staticmethod
    def correlation() -> str:
        return correlation_id.get() or "none"

    async def call(
        self, session: AsyncSession, call_id: str, version: int | None = None
    ) -> CallDocument:
        """A call version, or its latest; 404 naming ``call_id`` when there is none."""
        version = version or await replicas.latest_version(session, call_id)
        call = await self.calls.get(session, call_id, version) if version else None
        if call is None:
            raise Problem.for_field(
                404, "not-found", "call_id", "No such call (version)", "해당 공고(버전)가 없습니다"
            )
        return call
