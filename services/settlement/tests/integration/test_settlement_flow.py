"""Settlement on PostgreSQL with a real broker: the planner's milestone payments from
events delivered twice, and the way from a submitted budget to a settled agreement.

001 §2 기획기관 역할: 사업계획서 제출 시 10백만원, 협약체결 완료 시 10백만원 추가 지급;
001 §6 사업비 편성 관련 (필수계상, 현물편성); 001 §1 (정부출연금 50% 이내).
"""

from __future__ import annotations

import asyncio
import io
from collections.abc import AsyncIterator
from datetime import date, datetime
from typing import Any
from uuid import UUID, uuid4

import httpx
import pytest
from aiokafka import AIOKafkaProducer
from asgi_lifespan import LifespanManager
from openpyxl import load_workbook
from settlement_budgets import lines_001
from sqlalchemy import func, select

from intake.seed_calls import load_seed_calls
from settlement.config import Settings
from settlement.consumers import event_handlers
from settlement.handlers.pipeline import call_counts
from settlement.main import create_app
from settlement.models import messaging, replicas
from sfms_shared import migrations
from sfms_shared.clock import KST, FixedClock
from sfms_shared.contracts.agreements import SignedAgreement
from sfms_shared.contracts.events import (
    AgreementSignedV1,
    ApplicationSubmittedV1,
    BusinessPlanSubmittedV1,
    CallPublishedV1,
    ConsortiumFormedV1,
    EventPayload,
    StageCompletedV1,
)
from sfms_shared.contracts.scores import (
    BusinessPlan,
    ConsortiumParty,
    FormedConsortium,
    RankedEntry,
    StageResult,
)
from sfms_shared.identity import Identity
from sfms_shared.messaging.consumer import EventConsumer
from sfms_shared.messaging.envelope import Envelope
from sfms_shared.messaging.kafka import ensure_topics
from sfms_shared.messaging.topics import ALL_TOPICS, SETTLEMENT_AGREEMENT_SIGNED_V1
from sfms_shared.metrics import PIPELINE
from sfms_shared.pipeline import pipeline_gauges
from sfms_shared.testing.identity import ActingAs, applicant, operator
from sfms_shared.testing.snapshots import AUTONOMOUS, application, brn

pytestmark = pytest.mark.integration

NOW = datetime(2026, 9, 1, 10, 0, tzinfo=KST)
PLANNER = ConsortiumParty(member_id=uuid4(), brn=brn(77), name="경남테크노파크")
SUPPLIER = ConsortiumParty(member_id=uuid4(), brn=brn(78), name="(주)자율공급")
OPERATOR = operator(AUTONOMOUS)
PLANNER_USER = Identity(
    subject="planner-77", roles=frozenset({"planner"}), organisation=PLANNER.brn
)


class Harness:
    def __init__(self, app: Any, clock: FixedClock) -> None:
        self.app, self.clock = app, clock

    @property
    def ctx(self) -> Any:
        return self.app.state.settlement

    def client(self, who: Identity) -> httpx.AsyncClient:
        return httpx.AsyncClient(
            transport=httpx.ASGITransport(app=self.app), base_url="http://s", auth=ActingAs(who)
        )

    def envelope(self, payload: EventPayload) -> Envelope:
        return Envelope(
            event_type=payload.event_type,
            schema_version=payload.schema_version,
            occurred_at=self.clock.now(),
            producer="test",
            key=payload.aggregate_key(),
            correlation_id="test",
            payload=payload.model_dump(mode="json"),
        )

    async def deliver(self, payload: EventPayload) -> None:
        async with self.ctx.sessions() as session, session.begin():
            await event_handlers(self.ctx)[payload.topic](session, self.envelope(payload))

    async def outbox(self, topic: str) -> list[Envelope]:
        async with self.ctx.sessions() as session:
            rows = (
                await session.execute(
                    select(messaging.outbox.c.envelope)
                    .where(messaging.outbox.c.topic == topic)
                    .order_by(messaging.outbox.c.id)
                )
            ).all()
        return [Envelope.from_bytes(r.envelope.encode()) for r in rows]


