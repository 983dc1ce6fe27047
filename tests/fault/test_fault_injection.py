"""The fault suite at CI size: a burst of submissions while intake's API, intake's relay and
every consumer are SIGKILLed, the broker is paused and its connections dropped, and
PostgreSQL restarts. Nothing accepted is lost or done twice, nothing refused leaves a
trace, and the API answers 503 (never 500) while the database is down.

Full size: ``uv run --frozen python -m tests.fault.fault_run --submissions 5000 --kills 10
--pause 30`` (see ``fault_run.py``)."""

from __future__ import annotations

import os

import pytest
from fault_run import parse_args, report, run

pytestmark = pytest.mark.e2e

# Reduced size; SFMS_FAULT_SUBMISSIONS makes it bigger without editing the test.
CI_ARGS = [
    "--submissions", os.environ.get("SFMS_FAULT_SUBMISSIONS", "150"),
    "--kills", "2",
    "--pause", "5",
    "--pauses", "1",
    "--drops", "1",
    "--pg-restarts", "1",
    "--pg-down", "4",
    "--clients", "6",
    "--give-up", "180",
    "--settle", "180",
    "--seed", os.environ.get("SFMS_FAULT_SEED", "2026"),
]  # fmt: skip


def test_a_burst_under_faults_loses_nothing_and_does_nothing_twice() -> None:
    args = parse_args(CI_ARGS)
    result = run(args)
    print(report(result, args))
    rows = result.ledger.rows
    details = result.ledger.details

    assert sum(result.chaos.values()) == 7 * 2 + 3, result.chaos  # every fault happened
    assert rows["accepted (2xx)"] == args.submissions - args.rejects, details["unexpected"]
    assert rows["decided (requirement review)"] == rows["accepted (2xx)"]
    assert rows["duplicates"] == 0, details["duplicates"]
    assert rows["lost"] == 0, details["lost"]
    assert rows["traces of rejected submits"] == 0, details["traces"]
    assert rows["500 answers"] == 0, details["500 answers"]
    assert rows["outage probes answered 503"] > 0
    assert rows["500 during outage"] == 0
    assert result.ledger.clean
