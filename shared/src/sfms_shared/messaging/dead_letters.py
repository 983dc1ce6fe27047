"""List and replay dead letters: ``sfms-dead-letters list|replay``.

A dead letter keeps the original message, its topic and the reason it failed.
Replaying republishes the original message to its topic; consumers that had already
processed it skip it through their inbox, the one that failed processes it.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from dataclasses import dataclass
from typing import Any

from aiokafka import AIOKafkaConsumer, TopicPartition

from sfms_shared.messaging.kafka import new_producer
from sfms_shared.messaging.topics import SERVICES, dead_letter_topic


@dataclass(frozen=True)
class DeadLetter:
    body: dict[str, Any]
    key: bytes | None

    @property
    def id(self) -> str:
        return self.body["dead_letter_id"]


async def read_dead_letters(bootstrap: str, service: str) -> list[DeadLetter]:
    """Everything on the service's dead-letter topic, oldest first (no consumer group)."""
    topic = dead_letter_topic(service)
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False)
    await consumer.start()
    try:
        partitions = consumer.partitions_for_topic(topic) or set()
        if not partitions:
            await consumer.topics()
            partitions = consumer.partitions_for_topic(topic) or set()
        assignment = [TopicPartition(topic, p) for p in sorted(partitions)]
        if not assignment:
            return []
        consumer.assign(assignment)
        await consumer.seek_to_beginning(*assignment)
        ends = await consumer.end_offsets(assignment)
        letters: list[DeadLetter] = []
        while [tp for tp in assignment if await consumer.position(tp) < ends[tp]]:
            batches = await consumer.getmany(timeout_ms=500)
            for records in batches.values():
                letters.extend(DeadLetter(json.loads(r.value), r.key) for r in records)
        return sorted(letters, key=lambda letter: letter.body["failed_at"])
    finally:
        await consumer.stop()


async def replay(bootstrap: str, letter: DeadLetter) -> None:
    producer = new_producer(bootstrap, "sfms-dead-letter-replay", idempotence=False)
    await producer.start()
    try:
        await producer.send_and_wait(
            letter.body["topic"],
            letter.body["value"].encode(),
            key=letter.key,
            headers=[("sfms-replay-of", letter.id.encode())],
        )
    finally:
        await producer.stop()


async def _main(args: argparse.Namespace) -> int:
    letters = await read_dead_letters(args.bootstrap, args.service)
    if args.command == "list":
        for letter in letters:
            body = letter.body
            print(
                f"{body['dead_letter_id']}  {body['failed_at']}  {body['consumer']}  "
                f"{body['topic']}@{body['partition']}:{body['offset']}  "
                f"event={body['event_id']}  attempts={body['attempts']}  reason={body['reason']}"
            )
        print(f"{len(letters)} dead letter(s) for {args.service}")
        return 0
    chosen = [letter for letter in letters if args.all or letter.id in args.ids]
    missing = set(args.ids) - {letter.id for letter in chosen}
    if missing:
        print(f"unknown dead letter id(s): {', '.join(sorted(missing))}", file=sys.stderr)
        return 2
    for letter in chosen:
        await replay(args.bootstrap, letter)
        print(f"replayed {letter.id} to {letter.body['topic']}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="sfms-dead-letters", description=__doc__)
    parser.add_argument("--bootstrap", default="127.0.0.1:9092", help="Kafka bootstrap servers")
    sub = parser.add_subparsers(dest="command", required=True)
    listing = sub.add_parser("list", help="list a service's dead letters")
    listing.add_argument("service", choices=SERVICES)
    replaying = sub.add_parser("replay", help="republish dead letters to their original topic")
    replaying.add_argument("service", choices=SERVICES)
    replaying.add_argument("ids", nargs="*", help="dead letter ids (see list)")
    replaying.add_argument("--all", action="store_true", help="replay every dead letter")
    args = parser.parse_args(argv)
    if args.command == "replay" and not (args.ids or args.all):
        parser.error("replay needs dead letter ids or --all")
    return asyncio.run(_main(args))


if __name__ == "__main__":
    raise SystemExit(main())
