"""Reading and writing the registries.

``facts_for`` answers "what did the registries say about these organisations, as known at
this instant": for every record the latest version recorded by then, withdrawn ones left
out. It is one query for any number of organisations, as it runs on every review.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from eligibility.domain.facts import OrganisationFacts, RegistryName
from eligibility.models import registry_records as table
from eligibility.registries.records import FACT_FIELD, RecordIn, fact_of
from sfms_shared.identity import Identity


def _current(known_at: datetime | None, brns: Iterable[str] | None = None) -> Any:
    """The latest version of each record recorded at or before ``known_at``."""
    later = table.alias("later")
    newer = select(later.c.id).where(
        later.c.registry == table.c.registry,
        later.c.record_key == table.c.record_key,
        later.c.version > table.c.version,
    )
    if known_at is not None:
        newer = newer.where(later.c.recorded_at <= known_at)
    query = select(table).where(~newer.exists())
    if known_at is not None:
        query = query.where(table.c.recorded_at <= known_at)
    if brns is not None:
        query = query.where(table.c.brn.in_(sorted(set(brns))))
    return query


async def facts_for(
    session: AsyncSession, brns: Iterable[str], known_at: datetime | None = None
) -> dict[str, OrganisationFacts]:
    wanted = list(dict.fromkeys(brns))
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
    query = _current(known_at, [brn] if brn else None).where(
        table.c.registry == registry, ~table.c.withdrawn
    )
    if after is not None:
        query = query.where(table.c.id > after)
    return (await session.execute(query.order_by(table.c.id).limit(limit))).all()


async def versions(session: AsyncSession, registry: RegistryName, record_key: str) -> Sequence[Any]:
    query = (
        select(table)
        .where(table.c.registry == registry, table.c.record_key == record_key)
        .order_by(table.c.version)
    )
    return (await session.execute(query)).all()


@dataclass(frozen=True)
class Appended:
    created: int
    unchanged: int
    withdrawn: int
    changed_brns: frozenset[str]


async def append(
    session: AsyncSession,
    registry: RegistryName,
    records: Sequence[RecordIn],
    who: Identity,
    at: datetime,
    correlation: str,
) -> Appended:
    """Store each record as a new version unless it repeats the current one (a re-sent
    bulk file changes nothing). A record that moves to another BRN changes both."""
    keys = [r.record_key for r in records]
    latest = await _latest(session, registry, keys)
    created = unchanged = withdrawn = 0
    changed: set[str] = set()
    for record in records:
        previous = latest.get(record.record_key)
        data = record.data()
        if previous is not None and (
            previous.brn,
            previous.data,
            previous.withdrawn,
        ) == (record.brn, data, record.withdrawn):
            unchanged += 1
            continue
        if previous is None and record.withdrawn:
            unchanged += 1  # withdrawing what was never recorded changes nothing
            continue
        version = previous.version + 1 if previous else 1
        values = {
            "registry": registry,
            "record_key": record.record_key,
            "version": version,
            "brn": record.brn,
            "data": data,
            "withdrawn": record.withdrawn,
            "recorded_at": at,
            "recorded_by": who.subject,
            "recorded_by_organisation": who.organisation,
            "correlation_id": correlation,
        }
        await session.execute(table.insert().values(**values))
        latest[record.record_key] = _Row(record.brn, data, record.withdrawn, version)
        withdrawn += record.withdrawn
        created += not record.withdrawn
        changed.add(record.brn)
        if previous is not None:
            changed.add(previous.brn)
    return Appended(created, unchanged, withdrawn, frozenset(changed))


@dataclass(frozen=True)
class _Row:
    brn: str
    data: dict[str, Any]
    withdrawn: bool
    version: int


async def _latest(session: AsyncSession, registry: str, keys: list[str]) -> dict[str, _Row]:
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
    rows = (await session.execute(query)).all()
    return {r.record_key: _Row(r.brn, r.data, r.withdrawn, r.version) for r in rows}
