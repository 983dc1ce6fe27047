"""Requirement review on real PostgreSQL: a submission reviewed eligible, a sanction
uploaded afterwards by a partner, a new ineligible decision emitted naming the sanction
and its source (a disqualification found later, 001 §3 부적격 사항 and 붙임1), and the
first decision still replaying to eligible from its stored inputs.

Intake's events are handed to eligibility's consumer handlers as the consumer would (its
Kafka plumbing is tested with the broker elsewhere); decisions leave through the outbox,
where the test reads them.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from datetime import datetime
from uuid import uuid4

import httpx
import pytest
from asgi_lifespan import LifespanManager
from review_cases import (
    APPLICANT_BRN,
    AUTONOMOUS,
    PLANNER_BRN,
    SUPPLIER_BRN,
    application,
    call,
    company,
)
from sqlalchemy import select

from eligibility.config import Settings
from eligibility.consumers import intake_handlers
from eligibility.main import create_app
from eligibility.models import messaging
from sfms_shared import migrations
from sfms_shared.clock import KST, FixedClock
from sfms_shared.contracts.applications import ApplicationSnapshot
from sfms_shared.contracts.events import (
    ApplicationSubmittedV1,
    CallPublishedV1,
    EventPayload,
)
from sfms_shared.identity import Identity
from sfms_shared.messaging.envelope import Envelope
from sfms_shared.messaging.topics import ELIGIBILITY_APPLICATION_REVIEWED_V1
from sfms_shared.testing.identity import OPERATOR_ALL, ActingAs, applicant, operator

pytestmark = pytest.mark.integration

KIRIA = Identity(
    subject="key:kiria",
    kind="api-key",
    roles=frozenset({"partner"}),
    organisation="1358200013",
    scopes=frozenset({"registries:sanctions:write"}),
)


class Harness:
    def __init__(self, app, base: str) -> None:
        self.app = app
        self.base = base

    def client(self, who: Identity) -> httpx.AsyncClient:
        return httpx.AsyncClient(
            transport=httpx.ASGITransport(app=self.app), base_url=self.base, auth=ActingAs(who)
        )

    async def deliver(self, payload: EventPayload) -> None:
        ctx = self.app.state.eligibility
        envelope = Envelope(
            event_type=payload.event_type,
            schema_version=payload.schema_version,
            occurred_at=datetime(2026, 6, 16, 8, tzinfo=KST),
            producer="intake",
            key=payload.aggregate_key(),
            correlation_id="test",
            payload=payload.model_dump(mode="json"),
        )
        handler = intake_handlers(ctx)[payload.topic]
        async with ctx.sessions() as session, session.begin():
            await handler(session, envelope)

    async def reviewed_events(self) -> list[dict]:
        ctx = self.app.state.eligibility
        async with ctx.sessions() as session:
            rows = (
                await session.execute(
                    select(messaging.outbox.c.envelope)
                    .where(messaging.outbox.c.topic == ELIGIBILITY_APPLICATION_REVIEWED_V1)
                    .order_by(messaging.outbox.c.id)
                )
            ).all()
        return [json.loads(r.envelope)["payload"]["decision"] for r in rows]


@pytest.fixture
async def eligibility(postgres_url: str) -> AsyncIterator[Harness]:
    await asyncio.to_thread(migrations.upgrade, "eligibility", postgres_url)
    clock = FixedClock(datetime(2026, 6, 20, 10, 0, tzinfo=KST))
    app = create_app(Settings(database_url=postgres_url, roles={"api"}), clock)
    async with LifespanManager(app):
        yield Harness(app, "http://eligibility")


async def consortium_in_good_standing(harness: Harness) -> None:
    async with harness.client(OPERATOR_ALL) as staff:
        pools = [
            {
                "record_key": "sp-1",
                "brn": SUPPLIER_BRN,
                "pool": "supplier",
                "status": "registered",
                "since": "2024-01-01",
            },
            {
                "record_key": "pp-1",
                "brn": PLANNER_BRN,
                "pool": "planner",
                "status": "selected",
                "since": "2026-05-29",
                "relevant_records": 12,
                "full_time_staff": 7,
                "subcontracts": False,
            },
        ]
        answer = await staff.post("/v1/registries/pools/uploads", json=pools)
        assert answer.status_code == 200, answer.text
        assert answer.json()["created"] == 2


async def submitted(harness: Harness, snapshot: ApplicationSnapshot) -> ApplicationSnapshot:
    """The supplier and planner in good standing, the 001 call published, ``snapshot``
    submitted: what intake's events bring."""
    await consortium_in_good_standing(harness)
    document = call(AUTONOMOUS)
    await harness.deliver(
        CallPublishedV1(
            call_id=document.id, version=1, published_at=datetime.now(KST), document=document
        )
    )
    await harness.deliver(ApplicationSubmittedV1(application=snapshot))
    return snapshot


