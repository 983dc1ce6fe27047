"""Settings, clocks, problems: the small parts every service relies on."""

from __future__ import annotations

import json
import logging
import time
from datetime import UTC, datetime

import pytest
from fastapi.exceptions import RequestValidationError

from sfms_shared.clock import KST, FixedClock, ShiftedClock, SystemClock, parse_clock_override
from sfms_shared.logging import JsonFormatter, correlation_id
from sfms_shared.problems import Problem, validation_problem
from sfms_shared.settings import ServiceSettings


def test_roles_and_faults_are_comma_separated(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("X_ROLES", "api, relay")
    monkeypatch.setenv("X_FAULTS", "relay.after-publish")

    class Settings(ServiceSettings):
        model_config = {"env_prefix": "X_"}
        service_name: str = "x"
        database_url: str = "sqlite+aiosqlite://"

    settings = Settings()
    assert settings.roles == {"api", "relay"}
    assert settings.faults == {"relay.after-publish"}


def test_clock_overrides() -> None:
    assert isinstance(parse_clock_override(None), SystemClock)
    fixed = parse_clock_override("2026-06-16T16:59:59.999+09:00")
    assert isinstance(fixed, FixedClock)
    assert fixed.now() == datetime(2026, 6, 16, 16, 59, 59, 999000, tzinfo=KST)
    anchor = time.time()
    shifted = parse_clock_override(f"2026-06-15T10:00:00+09:00@{anchor}")
    assert isinstance(shifted, ShiftedClock)
    elapsed = time.time() - anchor
    reading = shifted.now().astimezone(KST)
    assert datetime(2026, 6, 15, 10, 0, tzinfo=KST) <= reading
    assert (reading - datetime(2026, 6, 15, 10, 0, tzinfo=KST)).total_seconds() <= elapsed + 1


def test_a_fixed_clock_refuses_naive_instants() -> None:
    with pytest.raises(ValueError):
        FixedClock(datetime(2026, 1, 1))
    clock = FixedClock(datetime(2026, 1, 1, tzinfo=UTC))
    with pytest.raises(ValueError):
        clock.set(datetime(2026, 1, 2))


def test_problem_json_has_type_field_and_both_languages() -> None:
    body = Problem.for_field(
        409, "deadline-passed", "received_at", "The deadline was …", "마감이 지났습니다"
    ).as_json("/x")
    assert body["type"] == "urn:sfms:problem:deadline-passed"
    assert (body["status"], body["field"], body["instance"]) == (409, "received_at", "/x")
    assert body["title_ko"] == "마감이 지났습니다" and body["title"] == "The deadline was …"
    assert body["errors"] == [
        {
            "field": "received_at",
            "code": "deadline-passed",
            "message_en": "The deadline was …",
            "message_ko": "마감이 지났습니다",
        }
    ]


def test_validation_errors_name_the_field_in_both_languages() -> None:
    error = RequestValidationError(
        [{"loc": ("body", "applicant", "brn"), "type": "missing", "msg": "Field required"}]
    )
    problem = validation_problem(error)
    assert problem.field == "applicant.brn"
    assert problem.errors[0].ko == "필수 항목이 없습니다"
    assert problem.status == 422


def test_log_lines_are_json_with_the_correlation_id() -> None:
    token = correlation_id.set("c-123")
    try:
        record = logging.LogRecord("sfms.http", logging.INFO, __file__, 1, "request", None, None)
        record.route = "/v1/applications/{application_id}"
        line = json.loads(JsonFormatter("intake").format(record))
    finally:
        correlation_id.reset(token)
    assert line["correlation_id"] == "c-123"
    assert (line["service"], line["msg"], line["route"]) == (
        "intake",
        "request",
        "/v1/applications/{application_id}",
    )
