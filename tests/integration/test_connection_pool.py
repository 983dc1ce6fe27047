"""Pooled connections on PostgreSQL: pinged after a quiet spell, not between busy uses."""

from __future__ import annotations

import asyncpg
import pytest
from sqlalchemy import text
from sqlalchemy.dialects.postgresql.asyncpg import AsyncAdapt_asyncpg_connection

from sfms_shared import db
from sfms_shared.testing.fixtures import POSTGRES_ADMIN_DSN

pytestmark = pytest.mark.integration


@pytest.fixture
def pings(monkeypatch) -> list[int]:
    counted: list[int] = []
    original = AsyncAdapt_asyncpg_connection.ping

    def counting_ping(self) -> None:
        counted.append(1)
        original(self)

    monkeypatch.setattr(AsyncAdapt_asyncpg_connection, "ping", counting_ping)
    return counted


async def test_a_connection_in_steady_use_is_not_pinged(postgres_url, pings):
    engine = db.create_engine(postgres_url)
    try:
        for _ in range(20):
            async with engine.connect() as connection:
                assert await connection.scalar(text("SELECT 1")) == 1
    finally:
        await engine.dispose()
    assert len(pings) == 1, "only the new connection's first checkout"


async def test_an_idle_connection_whose_server_side_died_is_replaced(
    postgres_url, pings, monkeypatch
):
    engine = db.create_engine(postgres_url)
    try:
        async with engine.connect() as connection:
            before = await connection.scalar(text("SELECT pg_backend_pid()"))
        admin = await asyncpg.connect(POSTGRES_ADMIN_DSN)
        try:
            assert await admin.fetchval("SELECT pg_terminate_backend($1)", before)
        finally:
            await admin.close()
        monkeypatch.setattr(db, "IDLE_BEFORE_PING_SECONDS", 0.0)  # as after a quiet spell
        async with engine.connect() as connection:
            after = await connection.scalar(text("SELECT pg_backend_pid()"))
    finally:
        await engine.dispose()
    assert after != before
    assert len(pings) == 3, "first checkout; the dead one; its replacement"
