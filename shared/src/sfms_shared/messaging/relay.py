"""The outbox relay: publishes recorded events in order and marks them sent.

Publication is at-least-once: a relay that dies after the broker acknowledged a
batch but before marking it publishes the batch again, and the consumers' inboxes
absorb the duplicates. Only one relay per database publishes at a time (a
PostgreSQL advisory lock), which keeps the order per key.
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import time
import zlib

from sqlalchemy import func, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from sfms_shared.clock import Clock
from sfms_shared.messaging.kafka import new_producer
from sfms_shared.messaging.outbox import Outbox
from sfms_shared.metrics import EVENTS_PUBLISHED, OUTBOX_BACKLOG
from sfms_shared.settings import ServiceSettings

log = logging.getLogger(__name__)


class OutboxRelay:
    def __init__(
        self,
        settings: ServiceSettings,
        sessions: async_sessionmaker[AsyncSession],
        outbox: Outbox,
        clock: Clock,
    ) -> None:
        self.settings = settings
        self.sessions = sessions
        self.outbox = outbox
        self.clock = clock
        self._lock_id = zlib.crc32(f"sfms-outbox-{settings.service_name}".encode())
        self._producer = None
        self._backlog_checked = 0.0

    async def run(self, stop: asyncio.Event) -> None:
        self._producer = new_producer(
            self.settings.kafka_bootstrap_servers,
            f"{self.settings.service_name}-relay",
            self.settings.kafka_idempotence,
        )
        await self._producer.start()
        try:
            while not stop.is_set():
                published = await self.publish_batch()
                await self._update_backlog()
                if published == 0:
                    await _wait_any(stop, self.outbox.wakeup, self.settings.relay_poll_seconds)
                    self.outbox.wakeup.clear()
        finally:
            await self._producer.stop()

    async def publish_batch(self) -> int:
        table = self.outbox.table
        async with self.sessions() as session, session.begin():
            if not await self._take_leadership(session):
                return 0
            rows = (
                await session.execute(
                    select(table.c.id, table.c.topic, table.c.key, table.c.envelope)
                    .where(table.c.published_at.is_(None))
                    .order_by(table.c.id)
                    .limit(self.settings.relay_batch_size)
                )
            ).all()
            if not rows:
                return 0
            deliveries = [
                await self._producer.send(row.topic, row.envelope.encode(), key=row.key.encode())
                for row in rows
            ]
            await asyncio.gather(*deliveries)
            self._fault("relay.after-publish")
            await session.execute(
                update(table)
                .where(table.c.id.in_([row.id for row in rows]))
                .values(published_at=self.clock.now())
            )
        for row in rows:
            EVENTS_PUBLISHED.labels(self.settings.service_name, row.topic).inc()
        return len(rows)

    async def _take_leadership(self, session: AsyncSession) -> bool:
        if session.bind.dialect.name != "postgresql":
            return True
        result = await session.execute(
            text("SELECT pg_try_advisory_xact_lock(:id)"), {"id": self._lock_id}
        )
        return bool(result.scalar())

    async def _update_backlog(self) -> None:
        now = time.monotonic()
        if now - self._backlog_checked < 1.0:
            return
        self._backlog_checked = now
        table = self.outbox.table
        async with self.sessions() as session:
            backlog = await session.scalar(
                select(func.count()).select_from(table).where(table.c.published_at.is_(None))
            )
        OUTBOX_BACKLOG.labels(self.settings.service_name).set(backlog or 0)

    def _fault(self, point: str) -> None:
        """Fault injection for tests: die here, as abruptly as a power cut."""
        if point in self.settings.faults:
            log.warning("fault point reached, killing the process", extra={"fault": point})
            os.kill(os.getpid(), signal.SIGKILL)


async def _wait_any(stop: asyncio.Event, wakeup: asyncio.Event, timeout: float) -> None:
    waiters = [asyncio.ensure_future(stop.wait()), asyncio.ensure_future(wakeup.wait())]
    try:
        await asyncio.wait(waiters, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for waiter in waiters:
            waiter.cancel()
