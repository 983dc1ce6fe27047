"""aiokafka wrappers: producers with the delivery settings the outbox needs, topic setup."""

from __future__ import annotations

import asyncio
import contextlib

from aiokafka import AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.client import AIOKafkaClient
from aiokafka.errors import TopicAlreadyExistsError

DEFAULT_PARTITIONS = 3


def new_producer(bootstrap: str, client_id: str, idempotence: bool) -> AIOKafkaProducer:
    """acks=all always; idempotence where the broker supports it (Apache Kafka, not Tansu)."""
    return AIOKafkaProducer(
        bootstrap_servers=bootstrap,
        client_id=client_id,
        acks="all",
        enable_idempotence=idempotence,
        linger_ms=2,
        request_timeout_ms=15000,
    )


async def ensure_topics(
    bootstrap: str, topics: tuple[str, ...], partitions: int = DEFAULT_PARTITIONS
) -> None:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, client_id="sfms-topic-setup")
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        missing = [NewTopic(t, partitions, 1) for t in topics if t not in existing]
        if missing:
            with contextlib.suppress(TopicAlreadyExistsError):  # another process was quicker
                await admin.create_topics(missing)
    finally:
        await admin.close()


class BrokerProbe:
    """Answers "is the broker reachable" for /readyz with one long-lived metadata client."""

    def __init__(self, bootstrap: str) -> None:
        self._bootstrap = bootstrap
        self._client: AIOKafkaClient | None = None
        self._lock = asyncio.Lock()

    async def check(self, timeout: float = 2.0) -> None:
        async with self._lock:
            if self._client is None:
                client = AIOKafkaClient(
                    bootstrap_servers=self._bootstrap, client_id="sfms-ready-probe"
                )
                try:
                    await asyncio.wait_for(client.bootstrap(), timeout)
                except BaseException:
                    await client.close()
                    raise
                self._client = client
            await asyncio.wait_for(self._client.fetch_all_metadata(), timeout)

    async def close(self) -> None:
        if self._client is not None:
            await self._client.close()
