"""``Idempotency-Key`` for create endpoints: the same key gives the first answer again.

The key is claimed in its own short transaction before the work starts (the primary
key serialises concurrent claims), the answer is stored when the work succeeds, and
the claim is released when it fails, so nothing is created twice and a failed
request can be retried with the same key. A request that finds the key claimed but
unanswered waits for the answer.

Where the work is one transaction of the caller's (submitting an application), the
answer is stored in that very transaction instead (``remember_answer``), so even a
process killed between the commit and the reply leaves a key that answers the retry.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
from collections.abc import Awaitable, Callable
from typing import Annotated, Any

from fastapi import Header
from fastapi.encoders import jsonable_encoder
from sqlalchemy import Column, Integer, MetaData, String, Table, delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from sfms_shared.clock import Clock
from sfms_shared.db import JsonDocument, UtcDateTime
from sfms_shared.problems import Problem

IN_PROGRESS = 0
WAIT_SECONDS = 15.0

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
    create: Callable[[], Awaitable[tuple[int, Any]]],
) -> tuple[int, Any]:
    """Run ``create`` once per (scope, key); without a key, just run it."""
    if key is None:
        return await create()
    if not 1 <= len(key) <= 200:
        raise Problem.for_field(
            422,
            "invalid-idempotency-key",
            "Idempotency-Key",
            "Idempotency-Key must be 1 to 200 characters",
            "Idempotency-Key는 1~200자여야 합니다",
        )
    mark = fingerprint(payload)
    where = (table.c.scope == scope) & (table.c.key == key)
    try:
        async with sessions() as session, session.begin():
            await session.execute(
                table.insert().values(
                    scope=scope,
                    key=key,
                    fingerprint=mark,
                    status_code=IN_PROGRESS,
                    body={},
                    created_at=clock.now(),
                )
            )
    except IntegrityError:
        return await _stored_answer(sessions, table, where, mark)
    try:
        status_code, body = await create()
    except BaseException:
        async with sessions() as session, session.begin():
            await session.execute(delete(table).where(where))
        raise
    async with sessions() as session, session.begin():
        await session.execute(
            update(table).where(where).values(status_code=status_code, body=jsonable_encoder(body))
        )
    return status_code, body


async def _stored_answer(
    sessions: async_sessionmaker[AsyncSession], table: Table, where: Any, mark: str
) -> tuple[int, Any]:
    waited = 0.0
    while True:
        async with sessions() as session:
            row = (await session.execute(select(table).where(where))).first()
        if row is not None and row.fingerprint != mark:
            raise _reused()
        if row is not None and row.status_code != IN_PROGRESS:
            return row.status_code, row.body
        if row is None or waited >= WAIT_SECONDS:  # released after a failure, or still running
            problem = Problem.for_field(
                409,
                "request-in-progress",
                "Idempotency-Key",
                "A request with this Idempotency-Key is still being processed",
                "같은 Idempotency-Key의 요청을 처리 중입니다",
            )
            problem.headers["Retry-After"] = "1"
            raise problem
        await asyncio.sleep(0.05)
        waited += 0.05


async def answer_given(
    sessions: async_sessionmaker[AsyncSession], table: Table, scope: str, key: str, payload: Any
) -> tuple[int, Any] | None:
    """The answer stored for (scope, key) by ``remember_answer``, if any (422 if the key
    was used for a different request)."""
    async with sessions() as session:
        row = (
            await session.execute(
                select(table).where((table.c.scope == scope) & (table.c.key == key))
            )
        ).first()
    if row is None or row.status_code == IN_PROGRESS:
        return None
    if row.fingerprint != fingerprint(payload):
        raise _reused()
    return row.status_code, row.body


async def remember_answer(
    session: AsyncSession,
    table: Table,
    clock: Clock,
    scope: str,
    key: str,
    payload: Any,
    answer: tuple[int, Any],
) -> None:
    """Store the answer in the transaction that makes the effect: both commit or neither
    does, so a process killed at any moment leaves either the effect with its answer (a
    retry gets the answer) or nothing (a retry does the work). A concurrent request with
    the same key waits on the primary key and fails with ``IntegrityError``; its caller
    rolls back and reads the winner's answer with ``answer_given``."""
    status_code, body = answer
    await session.execute(
        table.insert().values(
            scope=scope,
            key=key,
            fingerprint=fingerprint(payload),
            status_code=status_code,
            body=jsonable_encoder(body),
            created_at=clock.now(),
        )
    )
