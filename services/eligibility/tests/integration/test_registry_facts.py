"""``facts_for`` on real PostgreSQL: what the registries said about organisations as known
at an instant (DOMAIN.md §4: eligibility judged as of the deadline), in one query for any
number of organisations."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

import pytest
from sqlalchemy import event

from eligibility.domain.facts import Evidence, OrganisationFacts
from eligibility.registries.records import INPUTS
from eligibility.registries.store import append, facts_for
from sfms_shared.clock import KST
from sfms_shared.contracts.brn import check_digit
from sfms_shared.testing.identity import OPERATOR_ALL

if TYPE_CHECKING:
    from conftest import Registries

pytestmark = pytest.mark.integration

A, B, C = "1234567891", "2148600016", "2208162517"
T1 = datetime(2026, 6, 1, 9, 0, tzinfo=KST)
T2 = datetime(2026, 6, 10, 9, 0, tzinfo=KST)
T3 = datetime(2026, 6, 20, 9, 0, tzinfo=KST)


def sanction(key: str, brn: str, **fields: object):  # noqa: ANN201
    base = {"source": "kpic", "program": "뿌리기업 지원", "starts_on": "2026-01-01"}
    return INPUTS["sanctions"](record_key=key, brn=brn, **base | fields)


async def write(registries: Registries, at: datetime, registry: str, *records: object) -> None:
    async with registries.sessions() as session, session.begin():
        await append(session, registry, list(records), OPERATOR_ALL, at, "test")


async def known(registries: Registries, brns: list[str], at: datetime | None = None):  # noqa: ANN201
    async with registries.sessions() as session:
        return await facts_for(session, brns, at)


async def test_the_facts_as_known_at_an_instant(registries: Registries) -> None:
    await write(registries, T1, "sanctions", sanction("S-1", A), sanction("S-2", B))
    closure = INPUTS["closures"](
        record_key="C-1", brn=A, status="closed", effective_on="2026-06-05"
    )
    await write(registries, T2, "closures", closure)
    await write(registries, T2, "sanctions", sanction("S-1", A, ends_on="2026-03-31"))
    await write(registries, T3, "sanctions", sanction("S-2", B, withdrawn=True))

    before = await known(registries, [A, B], T1 - timedelta(microseconds=1))
    at_t1 = await known(registries, [A, B], T1)
    between = await known(registries, [A, B], T2 - timedelta(seconds=1))
    now = await known(registries, [A, B, C])

    assert before == {A: OrganisationFacts(brn=A), B: OrganisationFacts(brn=B)}
    assert [s.ends_on for s in at_t1[A].sanctions] == [None]
    assert between == at_t1
    (current,) = now[A].sanctions
    assert current.evidence == Evidence(registry="sanctions", record_key="S-1", version=2)
    assert current.ends_on.isoformat() == "2026-03-31" and current.source == "kpic"
    assert [s.status for s in now[A].statuses] == ["closed"]
    assert now[B] == OrganisationFacts(brn=B)  # withdrawn at T3
    assert [s.evidence.record_key for s in (await known(registries, [B], T2))[B].sanctions] == [
        "S-2"
    ]
    assert now[C] == OrganisationFacts(brn=C) and list(now) == [A, B, C]


async def test_a_record_moved_to_another_brn_leaves_the_first(registries: Registries) -> None:
    await write(registries, T1, "sanctions", sanction("S-1", A))
    await write(registries, T2, "sanctions", sanction("S-1", B))
    then, now = await known(registries, [A, B], T1), await known(registries, [A, B])
    assert (len(then[A].sanctions), len(then[B].sanctions)) == (1, 0)
    assert (len(now[A].sanctions), len(now[B].sanctions)) == (0, 1)


async def test_one_query_for_many_organisations(registries: Registries) -> None:
    brns = [f"{n}{check_digit(str(n))}" for n in range(123_000_000, 123_000_300)]
    await write(registries, T1, "sanctions", *(sanction(f"S-{b}", b) for b in brns))
    engine = registries.sessions.kw["bind"].sync_engine
    statements: list[str] = []

    def count(*args: object) -> None:
        statements.append(str(args[2]))

    event.listen(engine, "before_cursor_execute", count)
    try:
        facts = await known(registries, brns)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert len(statements) == 1
    assert all(len(facts[b].sanctions) == 1 for b in brns)
