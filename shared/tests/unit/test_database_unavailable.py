"""A database that is away (down, restarting) is the platform's failure, not the request's
or the message's: the API answers 503 with Retry-After, a consumer leaves the message for
later instead of dead-lettering it (test_consumer_poll.py). Found by the fault suite
(tests/fault)."""

from __future__ import annotations

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError

from sfms_shared.db import database_unavailable
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