@pytest.fixture
async def harness(postgres_url: str, broker: Any) -> AsyncIterator[Harness]:
    await ensure_topics(broker.bootstrap, ALL_TOPICS)
    await asyncio.to_thread(migrations.upgrade, "settlement", postgres_url)
    clock = FixedClock(NOW)
    settings = Settings(
        service_name=f"settlement-{uuid4().hex[:8]}",
        database_url=postgres_url,
        kafka_bootstrap_servers=broker.bootstrap,
        roles={"api"},
        consumer_backoff_seconds=0.05,
    )
    app = create_app(settings, clock)
    async with LifespanManager(app):
        found = Harness(app, clock)
        await found.deliver(call_published())
        yield found


def call_published() -> CallPublishedV1:
    document = next(c for c in load_seed_calls() if c.id == AUTONOMOUS)
    return CallPublishedV1(
        call_id=document.id, version=document.version, published_at=NOW, document=document
    )


def plan(application_id: UUID, version: int) -> BusinessPlanSubmittedV1:
    return BusinessPlanSubmittedV1(
        plan=BusinessPlan(
            application_id=application_id,
            call_id=AUTONOMOUS,
            planner=PLANNER,
            version=version,
            title=f"자율형공장 사업계획 v{version}",
            submitted_at=NOW,
        )
    )


def signed(application_id: UUID) -> AgreementSignedV1:
    return AgreementSignedV1(
        agreement=SignedAgreement(
            agreement_id=uuid4(),
            application_id=application_id,
            call_id=AUTONOMOUS,
            call_version=1,
            applicant_brn=brn(1),
            applicant_name="(주)시험기업01",
            planner=PLANNER,
            suppliers=(SUPPLIER,),
            starts_on=date(2026, 9, 1),
            ends_on=date(2028, 8, 31),
            government_krw=600_000_000,
            total_krw=1_200_000_000,
            signed_at=NOW,
        )
    )


async def test_milestone_events_each_delivered_twice_pay_exactly_20m(
    harness: Harness, broker: Any
) -> None:
    """The business-plan event and the agreement event each arrive twice through the
    broker (a relay that died before marking them sent), and the planner revises its plan
    once: 10,000,000 + 10,000,000 KRW, two entries, nothing more."""
    project = uuid4()
    first_plan = harness.envelope(plan(project, 1))
    revised_plan = harness.envelope(plan(project, 2))
    agreement = harness.envelope(signed(project))
    producer = AIOKafkaProducer(bootstrap_servers=broker.bootstrap, acks="all")
    await producer.start()
    try:
        for envelope, topic in [
            (first_plan, BusinessPlanSubmittedV1.topic),
            (first_plan, BusinessPlanSubmittedV1.topic),
            (revised_plan, BusinessPlanSubmittedV1.topic),
            (agreement, SETTLEMENT_AGREEMENT_SIGNED_V1),
            (agreement, SETTLEMENT_AGREEMENT_SIGNED_V1),
        ]:
            await producer.send_and_wait(topic, envelope.to_bytes(), key=envelope.key.encode())
    finally:
        await producer.stop()
    ctx = harness.ctx
    consumer = EventConsumer(
        "events", event_handlers(ctx), ctx.settings, ctx.sessions, messaging, harness.clock
    )
    expected = {first_plan.event_id, revised_plan.event_id, agreement.event_id}

    async def all_consumed() -> bool:
        async with ctx.sessions() as session:
            seen = set((await session.execute(select(messaging.inbox.c.event_id))).scalars())
        return expected <= {UUID(str(e)) for e in seen}

    stop = asyncio.Event()
    task = asyncio.create_task(consumer.run(stop))
    try:
        deadline = asyncio.get_running_loop().time() + 60
        while not await all_consumed():
            assert asyncio.get_running_loop().time() < deadline, "events not consumed in time"
            assert not task.done(), task.exception()
            await asyncio.sleep(0.1)
        await asyncio.sleep(1.0)  # the duplicates come after the originals on their partition
    finally:
        stop.set()
        await asyncio.wait_for(task, 15)
    async with harness.client(PLANNER_USER) as planner:
        answer = await planner.get(f"/v1/planners/{PLANNER.brn}/payables")
    assert answer.status_code == 200, answer.text
    statement = answer.json()
    assert statement["totals"]["payable_krw"] == 20_000_000
    assert statement["totals"]["by_milestone_krw"] == {
        "business-plan-submitted": 10_000_000,
        "agreement-signed": 10_000_000,
    }
    assert [e["amount_krw"] for e in statement["items"]] == [10_000_000, 10_000_000]
    assert {e["source"]["file"] for e in statement["items"]} == {"001_39e04bdc262ce7ee.txt"}
    async with ctx.sessions() as session:
        inbox_rows = await session.scalar(
            select(func.count())
            .select_from(messaging.inbox)
            .where(messaging.inbox.c.event_id.in_(list(expected)))
        )
    assert inbox_rows == 3


