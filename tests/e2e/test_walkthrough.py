"""README command 1 as a newcomer runs it: ``bash scripts/up.sh`` starts the embedded
platform (SQLite, Tansu) and walks the 001 call from planner recruitment to settlement.
The story is the seed's, so its figures are checked exactly: every received application
reviewed, 1.5 × 15 shortlisted, 15 selected with the rest as alternates, planner payments
and settlement fees by the call's tables, one notice per trigger (the walk-through stops
with an error when a figure the platform gives disagrees with the call's rules)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from sfms_shared.embedded.broker import free_port

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]


def test_command_one_walks_the_001_call_end_to_end(tmp_path: Path) -> None:
    env = os.environ | {
        "SFMS_HOME": str(tmp_path / "embedded"),
        "SFMS_PORT": str(free_port()),
        "SFMS_BROKER_PORT": str(free_port()),
        "SFMS_EXIT_AFTER_WALKTHROUGH": "1",
    }
    run = subprocess.run(
        ["bash", "scripts/up.sh"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        stdin=subprocess.DEVNULL,
    )
    printed = run.stdout
    assert run.returncode == 0, printed[-3000:] + run.stderr[-3000:]
    for stage in range(1, 10):
        assert f"━━ {stage}/9" in printed
    for figure in (
        "received 54 = reviewed 54: eligible 48, ineligible 6",
        "incomplete (3): 422 urn:sfms:problem:document-missing",
        "after 17:00:00 KST: 3 refused, urn:sfms:problem:deadline-passed",
        "received 16:59:50",
        "shortlisted 23 (1.5 × 15 = 22.5 → 23)",
        "outcomes: alternate 7, checks-failed 1, selected 15",
        "agreements signed: 15",
        "business plans: 23 × 10,000,000 = 230,000,000 KRW; agreements: 15 × 10,000,000 = 150,000,000 KRW",
        "payable to planners: 380,000,000 KRW",
        "recovered (환수)",
    ):
        assert figure in printed, figure
    # Each project's fee is checked against the call's table by the walk-through itself;
    # the seed's fifteen projects fall in the two upper bands (001 §6 정산 수수료).
    assert "400,000,000원 이하  910,000 KRW" in printed
    assert "400,000,000원 초과  1,182,000 KRW" in printed
    assert "참여제한" in printed and "체납" in printed and "I56" in printed
