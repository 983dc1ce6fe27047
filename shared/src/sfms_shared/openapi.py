"""The error answers every service gives, declared in its OpenAPI document.

FastAPI documents a 422 ``HTTPValidationError`` as ``application/json``; every error here is
an RFC 9457 ``application/problem+json`` document (``problems.py``). ``document_problems``
rewrites a generated document so it says what the service really answers: the ``Problem``
schema and, for each operation, the statuses it can give, inferred from its shape:

- 422 for every operation that takes parameters or a body (FastAPI's own declaration,
  replaced), and for every operation under the signed-in prefix;
- 400 for operations with a body (one that cannot be parsed);
- 401 and 403 under the signed-in prefix (no verified identity; a role that may not);
- 404 when the path names an object, and for writes under the signed-in prefix (an object
  the body refers to);
- 409 for writes under the signed-in prefix (the object's state forbids the change);
- 412 and 428 when the operation takes ``If-Match`` (stale or missing ETag);
- 413 and 415 for ``multipart/form-data`` uploads (too large, not an accepted type).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from fastapi import FastAPI

from sfms_shared.problems import PROBLEM_JSON, TYPE_BASE

PROBLEM_REF = "#/components/schemas/Problem"
WRITES = {"post", "put", "patch", "delete"}
METHODS = {"get", "head", "options", *WRITES}

FIELD_ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "title": "FieldError",
    "required": ["field", "code", "message_en", "message_ko"],
    "properties": {
        "field": {"type": "string"},
        "code": {"type": "string"},
        "message_en": {"type": "string"},
        "message_ko": {"type": "string"},
    },
}
PROBLEM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "title": "Problem",
    "description": (
        "RFC 9457 problem details: a stable `type`, the field at fault, and the message in "
        "English (`title`, `detail`) and Korean (`title_ko`, `detail_ko`). Some problems add "
        "members of their own (for example `retry_after_seconds`)."
    ),
    "required": ["type", "title", "status", "detail", "title_ko", "detail_ko"],
    "properties": {
        "type": {"type": "string", "pattern": f"^{TYPE_BASE}"},
        "title": {"type": "string"},
        "status": {"type": "integer", "minimum": 400, "maximum": 599},
        "detail": {"type": "string"},
        "title_ko": {"type": "string"},
        "detail_ko": {"type": "string"},
        "field": {"type": "string"},
        "errors": {"type": "array", "items": {"$ref": "#/components/schemas/FieldError"}},
        "instance": {"type": "string"},
    },
}
RETRY_AFTER = {
    "Retry-After": {
        "description": "Seconds to wait before trying again",
        "schema": {"type": "integer", "minimum": 0},
    }
}
DESCRIPTIONS = {
    400: "Malformed request",
    401: "Not signed in, or the credentials are not valid",
    403: "The caller's role or key scope may not do this",
    404: "Not found, or not visible to the caller",
    409: "Conflicts with the current state",
    412: "The If-Match ETag is not the current one",
    413: "The request body is too large",
    415: "Unsupported media type",
    422: "The request is not valid (the field at fault is named)",
    428: "If-Match is required",
    429: "Too many requests; wait for Retry-After seconds",
    502: "The connection to an upstream service failed before it answered",
    503: "Unavailable or overloaded; retry after Retry-After seconds",
    504: "An upstream service did not answer in time",
}


READINESS_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["ready", "checks"],
    "properties": {
        "ready": {"type": "boolean"},
        "checks": {"type": "object", "additionalProperties": {"type": "string"}},
    },
}
# ``responses=`` of a /readyz route: 200 when every check is "ok", else 503 naming the failure.
READINESS: dict[int | str, dict[str, Any]] = {
    200: {"description": "Ready", "content": {"application/json": {"schema": READINESS_SCHEMA}}},
    503: {
        "description": "Not ready; the failing checks are named",
        "content": {"application/json": {"schema": READINESS_SCHEMA}},
    },
}


def problem_response(status: int) -> dict[str, Any]:
    response: dict[str, Any] = {
        "description": DESCRIPTIONS.get(status, "Problem"),
        "content": {PROBLEM_JSON: {"schema": {"$ref": PROBLEM_REF}}},
    }
    if status in (429, 502, 503):
        response["headers"] = RETRY_AFTER
    return response


def each_operation(document: dict[str, Any]) -> Iterable[tuple[str, str, dict[str, Any]]]:
    for path, item in document.get("paths", {}).items():
        for method, operation in item.items():
            if method in METHODS and isinstance(operation, dict):
                yield path, method, operation


def declare(operation: dict[str, Any], statuses: Iterable[int]) -> None:
    """Declare ``statuses`` as problem answers (replacing FastAPI's 422)."""
    responses = operation.setdefault("responses", {})
    for status in statuses:
        current = responses.get(str(status), {}).get("content", {})
        if PROBLEM_JSON not in current:
            responses[str(status)] = problem_response(status)
    operation["responses"] = dict(sorted(responses.items()))


def inferred_statuses(
    path: str, method: str, operation: dict[str, Any], signed_in: str
) -> set[int]:
    parameters = operation.get("parameters", [])
    body = operation.get("requestBody", {}).get("content", {})
    statuses = {422} if parameters or body or "422" in operation.get("responses", {}) else set()
    if body:
        statuses.add(400)
    if path.startswith(signed_in):
        statuses |= {401, 403, 422}
        if method in WRITES:
            statuses |= {404, 409}
    if "{" in path:
        statuses.add(404)
    if any(p.get("in") == "header" and p.get("name", "").lower() == "if-match" for p in parameters):
        statuses |= {412, 428}
    if "multipart/form-data" in body:
        statuses |= {413, 415}
    return statuses


def document_problems(document: dict[str, Any], signed_in: str = "/v1/") -> dict[str, Any]:
    """Declare the problem answers of every operation in ``document`` (changed in place)."""
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    schemas["Problem"] = PROBLEM_SCHEMA
    schemas["FieldError"] = FIELD_ERROR_SCHEMA
    for path, method, operation in each_operation(document):
        declare(operation, inferred_statuses(path, method, operation, signed_in))
    for unused in ("HTTPValidationError", "ValidationError"):
        if unused in schemas and f"#/components/schemas/{unused}" not in repr(document):
            del schemas[unused]
    return document


def install_problem_openapi(app: FastAPI, signed_in: str = "/v1/") -> None:
    """Serve ``app``'s generated document with its problem answers declared."""
    generate: Callable[[], dict[str, Any]] = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = document_problems(generate(), signed_in)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
