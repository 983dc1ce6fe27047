"""Nothing lost, nothing twice: intake killed between commit and publication, and a relay
killed between publication and marking, each recover to exactly one effect downstream."""

from __future__ import annotations

import asyncio
import random
import re
import time

import httpx
import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from journey import new_applicant, prepare_application, wait_until_received
from sqlalchemy import text

from sfms_shared.db import create_engine
from sfms_shared.messaging.topics import INTAKE_APPLICATION_SUBMITTED_V1

pytestmark = pytest.mark.e2e

ELIGIBILITY_CONSUMER = "eligibility.intake-events"


async def _messages_for(bootstrap: str, key: str) -> list[bytes]:
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False)
    await consumer.start()
    try:
        partitions = [
            TopicPartition(INTAKE_APPLICATION_SUBMITTED_V1, p)
            for p in sorted(
                consumer.partitions_for_topic(INTAKE_APPLICATION_SUBMITTED_V1)
                or await _partitions(consumer)
            )
        ]
        consumer.assign(partitions)
        await consumer.seek_to_beginning(*partitions)
        ends = await consumer.end_offsets(partitions)
        found = []
        while [tp for tp in partitions if await consumer.position(tp) < ends[tp]]:
            for records in (await consumer.getmany(timeout_ms=500)).values():
                found += [r.value for r in records if r.key == key.encode()]
        return found
    finally:
        await consumer.stop()


async def _partitions(consumer: AIOKafkaConsumer) -> set[int]:
    await consumer.topics()
    return consumer.partitions_for_topic(INTAKE_APPLICATION_SUBMITTED_V1) or set()


def messages_for(stack, application_id: str) -> list[bytes]:
    return asyncio.run(_messages_for(stack.broker.bootstrap, application_id))


def eligibility_effects(stack, application_id: str) -> tuple[int, int]:
    """(inbox rows for the application's events, received_application rows for it)."""

    async def query() -> tuple[int, int]:
        engine = create_engine(stack.database_urls["eligibility"])
        try:
            async with engine.connect() as connection:
                received = await connection.scalar(
                    text("SELECT count(*) FROM received_application WHERE application_id = :id"),
                    {"id": application_id},
                )
                event_id = await connection.scalar(
                    text("SELECT event_id FROM received_application WHERE application_id = :id"),
                    {"id": application_id},
                )
                inbox = (
                    await connection.scalar(
                        text("SELECT count(*) FROM inbox WHERE consumer = :c AND event_id = :e"),
                        {"c": ELIGIBILITY_CONSUMER, "e": event_id},
                    )
                    if event_id
                    else 0
                )
                return inbox, received
        finally:
            await engine.dispose()

    return asyncio.run(query())


def duplicates_seen(stack) -> float:
    metrics = httpx.get(stack.processes["eligibility"].url + "/metrics", timeout=10).text
    topic = re.escape(INTAKE_APPLICATION_SUBMITTED_V1)
    pattern = (
        rf'sfms_events_consumed_total\{{consumer="{ELIGIBILITY_CONSUMER}",outcome="duplicate",'
        rf'service="eligibility",topic="{topic}"\}} ([0-9.]+)'
    )
    match = re.search(pattern, metrics)
    return float(match.group(1)) if match else 0.0


def wait_for(predicate, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "condition not reached in time"
        time.sleep(0.25)


def test_intake_killed_after_commit_before_publication(stack) -> None:
    api, brn = new_applicant(stack.gateway_url, random.Random(7))
    stack.restart("intake", ROLES="api")  # the relay is not running: the event waits in the outbox
    application_id = prepare_application(api, brn)
    receipt = api.post(f"/applications/{application_id}/submit")
    assert receipt.status_code == 200, receipt.text

    stack.processes["intake"].kill()
    assert messages_for(stack, application_id) == []
    stack.restart("intake")  # all roles: the relay finds the committed event and publishes it

    received = wait_until_received(api, application_id)
    assert received["receipt_number"] == receipt.json()["receipt_number"]
    assert len(messages_for(stack, application_id)) == 1
    assert eligibility_effects(stack, application_id) == (1, 1)

    # Redelivery: the same message on the topic again has no second effect.
    before = duplicates_seen(stack)
    message = messages_for(stack, application_id)[0]

    async def republish() -> None:
        producer = AIOKafkaProducer(bootstrap_servers=stack.broker.bootstrap)
        await producer.start()
        await producer.send_and_wait(
            INTAKE_APPLICATION_SUBMITTED_V1, message, key=application_id.encode()
        )
        await producer.stop()

    asyncio.run(republish())
    wait_for(lambda: duplicates_seen(stack) >= before + 1)
    assert eligibility_effects(stack, application_id) == (1, 1)


def test_relay_killed_after_publication_before_marking(stack) -> None:
    """The relay dies after the broker acknowledged the event: it is published again after the
    restart, and eligibility's inbox absorbs the duplicate."""
    api, brn = new_applicant(stack.gateway_url, random.Random(8))
    stack.restart("intake", ROLES="api")
    application_id = prepare_application(api, brn)
    assert api.post(f"/applications/{application_id}/submit").status_code == 200
    before = duplicates_seen(stack)

    intake = stack.processes["intake"]
    intake.stop()
    intake.env = stack.service_env("intake", FAULTS="relay.after-publish")
    intake.start()
    intake.process.wait(timeout=60)  # the fault point kills it with SIGKILL
    assert intake.process.returncode == -9
    assert len(messages_for(stack, application_id)) == 1

    stack.restart("intake")
    wait_until_received(api, application_id)
    wait_for(lambda: len(messages_for(stack, application_id)) == 2)
    wait_for(lambda: duplicates_seen(stack) >= before + 1)
    assert eligibility_effects(stack, application_id) == (1, 1)
