"""The registries' API alone on a fresh PostgreSQL database, its ``after_change`` hook
recorded (the re-review it runs in the service is tested in ``test_review_flow.py``)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import datetime

import httpx
import pytest
from asgi_lifespan import LifespanManager
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession

from eligibility.config import Settings
from eligibility.handlers.context import Eligibility
from eligibility.models import audit, messaging
from eligibility.registries.api import registries_router
from sfms_shared import migrations
from sfms_shared.audit import AuditLog
from sfms_shared.clock import KST, FixedClock
from sfms_shared.identity import Identity
from sfms_shared.service import ServiceRuntime, build_app
from sfms_shared.testing.identity import ActingAs


@dataclass
class Registries:
    clock: FixedClock
    app: FastAPI | None = None
    changes: list[tuple[set[str], datetime]] = field(default_factory=list)
    failing_hook: bool = False  # after_change raises, as a failed re-review would

    def client(self, who: Identity) -> httpx.AsyncClient:
        return httpx.AsyncClient(
            transport=httpx.ASGITransport(app=self.app), base_url="http://e", auth=ActingAs(who)
        )

    @property
    def sessions(self):  # noqa: ANN201
        return self.app.state.eligibility.sessions

    async def after_change(self, session: AsyncSession, brns: set[str], known_at: datetime) -> None:
        assert session.in_transaction()
        self.changes.append((brns, known_at))
        if self.failing_hook:
            raise RuntimeError("the re-review failed")


@pytest.fixture
async def registries(postgres_url: str) -> AsyncIterator[Registries]:
    """Clock standing on 2026-06-01 09:00 KST; only the API role runs."""
    await asyncio.to_thread(migrations.upgrade, "eligibility", postgres_url)
    harness = Registries(FixedClock(datetime(2026, 6, 1, 9, 0, tzinfo=KST)))
    settings = Settings(database_url=postgres_url, roles={"api"})
    runtime = ServiceRuntime(settings, messaging, harness.clock, audit)
    router = registries_router(after_change=harness.after_change)
    harness.app = build_app(runtime, title="registries", description="test", routers=[router])
    harness.app.state.eligibility = Eligibility(
        settings=settings,
        sessions=runtime.sessions,
        outbox=runtime.outbox,
        clock=runtime.clock,
        audit=AuditLog(audit, runtime.clock),
    )
    async with LifespanManager(harness.app):
        yield harness
