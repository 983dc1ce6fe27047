"""How a consumer works through one poll: in order within a partition, a record that
fails holds back only its own partition, and a database that is away dead-letters
nothing."""

from __future__ import annotations

from contextlib import asynccontextmanager
from types import SimpleNamespace
from uuid import uuid4

import pytest
from aiokafka import TopicPartition

from sfms_shared.clock import SystemClock
from sfms_shared.messaging.consumer import EventConsumer
from sfms_shared.messaging.envelope import Envelope

CALLS = TopicPartition("intake.call-published.v1", 0)
SUBMITTED = TopicPartition("intake.application-submitted.v1", 1)


class _Session:
    @asynccontextmanager
    async def begin(self):
        yield


@asynccontextmanager
async def _sessions():
    yield _Session()


class _DeadLetters:
    def __init__(self) -> None:
        self.sent: list[bytes] = []

    async def send_and_wait(self, topic: str, value: bytes, key: bytes | None = None) -> None:
        self.sent.append(value)


def _record(partition: TopicPartition, name: str, offset: int) -> SimpleNamespace:
    envelope = Envelope(
        event_id=uuid4(),
        event_type="t",
        schema_version=1,
        occurred_at="2026-06-10T01:00:00Z",
        producer="intake",
        key="k",
        correlation_id="c",
        causation_id=None,
        payload={"name": name},
    )
    return SimpleNamespace(
        topic=partition.topic,
        partition=partition.partition,
        offset=offset,
        key=b"k",
        value=envelope.model_dump_json().encode(),
    )


def _consumer(handle, sessions=_sessions) -> tuple[EventConsumer, _DeadLetters]:
    settings = SimpleNamespace(
        service_name="settlement", consumer_max_attempts=3, consumer_backoff_seconds=0.0
    )
    consumer = EventConsumer(
        "events",
        {CALLS.topic: None, SUBMITTED.topic: None},
        settings,
        sessions,
        None,
        SystemClock(),
    )

    async def handle_in(session, envelope: Envelope, topic: str) -> str:
        handle(envelope.payload["name"])
        return "processed"

    consumer._handle_in = handle_in
    letters = _DeadLetters()
    consumer._dead_letters = letters
    return consumer, letters


async def test_a_record_waiting_for_another_partition_gets_it_within_the_poll() -> None:
    """A submission is fetched before its call's published event, in the same poll: it
    fails once, the call goes in, and it succeeds on its second try, not dead-lettered."""
    known: set[str] = set()
    tried: list[str] = []

    def handle(name: str) -> None:
        tried.append(name)
        if name == "submitted" and "call" not in known:
            raise LookupError("call not known yet")
        known.add(name)

    consumer, letters = _consumer(handle)
    await consumer.process_poll(
        {SUBMITTED: [_record(SUBMITTED, "submitted", 0)], CALLS: [_record(CALLS, "call", 0)]}
    )
    assert tried == ["submitted", "call", "submitted"]
    assert known == {"call", "submitted"}
    assert letters.sent == []


async def test_a_record_that_keeps_failing_holds_back_only_its_partition() -> None:
    tried: list[str] = []

    def handle(name: str) -> None:
        tried.append(name)
        if name == "a1":
            raise ValueError("this one cannot be handled")

    consumer, letters = _consumer(handle)
    await consumer.process_poll(
        {
            SUBMITTED: [_record(SUBMITTED, f"a{n}", n) for n in range(3)],
            CALLS: [_record(CALLS, f"b{n}", n) for n in range(2)],
        }
    )
    assert tried == [
        *("a0", "a1"),  # together, up to the failure (rolled back)
        *("a0", "a1"),  # one by one: a0 takes effect, a1 fails its first try
        *("b0", "b1"),  # the other partition goes on meanwhile, together
        "a1",  # second try
        "a1",  # third and last: dead-lettered
        "a2",  # and its partition moves on
    ]
    assert len(letters.sent) == 1


async def test_a_consumer_does_not_dead_letter_a_message_while_the_database_is_down() -> None:
    """The consumer stops (its supervisor restarts it, the offset stays uncommitted): the
    message is delivered again when the database is back."""

    @asynccontextmanager
    async def sessions():
        raise ConnectionRefusedError(111, "Connect call failed")
        yield

    consumer, letters = _consumer(lambda name: None, sessions)
    with pytest.raises(ConnectionRefusedError):
        await consumer.process_poll({CALLS: [_record(CALLS, "call", 7)]})
    assert letters.sent == []


async def test_a_message_that_keeps_failing_is_still_dead_lettered() -> None:
    @asynccontextmanager
    async def sessions():
        raise ValueError("this message cannot be handled")
        yield

    consumer, letters = _consumer(lambda name: None, sessions)
    await consumer.process_poll({CALLS: [_record(CALLS, "call", 7)]})
    assert len(letters.sent) == 1
