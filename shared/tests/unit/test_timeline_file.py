"""One timeline for every process of an embedded stack, moved through a file."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from sfms_shared.clock import KST, SystemClock, TimelineFile, parse_clock_override

DEADLINE = datetime(2026, 6, 16, 17, 0, tzinfo=KST)


def test_a_moved_timeline_is_seen_by_every_reader(tmp_path: Path) -> None:
    path = tmp_path / "timeline"
    writer = TimelineFile(path)
    reader = parse_clock_override(f"file:{path}")
    assert isinstance(reader, TimelineFile)
    before = SystemClock().now()
    assert reader.now() >= before  # no file yet: the system clock

    writer.move_to(DEADLINE - timedelta(seconds=1))
    first = reader.now()
    assert DEADLINE - timedelta(seconds=1) <= first < DEADLINE  # 16:59:59 and running
    writer.move_to(DEADLINE + timedelta(days=30))
    assert reader.now() >= DEADLINE + timedelta(days=30)
    assert not path.with_suffix(".tmp").exists()
