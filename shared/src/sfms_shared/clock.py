"""Injected time. Every service asks a ``Clock``; tests stand it at any instant."""

from __future__ import annotations

import calendar
from datetime import UTC, date, datetime
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


class ShiftedClock:
    """Real time moved by a constant: reads ``instant`` at the real moment ``anchor``."""

    def __init__(self, instant: datetime, anchor: datetime) -> None:
        self._offset = instant - anchor

    def now(self) -> datetime:
        return datetime.now(UTC) + self._offset


def parse_clock_override(value: str | None) -> Clock:
    """The clock a process runs on (the ``clock_at`` setting).

    ``<ISO instant>`` stands still at that instant; ``<ISO instant>@<unix seconds>``
    runs from that instant as if it were read at that real moment, so every process
    of an embedded stack shares one shifted timeline (a walk-through on a deadline
    day, whatever today is). Unset: the system clock.
    """
    if not value:
        return SystemClock()
    instant_text, _, anchor_text = value.partition("@")
    instant = datetime.fromisoformat(instant_text)
    if not anchor_text:
        return FixedClock(instant)
    return ShiftedClock(instant, datetime.fromtimestamp(float(anchor_text), UTC))


def add_months(day: date, months: int) -> date:
    """Calendar months later, clamped to the month's end (2026-03-31 + 3 → 2026-06-30): how
    the announcements count "N개월 이내" and "N년 이내"."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
