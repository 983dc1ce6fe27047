"""Input PostgreSQL cannot store: the NUL character, and integers beyond its column types.

PostgreSQL rejects ``\\x00`` in ``text`` and ``jsonb`` ("invalid byte sequence for encoding
UTF8: 0x00"), so a NUL that reaches a query or an insert fails the request with a 500.
``reject_nul_characters`` refuses it up front with a 422 naming the field: installed as an
app-wide dependency, it looks at the path parameters, the query and JSON bodies (form
uploads check their own fields with ``nul_character``).

An integer parameter compared with an ``integer`` or ``bigint`` column must stay within
``INT32_MAX`` or ``INT64_MAX`` (declare it with ``le=``), or asyncpg refuses to send it.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import Request

from sfms_shared.problems import Problem

NUL = "\x00"
INT32_MAX = 2**31 - 1
INT64_MAX = 2**63 - 1


def nul_character(field_name: str) -> Problem:
    return Problem.for_field(
        422,
        "nul-character",
        field_name,
        f"{field_name} contains a NUL character (U+0000), which text may not contain",
        f"{field_name}에 NUL 문자(U+0000)가 있습니다. 텍스트에는 쓸 수 없습니다",
    )


def nul_path(value: Any, path: tuple[str, ...] = ()) -> tuple[str, ...] | None:
    """Where in a decoded JSON value a NUL is (``("a", "0", "b")``), or None."""
    if isinstance(value, str):
        return path if NUL in value else None
    if isinstance(value, dict):
        for key, item in value.items():
            if NUL in key:
                return (*path, key.replace(NUL, ""))
            if (found := nul_path(item, (*path, key))) is not None:
                return found
    if isinstance(value, list):
        for index, item in enumerate(value):
            if (found := nul_path(item, (*path, str(index)))) is not None:
                return found
    return None


def _is_json(content_type: str) -> bool:
    media_type = content_type.split(";", 1)[0].strip().lower()
    return media_type == "application/json" or media_type.endswith("+json")


async def reject_nul_characters(request: Request) -> None:
    """FastAPI dependency: a 422 for a NUL in a path parameter, the query or a JSON body."""
    for name, value in request.path_params.items():
        if isinstance(value, str) and NUL in value:
            raise nul_character(name)
    for name, value in request.query_params.multi_items():
        if NUL in name or NUL in value:
            raise nul_character(name.replace(NUL, "") or "query")
    if not _is_json(request.headers.get("content-type", "")):
        return
    body = await request.body()
    if b"\\u0000" not in body:  # JSON spells a NUL only this way
        return
    try:
        found = nul_path(json.loads(body))
    except (ValueError, RecursionError):
        return  # not JSON, or nested too deep: the route's own parsing answers that
    if found is not None:
        raise nul_character(".".join(found) or "body")
