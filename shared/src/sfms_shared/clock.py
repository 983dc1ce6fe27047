"""Injected time. Every service asks a ``Clock``; tests stand it at any instant."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Protocol
from zoneinfo import ZoneInfo

KST = ZoneInfo("Asia/Seoul")


class Clock(Protocol):
    def now(self) -> datetime:
        """The current instant, timezone-aware."""
        ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class FixedClock:
    """A clock that stands still until moved; for tests and replays."""

    def __init__(self, instant: datetime) -> None:
        if instant.tzinfo is None:
            raise ValueError("FixedClock needs an aware datetime")
        self._instant = instant

    def now(self) -> datetime:
        return self._instant

    def set(self, instant: datetime) -> None:
        if instant.tzinfo is None:
            raise ValueError("FixedClock needs an aware datetime")
        self._instant = instant


def parse_clock_override(value: str | None) -> Clock:
    """A fixed clock from an ISO 8601 instant (``SFMS_CLOCK_AT``), else the system clock.

    Used only in embedded mode and tests, so that a whole stack can stand on a
    deadline day.
    """
    if not value:
        return SystemClock()
    return FixedClock(datetime.fromisoformat(value))
