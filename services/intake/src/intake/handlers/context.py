"""What every intake use case needs, built once in ``main.py``."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from intake.config import Settings
from intake.domain.errors import RuleViolation
from sfms_shared.audit import AuditLog
from sfms_shared.clock import Clock
from sfms_shared.document_store import DocumentStore
from sfms_shared.logging import correlation_id
from sfms_shared.messaging.outbox import Outbox
from sfms_shared.problems import FieldError, Problem


@dataclass(frozen=True)
class Intake:
    settings: Settings
    sessions: async_sessionmaker[AsyncSession]
    outbox: Outbox
    clock: Clock
    store: DocumentStore
    audit: AuditLog

    @staticmethod
    def correlation() -> str:
        return correlation_id.get() or "none"


def problem_from(violation: RuleViolation) -> Problem:
    first = violation.violations[0]
    errors = [FieldError(v.field, v.code, v.en, v.ko) for v in violation.violations]
    return Problem(
        status=409 if violation.conflict else 422,
        slug=first.code,
        title_en=first.en,
        title_ko=first.ko,
        detail_en="; ".join(f"{e.field}: {e.en}" for e in errors),
        detail_ko="; ".join(f"{e.field}: {e.ko}" for e in errors),
        field=first.field,
        errors=errors,
    )
