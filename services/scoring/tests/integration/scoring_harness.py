"""The scoring service's API on a fresh PostgreSQL database, events handed to its
consumer handlers as the consumer would, statements in a document store of its own."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any
from uuid import uuid4

import httpx
from fastapi import FastAPI
from sqlalchemy import select

from intake.seed_calls import load_seed_calls
from scoring.consumers import event_handlers
from scoring.models import messaging
from sfms_shared.contracts.applications import (
    ApplicationSnapshot,
    DocumentRef,
)
from sfms_shared.contracts.calls import CallDocument
from sfms_shared.contracts.decisions import ReviewDecision, Verdict
from sfms_shared.contracts.events import (
    ApplicationReviewedV1,
    ApplicationSubmittedV1,
    CallPublishedV1,
    EventPayload,
)
from sfms_shared.document_store import LocalDocumentStore
from sfms_shared.identity import Identity
from sfms_shared.messaging.envelope import Envelope
from sfms_shared.testing.identity import ActingAs
from sfms_shared.testing.snapshots import AUTONOMOUS, application

NOW = datetime(2026, 6, 20, 1, 0, tzinfo=UTC)


def call_001() -> CallDocument:
    return next(c for c in load_seed_calls() if c.id == AUTONOMOUS)


def evaluator_user(n: int) -> Identity:
    return Identity(subject=f"evaluator-{n}", roles=frozenset({"evaluator"}), name=f"평가위원{n}")


@dataclass
class ScoringHarness:
    app: FastAPI
    store: LocalDocumentStore
    sequence: int = 0

    def client(self, who: Identity) -> httpx.AsyncClient:
        return httpx.AsyncClient(
            transport=httpx.ASGITransport(app=self.app),
            base_url="http://scoring",
            auth=ActingAs(who),
        )

    async def deliver(self, payload: EventPayload) -> None:
        ctx = self.app.state.scoring
        envelope = Envelope(
            event_type=payload.event_type,
            schema_version=payload.schema_version,
            occurred_at=NOW,
            producer="test",
            key=payload.aggregate_key(),
            correlation_id="test",
            payload=payload.model_dump(mode="json"),
        )
        async with ctx.sessions() as session, session.begin():
            await event_handlers(ctx)[payload.topic](session, envelope)

    async def events(self, topic: str) -> list[dict[str, Any]]:
        ctx = self.app.state.scoring
        async with ctx.sessions() as session:
            rows = (
                await session.execute(
                    select(messaging.outbox.c.envelope)
                    .where(messaging.outbox.c.topic == topic)
                    .order_by(messaging.outbox.c.id)
                )
            ).all()
        return [json.loads(r.envelope)["payload"] for r in rows]

    async def publish_call(self) -> None:
        document = call_001()
        await self.deliver(
            CallPublishedV1(call_id=document.id, version=1, published_at=NOW, document=document)
        )

    async def stored(self, pdf: bytes) -> str:
        pending = self.store.begin()
        await pending.write(pdf)
        return await pending.commit()

    async def submit(
        self, n: int, *, documents: tuple[DocumentRef, ...] = (), **company: Any
    ) -> ApplicationSnapshot:
        snapshot = application(n, documents=documents, **company)
        await self.deliver(ApplicationSubmittedV1(application=snapshot))
        return snapshot

    async def review(
        self, snapshot: ApplicationSnapshot, verdict: Verdict = "eligible", sequence: int = 1
    ) -> None:
        await self.deliver(
            ApplicationReviewedV1(
                decision=ReviewDecision(
                    decision_id=uuid4(),
                    application_id=snapshot.application_id,
                    sequence=sequence,
                    call_id=snapshot.call_id,
                    call_version=snapshot.call_version,
                    submission_version=snapshot.submission_version,
                    applicant_brn=snapshot.applicant.brn,
                    verdict=verdict,
                    trigger="submission" if sequence == 1 else "registry-change",
                    judged_as_of=NOW,
                    known_at=NOW,
                    decided_at=NOW,
                    outcomes=(),
                )
            )
        )


def statement_ref(
    storage_name: str, fiscal_year: int, kind: str = "financial-statements"
) -> DocumentRef:
    return DocumentRef(
        id=uuid4(),
        kind=kind,
        sha256="0" * 64,
        media_type="application/pdf",
        size_bytes=1000,
        issuer="국세청",
        issued_on=date(2026, 6, 1),
        fiscal_year=fiscal_year,
        uploaded_at=datetime(2026, 6, 1, fiscal_year - 2020, tzinfo=UTC),
        storage_name=storage_name,
    )
