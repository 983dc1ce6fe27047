from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import datetime
from pathlib import Path

import httpx
import pytest
from asgi_lifespan import LifespanManager
from sqlalchemy import func, select

from intake import models
from intake.config import Settings
from intake.main import create_app
from sfms_shared import migrations
from sfms_shared.clock import KST, FixedClock
from sfms_shared.testing.identity import ADMIN, ActingAs


class IntakeHarness:
    def __init__(self, client: httpx.AsyncClient, clock: FixedClock, app, store: Path) -> None:
        self.client = client
        self.clock = clock
        self.app = app
        self.store = store

    async def row_counts(self) -> dict[str, int]:
        """Rows per table and files in the document store: what "changes nothing" is checked against."""
        sessions = self.app.state.intake.sessions
        counts = {}
        async with sessions() as session:
            for table in models.metadata.sorted_tables:
                counts[table.name] = await session.scalar(select(func.count()).select_from(table))
        counts["stored files"] = sum(1 for p in self.store.rglob("*") if p.is_file())
        return counts


@pytest.fixture
async def intake(postgres_url: str, tmp_path: Path) -> AsyncIterator[IntakeHarness]:
    """Intake's API on a fresh PostgreSQL database, clock standing on 2026-06-10 10:00 KST.

    Only the API role runs: events stay in the outbox, where tests read them."""
    await asyncio.to_thread(migrations.upgrade, "intake", postgres_url)
    clock = FixedClock(datetime(2026, 6, 10, 10, 0, tzinfo=KST))
    settings = Settings(
        database_url=postgres_url,
        roles={"api"},
        document_store_path=tmp_path / "documents",
        max_upload_bytes=256 * 1024,
    )
    app = create_app(settings, clock)
    async with LifespanManager(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://intake", auth=ActingAs(ADMIN)
        ) as client:
            yield IntakeHarness(client, clock, app, tmp_path / "documents")
