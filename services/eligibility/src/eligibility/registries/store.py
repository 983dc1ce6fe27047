"""Reading and writing the registries.

``facts_for`` answers "what did the registries say about these organisations, as known at
this instant": for every record the latest version recorded by then, withdrawn ones left
out. It is one query for any number of organisations, as it runs on every review.
``append`` writes new versions only for what changed, so a partner may send its whole
registry again every night.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Select, and_, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from eligibility.domain.facts import OrganisationFacts, RegistryName
from eligibility.models import registry_records as table
from eligibility.registries.records import FACT_FIELD, RecordIn, fact_of
from sfms_shared.identity import Identity


@dataclass(frozen=True)
class Version:
    """One stored version of a registry record."""

    record_key: str
    version: int
    brn: str
    data: dict[str, Any]
    withdrawn: bool
    recorded_at: datetime
    recorded_by: str

    @classmethod
    def of(cls, row: Any) -> Version:
        return cls(
            row.record_key,
            row.version,
            row.brn,
            row.data,
            row.withdrawn,
            row.recorded_at,
            row.recorded_by,
        )

    def repeats(self, record: RecordIn) -> bool:
        """``record`` says nothing this version does not already say."""
        return (self.brn, self.data, self.withdrawn) == (
            record.brn,
            record.data(),
            record.withdrawn,
        )


def _current(known_at: datetime | None, brns: Iterable[str] | None = None) -> Select[Any]:
    """The latest version of each record recorded at or before ``known_at`` (None: now)."""
    later = table.alias("later")
    newer = select(later.c.id).where(
        later.c.registry == table.c.registry,
        later.c.record_key == table.c.record_key,
        later.c.version > table.c.version,
    )
    query = select(table)
    if known_at is not None:
        newer = newer.where(later.c.recorded_at <= known_at)
        query = query.where(table.c.recorded_at <= known_at)
    if brns is not None:
        query = query.where(table.c.brn.in_(sorted(set(brns))))
    return query.where(~newer.exists())


async def facts_for(
    session: AsyncSession, brns: Iterable[str], known_at: datetime | None = None
) -> dict[str, OrganisationFacts]:
    """Every requested BRN's facts as known at ``known_at``; empty facts when none."""
    wanted = list(dict.fromkeys(brns))
    if not wanted:
        return {}
    rows = (await session.execute(_current(known_at, wanted).where(~table.c.withdrawn))).all()
    found: dict[str, dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))
    for row in rows:
        fact = fact_of(row.registry, row.record_key, row.version, row.data)
        found[row.brn][FACT_FIELD[row.registry]].append(fact)
    return {
        brn: OrganisationFacts(brn=brn, **{k: tuple(v) for k, v in found[brn].items()})
        for brn in wanted
    }


async def current_records(
    session: AsyncSession,
    registry: RegistryName,
    known_at: datetime | None,
    brn: str | None,
    after: int | None,
    limit: int,
) -> Sequence[Any]:
    """One page of a registry's current records (rows, by id), withdrawn ones left out."""
    query = _current(known_at, [brn] if brn else None).where(
        table.c.registry == registry, ~table.c.withdrawn
    )
    if after is not None:
        query = query.where(table.c.id > after)
    return (await session.execute(query.order_by(table.c.id).limit(limit))).all()


async def versions(session: AsyncSession, registry: RegistryName, record_key: str) -> list[Version]:
    query = (
        select(table)
        .where(table.c.registry == registry, table.c.record_key == record_key)
        .order_by(table.c.version)
    )
    return [Version.of(row) for row in (await session.execute(query)).all()]


@dataclass(frozen=True)
class Appended:
    """What one write did."""

    current: dict[str, Version]  # the version each record now stands at, by record_key
    written: tuple[Version, ...]
    unchanged: int
    changed_brns: frozenset[str]  # a record moved to another BRN changes both

    @property
    def created(self) -> int:
        return sum(not v.withdrawn for v in self.written)

    @property
    def withdrawn(self) -> int:
        return sum(v.withdrawn for v in self.written)


async def append(
    session: AsyncSession,
    registry: RegistryName,
    records: Sequence[RecordIn],
    who: Identity,
    at: datetime,
    correlation: str,
) -> Appended:
    """Store each record as a new version unless it repeats the current one (a re-sent
    bulk file changes nothing); withdrawing a record never stored changes nothing either.
    The records have distinct keys (``uploads.validate_rows``)."""
    current = await _latest(session, registry, [r.record_key for r in records])
    written: list[Version] = []
    changed: set[str] = set()
    for record in records:
        previous = current.get(record.record_key)
        if (previous is None and record.withdrawn) or (previous and previous.repeats(record)):
            continue
        new = Version(
            record.record_key,
            previous.version + 1 if previous else 1,
            record.brn,
            record.data(),
            record.withdrawn,
            at.astimezone(UTC),  # as stored, and as read back
            who.subject,
        )
        current[record.record_key] = new
        written.append(new)
        changed |= {new.brn, previous.brn} if previous else {new.brn}
    if written:
        await session.execute(
            table.insert(), [_row(registry, v, who, correlation) for v in written]
        )
    return Appended(current, tuple(written), len(records) - len(written), frozenset(changed))


def _row(registry: RegistryName, v: Version, who: Identity, correlation: str) -> dict[str, Any]:
    return {
        "registry": registry,
        "record_key": v.record_key,
        "version": v.version,
        "brn": v.brn,
        "data": v.data,
        "withdrawn": v.withdrawn,
        "recorded_at": v.recorded_at,
        "recorded_by": v.recorded_by,
        "recorded_by_organisation": who.organisation,
        "correlation_id": correlation,
    }


async def _latest(session: AsyncSession, registry: str, keys: list[str]) -> dict[str, Version]:
    """The latest version of each of ``keys`` (all of time: a write always follows it)."""
    top = (
        select(table.c.record_key, func.max(table.c.version).label("version"))
        .where(table.c.registry == registry, table.c.record_key.in_(sorted(set(keys))))
        .group_by(table.c.record_key)
        .subquery()
    )
    query = (
        select(table)
        .join(top, and_(table.c.record_key == top.c.record_key, table.c.version == top.c.version))
        .where(table.c.registry == registry)
    )
    return {row.record_key: Version.of(row) for row in (await session.execute(query)).all()}
