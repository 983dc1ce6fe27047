"""The partner registries' API on real PostgreSQL: versions and "what did we know then",
idempotent re-uploads, all-or-nothing uploads, withdrawal, who may write and read, the
audit trail and the change hook."""

from __future__ import annotations

import time
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

import pytest

from sfms_shared.identity import Identity
from sfms_shared.testing.identity import ADMIN, OPERATOR_ALL, applicant

if TYPE_CHECKING:
    from conftest import Registries

pytestmark = pytest.mark.integration

BRN = "1234567891"
OTHER_BRN = "2148600016"
CLOSURES = "/v1/registries/closures"


def partner(*scopes: str) -> Identity:
    return Identity(
        subject="key:closures",
        kind="api-key",
        roles=frozenset({"partner"}),
        organisation="1358200013",
        scopes=frozenset(scopes),
    )


CLOSURES_KEY = partner("registries:closures:write", "registries:closures:read")


def closure(key: str = "NTS-1", **fields: object) -> dict[str, object]:
    return {
        "record_key": key,
        "brn": BRN,
        "status": "active",
        "effective_on": "2020-01-01",
        **fields,
    }


async def test_what_was_known_at_an_instant_and_every_version(registries: Registries) -> None:
    clock = registries.clock
    async with registries.client(CLOSURES_KEY) as key:
        first = await key.post(f"{CLOSURES}/records", json=closure())
        first_known = clock.now()
        clock.set(clock.now() + timedelta(days=10))
        second = await key.post(
            f"{CLOSURES}/records", json=closure(status="closed", effective_on="2026-06-05")
        )
        clock.set(clock.now() + timedelta(days=1))

        async def known_at(instant: object = None) -> list[tuple[str, int]]:
            params = {"brn": BRN} | ({"known_at": instant.isoformat()} if instant else {})
            page = (await key.get(f"{CLOSURES}/records", params=params)).json()
            return [(r["status"], r["version"]) for r in page["items"]]

        assert await known_at(first_known - timedelta(seconds=1)) == []
        assert await known_at(first_known) == [("active", 1)]
        assert await known_at(first_known + timedelta(days=5)) == [("active", 1)]
        assert await known_at() == [("closed", 2)]
        history = (await key.get(f"{CLOSURES}/records/NTS-1/versions")).json()
    assert (first.status_code, first.json()["version"]) == (201, 1)
    assert first.json()["recorded_at"] == history[0]["recorded_at"]
    assert (second.status_code, second.json()["version"], second.json()["changed"]) == (
        201,
        2,
        True,
    )
    assert [(v["version"], v["status"]) for v in history] == [(1, "active"), (2, "closed")]
    assert history[1]["recorded_by"] == "key:closures"
    recorded_at = datetime.fromisoformat(history[1]["recorded_at"])
    assert recorded_at == first_known + timedelta(days=10)


async def test_one_record_sent_again_answers_its_current_version(registries: Registries) -> None:
    async with registries.client(CLOSURES_KEY) as key:
        await key.post(f"{CLOSURES}/records", json=closure())
        again = await key.post(f"{CLOSURES}/records", json=closure())
        unknown = await key.post(f"{CLOSURES}/records", json=closure("NTS-9", withdrawn=True))
        missing = await key.get(f"{CLOSURES}/records/NTS-9/versions")
        bad_instant = await key.get(f"{CLOSURES}/records", params={"known_at": "2026-06-01T09:00"})
    assert again.status_code == 200
    assert (again.json()["version"], again.json()["changed"]) == (1, False)
    assert unknown.status_code == 404 and unknown.json()["field"] == "record_key"
    assert missing.status_code == 404
    assert bad_instant.status_code == 422 and bad_instant.json()["field"] == "known_at"
    assert len(registries.changes) == 1


