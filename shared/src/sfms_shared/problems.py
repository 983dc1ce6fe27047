"""RFC 9457 problem details with a stable ``type``, the field at fault, Korean and English text.

A handler raises ``Problem``; the exception handlers installed by ``install_problem_handlers``
turn it (and request-validation errors) into ``application/problem+json``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from dataclasses import field as _default
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as SQLAlchemyTimeoutError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import JSONResponse

from sfms_shared.db import database_unavailable

PROBLEM_JSON = "application/problem+json"
TYPE_BASE = "urn:sfms:problem:"


@dataclass(frozen=True)
class FieldError:
    field: str
    code: str
    en: str
    ko: str

    def as_json(self) -> dict[str, str]:
        return {
            "field": self.field,
            "code": self.code,
            "message_en": self.en,
            "message_ko": self.ko,
        }


@dataclass
class Problem(Exception):
    """A client-facing failure. ``slug`` is the stable part of ``type``."""

    status: int
    slug: str
    title_en: str
    title_ko: str
    detail_en: str = ""
    detail_ko: str = ""
    field: str | None = None
    errors: list[FieldError] = _default(default_factory=list)
    extra: dict[str, Any] = _default(default_factory=dict)
    headers: dict[str, str] = _default(default_factory=dict)

    @classmethod
    def for_field(
        cls, status: int, slug: str, field_name: str, en: str, ko: str, **extra: Any
    ) -> Problem:
        return cls(
            status=status,
            slug=slug,
            title_en=en,
            title_ko=ko,
            detail_en=en,
            detail_ko=ko,
            field=field_name,
            errors=[FieldError(field_name, slug, en, ko)],
            extra=extra,
        )

    def as_json(self, instance: str | None = None) -> dict[str, Any]:
        body: dict[str, Any] = {
            "type": TYPE_BASE + self.slug,
            "title": self.title_en,
            "status": self.status,
            "detail": self.detail_en or self.title_en,
            "title_ko": self.title_ko,
            "detail_ko": self.detail_ko or self.title_ko,
        }
        if self.field:
            body["field"] = self.field
        if self.errors:
            body["errors"] = [e.as_json() for e in self.errors]
        if instance:
            body["instance"] = instance
        body.update(self.extra)
        return body


def problem_response(problem: Problem, instance: str | None = None) -> JSONResponse:
    return JSONResponse(
        problem.as_json(instance),
        status_code=problem.status,
        media_type=PROBLEM_JSON,
        headers=problem.headers or None,
    )


_VALIDATION_KO = {
    "missing": "필수 항목이 없습니다",
    "string_too_short": "값이 너무 짧습니다",
    "string_too_long": "값이 너무 깁니다",
    "string_pattern_mismatch": "형식이 올바르지 않습니다",
    "int_parsing": "정수여야 합니다",
    "date_from_datetime_parsing": "날짜 형식(YYYY-MM-DD)이어야 합니다",
    "date_parsing": "날짜 형식(YYYY-MM-DD)이어야 합니다",
    "enum": "허용된 값이 아닙니다",
    "literal_error": "허용된 값이 아닙니다",
    "greater_than_equal": "값이 너무 작습니다",
    "less_than_equal": "값이 너무 큽니다",
    "extra_forbidden": "허용되지 않는 항목입니다",
    "json_invalid": "JSON 형식이 올바르지 않습니다",
    "uuid_parsing": "UUID 형식이어야 합니다",
}


def _field_path(loc: tuple[Any, ...]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header")]
    return ".".join(parts) or str(loc[0] if loc else "body")


def validation_problem(exc: RequestValidationError) -> Problem:
    return invalid_fields(exc.errors())


def invalid_fields(raw_errors: Sequence[Mapping[str, Any]]) -> Problem:
    """A 422 from pydantic's error list (request bodies, or a merge-patched document)."""
    errors = [
        FieldError(
            field=_field_path(tuple(err.get("loc", ()))),
            code=err.get("type", "invalid"),
            en=err.get("msg", "Invalid value"),
            ko=_VALIDATION_KO.get(err.get("type", ""), "값이 올바르지 않습니다"),
        )
        for err in raw_errors
    ]
    first = errors[0] if errors else None
    return Problem(
        status=422,
        slug="validation-failed",
        title_en="The request is not valid",
        title_ko="요청 내용이 올바르지 않습니다",
        detail_en=f"{first.field}: {first.en}" if first else "",
        detail_ko=f"{first.field}: {first.ko}" if first else "",
        field=first.field if first else None,
        errors=errors,
    )


def install_problem_handlers(app: FastAPI) -> None:
    @app.exception_handler(Problem)
    async def _problem(request: Request, exc: Problem) -> JSONResponse:
        return problem_response(exc, request.url.path)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        return problem_response(validation_problem(exc), request.url.path)

    async def _database_away(request: Request, exc: Exception) -> JSONResponse:
        if not database_unavailable(exc):
            raise exc
        problem = Problem(
            status=503,
            slug="database-unavailable",
            title_en="The service cannot reach its database; try again shortly",
            title_ko="서비스가 데이터베이스에 연결할 수 없습니다. 잠시 후 다시 시도하세요",
        )
        problem.headers["Retry-After"] = "2"
        return problem_response(problem, request.url.path)

    # A database that is down or restarting is a 503 with Retry-After, never a 500.
    for error in (ConnectionError, TimeoutError, DBAPIError, SQLAlchemyTimeoutError):
        app.add_exception_handler(error, _database_away)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        problem = Problem(
            status=exc.status_code,
            slug={404: "not-found", 405: "method-not-allowed"}.get(exc.status_code, "http-error"),
            title_en=str(exc.detail),
            title_ko={404: "찾을 수 없습니다", 405: "허용되지 않는 메서드입니다"}.get(
                exc.status_code, "요청을 처리할 수 없습니다"
            ),
        )
        return problem_response(problem, request.url.path)


def not_found(what_en: str, what_ko: str, field_name: str) -> Problem:
    return Problem.for_field(
        404, "not-found", field_name, f"{what_en} not found", f"{what_ko}을(를) 찾을 수 없습니다"
    )