def submitted(n: int, lines: list[Any]) -> ApplicationSubmittedV1:
    snapshot = application(n).model_copy(update={"budget": tuple(lines)})
    return ApplicationSubmittedV1(application=snapshot)


async def finally_selected(harness: Harness, application_id: UUID) -> None:
    await harness.deliver(
        ConsortiumFormedV1(
            consortium=FormedConsortium(
                application_id=application_id,
                call_id=AUTONOMOUS,
                planner=PLANNER,
                suppliers=(SUPPLIER,),
                formed_at=NOW,
            )
        )
    )
    await harness.deliver(
        StageCompletedV1(
            result=StageResult(
                call_id=AUTONOMOUS,
                call_version=1,
                stage="on-site-review",
                sequence=1,
                why="completed",
                target=15,
                passing=1,
                entries=(
                    RankedEntry(
                        rank=1,
                        application_id=application_id,
                        final="88.00",
                        total_without_bonus="85.00",
                        bonus=3,
                        outcome="selected",
                    ),
                ),
                completed_at=NOW,
            )
        )
    )


async def test_budget_advice_and_the_binding_review_on_submission(harness: Harness) -> None:
    """001 §6 (필수계상): a budget without the training line is told so, with the amount
    and the rule, in Korean and English; advice stores nothing; the submission's review is
    binding and shown to the applicant."""
    lines = [x for x in lines_001() if x.code != "training"]
    body = {"support_type": "advanced", "lines": [x.model_dump(mode="json") for x in lines]}
    async with harness.client(applicant(brn(1))) as company:
        advice = await company.post(f"/v1/calls/{AUTONOMOUS}/budget-checks", json=body)
        assert advice.status_code == 200, advice.text
        found = {f["rule"]: f for f in advice.json()["findings"]}
        assert advice.json()["verdict"] == "fail" and advice.json()["binding"] is False
        training = found["mandatory-training"]
        assert training["figures"]["expected_krw"] == 1_000_000
        assert "1,000,000원" in training["message"]["ko"]
        assert "KRW 1,000,000" in training["message"]["en"]
        assert training["source"]["file"] == "001_39e04bdc262ce7ee.txt"
        bad = await company.post(
            f"/v1/calls/{AUTONOMOUS}/budget-checks",
            json={"support_type": "advanced", "lines": [{**body["lines"][0], "year": 9}]},
        )
        assert bad.status_code == 422
        assert bad.headers["content-type"].startswith("application/problem+json")
        assert "year" in bad.json()["field"]
        unknown = await company.post(
            f"/v1/calls/{AUTONOMOUS}/budget-checks", json={**body, "support_type": "basic"}
        )
        assert unknown.status_code == 422 and unknown.json()["field"] == "support_type"
        for private, expected in [(200_000_000, 910_000), (200_000_001, 1_182_000)]:
            fee = await company.get(
                f"/v1/calls/{AUTONOMOUS}/settlement-fee",
                params={"government_krw": 200_000_000, "private_cash_krw": private},
            )
            assert fee.status_code == 200, fee.text
            assert fee.json()["fee_krw"] == expected  # 001 §6: 400백만원 이하 / 초과
    event = submitted(1, lines)
    await harness.deliver(event)
    application_id = event.application.application_id
    async with harness.client(applicant(brn(1))) as company:
        review = await company.get(f"/v1/applications/{application_id}/budget-review")
    assert review.status_code == 200, review.text
    assert review.json()["binding"] is True and review.json()["verdict"] == "fail"
    async with harness.client(applicant(brn(2))) as stranger:
        hidden = await stranger.get(f"/v1/applications/{application_id}/budget-review")
    assert hidden.status_code == 404


