"""Alembic for every service: one helper for ``env.py`` and programmatic upgrade/downgrade.

Each service keeps its migrations in ``<service>/migrations`` (a package resource) and
its own ``alembic_version`` table in its own database.
"""

from __future__ import annotations

import asyncio

from alembic import command, context
from alembic.config import Config
from sqlalchemy import MetaData
from sqlalchemy.engine import Connection

from sfms_shared.db import create_engine, is_sqlite


def alembic_config(package: str, url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", f"{package}:migrations")
    config.set_main_option("sqlalchemy.url", url)
    return config


def upgrade(package: str, url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(package, url), revision)


def downgrade(package: str, url: str, revision: str = "base") -> None:
    command.downgrade(alembic_config(package, url), revision)


def run_migrations(target_metadata: MetaData) -> None:
    """The body of every service's ``env.py`` (online mode, async engine)."""
    url = context.config.get_main_option("sqlalchemy.url")

    def _run(connection: Connection) -> None:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=is_sqlite(url),
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()

    async def _online() -> None:
        engine = create_engine(url)
        try:
            async with engine.connect() as connection:
                await connection.run_sync(_run)
                await connection.commit()
        finally:
            await engine.dispose()

    asyncio.run(_online())
