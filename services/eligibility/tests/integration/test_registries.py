"""The partner registries on real PostgreSQL: versions, "what did we know then", idempotent
re-uploads, withdrawal, who may write and read, and the audit trail."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import datetime, timedelta

import httpx
import pytest
from asgi_lifespan import LifespanManager

from eligibility.config import Settings
from eligibility.main import create_app
from sfms_shared import migrations
from sfms_shared.clock import KST, FixedClock
from sfms_shared.identity import Identity
from sfms_shared.testing.identity import OPERATOR_ALL, ActingAs, applicant

pytestmark = pytest.mark.integration

BRN = "1234567891"
CLOSURES_KEY = Identity(
    subject="key:closures",
    kind="api-key",
    roles=frozenset({"partner"}),
    scopes=frozenset({"registries:closures:write", "registries:closures:read"}),
)


@pytest.fixture
async def service(postgres_url: str) -> AsyncIterator[tuple[object, FixedClock]]:
    await asyncio.to_thread(migrations.upgrade, "eligibility", postgres_url)
    clock = FixedClock(datetime(2026, 6, 1, 9, 0, tzinfo=KST))
    app = create_app(Settings(database_url=postgres_url, roles={"api"}), clock)
    async with LifespanManager(app):
        yield app, clock


def client(app: object, who: Identity) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://e", auth=ActingAs(who)
    )


async def test_what_was_known_at_an_instant_and_every_version(service) -> None:
    app, clock = service
    record = {"record_key": "NTS-1", "brn": BRN, "status": "active", "effective_on": "2020-01-01"}
    async with client(app, CLOSURES_KEY) as partner:
        assert (
            await partner.post("/v1/registries/closures/records", json=record)
        ).status_code == 201
        first_known = clock.now()
        clock.set(clock.now() + timedelta(days=10))
        closed = {**record, "status": "closed", "effective_on": "2026-06-05"}
        assert (
            await partner.post("/v1/registries/closures/records", json=closed)
        ).status_code == 201
        clock.set(clock.now() + timedelta(days=1))
        then = await partner.get(
            "/v1/registries/closures/records",
            params={"brn": BRN, "known_at": first_known.isoformat()},
        )
        now = await partner.get("/v1/registries/closures/records", params={"brn": BRN})
        before_any = await partner.get(
            "/v1/registries/closures/records",
            params={"known_at": (first_known - timedelta(seconds=1)).isoformat()},
        )
        history = await partner.get("/v1/registries/closures/records/NTS-1/versions")
    assert [(r["status"], r["version"]) for r in then.json()["items"]] == [("active", 1)]
    assert [(r["status"], r["version"]) for r in now.json()["items"]] == [("closed", 2)]
    assert before_any.json()["items"] == []
    assert [v["status"] for v in history.json()] == ["active", "closed"]
    assert history.json()[1]["recorded_by"] == "key:closures"


async def test_a_re_upload_is_idempotent_and_a_withdrawal_is_a_version(service) -> None:
    app, _ = service
    csv = (
        "record_key,brn,status,effective_on\n"
        f"A,{BRN},suspended,2026-02-01\n"
        "B,2148600016,active,2019-01-01\n"
    ).encode()
    async with client(app, OPERATOR_ALL) as staff:
        headers = {"content-type": "text/csv"}
        first = await staff.post("/v1/registries/closures/uploads", content=csv, headers=headers)
        again = await staff.post("/v1/registries/closures/uploads", content=csv, headers=headers)
        gone = await staff.post(
            "/v1/registries/closures/records",
            json={
                "record_key": "A",
                "brn": BRN,
                "status": "suspended",
                "effective_on": "2026-02-01",
                "withdrawn": True,
            },
        )
        current = await staff.get("/v1/registries/closures/records")
    assert first.json()["created"] == 2 and first.json()["changed_brns"] == [
        "1234567891",
        "2148600016",
    ]
    assert again.json() == {"created": 0, "unchanged": 2, "withdrawn": 0, "changed_brns": []}
    assert gone.status_code == 201
    assert [r["record_key"] for r in current.json()["items"]] == ["B"]


async def test_a_bad_row_stores_nothing(service) -> None:
    app, _ = service
    rows = [
        {"record_key": "ok", "brn": BRN, "status": "active", "effective_on": "2020-01-01"},
        {"record_key": "bad", "brn": BRN, "status": "dormant", "effective_on": "2020-01-01"},
    ]
    async with client(app, OPERATOR_ALL) as staff:
        refused = await staff.post("/v1/registries/closures/uploads", json=rows)
        listed = await staff.get("/v1/registries/closures/records")
    assert refused.status_code == 422
    body = refused.json()
    assert body["errors"][0]["field"] == "rows[1].status"
    assert body["title_ko"] and body["title"]
    assert listed.json()["items"] == []


@pytest.mark.parametrize(
    ("who", "status"),
    [
        (applicant(BRN), 403),
        (
            Identity(
                subject="key:x",
                kind="api-key",
                roles=frozenset({"partner"}),
                scopes=frozenset({"registries:sanctions:write"}),
            ),
            403,
        ),  # another registry
        (
            Identity(
                subject="key:r",
                kind="api-key",
                roles=frozenset({"partner"}),
                scopes=frozenset({"registries:closures:read"}),
            ),
            403,
        ),  # read only
        (CLOSURES_KEY, 201),
    ],
)
async def test_who_may_write(service, who: Identity, status: int) -> None:
    app, _ = service
    record = {"record_key": "W", "brn": BRN, "status": "closed", "effective_on": "2026-01-01"}
    async with client(app, who) as caller:
        answer = await caller.post("/v1/registries/closures/records", json=record)
    assert answer.status_code == status, answer.text


async def test_every_change_is_audited(service) -> None:
    app, _ = service
    record = {"record_key": "AUD", "brn": BRN, "status": "closed", "effective_on": "2026-01-01"}
    async with client(app, CLOSURES_KEY) as partner:
        await partner.post("/v1/registries/closures/records", json=record)
    async with client(app, OPERATOR_ALL) as staff:
        entries = (await staff.get("/v1/audit-entries", params={"actor": "key:closures"})).json()
    (entry,) = entries["items"]
    assert entry["action"] == "registry-change" and entry["change"]["brns"] == [BRN]