async def test_a_sanction_found_later_makes_a_new_ineligible_decision(eligibility: Harness) -> None:
    snapshot = await submitted(eligibility, application(application_id=uuid4()))
    app_id = snapshot.application_id

    async with eligibility.client(applicant(APPLICANT_BRN)) as owner:
        first = (await owner.get(f"/v1/decisions/{app_id}")).json()
    assert first["verdict"] == "eligible", first
    assert first["sequence"] == 1 and first["trigger"] == "submission"

    async with eligibility.client(KIRIA) as kiria:
        sanction = {
            "record_key": "KIRIA-2026-0042",
            "brn": APPLICANT_BRN,
            "source": "kiria",
            "program": "제조로봇도입",
            "starts_on": "2026-03-01",
            "reason": "협약 위반",
        }
        answer = await kiria.post("/v1/registries/sanctions/records", json=sanction)
        assert answer.status_code == 201, answer.text

    async with eligibility.client(applicant(APPLICANT_BRN)) as owner:
        second = (await owner.get(f"/v1/decisions/{app_id}")).json()
    assert second["verdict"] == "ineligible" and second["sequence"] == 2
    assert second["trigger"] == "registry-change"
    failed = [o for o in second["outcomes"] if o["outcome"] == "fail"]
    assert [o["rule_id"] for o in failed] == ["applicant-no-participation-restriction"]
    assert (
        "제조로봇도입" in failed[0]["reason"]["ko"]
        and "한국로봇산업진흥원" in failed[0]["reason"]["ko"]
    )
    assert "제조로봇도입" in failed[0]["reason"]["en"]
    evidence = failed[0]["inputs"]["sanctions"][0]["evidence"]
    assert evidence == {"registry": "sanctions", "record_key": "KIRIA-2026-0042", "version": 1}
    assert failed[0]["source"]["section"].startswith("§3 부적격 사항")

    events = await eligibility.reviewed_events()
    assert [e["verdict"] for e in events] == ["eligible", "ineligible"]
    assert all(e["application_id"] == str(app_id) for e in events)

    async with eligibility.client(operator(AUTONOMOUS)) as staff:
        replayed = (await staff.post(f"/v1/decisions/{app_id}/versions/1/replay")).json()
    assert replayed["identical"] is True and replayed["replayed_verdict"] == "eligible"
    async with eligibility.client(operator(AUTONOMOUS)) as staff:
        exported = await staff.get(
            "/v1/decisions/export", params={"call_id": AUTONOMOUS, "format": "csv"}
        )
    assert exported.status_code == 200, exported.text
    rows = [r.split(",") for r in exported.content.decode("utf-8-sig").splitlines()]
    assert rows[0][:5] == ["접수번호", "기업명", "사업자등록번호", "판정", "사유"]
    assert rows[1][3] == "부적격" and "제조로봇도입" in rows[1][4]
    assert rows[1][6] == "2"  # the latest decision
    async with eligibility.client(applicant(APPLICANT_BRN)) as owner:
        refused = await owner.get("/v1/decisions/export", params={"call_id": AUTONOMOUS})
    assert refused.status_code == 403

    # The same sanction sent again changes nothing and decides nothing new.
    async with eligibility.client(KIRIA) as kiria:
        again = await kiria.post("/v1/registries/sanctions/records", json=sanction)
    assert again.status_code == 200 and again.json()["changed"] is False
    assert len(await eligibility.reviewed_events()) == 2


