"""``Idempotency-Key`` on PostgreSQL: the key, the effect and the answer commit together."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import asyncpg
import pytest
from sqlalchemy import Column, Integer, MetaData, String, Table, func, select, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from sfms_shared import db
from sfms_shared.clock import FixedClock
from sfms_shared.idempotency import idempotency_table, idempotent
from sfms_shared.problems import Problem
from sfms_shared.testing.fixtures import POSTGRES_ADMIN_DSN

pytestmark = pytest.mark.integration

metadata = MetaData()
records = idempotency_table(metadata)
made = Table("made", metadata, Column("id", Integer, primary_key=True), Column("name", String))
CLOCK = FixedClock(datetime(2026, 6, 10, 1, 0, tzinfo=UTC))


@pytest.fixture
async def sessions(postgres_url) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    engine = db.create_engine(postgres_url)
    async with engine.begin() as connection:
        await connection.run_sync(metadata.create_all)
    yield db.session_factory(engine)
    await engine.dispose()


def maker(name: str, runs: list[int], hold: asyncio.Event | None = None):
    """A create that adds one row named ``name``; with ``hold`` it waits inside its
    transaction until the event is set."""

    async def create(session: AsyncSession) -> tuple[int, Any]:
        runs.append(1)
        made_id = await session.scalar(made.insert().values(name=name).returning(made.c.id))
        if hold is not None:
            await hold.wait()
        return 201, {"id": made_id, "name": name}

    return create


async def count(sessions: async_sessionmaker[AsyncSession]) -> int:
    async with sessions() as session:
        return await session.scalar(select(func.count()).select_from(made))


async def run(sessions, key: str | None, payload: Any, create) -> tuple[int, Any]:
    return await idempotent(sessions, records, CLOCK, "things", key, payload, create)


async def test_the_same_key_gives_the_first_answer_and_makes_nothing_twice(sessions):
    runs: list[int] = []
    first = await run(sessions, "k-1", {"name": "a"}, maker("a", runs))
    again = await run(sessions, "k-1", {"name": "a"}, maker("a", runs))
    assert first == again == (201, {"id": 1, "name": "a"})
    assert runs == [1]
    assert await count(sessions) == 1


async def test_without_a_key_every_request_does_the_work(sessions):
    runs: list[int] = []
    await run(sessions, None, {"name": "a"}, maker("a", runs))
    await run(sessions, None, {"name": "a"}, maker("a", runs))
    assert await count(sessions) == 2


async def test_a_concurrent_request_waits_for_the_first_and_gets_its_answer(sessions):
    runs: list[int] = []
    hold = asyncio.Event()
    first = asyncio.create_task(run(sessions, "k-2", {"name": "b"}, maker("b", runs, hold)))
    while not runs:
        await asyncio.sleep(0.01)
    second = asyncio.create_task(run(sessions, "k-2", {"name": "b"}, maker("b", runs)))
    await asyncio.sleep(0.3)
    assert not second.done(), "the second waits at the claim while the first works"
    hold.set()
    assert await first == await second
    assert runs == [1]
    assert await count(sessions) == 1


async def test_a_key_used_for_another_request_is_refused(sessions):
    await run(sessions, "k-3", {"name": "c"}, maker("c", []))
    with pytest.raises(Problem) as refused:
        await run(sessions, "k-3", {"name": "other"}, maker("other", []))
    assert (refused.value.status, refused.value.slug, refused.value.field) == (
        422,
        "idempotency-key-reused",
        "Idempotency-Key",
    )
    assert await count(sessions) == 1


async def test_a_failed_request_leaves_the_key_free(sessions):
    async def failing(session: AsyncSession) -> tuple[int, Any]:
        await session.execute(made.insert().values(name="half"))
        raise Problem.for_field(422, "bad", "name", "bad", "잘못됨")

    with pytest.raises(Problem):
        await run(sessions, "k-4", {"name": "d"}, failing)
    assert await run(sessions, "k-4", {"name": "d"}, maker("d", [])) == (
        201,
        {"id": 2, "name": "d"},  # the failed request's row was rolled back with its claim
    )
    assert await count(sessions) == 1


async def test_a_request_whose_process_died_mid_work_leaves_nothing_and_the_key_free(sessions):
    """What PostgreSQL sees when the process dies: the connection drops mid-transaction."""
    runs: list[int] = []
    hold = asyncio.Event()
    pid: list[int] = []

    async def dying(session: AsyncSession) -> tuple[int, Any]:
        pid.append(await session.scalar(text("SELECT pg_backend_pid()")))
        return await maker("e", runs, hold)(session)

    first = asyncio.create_task(run(sessions, "k-5", {"name": "e"}, dying))
    while not runs:
        await asyncio.sleep(0.01)
    admin = await asyncpg.connect(POSTGRES_ADMIN_DSN)
    try:
        assert await admin.fetchval("SELECT pg_terminate_backend($1)", pid[0])
    finally:
        await admin.close()
    hold.set()
    with pytest.raises(Exception):  # noqa: B017 - whatever the dead connection raises
        await first
    retried = await asyncio.wait_for(run(sessions, "k-5", {"name": "e"}, maker("e", runs)), 10)
    assert retried[0] == 201
    assert runs == [1, 1]
    assert await count(sessions) == 1