async def test_a_re_upload_is_idempotent_and_a_withdrawal_is_a_version(
    registries: Registries,
) -> None:
    csv = (
        "record_key,brn,status,effective_on\n"
        f"A,{BRN},suspended,2026-02-01\n"
        f"B,{OTHER_BRN},active,2019-01-01\n"
    ).encode()
    headers = {"content-type": "text/csv"}
    async with registries.client(OPERATOR_ALL) as staff:
        first = await staff.post(f"{CLOSURES}/uploads", content=csv, headers=headers)
        again = await staff.post(f"{CLOSURES}/uploads", content=csv, headers=headers)
        gone = await staff.post(
            f"{CLOSURES}/records",
            json=closure("A", status="suspended", effective_on="2026-02-01", withdrawn=True),
        )
        current = await staff.get(f"{CLOSURES}/records")
        history = await staff.get(f"{CLOSURES}/records/A/versions")
    assert first.json() == {
        "created": 2,
        "unchanged": 0,
        "withdrawn": 0,
        "changed_brns": [BRN, OTHER_BRN],
    }
    assert again.json() == {"created": 0, "unchanged": 2, "withdrawn": 0, "changed_brns": []}
    assert (gone.status_code, gone.json()["version"], gone.json()["withdrawn"]) == (201, 2, True)
    assert [r["record_key"] for r in current.json()["items"]] == ["B"]
    assert [v["withdrawn"] for v in history.json()] == [False, True]
    assert [brns for brns, _ in registries.changes] == [{BRN, OTHER_BRN}, {BRN}]


async def test_a_bad_row_stores_nothing(registries: Registries) -> None:
    rows = [closure("ok"), closure("bad", status="dormant"), closure("worse", brn="1234567890")]
    async with registries.client(OPERATOR_ALL) as staff:
        refused = await staff.post(f"{CLOSURES}/uploads", json=rows)
        listed = await staff.get(f"{CLOSURES}/records")
        audited = await staff.get("/v1/audit-entries")
    assert refused.status_code == 422
    assert refused.headers["content-type"] == "application/problem+json"
    body = refused.json()
    assert [e["field"] for e in body["errors"]] == ["rows[1].status", "rows[2].brn"]
    assert body["title_ko"] and body["title"] and body["errors"][1]["message_ko"]
    assert listed.json()["items"] == [] and audited.json()["items"] == []
    assert registries.changes == []


async def test_a_failed_change_hook_stores_nothing(registries: Registries) -> None:
    registries.failing_hook = True
    async with registries.client(OPERATOR_ALL) as staff:
        with pytest.raises(RuntimeError, match="re-review"):
            await staff.post(f"{CLOSURES}/records", json=closure())
        registries.failing_hook = False
        listed = await staff.get(f"{CLOSURES}/records")
        audited = await staff.get("/v1/audit-entries")
    assert listed.json()["items"] == [] and audited.json()["items"] == []


async def test_the_change_hook_hears_every_brn_a_change_touches(registries: Registries) -> None:
    """A record moved to another BRN changes what is known about both organisations."""
    async with registries.client(CLOSURES_KEY) as key:
        await key.post(f"{CLOSURES}/records", json=closure())
        registries.clock.set(registries.clock.now() + timedelta(hours=1))
        await key.post(f"{CLOSURES}/records", json=closure(brn=OTHER_BRN))
    assert registries.changes == [
        ({BRN}, registries.clock.now() - timedelta(hours=1)),
        ({BRN, OTHER_BRN}, registries.clock.now()),
    ]


WRITE_ONLY_SANCTIONS = partner("registries:sanctions:write")
READ_ONLY = partner("registries:closures:read")
WRITE_ONLY = partner("registries:closures:write")


@pytest.mark.parametrize(
    ("who", "status"),
    [
        (applicant(BRN), 403),
        (WRITE_ONLY_SANCTIONS, 403),  # another registry
        (READ_ONLY, 403),
        (CLOSURES_KEY, 201),
        (OPERATOR_ALL, 201),
        (ADMIN, 201),
    ],
)
async def test_who_may_write(registries: Registries, who: Identity, status: int) -> None:
    async with registries.client(who) as caller:
        answer = await caller.post(f"{CLOSURES}/records", json=closure())
        upload = await caller.post(f"{CLOSURES}/uploads", json=[closure("U")])
    assert answer.status_code == status, answer.text
    assert upload.status_code == (200 if status == 201 else 403)
    if status == 403:
        assert answer.json()["type"] == "urn:sfms:problem:forbidden"
        assert answer.json()["title_ko"] and answer.json()["title"]


