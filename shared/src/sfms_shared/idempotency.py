"""``Idempotency-Key`` for creates: the same key gives the first answer again.

The key is claimed, the work done and the answer stored in one transaction. A second
request with the key waits at the claim (the primary key) until the first transaction
ends: if it committed, the second reads its answer; if it failed, its claim went with it
and the second does the work. So whatever process dies when, a key is either answered
with its effect committed, or unclaimed with nothing done: nothing is created twice, and
no key is left claimed by a request that will never answer.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Awaitable, Callable
from typing import Annotated, Any

from fastapi import Header
from fastapi.encoders import jsonable_encoder
from sqlalchemy import Column, Integer, MetaData, String, Table, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from sfms_shared.clock import Clock
from sfms_shared.db import JsonDocument, UtcDateTime
from sfms_shared.messaging.tables import insert_if_absent
from sfms_shared.problems import Problem

# The status of a claim not yet answered: only ever seen inside its own transaction.
CLAIMED = 0

Create = Callable[[AsyncSession], Awaitable[tuple[int, Any]]]

IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        min_length=1,
        max_length=200,
        description="Makes a create safe to retry",
    ),
]


def idempotency_table(metadata: MetaData) -> Table:
    return Table(
        "idempotency_record",
        metadata,
        Column("scope", String(100), primary_key=True),
        Column("key", String(200), primary_key=True),
        Column("fingerprint", String(64), nullable=False),
        Column("status_code", Integer, nullable=False),
        Column("body", JsonDocument, nullable=False),
        Column("created_at", UtcDateTime, nullable=False),
    )


def fingerprint(payload: Any) -> str:
    return hashlib.sha256(
        json.dumps(jsonable_encoder(payload), sort_keys=True).encode()
    ).hexdigest()


def _reused() -> Problem:
    return Problem.for_field(
        422,
        "idempotency-key-reused",
        "Idempotency-Key",
        "This Idempotency-Key was used for a different request",
        "이 Idempotency-Key는 다른 요청에 이미 사용되었습니다",
    )


async def idempotent(
    sessions: async_sessionmaker[AsyncSession],
    table: Table,
    clock: Clock,
    scope: str,
    key: str | None,
    payload: Any,
    create: Create,
) -> tuple[int, Any]:
    """Run ``create`` in a transaction of its own, once per (scope, key); without a key,
    just run it. The answer is returned as JSON-ready data."""
    if key is not None and not 1 <= len(key) <= 200:
        raise Problem.for_field(
            422,
            "invalid-idempotency-key",
            "Idempotency-Key",
            "Idempotency-Key must be 1 to 200 characters",
            "Idempotency-Key는 1~200자여야 합니다",
        )
    async with sessions() as session, session.begin():
        if key is not None:
            mark = fingerprint(payload)
            claim = {"scope": scope, "key": key, "fingerprint": mark, "status_code": CLAIMED}
            if not await insert_if_absent(
                session, table, claim | {"body": {}, "created_at": clock.now()}
            ):
                return await _answer_given(session, table, scope, key, mark)
        status_code, body = await create(session)
        body = jsonable_encoder(body)
        if key is not None:
            await session.execute(
                update(table)
                .where((table.c.scope == scope) & (table.c.key == key))
                .values(status_code=status_code, body=body)
            )
    return status_code, body


async def _answer_given(
    session: AsyncSession, table: Table, scope: str, key: str, mark: str
) -> tuple[int, Any]:
    """The answer of the committed request that claimed the key (the claim waited for it)."""
    row = (
        await session.execute(select(table).where((table.c.scope == scope) & (table.c.key == key)))
    ).one()
    if row.fingerprint != mark:
        raise _reused()
    return row.status_code, row.body
