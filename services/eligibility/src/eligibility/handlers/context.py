"""What every eligibility use case needs, built once in ``main.py``."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from eligibility.config import Settings
from sfms_shared.audit import AuditLog
from sfms_shared.clock import Clock
from sfms_shared.contracts.calls import CallDocument
from sfms_shared.logging import correlation_id
from sfms_shared.messaging.outbox import Outbox


@dataclass(frozen=True)
class Eligibility:
    settings: Settings
    sessions: async_sessionmaker[AsyncSession]
    outbox: Outbox
    clock: Clock
    audit: AuditLog
    # Call versions parsed from the replica, by (call id, version): a version never changes.
    rule_sets: dict[tuple[str, int], CallDocument] = field(default_factory=dict)

    @staticmethod
    def correlation() -> str:
        return correlation_id.get() or "none"