@pytest.mark.parametrize(
    ("who", "status"),
    [(applicant(BRN), 403), (WRITE_ONLY, 403), (READ_ONLY, 200), (OPERATOR_ALL, 200)],
)
async def test_who_may_read(registries: Registries, who: Identity, status: int) -> None:
    async with registries.client(OPERATOR_ALL) as staff:
        await staff.post(f"{CLOSURES}/records", json=closure())
    async with registries.client(who) as caller:
        listed = await caller.get(f"{CLOSURES}/records")
        history = await caller.get(f"{CLOSURES}/records/NTS-1/versions")
        elsewhere = await caller.get("/v1/registries/sanctions/records")
    assert (listed.status_code, history.status_code) == (status, status)
    assert elsewhere.status_code == (200 if who is OPERATOR_ALL else 403)


async def test_every_change_is_audited(registries: Registries) -> None:
    async with registries.client(CLOSURES_KEY) as key:
        await key.post(f"{CLOSURES}/records", json=closure("AUD"))
        await key.post(f"{CLOSURES}/records", json=closure("AUD"))  # unchanged: no entry
        await key.post(f"{CLOSURES}/uploads", json=[closure("AUD"), closure("NEW", brn=OTHER_BRN)])
    async with registries.client(OPERATOR_ALL) as staff:
        entries = (await staff.get("/v1/audit-entries", params={"actor": "key:closures"})).json()
    upload, single = entries["items"]
    assert (single["action"], single["entity_type"], single["entity_id"]) == (
        "registry-change",
        "registry",
        "closures",
    )
    assert (single["role"], single["actor_organisation"]) == ("partner", "1358200013")
    assert single["correlation_id"] != "none"
    assert single["change"] == {
        "created": 1,
        "unchanged": 0,
        "withdrawn": 0,
        "changed_brns": [BRN],
        "versions": {"AUD": 1},
    }
    assert upload["change"]["versions"] == {"NEW": 1} and upload["change"]["unchanged"] == 1


async def test_records_page_by_cursor(registries: Registries) -> None:
    async with registries.client(OPERATOR_ALL) as staff:
        await staff.post(f"{CLOSURES}/uploads", json=[closure(f"P-{i}") for i in range(5)])
        seen, cursor = [], None
        while True:
            params = {"limit": 2} | ({"cursor": cursor} if cursor else {})
            page = (await staff.get(f"{CLOSURES}/records", params=params)).json()
            seen += [r["record_key"] for r in page["items"]]
            if not (cursor := page["next_cursor"]):
                break
    assert seen == [f"P-{i}" for i in range(5)]


async def test_ten_thousand_rows_in_one_csv(registries: Registries) -> None:
    """The largest upload, stored and audited in one transaction; sent again, it changes
    nothing. Durations are printed, not asserted (-s shows them)."""
    csv = "record_key,brn,status,effective_on\n" + "".join(
        f"NTS-{i:05d},{BRN if i % 2 else OTHER_BRN},active,2020-01-01\n" for i in range(10_000)
    )
    headers = {"content-type": "text/csv"}
    async with registries.client(OPERATOR_ALL) as staff:
        started = time.perf_counter()
        first = await staff.post(f"{CLOSURES}/uploads", content=csv.encode(), headers=headers)
        stored = time.perf_counter()
        again = await staff.post(f"{CLOSURES}/uploads", content=csv.encode(), headers=headers)
        print(
            f"\n10,000 rows: {stored - started:.2f}s new, {time.perf_counter() - stored:.2f}s again"
        )
        entries = (await staff.get("/v1/audit-entries")).json()["items"]
    assert first.status_code == 200, first.text
    assert (first.json()["created"], again.json()["unchanged"]) == (10_000, 10_000)
    assert len(entries) == 1 and len(entries[0]["change"]["versions"]) == 10_000
