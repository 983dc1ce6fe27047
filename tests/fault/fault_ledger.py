"""After recovery: read the services' databases directly and count, per accepted
submission, what it became everywhere (see ``fault_run``)."""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

import asyncpg

from sfms_shared.embedded.stack import SERVICES

if TYPE_CHECKING:
    from fault_run import Observations, Outcome
    from fault_stack import PrivatePostgres


async def _rows(postgres: PrivatePostgres, database: str, sql: str) -> list[asyncpg.Record]:
    connection = await asyncpg.connect(postgres.dsn(database))
    try:
        return await connection.fetch(sql)
    finally:
        await connection.close()


def per_application(postgres: PrivatePostgres, database: str, sql: str) -> Counter:
    """Counts per application id from a query returning (application_id, n)."""
    rows = asyncio.run(_rows(postgres, database, sql))
    return Counter({str(row[0]): int(row[1]) for row in rows})


LEDGER_QUERIES: dict[str, tuple[str, str]] = {
    # name: (service, SQL giving application id and a count)
    "intake submissions": ("intake", "SELECT application_id, count(*) FROM submission GROUP BY 1"),
    "intake submitted events": (
        "intake",
        "SELECT key, count(*) FROM outbox WHERE topic = 'intake.application-submitted.v1' "
        "GROUP BY 1",
    ),
    "intake receipt notices": (
        "intake",
        "SELECT application_id, count(*) FROM notification WHERE kind = 'receipt' GROUP BY 1",
    ),
    "eligibility replicas": (
        "eligibility",
        "SELECT application_id, count(*) FROM received_application GROUP BY 1",
    ),
    "eligibility decisions": (
        "eligibility",
        "SELECT application_id, count(*) FROM decision GROUP BY 1",
    ),
    "eligibility reviewed events": (
        "eligibility",
        "SELECT key, count(*) FROM outbox WHERE topic = 'eligibility.application-reviewed.v1' "
        "GROUP BY 1",
    ),
    "scoring replicas": (
        "scoring",
        "SELECT application_id, count(*) FROM received_application GROUP BY 1",
    ),
    "scoring evaluations": (
        "scoring",
        "SELECT application_id, count(*) FROM evaluation WHERE stage = 'document-review' "
        "GROUP BY 1",
    ),
    "matching replicas": (
        "matching",
        "SELECT application_id, count(*) FROM received_application GROUP BY 1",
    ),
    "settlement replicas": (
        "settlement",
        "SELECT application_id, count(*) FROM received_application GROUP BY 1",
    ),
    "settlement budget reviews": (
        "settlement",
        "SELECT application_id, count(*) FROM budget_review GROUP BY 1",
    ),
}


def eligible(postgres: PrivatePostgres) -> set[str]:
    rows = asyncio.run(
        _rows(postgres, "eligibility", "SELECT application_id, verdict FROM decision")
    )
    return {str(row[0]) for row in rows if row[1] == "eligible"}


def backlog(postgres: PrivatePostgres) -> int:
    async def count() -> int:
        total = 0
        for name in SERVICES:
            rows = await _rows(
                postgres, name, "SELECT count(*) FROM outbox WHERE published_at IS NULL"
            )
            total += rows[0][0]
        return total

    return asyncio.run(count())


def tally(postgres: PrivatePostgres) -> dict[str, Counter]:
    return {name: per_application(postgres, *query) for name, query in LEDGER_QUERIES.items()}


def missing(counts: dict[str, Counter], accepted: set[str], eligible_ones: set[str]) -> list[str]:
    """Where an accepted application has not arrived (evaluations: eligible ones only)."""
    return [
        f"{name}: {a}"
        for name, count in counts.items()
        for a in sorted(eligible_ones if name == "scoring evaluations" else accepted)
        if count[a] == 0
    ]


