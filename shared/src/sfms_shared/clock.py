"""Injected time. Every service asks a ``Clock``; tests stand it at any instant."""

from __future__ import annotations

import calendar
import os
import time
from datetime import UTC, date, datetime
from pathlib import Path
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


class TimelineFile:
    """A timeline one process can move for every process of an embedded stack: the file
    holds ``<ISO instant>@<unix seconds>`` (as ``clock_at`` does) and is read again when it
    changes, so a walk-through can jump from the planners' recruitment to the deadline and
    past it. Without the file: the system clock."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._stamp: int | None = None
        self._clock: Clock = SystemClock()

    def now(self) -> datetime:
        try:
            stamp = self.path.stat().st_mtime_ns
        except FileNotFoundError:
            return self._clock.now()
        if stamp != self._stamp:
            self._stamp = stamp
            self._clock = parse_clock_override(self.path.read_text(encoding="utf-8").strip())
        return self._clock.now()

    def move_to(self, instant: datetime) -> None:
        """From now on the timeline reads ``instant`` (and runs on from there)."""
        if instant.tzinfo is None:
            raise ValueError("a timeline instant must be timezone-aware")
        temporary = self.path.with_suffix(".tmp")
        temporary.write_text(f"{instant.isoformat()}@{time.time()}", encoding="utf-8")
        os.replace(temporary, self.path)


def parse_clock_override(value: str | None) -> Clock:
    """The clock a process runs on (the ``clock_at`` setting).

    ``<ISO instant>`` stands still at that instant; ``<ISO instant>@<unix seconds>``
    runs from that instant as if it were read at that real moment, so every process
    of an embedded stack shares one shifted timeline (a walk-through on a deadline
    day, whatever today is); ``file:<path>`` follows a ``TimelineFile``. Unset: the
    system clock.
    """
    if not value:
        return SystemClock()
    if value.startswith("file:"):
        return TimelineFile(Path(value.removeprefix("file:")))
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
