"""Database plumbing common to every service: engines, sessions, portable column types.

PostgreSQL (asyncpg) in production and integration tests; SQLite (aiosqlite) per
service in embedded mode. Instants are stored in UTC with their zone.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, DateTime, MetaData, event, text
from sqlalchemy import exc as sa_exc
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def new_metadata() -> MetaData:
    return MetaData(naming_convention=NAMING_CONVENTION)


JsonDocument = JSON().with_variant(JSONB(), "postgresql")


class UtcDateTime(TypeDecorator[datetime]):
    """An aware instant in, an aware UTC instant out, on every dialect (SQLite keeps no zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are not stored; pass an aware instant")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def is_sqlite(url: str) -> bool:
    return url.startswith("sqlite")


def create_engine(url: str, **kwargs: Any) -> AsyncEngine:
    if is_sqlite(url):
        engine = create_async_engine(url, connect_args={"timeout": 30}, **kwargs)

        @event.listens_for(engine.sync_engine, "connect")
        def _sqlite_pragmas(dbapi_connection: Any, _: Any) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()

        return engine
    kwargs.setdefault("pool_size", 10)
    kwargs.setdefault("max_overflow", 10)
    engine = create_async_engine(url, **kwargs)
    _ping_when_idle(engine)
    return engine


# A pooled connection unused for longer than this is pinged before it is handed out.
IDLE_BEFORE_PING_SECONDS = 1.0


def _ping_when_idle(engine: AsyncEngine) -> None:
    """Pessimistic disconnect handling for connections that sat idle: after a quiet spell
    (the database may have restarted meanwhile) a connection is pinged on checkout and
    replaced if dead. SQLAlchemy's ``pool_pre_ping`` pings on every checkout, three round
    trips each on asyncpg, which under a burst cost more than the statements themselves;
    a connection that was in use a moment ago fails at most its next statement, which the
    API answers 503 and a consumer retries, and that failure invalidates the whole pool."""

    @event.listens_for(engine.sync_engine, "checkin")
    def _checked_in(_: Any, record: Any) -> None:
        record.info["checked_in"] = time.monotonic()

    @event.listens_for(engine.sync_engine, "checkout")
    def _checked_out(dbapi_connection: Any, record: Any, _: Any) -> None:
        if time.monotonic() - record.info.get("checked_in", 0.0) < IDLE_BEFORE_PING_SECONDS:
            return
        try:
            dbapi_connection.ping()
        except Exception as exc:  # noqa: BLE001 - any failure means: use another connection
            raise sa_exc.DisconnectionError(f"stale pooled connection: {exc!r}") from exc


def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)


async def ping(engine: AsyncEngine) -> None:
    async with engine.connect() as conn:
        await conn.execute(text("SELECT 1"))


# SQLSTATE classes of a database that is away rather than of a request that is wrong:
# 08 connection exception, 57P01-57P03 shutdown / crash / "cannot connect now", 53 resources.
_UNAVAILABLE_SQLSTATES = ("08", "57P01", "57P02", "57P03", "53")


def database_unavailable(error: BaseException) -> bool:
    """True when ``error`` (or what caused it) says the database cannot be reached now:
    refused or broken connections, a server shutting down or starting up, a pool timeout,
    SQLite's "database is locked". Such failures are the platform's, not the request's or
    the message's: the API answers 503, a consumer tries the message again later."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(
            current, ConnectionError | TimeoutError | sa_exc.TimeoutError | sa_exc.OperationalError
        ):
            return True
        if isinstance(current, sa_exc.DBAPIError) and current.connection_invalidated:
            return True
        if isinstance(current, sa_exc.InterfaceError):
            return True
        sqlstate = getattr(current, "sqlstate", None) or getattr(current, "pgcode", None)
        if isinstance(sqlstate, str) and sqlstate.startswith(_UNAVAILABLE_SQLSTATES):
            return True
        if type(current).__module__.startswith("asyncpg") and type(current).__name__ in (
            "ConnectionDoesNotExistError",
            "InterfaceError",
            "InternalClientError",
        ):
            return True
        current = getattr(current, "orig", None) or current.__cause__ or current.__context__
    return False
