"""A database that is away (down, restarting) is the platform's failure, not the request's
or the message's: the API answers 503 with Retry-After, a consumer leaves the message for
later instead of dead-lettering it. Found by the fault suite (tests/fault)."""

from __future__ import annotations

from contextlib import asynccontextmanager
from types import SimpleNamespace
from uuid import uuid4

import httpx
import pytest
from aiokafka import TopicPartition
from fastapi import FastAPI
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError

from sfms_shared.clock import SystemClock
from sfms_shared.db import database_unavailable
from sfms_shared.messaging.consumer import EventConsumer
from sfms_shared.messaging.envelope import Envelope
from sfms_shared.problems import install_problem_handlers


class CannotConnectNow(Exception):
    """Stands in for asyncpg's error while the server starts up or shuts down."""

    sqlstate = "57P03"


def _wrapped(error: Exception) -> DBAPIError:
    return DBAPIError("SELECT 1", {}, error)


@pytest.mark.parametrize(
    "error",
    [
        ConnectionRefusedError(111, "Connect call failed"),
        TimeoutError(),
        OperationalError("SELECT 1", {}, Exception("server closed the connection")),
        _wrapped(CannotConnectNow("the database system is starting up")),
        DBAPIError("SELECT 1", {}, Exception("gone"), connection_invalidated=True),
    ],
    ids=["refused", "timeout", "operational", "starting-up", "invalidated"],
)
def test_a_database_out_of_reach_is_recognised(error: Exception) -> None:
    assert database_unavailable(error)
    try:
        raise RuntimeError("while handling") from error
    except RuntimeError as chained:
        assert database_unavailable(chained)


def test_a_request_the_database_refuses_is_not_an_outage() -> None:
    assert not database_unavailable(IntegrityError("INSERT", {}, Exception("duplicate key")))
    assert not database_unavailable(ValueError("bad"))
    assert not database_unavailable(FileNotFoundError("no such document"))


def _app(error: Exception) -> FastAPI:
    app = FastAPI()
    install_problem_handlers(app)

    @app.get("/thing")
    async def thing() -> None:
        raise error

    return app


async def _get(app: FastAPI) -> httpx.Response:
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        return await client.get("/thing")


async def test_the_api_answers_503_while_the_database_is_down() -> None:
    response = await _get(_app(ConnectionRefusedError(111, "Connect call failed")))
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "2"
    assert response.json()["type"] == "urn:sfms:problem:database-unavailable"
    assert "title_ko" in response.json()


async def test_other_database_errors_stay_server_errors() -> None:
    response = await _get(_app(IntegrityError("INSERT", {}, Exception("duplicate key"))))
    assert response.status_code == 500


class _DeadLetters:
    def __init__(self) -> None:
        self.sent: list[bytes] = []

    async def send_and_wait(self, topic: str, value: bytes, key: bytes | None = None) -> None:
        self.sent.append(value)


def _consumer(sessions) -> tuple[EventConsumer, _DeadLetters]:
    settings = SimpleNamespace(
        service_name="eligibility", consumer_max_attempts=3, consumer_backoff_seconds=0.0
    )
    tables = SimpleNamespace(inbox=None)

    async def handler(session, envelope) -> None:
        return None

    consumer = EventConsumer("events", {"t.v1": handler}, settings, sessions, tables, SystemClock())
    letters = _DeadLetters()
    consumer._dead_letters = letters
    return consumer, letters


def _poll(record: SimpleNamespace) -> dict[TopicPartition, list]:
    return {TopicPartition(record.topic, record.partition): [record]}


def _record() -> SimpleNamespace:
    envelope = Envelope(
        event_id=uuid4(),
        event_type="t",
        schema_version=1,
        occurred_at="2026-06-10T01:00:00Z",
        producer="intake",
        key="k",
        correlation_id="c",
        causation_id=None,
        payload={},
    )
    return SimpleNamespace(
        topic="t.v1", partition=0, offset=7, key=b"k", value=envelope.model_dump_json().encode()
    )


async def test_a_consumer_does_not_dead_letter_a_message_while_the_database_is_down() -> None:
    """The consumer stops (its supervisor restarts it, the offset stays uncommitted): the
    message is delivered again when the database is back."""

    @asynccontextmanager
    async def sessions():
        raise ConnectionRefusedError(111, "Connect call failed")
        yield

    consumer, letters = _consumer(sessions)
    with pytest.raises(ConnectionRefusedError):
        await consumer.process_poll(_poll(_record()))
    assert letters.sent == []


async def test_a_message_that_keeps_failing_is_still_dead_lettered() -> None:
    @asynccontextmanager
    async def sessions():
        raise ValueError("this message cannot be handled")
        yield

    consumer, letters = _consumer(sessions)
    await consumer.process_poll(_poll(_record()))
    assert len(letters.sent) == 1