async def test_from_selection_to_agreement_payments_and_settlement(harness: Harness) -> None:
    event = submitted(3, lines_001())
    application_id = event.application.application_id
    await harness.deliver(event)
    async with harness.client(OPERATOR) as staff:
        early = await staff.post(
            "/v1/agreements",
            json={"application_id": str(application_id), "starts_on": "2026-09-01"},
        )
        assert early.status_code == 409 and early.json()["field"] == "application_id"
        await finally_selected(harness, application_id)
        drafted = await staff.post(
            "/v1/agreements",
            json={"application_id": str(application_id), "starts_on": "2026-09-01"},
            headers={"Idempotency-Key": "agreement-3"},
        )
        assert drafted.status_code == 201, drafted.text
        agreement = drafted.json()
        assert agreement["ends_on"] == "2028-08-31"  # 24 months (001 §1 최대 2년)
        assert agreement["consortium"]["planner"]["brn"] == PLANNER.brn
        again = await staff.post(
            "/v1/agreements",
            json={"application_id": str(application_id), "starts_on": "2026-09-01"},
            headers={"Idempotency-Key": "agreement-3"},
        )
        assert again.json()["id"] == agreement["id"]
        url = f"/v1/agreements/{agreement['id']}"
        read = await staff.get(url)
        etag = read.headers["ETag"]
        # the on-site cost review cuts the year-2 solution by 10,000,000 (5,000,000 each)
        cut_body = {
            "line": 4,
            "government_krw": 285_000_000,
            "private_cash_krw": 263_368_000,
            "reason": "현장평가 사업비 검토: 중복 장비 1식 제외",
        }
        missing = await staff.post(f"{url}/cuts", json=cut_body)
        assert missing.status_code == 428
        cut = await staff.post(f"{url}/cuts", json=cut_body, headers={"If-Match": etag})
        assert cut.status_code == 200, cut.text
        assert cut.json()["cut_total_krw"] == 10_000_000
        assert cut.json()["cuts"][0]["reason"].startswith("현장평가")
        assert cut.json()["requested"][4]["government_krw"] == 290_000_000
        stale = await staff.post(f"{url}/signature", headers={"If-Match": etag})
        assert stale.status_code == 412
        raised = await staff.post(
            f"{url}/cuts",
            json={"line": 4, "government_krw": 300_000_000, "reason": "x"},
            headers={"If-Match": cut.headers["ETag"]},
        )
        assert raised.status_code == 422 and raised.json()["field"] == "government_krw"
        sign = await staff.post(f"{url}/signature", headers={"If-Match": cut.headers["ETag"]})
        assert sign.status_code == 200, sign.text
        assert sign.json()["status"] == "signed"
    announced = await harness.outbox(SETTLEMENT_AGREEMENT_SIGNED_V1)
    assert len(announced) == 1
    assert announced[0].payload["agreement"]["government_krw"] == 595_000_000
    await harness.deliver(plan(application_id, 1))
    async with harness.ctx.sessions() as session, session.begin():
        handler = event_handlers(harness.ctx)[SETTLEMENT_AGREEMENT_SIGNED_V1]
        await handler(session, announced[0])
    await settle_under_spent(harness, agreement["id"])


