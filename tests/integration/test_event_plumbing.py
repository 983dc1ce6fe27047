"""The outbox relay and idempotent consumers against a real broker and PostgreSQL."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime
from uuid import uuid4

import pytest
from aiokafka import AIOKafkaProducer
from sqlalchemy import Column, Integer, String, Table, func, select

from intake.seed_calls import load_seed_calls
from sfms_shared.clock import SystemClock
from sfms_shared.contracts.events import CallPublishedV1
from sfms_shared.db import create_engine, new_metadata, session_factory
from sfms_shared.messaging.consumer import EventConsumer
from sfms_shared.messaging.dead_letters import DeadLetter, read_dead_letters, replay
from sfms_shared.messaging.envelope import Envelope
from sfms_shared.messaging.kafka import ensure_topics
from sfms_shared.messaging.outbox import Outbox
from sfms_shared.messaging.relay import OutboxRelay
from sfms_shared.messaging.tables import messaging_tables
from sfms_shared.messaging.topics import ALL_TOPICS, INTAKE_CALL_PUBLISHED_V1
from sfms_shared.settings import ServiceSettings

pytestmark = pytest.mark.integration

metadata = new_metadata()
tables = messaging_tables(metadata)
effects = Table(
    "effect",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("event_id", String(40), nullable=False),
)


@pytest.fixture
async def world(postgres_url, broker):
    await ensure_topics(broker.bootstrap, ALL_TOPICS)
    engine = create_engine(postgres_url)
    async with engine.begin() as connection:
        await connection.run_sync(metadata.create_all)
    settings = ServiceSettings(
        service_name=f"plumbing{uuid4().hex[:6]}",
        database_url=postgres_url,
        kafka_bootstrap_servers=broker.bootstrap,
        consumer_max_attempts=2,
        consumer_backoff_seconds=0.05,
    )
    yield settings, session_factory(engine)
    await engine.dispose()


def call_event() -> CallPublishedV1:
    document = load_seed_calls()[0]
    return CallPublishedV1(
        call_id=document.id,
        version=document.version,
        published_at=datetime.now(UTC),
        document=document,
    )


async def effect_count(sessions) -> int:
    async with sessions() as session:
        return await session.scalar(select(func.count()).select_from(effects))


async def run_until(worker, predicate, timeout: float = 30) -> None:
    stop = asyncio.Event()
    task = asyncio.create_task(worker.run(stop))
    try:
        deadline = asyncio.get_running_loop().time() + timeout
        while not await predicate():
            assert asyncio.get_running_loop().time() < deadline, "condition not reached in time"
            assert not task.done(), task.exception()
            await asyncio.sleep(0.1)
    finally:
        stop.set()
        await asyncio.wait_for(task, 15)


async def test_relay_publishes_in_order_and_marks_sent_and_redelivery_has_no_second_effect(
    world, broker
):
    settings, sessions = world
    outbox = Outbox(tables.outbox, settings.service_name)
    events = [call_event() for _ in range(3)]
    async with sessions() as session, session.begin():
        recorded = [
            await outbox.record(session, e, occurred_at=datetime.now(UTC), correlation_id="t")
            for e in events
        ]

    async def all_published() -> bool:
        async with sessions() as session:
            return not await session.scalar(
                select(func.count())
                .select_from(tables.outbox)
                .where(tables.outbox.c.published_at.is_(None))
            )

    await run_until(OutboxRelay(settings, sessions, outbox, SystemClock()), all_published)

    async def handler(session, envelope: Envelope) -> None:
        await session.execute(effects.insert().values(event_id=str(envelope.event_id)))

    consumer = EventConsumer(
        "test", {INTAKE_CALL_PUBLISHED_V1: handler}, settings, sessions, tables, SystemClock()
    )

    async def consumed_ours() -> bool:
        async with sessions() as session:
            ids = set((await session.execute(select(effects.c.event_id))).scalars())
        return {str(e.event_id) for e in recorded} <= ids

    await run_until(consumer, consumed_ours)
    # The same events delivered again (a relay that died before marking them sent).
    producer = AIOKafkaProducer(bootstrap_servers=broker.bootstrap)
    await producer.start()
    for envelope in recorded:
        await producer.send_and_wait(
            INTAKE_CALL_PUBLISHED_V1, envelope.to_bytes(), key=envelope.key.encode()
        )
    marker = Envelope(
        event_type="test.marker",
        schema_version=1,
        occurred_at=datetime.now(UTC),
        producer="t",
        key="marker",
        correlation_id="t",
        payload={},
    )
    await producer.send_and_wait(INTAKE_CALL_PUBLISHED_V1, marker.to_bytes(), key=b"marker")
    await producer.stop()

    async def marker_seen() -> bool:
        async with sessions() as session:
            return bool(
                await session.scalar(
                    select(func.count())
                    .select_from(effects)
                    .where(effects.c.event_id == str(marker.event_id))
                )
            )

    await run_until(
        EventConsumer(
            "test", {INTAKE_CALL_PUBLISHED_V1: handler}, settings, sessions, tables, SystemClock()
        ),
        marker_seen,
    )
    async with sessions() as session:
        per_event = dict(
            (
                await session.execute(
                    select(effects.c.event_id, func.count()).group_by(effects.c.event_id)
                )
            ).all()
        )
    for envelope in recorded:
        assert per_event[str(envelope.event_id)] == 1


async def test_a_failing_handler_dead_letters_with_the_reason_and_replay_processes_it(
    world, broker
):
    settings, sessions = world
    topic = f"test.dead-letter-{uuid4().hex[:8]}.v1"
    await ensure_topics(broker.bootstrap, (topic,))
    broken = {"on": True}
    envelope = Envelope(
        event_type="intake.call-published",
        schema_version=1,
        occurred_at=datetime.now(UTC),
        producer="t",
        key="k1",
        correlation_id="c1",
        payload={"n": 1},
    )

    async def handler(session, received: Envelope) -> None:
        if broken["on"]:
            raise ValueError("registry unavailable")
        await session.execute(effects.insert().values(event_id=str(received.event_id)))

    producer = AIOKafkaProducer(bootstrap_servers=broker.bootstrap)
    await producer.start()
    await producer.send_and_wait(topic, envelope.to_bytes(), key=b"k1")
    await producer.send_and_wait(topic, b"not json at all", key=b"k2")
    await producer.stop()

    async def two_dead_letters() -> bool:
        letters = await read_dead_letters(broker.bootstrap, settings.service_name)
        return len(letters) >= 2

    consumer = EventConsumer("dlq", {topic: handler}, settings, sessions, tables, SystemClock())
    await run_until(consumer, two_dead_letters, timeout=60)
    letters = await read_dead_letters(broker.bootstrap, settings.service_name)
    ours = next(letter for letter in letters if letter.body["event_id"] == str(envelope.event_id))
    assert "registry unavailable" in ours.body["reason"]
    assert ours.body["attempts"] == 2
    assert any("undecodable" in letter.body["reason"] for letter in letters)
    assert await effect_count(sessions) == 0

    broken["on"] = False
    await replay(broker.bootstrap, DeadLetter(ours.body, ours.key))

    async def processed() -> bool:
        return await effect_count(sessions) == 1

    await run_until(
        EventConsumer("dlq", {topic: handler}, settings, sessions, tables, SystemClock()),
        processed,
        timeout=60,
    )
    assert json.loads(ours.body["value"])["event_id"] == str(envelope.event_id)


async def test_a_batch_with_one_failing_event_keeps_every_other_effect_exactly_once(
    world, broker
):
    """Records that arrive together share a transaction; one that fails sends the batch
    back to one-by-one handling, where the others take effect once and it is dead-lettered."""
    settings, sessions = world
    topic = f"test.batch-{uuid4().hex[:8]}.v1"
    await ensure_topics(broker.bootstrap, (topic,), partitions=1)
    envelopes = [
        Envelope(
            event_type="test.batch",
            schema_version=1,
            occurred_at=datetime.now(UTC),
            producer="t",
            key="one-key",
            correlation_id=f"c{n}",
            payload={"n": n},
        )
        for n in range(6)
    ]
    poisoned = envelopes[3].event_id
    calls: list[int] = []

    async def handler(session, received: Envelope) -> None:
        calls.append(received.payload["n"])
        await session.execute(effects.insert().values(event_id=str(received.event_id)))
        if received.event_id == poisoned:
            raise ValueError("this one cannot be handled")

    producer = AIOKafkaProducer(bootstrap_servers=broker.bootstrap)
    await producer.start()
    batch = [envelope.to_bytes() for envelope in envelopes]
    batch.insert(2, envelopes[1].to_bytes())  # a redelivery inside the same batch
    for value in batch:
        await producer.send(topic, value, key=b"one-key")
    await producer.flush()
    await producer.stop()

    async def dead_lettered() -> bool:
        letters = await read_dead_letters(broker.bootstrap, settings.service_name)
        return any(letter.body["event_id"] == str(poisoned) for letter in letters)

    consumer = EventConsumer("batch", {topic: handler}, settings, sessions, tables, SystemClock())
    await run_until(consumer, dead_lettered, timeout=60)
    async with sessions() as session:
        kept = list((await session.execute(select(effects.c.event_id))).scalars())
    expected = [str(e.event_id) for e in envelopes if e.event_id != poisoned]
    assert sorted(kept) == sorted(expected)
    # Together, in order, up to the failure (the redelivered 1 a duplicate); rolled back;
    # then one by one, the poisoned one tried twice (consumer_max_attempts) and passed by.
    assert calls == [0, 1, 2, 3] + [0, 1, 2, 3, 3, 4, 5]