def settle(postgres: PrivatePostgres, accepted: set[str], timeout: float) -> float:
    """Wait until every outbox is published, every accepted application has arrived
    everywhere and the counts have stopped moving for a few seconds; or until nothing has
    moved for a minute (what is missing then is lost), or ``timeout``."""
    started = time.monotonic()
    last: tuple | None = None
    stable_since = time.monotonic()
    while time.monotonic() - started < timeout:
        try:
            counts = tally(postgres)
            left = backlog(postgres)
            absent = missing(counts, accepted, eligible(postgres) & accepted)
        except (OSError, asyncpg.PostgresError):
            time.sleep(1)
            continue
        snapshot = (left, len(absent), *(sum(c.values()) for c in counts.values()))
        if snapshot != last:
            last, stable_since = snapshot, time.monotonic()
        quiet = time.monotonic() - stable_since
        if (left == 0 and not absent and quiet >= 3) or quiet >= 60:
            break
        time.sleep(1)
    return time.monotonic() - started


@dataclass
class Ledger:
    rows: dict[str, int]
    details: dict[str, list[str]]

    @property
    def clean(self) -> bool:
        return all(
            self.rows[name] == 0
            for name in (
                "duplicates",
                "lost",
                "traces of rejected submits",
                "500 answers",
                "500 during outage",
                "unanswered submits",
                "answers not as expected",
            )
        )

    def table(self) -> str:
        width = max(len(name) for name in self.rows)
        lines = ["", "FAULT LEDGER", "-" * (width + 10)]
        lines += [f"{name:<{width}}  {value:>7}" for name, value in self.rows.items()]
        lines.append("-" * (width + 10))
        for name, items in self.details.items():
            if items:
                lines.append(f"{name}: {len(items)}, e.g. {items[:5]}")
        return "\n".join(lines)


def build_ledger(postgres: PrivatePostgres, outcomes: list[Outcome], seen: Observations) -> Ledger:
    accepted = {o.application_id for o in outcomes if o.status and 200 <= o.status < 300}
    rejected = {o.application_id for o in outcomes if o.status and not 200 <= o.status < 300}
    counts = tally(postgres)
    statuses = dict(
        (str(row[0]), row[1])
        for row in asyncio.run(_rows(postgres, "intake", "SELECT id, status FROM application"))
    )
    eligible_ones = eligible(postgres) & accepted
    duplicates = [
        f"{name}: {a} x{n}" for name, count in counts.items() for a, n in count.items() if n > 1
    ]
    lost = missing(counts, accepted, eligible_ones)
    traces = [
        a for a in rejected if counts["intake submissions"][a] or statuses.get(a) == "submitted"
    ]
    unexpected = [
        f"{o.application_id} expected {'refusal' if o.reject else 'receipt'}, got {o.status}"
        for o in outcomes
        if o.status and (200 <= o.status < 300) == o.reject
    ]
    receipts = Counter(
        o.body.get("receipt_number") for o in outcomes if o.application_id in accepted and o.body
    )
    duplicates += [f"receipt {r} x{n}" for r, n in receipts.items() if n > 1]
    outage_500 = seen.outage_probes.get(500, 0)
    rows = {
        "submissions": len(outcomes),
        "accepted (2xx)": len(accepted),
        "rejected (non-2xx)": len(rejected),
        "unanswered submits": sum(1 for o in outcomes if o.status is None),
        "answers not as expected": len(unexpected),
        "submitted in intake": sum(1 for a in accepted if counts["intake submissions"][a] == 1),
        "decided (requirement review)": sum(
            1 for a in accepted if counts["eligibility decisions"][a] == 1
        ),
        "eligible": len(eligible_ones),
        "evaluated (scoring)": sum(1 for a in eligible_ones if counts["scoring evaluations"][a]),
        "budget reviewed (settlement)": sum(
            1 for a in accepted if counts["settlement budget reviews"][a]
        ),
        "duplicates": len(duplicates),
        "lost": len({place.rsplit(": ", 1)[1] for place in lost}),
        "traces of rejected submits": len(traces),
        "submit attempts (with retries)": sum(o.attempts for o in outcomes),
        "500 answers": len(seen.server_errors),
        "outage probes answered 503": seen.outage_probes.get(503, 0),
        "500 during outage": outage_500,
    }
    return Ledger(
        rows,
        {
            "duplicates": duplicates,
            "lost": lost,
            "traces": traces,
            "unexpected": unexpected,
            "500 answers": seen.server_errors,
        },
    )
