"""Every service's migrations go upgrade head → downgrade base → upgrade head, on
PostgreSQL and on SQLite, and leave the schema the models describe."""

from __future__ import annotations

import asyncio
import importlib
from pathlib import Path

import pytest
from sqlalchemy import inspect

from sfms_shared import migrations
from sfms_shared.db import create_engine

pytestmark = pytest.mark.integration

SERVICES = ("gateway", "intake", "eligibility", "scoring", "matching", "settlement")


async def table_names(url: str) -> set[str]:
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            return set(await connection.run_sync(lambda c: inspect(c).get_table_names()))
    finally:
        await engine.dispose()


async def round_trip(service: str, url: str) -> None:
    metadata = importlib.import_module(f"{service}.models").metadata
    expected = set(metadata.tables) | {"alembic_version"}
    await asyncio.to_thread(migrations.upgrade, service, url)
    assert await table_names(url) == expected
    await asyncio.to_thread(migrations.downgrade, service, url)
    assert await table_names(url) == {"alembic_version"}
    await asyncio.to_thread(migrations.upgrade, service, url)
    assert await table_names(url) == expected


@pytest.mark.parametrize("service", SERVICES)
async def test_round_trip_on_postgresql(service: str, postgres_url: str) -> None:
    await round_trip(service, postgres_url)


@pytest.mark.parametrize("service", SERVICES)
async def test_round_trip_on_sqlite(service: str, tmp_path: Path) -> None:
    await round_trip(service, f"sqlite+aiosqlite:///{tmp_path / (service + '.db')}")
