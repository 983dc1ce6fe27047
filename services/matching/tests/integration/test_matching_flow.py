"""Matching on PostgreSQL: planner recruitment (requirement review, evaluation result),
the supplier pool, matches opened by document review, a consortium named at submission
validated, explained recommendations, proposals with consent, lapsing, capacity, and the
operators' optimiser. Events are handed to the consumer handlers as the consumer would."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

import httpx
import pytest
from asgi_lifespan import LifespanManager
from sqlalchemy import select

from intake.seed_calls import load_seed_calls
from matching.config import Settings
from matching.consumers import event_handlers
from matching.main import create_app
from matching.models import messaging
from sfms_shared import migrations
from sfms_shared.clock import KST, FixedClock
from sfms_shared.contracts.applications import ConsortiumMember
from sfms_shared.contracts.events import (
    ApplicationSubmittedV1,
    CallPublishedV1,
    EventPayload,
    StageCompletedV1,
)
from sfms_shared.contracts.scores import RankedEntry, StageResult
from sfms_shared.identity import Identity
from sfms_shared.messaging.envelope import Envelope
from sfms_shared.messaging.topics import (
    MATCHING_BUSINESS_PLAN_SUBMITTED_V1,
    MATCHING_CONSORTIUM_FORMED_V1,
    MATCHING_PLANNER_APPLIED_V1,
)
from sfms_shared.testing.identity import ActingAs
from sfms_shared.testing.snapshots import AUTONOMOUS, application, brn

pytestmark = pytest.mark.integration

RECRUITING = datetime(2026, 5, 6, 10, 0, tzinfo=KST)  # 001 §2: 4/27 – 5/15 17:00
MATCHING = datetime(2026, 7, 1, 10, 0, tzinfo=KST)
OPERATOR = Identity(
    subject="operator-1", roles=frozenset({"operator"}), calls=frozenset({AUTONOMOUS})
)


def org(role: str, n: int) -> Identity:
    return Identity(subject=f"{role}-{n}", roles=frozenset({role}), organisation=brn(n))


def profile(name: str, region: str, records: int, staff: int, **extra: Any) -> dict[str, Any]:
    return {
        "name": name,
        "regions": [region],
        "industries": ["29"],
        "technologies": ["ai", "digital-twin", "aas"],
        "records": records,
        "full_time_staff": staff,
        **extra,
    }


class Harness:
    def __init__(self, app: Any, clock: FixedClock) -> None:
        self.app, self.clock = app, clock

    def client(self, who: Identity) -> httpx.AsyncClient:
        return httpx.AsyncClient(
            transport=httpx.ASGITransport(app=self.app), base_url="http://m", auth=ActingAs(who)
        )

    async def deliver(self, payload: EventPayload) -> None:
        ctx = self.app.state.matching
        envelope = Envelope(
            event_type=payload.event_type,
            schema_version=payload.schema_version,
            occurred_at=self.clock.now(),
            producer="test",
            key=payload.aggregate_key(),
            correlation_id="test",
            payload=payload.model_dump(mode="json"),
        )
        async with ctx.sessions() as session, session.begin():
            await event_handlers(ctx)[payload.topic](session, envelope)

    async def events(self, topic: str) -> list[dict[str, Any]]:
        async with self.app.state.matching.sessions() as session:
            rows = (
                await session.execute(
                    select(messaging.outbox.c.envelope)
                    .where(messaging.outbox.c.topic == topic)
                    .order_by(messaging.outbox.c.id)
                )
            ).all()
        return [json.loads(r.envelope)["payload"] for r in rows]

    async def stage(self, stage: str, outcomes: dict[UUID, str]) -> None:
        entries = tuple(
            RankedEntry(
                rank=rank,
                application_id=application_id,
                final="80.00",
                total_without_bonus="80.00",
                bonus=0,
                outcome=outcome,
            )
            for rank, (application_id, outcome) in enumerate(outcomes.items(), start=1)
        )
        await self.deliver(
            StageCompletedV1(
                result=StageResult(
                    call_id=AUTONOMOUS,
                    call_version=1,
                    stage=stage,
                    sequence=1,
                    why="completed",
                    target=15,
                    passing=len(entries),
                    entries=entries,
                    completed_at=self.clock.now(),
                )
            )
        )


@pytest.fixture
async def harness(postgres_url: str) -> AsyncIterator[Harness]:
    await asyncio.to_thread(migrations.upgrade, "matching", postgres_url)
    clock = FixedClock(RECRUITING)
    app = create_app(Settings(database_url=postgres_url, roles={"api"}), clock)
    async with LifespanManager(app):
        found = Harness(app, clock)
        call = next(c for c in load_seed_calls() if c.id == AUTONOMOUS)
        await found.deliver(
            CallPublishedV1(call_id=AUTONOMOUS, version=1, published_at=RECRUITING, document=call)
        )
        yield found


async def recruit(harness: Harness) -> dict[str, str]:
    """Four planners apply (one short of records), one technopark is designated, the
    evaluation selects the three that applied properly; three suppliers are approved."""
    ids: dict[str, str] = {}
    for n, region, records in (
        (61, "경남", 40),
        (62, "경남", 12),
        (63, "서울", 25),
        (64, "경남", 9),
    ):
        async with harness.client(org("planner", n)) as planner:
            applied = await planner.post(
                f"/v1/calls/{AUTONOMOUS}/planner-applications",
                json=profile(f"기획{n}", region, records, 6, subcontracts=False),
            )
        assert applied.status_code == 201, applied.text
        ids[f"planner{n}"] = applied.json()["id"]
    short = ids.pop("planner64")
    async with harness.client(OPERATOR) as staff:
        failed = (await staff.get(f"/v1/pool-members/{short}")).json()
        designated = await staff.post(
            f"/v1/calls/{AUTONOMOUS}/planner-designations",
            json={"brn": brn(65), **profile("경남테크노파크", "경남", 30, 5)},
        )
    assert failed["status"] == "requirements-failed"
    failing = [f for f in failed["findings"] if not f["passed"]]
    assert [f["rule_id"] for f in failing] == ["planner-track-record"]  # 001 §2 신청자격
    assert "10건 미만입니다(9건)" in failing[0]["message_ko"]
    assert designated.status_code == 201 and designated.json()["status"] == "designated"
    ids["planner65"] = designated.json()["id"]
    applied_events = await harness.events(MATCHING_PLANNER_APPLIED_V1)
    assert len(applied_events) == 3  # the one short of records is not evaluated
    await harness.stage(
        "planner-evaluation", {UUID(ids[f"planner{n}"]): "selected" for n in (61, 62, 63)}
    )
    for n in (71, 72, 73):
        async with harness.client(org("supplier", n)) as supplier:
            asked = await supplier.post("/v1/suppliers", json=profile(f"공급{n}", "경남", 20, 4))
        assert asked.status_code == 201 and asked.json()["status"] == "requested"
        async with harness.client(OPERATOR) as staff:
            approved = await staff.post(f"/v1/suppliers/{asked.json()['id']}/approval")
        assert approved.json()["status"] == "registered"
        ids[f"supplier{n}"] = asked.json()["id"]
    return ids


async def test_recruitment_consent_and_formation(harness: Harness) -> None:
    ids = await recruit(harness)
    async with harness.client(org("applicant", 1)) as anyone:
        pool = (await anyone.get(f"/v1/calls/{AUTONOMOUS}/planners")).json()["items"]
    assert {p["name"] for p in pool} == {"기획61", "기획62", "기획63", "경남테크노파크"}

    harness.clock.set(MATCHING)
    named = application(3).model_copy(
        update={
            "mode": "consortium",
            "consortium": (
                ConsortiumMember(
                    role="planner", organisation_id=uuid4(), brn=brn(63), name="기획63"
                ),
                ConsortiumMember(
                    role="supplier", organisation_id=uuid4(), brn=brn(73), name="공급73"
                ),
            ),
        }
    )
    for snapshot in (application(1), application(2), named):
        await harness.deliver(ApplicationSubmittedV1(application=snapshot))
    await harness.stage(
        "document-review",
        {UUID(int=1): "shortlisted", UUID(int=2): "shortlisted", UUID(int=3): "shortlisted"},
    )
    formed = await harness.events(MATCHING_CONSORTIUM_FORMED_V1)
    assert [f["consortium"]["application_id"] for f in formed] == [str(UUID(int=3))]

    applicant = org("applicant", 1)
    async with harness.client(applicant) as owner:
        advice = await owner.get(f"/v1/matches/{UUID(int=1)}/recommendations?role=planner")
        assert advice.status_code == 200, advice.text
        listed = advice.json()["items"]
        assert [r["name"] for r in listed][:2] == ["기획61", "경남테크노파크"]
        assert [f["weight"] for f in listed[0]["factors"]] == [25, 20, 25, 20, 10]
        first = await owner.post(
            f"/v1/matches/{UUID(int=1)}/proposals",
            json={"role": "planner", "member_ids": [ids["planner61"]]},
        )
        assert first.status_code == 200, first.text
    proposal = first.json()["proposals"][0]
    assert proposal["state"] == "proposed"
    async with harness.client(org("planner", 61)) as planner:
        declined = await planner.post(
            f"/v1/matches/{UUID(int=1)}/proposals/{proposal['id']}/answer",
            json={"accept": False, "reason": "일정 부족"},
        )
    assert declined.json()["state"] == "awaiting-planner"
    async with harness.client(applicant) as owner:
        again = await owner.post(
            f"/v1/matches/{UUID(int=1)}/proposals",
            json={"role": "planner", "member_ids": [ids["planner61"]]},
        )
        assert again.status_code == 409 and again.json()["type"].endswith("declined-before")
        second = await owner.post(
            f"/v1/matches/{UUID(int=1)}/proposals",
            json={"role": "planner", "member_ids": [ids["planner65"]]},
        )
    technopark = Identity(subject="tp", roles=frozenset({"planner"}), organisation=brn(65))
    pid = second.json()["proposals"][-1]["id"]
    async with harness.client(technopark) as planner:
        accepted = await planner.post(
            f"/v1/matches/{UUID(int=1)}/proposals/{pid}/answer", json={"accept": True}
        )
        assert accepted.json()["state"] == "awaiting-suppliers"
        own = await planner.post(
            f"/v1/matches/{UUID(int=1)}/proposals",
            json={"role": "supplier", "member_ids": [ids["supplier71"], ids["supplier72"]]},
        )
    assert own.status_code == 200, own.text
    offers = {p["member_name"]: p["id"] for p in own.json()["proposals"] if p["role"] == "supplier"}
    async with harness.client(org("supplier", 71)) as supplier:
        await supplier.post(
            f"/v1/matches/{UUID(int=1)}/proposals/{offers['공급71']}/answer", json={"accept": True}
        )
    assert len(await harness.events(MATCHING_CONSORTIUM_FORMED_V1)) == 1  # 72 has not answered
    async with harness.client(org("supplier", 72)) as supplier:
        done = await supplier.post(
            f"/v1/matches/{UUID(int=1)}/proposals/{offers['공급72']}/answer", json={"accept": False}
        )
    assert done.json()["state"] == "formed"
    formed = await harness.events(MATCHING_CONSORTIUM_FORMED_V1)
    assert formed[-1]["consortium"]["planner"]["name"] == "경남테크노파크"
    assert [s["name"] for s in formed[-1]["consortium"]["suppliers"]] == ["공급71"]
    await business_plan(harness, technopark)


async def business_plan(harness: Harness, planner_user: Identity) -> None:
    """001 §2 기획기관 역할: after planning support the planner submits the business plan
    (and may revise it); each version is announced for settlement's milestone payment."""
    url = f"/v1/matches/{UUID(int=1)}/business-plan"
    async with harness.client(org("applicant", 1)) as owner:
        refused = await owner.post(url, json={"title": "사업계획"})
        assert refused.status_code == 403
    async with harness.client(org("applicant", 2)) as stranger:
        assert (await stranger.post(url, json={"title": "사업계획"})).status_code == 404
    async with harness.client(planner_user) as planner:
        not_formed = await planner.post(
            f"/v1/matches/{UUID(int=2)}/business-plan", json={"title": "사업계획"}
        )
        assert not_formed.status_code == 404  # not its project: it reads as absent
        first = await planner.post(url, json={"title": "AI 자율 가공 라인 사업계획"})
        assert first.status_code == 201, first.text
        revised = await planner.post(url, json={"title": "AI 자율 가공 라인 사업계획 (보완)"})
        assert revised.json()["version"] == 2
        shown = (await planner.get(f"/v1/matches/{UUID(int=1)}")).json()["business_plan"]
    assert shown["version"] == 2 and shown["planner"]["brn"] == planner_user.organisation
    announced = await harness.events(MATCHING_BUSINESS_PLAN_SUBMITTED_V1)
    assert [e["plan"]["version"] for e in announced] == [1, 2]
    assert {e["plan"]["planner"]["name"] for e in announced} == {"경남테크노파크"}
    async with harness.client(OPERATOR) as staff:
        early = await staff.post(
            f"/v1/matches/{UUID(int=2)}/business-plan", json={"title": "사업계획"}
        )
        assert early.status_code == 409 and early.json()["field"] == "application_id"
        exported = await staff.get(
            f"/v1/calls/{AUTONOMOUS}/matches/export", params={"format": "csv"}
        )
        rows = {
            r.split(",")[0]: r.split(",") for r in exported.content.decode("utf-8-sig").splitlines()
        }
        assert rows["기업명"][5:7] == ["기획기관", "공급기업"]
        formed = rows[application(1).applicant.name]
        assert formed[4:7] == ["구성 완료", "경남테크노파크", "공급71"] and formed[8] == "2"
    async with harness.client(org("applicant", 1)) as owner:
        refused = await owner.get(f"/v1/calls/{AUTONOMOUS}/matches/export")
        assert refused.status_code == 403