async def settle_under_spent(harness: Harness, agreement_id: str) -> None:
    """Year 2's solution spends 100,000,000 less than agreed: the government share due
    falls with the recognised spending at the agreed share, the rest is recovered; the
    XLSX report's totals equal the API's."""
    agreed = lines_001()
    agreed[4] = agreed[4].model_copy(
        update={"government_krw": 285_000_000, "private_cash_krw": 263_368_000}
    )
    executed = [
        {
            "line": i,
            "cash_krw": x.government_krw + x.private_cash_krw,
            "in_kind_krw": x.private_in_kind_krw,
        }
        for i, x in enumerate(agreed)
    ]
    executed[4]["cash_krw"] -= 100_000_000
    async with harness.client(OPERATOR) as staff:
        answer = await staff.put(
            f"/v1/agreements/{agreement_id}/settlement", json={"executed": executed}
        )
        assert answer.status_code == 200, answer.text
        settled = answer.json()
        year2 = settled["years"][1]
        # year 2 agreed 295,000,000 of 590,000,000 (50%); recognised 490,000,000
        assert year2["agreed_government_krw"] == 295_000_000
        assert year2["recognised_krw"] == 490_000_000
        assert year2["government_due_krw"] == 245_000_000
        assert year2["recovery_krw"] == 50_000_000
        assert year2["source"]["file"] == "001_39e04bdc262ce7ee.txt"
        assert settled["recovery_krw"] == 50_000_000
        assert settled["years"][0]["recovery_krw"] == 0
        report = await staff.get(f"/v1/agreements/{agreement_id}/settlement/report")
        assert report.status_code == 200
        book = load_workbook(io.BytesIO(report.content))
        totals = list(book["연차별 정산"].iter_rows(values_only=True))[-1]
        assert totals[0] == "합계"
        assert totals[6:9] == (
            settled["government_paid_krw"],
            settled["government_due_krw"],
            settled["recovery_krw"],
        )
        lines = list(book["정산 내역"].iter_rows(values_only=True))[1:]
        assert len(lines) == len(agreed)
        assert sum(row[9] + row[10] for row in lines) == sum(
            y["recognised_krw"] for y in settled["years"]
        )
        statement = await staff.get(f"/v1/calls/{AUTONOMOUS}/payables")
        assert statement.json()["totals"]["payable_krw"] == 20_000_000
        first = statement.json()["items"][0]
        reversed_ = await staff.post(
            f"/v1/payables/{first['id']}/reversals", json={"reason": "중복 지급 정정"}
        )
        assert reversed_.status_code == 201, reversed_.text
        assert reversed_.json()["amount_krw"] == -10_000_000
        twice = await staff.post(
            f"/v1/payables/{first['id']}/reversals", json={"reason": "중복 지급 정정"}
        )
        assert twice.status_code == 409
        after = await staff.get(f"/v1/calls/{AUTONOMOUS}/payables")
        assert after.json()["totals"]["payable_krw"] == 10_000_000
        assert after.json()["totals"]["reversed_krw"] == 10_000_000
        assert len(after.json()["items"]) == 3
        exported = await staff.get(
            f"/v1/calls/{AUTONOMOUS}/payables/export", params={"format": "csv"}
        )
        assert exported.headers["content-type"].startswith("text/csv")
        rows = exported.content.decode("utf-8-sig").splitlines()
        assert rows[0].startswith("기록일시(KST),기획기관") and len(rows) == 4
        kinds = sorted(tuple(r.split(",")[5:7]) for r in rows[1:])
        assert kinds == [("지급", "10000000"), ("지급", "10000000"), ("취소", "-10000000")]
        book = load_workbook(
            io.BytesIO((await staff.get(f"/v1/calls/{AUTONOMOUS}/settlements/export")).content)
        )
        sheet = list(book.active.iter_rows(values_only=True))
        assert sheet[0][5] == "환수액(원)" and sheet[1][5] == 50_000_000
        live = await staff.get(f"/v1/ops/calls/{AUTONOMOUS}/pipeline")
        assert live.status_code == 200, live.text
        assert live.json()["counts"] == {
            "budget_reviews": {"pass": 1},
            "agreements": {"signed": 1},
            "settled": 1,
            "payable_to_planners_krw": 10_000_000,
        }
        # the signed agreement and the two payment notices: no relay runs in this test
        assert live.json()["messaging"]["outbox_backlog"] == 3
    async with harness.client(applicant(brn(3))) as company:
        hidden = await company.get(f"/v1/ops/calls/{AUTONOMOUS}/pipeline")
        assert hidden.status_code == 403
    # the same figures as Prometheus gauges, per call and point of the pipeline
    stop = asyncio.Event()
    worker = pipeline_gauges(harness.app.state.runtime, call_counts, replicas.call_ids)
    task = asyncio.create_task(worker(stop))
    await asyncio.sleep(0.5)
    stop.set()
    await asyncio.wait_for(task, 10)
    service = harness.ctx.settings.service_name
    gauge = {
        s.labels["stage"]: s.value
        for metric in PIPELINE.collect()
        for s in metric.samples
        if s.labels["service"] == service and s.labels["call_id"] == AUTONOMOUS
    }
    assert gauge["agreements.signed"] == 1 and gauge["payable_to_planners_krw"] == 10_000_000
