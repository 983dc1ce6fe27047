"""Keyset pagination: every list endpoint answers ``{items, next_cursor}``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from pydantic import BaseModel

from sfms_shared.problems import Problem


class Page(BaseModel):
    items: list[dict[str, Any]]
    next_cursor: str | None


def page_of(items: list[dict[str, Any]], limit: int, key: Callable[[dict[str, Any]], str]) -> Page:
    """A full page may have a successor; a short one is the last."""
    return Page(items=items, next_cursor=key(items[-1]) if len(items) == limit else None)


def uuid_cursor(cursor: str | None) -> UUID | None:
    if cursor is None:
        return None
    try:
        return UUID(cursor)
    except ValueError as exc:
        raise Problem.for_field(
            422,
            "invalid-cursor",
            "cursor",
            "The cursor is not one this API gave",
            "cursor 값이 올바르지 않습니다",
        ) from exc