async def test_a_proposal_lapses_and_the_optimiser_proposes_within_capacity(
    harness: Harness,
) -> None:
    ids = await recruit(harness)
    async with harness.client(org("supplier", 71)) as supplier:
        again = await supplier.post("/v1/suppliers", json=profile("공급71", "경남", 20, 4))
    assert again.status_code == 409 and again.json()["field"] == "brn"
    harness.clock.set(MATCHING)
    for n in (1, 2):
        await harness.deliver(ApplicationSubmittedV1(application=application(n)))
    await harness.stage("document-review", {UUID(int=1): "shortlisted", UUID(int=2): "shortlisted"})
    async with harness.client(org("applicant", 1)) as owner:
        await owner.post(
            f"/v1/matches/{UUID(int=1)}/proposals",
            json={"role": "planner", "member_ids": [ids["planner61"]]},
        )
    harness.clock.set(MATCHING + timedelta(days=7))  # the answer period (call data) ends
    async with harness.client(OPERATOR) as staff:
        lapsed = (await staff.get(f"/v1/matches/{UUID(int=1)}")).json()
        assert lapsed["state"] == "awaiting-planner"
        assert lapsed["proposals"][0]["state"] == "lapsed"
        run = await staff.post(
            f"/v1/calls/{AUTONOMOUS}/optimiser-runs", json={"role": "planner", "seed": 3}
        )
    assert run.status_code == 200, run.text
    assert run.json()["waiting"] == 2 and run.json()["proposed"] == 2
    async with harness.client(OPERATOR) as staff:
        first = (await staff.get(f"/v1/matches/{UUID(int=1)}")).json()
    newest = first["proposals"][-1]
    assert newest["proposed_by"] == "optimiser" and newest["member_id"] != ids["planner61"]
    async with harness.client(OPERATOR) as staff:
        twice = await staff.post(
            f"/v1/calls/{AUTONOMOUS}/optimiser-runs", json={"role": "planner", "seed": 3}
        )
    assert twice.json()["waiting"] == 0  # both await an answer: nothing is proposed twice
    assert datetime.fromisoformat(newest["expires_at"]).astimezone(UTC) == (
        MATCHING + timedelta(days=14)
    ).astimezone(UTC)


async def test_two_proposals_at_once_cannot_both_take_the_last_slot(harness: Harness) -> None:
    async with harness.client(OPERATOR) as staff:
        small = await staff.post(
            f"/v1/calls/{AUTONOMOUS}/planner-designations",
            json={"brn": brn(66), **profile("소규모기획", "경남", 30, 1)},  # capacity 1
        )
    assert small.status_code == 201, small.text
    harness.clock.set(MATCHING)
    for n in (1, 2):
        await harness.deliver(ApplicationSubmittedV1(application=application(n)))
    await harness.stage("document-review", {UUID(int=1): "shortlisted", UUID(int=2): "shortlisted"})

    async def propose(n: int) -> httpx.Response:
        async with harness.client(org("applicant", n)) as owner:
            return await owner.post(
                f"/v1/matches/{UUID(int=n)}/proposals",
                json={"role": "planner", "member_ids": [small.json()["id"]]},
            )

    answers = await asyncio.gather(propose(1), propose(2))
    assert sorted(a.status_code for a in answers) == [200, 409]
    refused = next(a for a in answers if a.status_code == 409)
    assert refused.json()["type"].endswith("no-capacity")
