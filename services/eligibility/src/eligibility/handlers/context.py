"""What every eligibility use case needs, built once in ``main.py``."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from eligibility.config import Settings
from eligibility.models import replicas
from sfms_shared.audit import AuditLog
from sfms_shared.clock import Clock
from sfms_shared.logging import correlation_id
from sfms_shared.messaging.outbox import Outbox
from sfms_shared.replicas import CallVersions


@dataclass(frozen=True)
class Eligibility:
    settings: Settings
    sessions: async_sessionmaker[AsyncSession]
    outbox: Outbox
    clock: Clock
    audit: AuditLog
    calls: CallVersions = field(default_factory=lambda: CallVersions(replicas))

    @staticmethod
    def correlation() -> str:
        return correlation_id.get() or "none"
