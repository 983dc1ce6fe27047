"""What the walk-through prints: a heading per stage, progress while it works, figures and
short tables after."""

from __future__ import annotations

import sys
import time
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from typing import TypeVar

T = TypeVar("T")
_started = time.monotonic()


def stage(number: int, total: int, title: str, when: str) -> None:
    elapsed = time.monotonic() - _started
    print(f"\n━━ {number}/{total}  {title}  ·  {when}  ·  +{elapsed:.0f}s", flush=True)


def line(text: str = "") -> None:
    print(f"  {text}", flush=True)


def progress(items: Sequence[T], label: str) -> Iterator[T]:
    """Yield ``items`` while a one-line bar shows how far along the work is."""
    total = len(items)
    interactive = sys.stdout.isatty()
    began = time.monotonic()
    for done, item in enumerate(items, 1):
        yield item
        _bar(interactive, label, done, total)
    _done(interactive, label, total, began)


def in_parallel(
    items: Sequence[T], label: str, work: Callable[[T], object], workers: int = 4
) -> None:
    """``work`` on every item, a few at once (each talks to the platform and waits), with
    the same bar; the first failure stops the rest."""
    interactive = sys.stdout.isatty()
    began = time.monotonic()
    with ThreadPoolExecutor(workers) as pool:
        futures = [pool.submit(work, item) for item in items]
        try:
            for done, future in enumerate(as_completed(futures), 1):
                future.result()
                _bar(interactive, label, done, len(items))
        except BaseException:
            for future in futures:
                future.cancel()
            raise
    _done(interactive, label, len(items), began)


def _bar(interactive: bool, label: str, done: int, total: int) -> None:
    if interactive:
        filled = done * 24 // max(total, 1)
        print(f"\r  {label} [{'█' * filled}{'·' * (24 - filled)}] {done}/{total}", end="")
        sys.stdout.flush()


def _done(interactive: bool, label: str, total: int, began: float) -> None:
    if interactive:
        print("\r" + " " * (width(label) + 40) + "\r", end="")
    line(f"{label}: {total} in {time.monotonic() - began:.1f} s")


def width(text: str) -> int:
    """Columns a string takes in a terminal (Hangul is two wide)."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def pad(text: str, columns: int) -> str:
    return text + " " * max(columns - width(text), 0)


def table(header: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
    cells = [[str(c) for c in header], *([str(c) for c in row] for row in rows)]
    widths = [max(width(row[i]) for row in cells) for i in range(len(header))]
    for n, row in enumerate(cells):
        line("  ".join(pad(c, w) for c, w in zip(row, widths, strict=True)).rstrip())
        if n == 0:
            line("  ".join("─" * w for w in widths))


def krw(amount: int) -> str:
    return f"{amount:,} KRW"
