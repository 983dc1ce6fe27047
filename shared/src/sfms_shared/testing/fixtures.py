"""Pytest fixtures for real parts: a fresh PostgreSQL database per test module and a
Tansu broker per session. Registered for the whole repository by the root conftest."""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path

import asyncpg
import pytest

from sfms_shared.embedded.broker import TansuBroker, free_port
from sfms_shared.testing.identity import TEST_INTERNAL_SECRET

# Services and the gateway built in tests share this secret (stacks started by the
# embedded runner make their own).
os.environ.setdefault("SFMS_INTERNAL_SECRET", TEST_INTERNAL_SECRET)

POSTGRES_ADMIN_DSN = os.environ.get(
    "SFMS_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres"
)


async def create_database() -> str:
    name = f"sfms_test_{uuid.uuid4().hex[:12]}"
    connection = await asyncpg.connect(POSTGRES_ADMIN_DSN)
    try:
        await connection.execute(f'CREATE DATABASE "{name}"')
    finally:
        await connection.close()
    return name


async def drop_database(name: str) -> None:
    connection = await asyncpg.connect(POSTGRES_ADMIN_DSN)
    try:
        await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await connection.close()


def async_url(name: str) -> str:
    base = POSTGRES_ADMIN_DSN.rsplit("/", 1)[0].replace("postgresql://", "postgresql+asyncpg://", 1)
    return f"{base}/{name}"


@pytest.fixture
async def postgres_url() -> AsyncIterator[str]:
    """A new, empty PostgreSQL database (async SQLAlchemy URL), dropped afterwards."""
    name = await create_database()
    try:
        yield async_url(name)
    finally:
        await drop_database(name)


def _database_factory() -> Iterator[Callable[[], str]]:
    names: list[str] = []

    def make() -> str:
        names.append(asyncio.run(create_database()))
        return async_url(names[-1])

    yield make
    for name in names:
        asyncio.run(drop_database(name))


@pytest.fixture(scope="module")
def module_postgres_urls() -> Iterator[Callable[[], str]]:
    """Make fresh databases for a module's tests (one per service of a stack)."""
    yield from _database_factory()


@pytest.fixture(scope="session")
def broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TansuBroker]:
    """A real Kafka-protocol broker (Tansu, memory storage) for the session."""
    log = Path(tmp_path_factory.mktemp("broker")) / "tansu.log"
    instance = TansuBroker(free_port(), log)
    instance.start()
    try:
        yield instance
    finally:
        instance.stop()
