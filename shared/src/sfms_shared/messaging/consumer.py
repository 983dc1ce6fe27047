"""Idempotent consumers: inbox check and effect in one transaction, offsets committed after.

A message whose handler keeps failing is retried with backoff, then put on the
service's dead-letter topic with the reason, and the consumer moves on. An operator
replays it with ``sfms-dead-letters replay`` once the cause is fixed. A database that
is away (down, restarting) is not the message's fault: the consumer stops without
committing the batch's offsets and its supervisor starts it again, so the message is
delivered again once the database is back instead of being dead-lettered.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from uuid import uuid4

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, ConsumerRecord, TopicPartition
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from sfms_shared.clock import Clock
from sfms_shared.db import database_unavailable
from sfms_shared.logging import correlation_id
from sfms_shared.messaging.envelope import Envelope
from sfms_shared.messaging.kafka import new_producer
from sfms_shared.messaging.tables import MessagingTables, insert_if_absent
from sfms_shared.messaging.topics import dead_letter_topic
from sfms_shared.metrics import (
    CONSUMER_LAG,
    EVENT_HANDLER_LATENCY,
    EVENTS_CONSUMED,
    EVENTS_DEAD_LETTERED,
    EVENTS_FAILED,
)
from sfms_shared.settings import ServiceSettings

log = logging.getLogger(__name__)

# At most this many records of a partition share one transaction: fewer commits under a
# burst, and a lock held by the batch is not held for long.
TOGETHER = 50

EventHandler = Callable[[AsyncSession, Envelope], Awaitable[None]]


class EventConsumer:
    """One consumer group (``<service>.<name>``) over the topics in ``handlers``."""

    def __init__(
        self,
        name: str,
        handlers: Mapping[str, EventHandler],
        settings: ServiceSettings,
        sessions: async_sessionmaker[AsyncSession],
        tables: MessagingTables,
        clock: Clock,
        after_commit: Callable[[], None] | None = None,
    ) -> None:
        self.name = f"{settings.service_name}.{name}"
        self.handlers = dict(handlers)
        self.settings = settings
        self.sessions = sessions
        self.tables = tables
        self.clock = clock
        self.after_commit = after_commit
        self._dead_letters: AIOKafkaProducer | None = None

    async def run(self, stop: asyncio.Event) -> None:
        consumer = AIOKafkaConsumer(
            *self.handlers,
            bootstrap_servers=self.settings.kafka_bootstrap_servers,
            group_id=self.name,
            client_id=self.name,
            enable_auto_commit=False,
            auto_offset_reset="earliest",
        )
        self._dead_letters = new_producer(
            self.settings.kafka_bootstrap_servers,
            f"{self.name}-dlq",
            self.settings.kafka_idempotence,
        )
        await self._dead_letters.start()
        await consumer.start()
        try:
            while not stop.is_set():
                batches = await consumer.getmany(timeout_ms=250, max_records=200)
                await self.process_poll(batches)
                for partition in batches:
                    await self._record_lag(consumer, partition)
                if batches:
                    await consumer.commit()
        finally:
            await consumer.stop()
            await self._dead_letters.stop()

    async def process_poll(self, batches: Mapping[TopicPartition, list[ConsumerRecord]]) -> None:
        """Every record of a poll, in order within each partition.

        A partition's records go together, up to ``TOGETHER`` to a transaction; when that
        fails they go one by one. A record that fails holds its partition back while the
        other partitions go on, since what it waits for (the call-published event a
        submission needs, say) may be among them; then it is tried again after a backoff,
        and dead-lettered after ``consumer_max_attempts`` tries."""
        progress = {partition: _Progress(records) for partition, records in batches.items()}
        while True:
            for partition in progress.values():
                await self._advance(partition)
            failing = [p for p in progress.values() if p.failures]
            if not failing:
                return
            tries = max(p.failures for p in failing)
            await asyncio.sleep(self.settings.consumer_backoff_seconds * 2 ** (tries - 1))

    async def _advance(self, partition: _Progress) -> None:
        """As far as this partition's records go without a failure."""
        while partition.next < len(partition.records):
            if partition.next >= partition.alone_until:
                chunk = partition.records[partition.next : partition.next + TOGETHER]
                if len(chunk) > 1 and await self._handle_together(chunk):
                    partition.next += len(chunk)
                    continue
                partition.alone_until = partition.next + len(chunk)
            record = partition.records[partition.next]
            if not await self._try(record, partition.failures + 1):
                partition.failures += 1
                return
            partition.next += 1
            partition.failures = 0

    async def _handle_together(self, records: list[ConsumerRecord]) -> bool:
        try:
            envelopes = [Envelope.from_bytes(record.value) for record in records]
        except ValueError:
            return False  # the undecodable one is dead-lettered on the one-by-one path
        outcomes: list[tuple[str, str, float]] = []
        try:
            async with self.sessions() as session, session.begin():
                for record, envelope in zip(records, envelopes, strict=True):
                    started = time.perf_counter()
                    token = correlation_id.set(envelope.correlation_id)
                    try:
                        outcome = await self._handle_in(session, envelope, record.topic)
                    finally:
                        correlation_id.reset(token)
                    outcomes.append((record.topic, outcome, time.perf_counter() - started))
        except Exception as exc:  # noqa: BLE001 - the one-by-one path retries and reports it
            if database_unavailable(exc):
                raise
            log.info("batch failed, handling its events one by one", extra={"error": repr(exc)})
            return False
        for topic, outcome, seconds in outcomes:
            labels = (self.settings.service_name, self.name, topic)
            EVENT_HANDLER_LATENCY.labels(*labels).observe(seconds)
            EVENTS_CONSUMED.labels(*labels, outcome).inc()
        if self.after_commit:
            self.after_commit()
        return True

    async def _try(self, record: ConsumerRecord, attempt: int) -> bool:
        """One attempt at a record; False when it failed and is to be tried again. The
        last failed attempt dead-letters it (True: the partition moves on)."""
        try:
            envelope = Envelope.from_bytes(record.value)
        except ValueError as exc:
            await self._dead_letter(record, f"undecodable envelope: {exc}", attempts=0)
            return True
        token = correlation_id.set(envelope.correlation_id)
        started = time.perf_counter()
        try:
            outcome = await self._handle_once(envelope, record.topic)
        except Exception as exc:  # noqa: BLE001 - any failure is retried, then dead-lettered
            if database_unavailable(exc):
                raise  # the supervisor restarts the consumer; the offset stays uncommitted
            EVENTS_FAILED.labels(self.settings.service_name, self.name, record.topic).inc()
            log.warning(
                "event handling failed",
                extra={"event_id": str(envelope.event_id), "attempt": attempt, "error": repr(exc)},
            )
            if attempt < self.settings.consumer_max_attempts:
                return False
            await self._dead_letter(record, repr(exc), attempts=attempt, envelope=envelope)
            return True
        finally:
            correlation_id.reset(token)
        labels = (self.settings.service_name, self.name, record.topic)
        EVENT_HANDLER_LATENCY.labels(*labels).observe(time.perf_counter() - started)
        EVENTS_CONSUMED.labels(*labels, outcome).inc()
        return True

    async def _handle_once(self, envelope: Envelope, topic: str) -> str:
        async with self.sessions() as session, session.begin():
            outcome = await self._handle_in(session, envelope, topic)
        if self.after_commit:
            self.after_commit()
        return outcome

    async def _handle_in(self, session: AsyncSession, envelope: Envelope, topic: str) -> str:
        """The inbox check and the effect, in the caller's transaction."""
        first_time = await insert_if_absent(
            session,
            self.tables.inbox,
            {
                "consumer": self.name,
                "event_id": envelope.event_id,
                "topic": topic,
                "processed_at": self.clock.now(),
            },
        )
        if not first_time:
            return "duplicate"
        await self.handlers[topic](session, envelope)
        return "processed"

    async def _dead_letter(
        self, record: ConsumerRecord, reason: str, attempts: int, envelope: Envelope | None = None
    ) -> None:
        letter = {
            "dead_letter_id": str(uuid4()),
            "consumer": self.name,
            "topic": record.topic,
            "partition": record.partition,
            "offset": record.offset,
            "key": record.key.decode(errors="replace") if record.key else None,
            "event_id": str(envelope.event_id) if envelope else None,
            "value": record.value.decode(errors="replace"),
            "reason": reason,
            "attempts": attempts,
            "failed_at": datetime.now(UTC).isoformat(),
        }
        await self._dead_letters.send_and_wait(
            dead_letter_topic(self.settings.service_name),
            json.dumps(letter, ensure_ascii=False).encode(),
            key=record.key,
        )
        EVENTS_DEAD_LETTERED.labels(self.settings.service_name, self.name, record.topic).inc()
        log.error(
            "event dead-lettered",
            extra={"dead_letter_id": letter["dead_letter_id"], "reason": reason},
        )

    async def _record_lag(self, consumer: AIOKafkaConsumer, partition: TopicPartition) -> None:
        highwater = consumer.highwater(partition)
        if highwater is None:
            return
        position = await consumer.position(partition)
        CONSUMER_LAG.labels(
            self.settings.service_name, self.name, partition.topic, str(partition.partition)
        ).set(max(highwater - position, 0))


@dataclass
class _Progress:
    """How far a poll's records of one partition have got, how often the next one has
    failed, and up to where they go one by one (the rest of a batch that failed)."""

    records: list[ConsumerRecord]
    next: int = 0
    failures: int = 0
    alone_until: int = 0