async def test_decisions_are_read_by_their_owner_and_the_calls_operators_only(
    eligibility: Harness,
) -> None:
    snapshot = await submitted(eligibility, application(application_id=uuid4()))
    path = f"/v1/decisions/{snapshot.application_id}"
    supplier = Identity(subject="s", roles=frozenset({"supplier"}), organisation=SUPPLIER_BRN)
    partner = Identity(
        subject="key:p",
        kind="api-key",
        roles=frozenset({"partner"}),
        scopes=frozenset({"applications:read", "received-applications:read"}),
    )
    expected = {
        applicant(APPLICANT_BRN): 200,
        operator(AUTONOMOUS): 200,
        OPERATOR_ALL: 200,
        applicant("2148600016"): 404,  # another company
        supplier: 404,  # a consortium member, not the owner
        operator("2021-kamp-ai-smart-factory"): 404,
        partner: 404,
        Identity(subject="e", roles=frozenset({"evaluator"})): 404,
    }
    for who, status in expected.items():
        async with eligibility.client(who) as client:
            answer = await client.get(path)
        assert answer.status_code == status, (who, answer.text)
        if status == 404:
            assert "outcomes" not in answer.text

    async with eligibility.client(applicant(APPLICANT_BRN)) as owner:
        refused = await owner.post(
            f"{path}/overrides",
            json={"rule_id": "applicant-domestic", "outcome": "pass", "reason": "제가 결정합니다"},
        )
    assert refused.status_code == 403


async def test_an_operator_resolves_a_needs_review_with_a_reason_that_is_audited(
    eligibility: Harness,
) -> None:
    snapshot = await submitted(
        eligibility, application(application_id=uuid4(), applicant=company(ksic_code="C33402"))
    )
    path = f"/v1/decisions/{snapshot.application_id}"
    override = {"rule_id": "applicant-excluded-industry", "outcome": "pass"}
    async with eligibility.client(operator(AUTONOMOUS)) as staff:
        assert (await staff.get(path)).json()["verdict"] == "needs-review"
        no_reason = await staff.post(f"{path}/overrides", json={**override, "reason": ""})
        unknown = await staff.post(
            f"{path}/overrides",
            json={**override, "rule_id": "no-such-rule", "reason": "확인 완료함"},
        )
        resolved = await staff.post(
            f"{path}/overrides", json={**override, "reason": "교육용 게임기 제조, 사행성 없음 확인"}
        )
        entries = (
            await staff.get(
                "/v1/audit-entries", params={"application_id": str(snapshot.application_id)}
            )
        ).json()["items"]
    assert no_reason.status_code == 422 and no_reason.json()["errors"][0]["field"].endswith(
        "reason"
    )
    assert unknown.status_code == 422 and unknown.json()["field"] == "rule_id"
    assert resolved.status_code == 201, resolved.text
    trace = resolved.json()
    assert trace["verdict"] == "eligible" and trace["trigger"] == "override"
    (changed,) = [o for o in trace["outcomes"] if o["rule_id"] == "applicant-excluded-industry"]
    assert changed["evaluated"] == "needs-review" and changed["outcome"] == "pass"
    assert changed["override"]["actor"] == operator(AUTONOMOUS).subject
    assert "사행성 없음" in changed["reason"]["ko"]
    assert [h["verdict"] for h in trace["history"]] == ["needs-review", "eligible"]
    assert entries[0]["action"] == "override" and "사행성 없음" in entries[0]["change"]["reason"]
    assert [e["verdict"] for e in await eligibility.reviewed_events()] == [
        "needs-review",
        "eligible",
    ]
