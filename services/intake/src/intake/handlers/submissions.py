"""Submission (제출): each submit checks the draft against the call's current version and
records a new version with its receipt (001 §3 신청 기간 및 방법: 제출완료 is what counts)."""

from __future__ import annotations

from typing import Any
from uuid import UUID, uuid4

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from intake.domain.drafts import ApplicationDraft
from intake.domain.submission import Member, SubmissionCandidate, check_submission
from intake.handlers import calls, organisations
from intake.handlers.applications import audit
from intake.handlers.context import Intake
from intake.handlers.documents import live_documents
from intake.handlers.rows import own_application, raise_rules, readable_application, withdrawn
from intake.models import application, idempotency_record, submission
from sfms_shared.contracts.applications import ApplicationSnapshot
from sfms_shared.contracts.events import ApplicationSubmittedV1
from sfms_shared.idempotency import idempotent
from sfms_shared.identity import Identity
from sfms_shared.problems import Problem

SUBMISSIONS_SCOPE = "submissions"


async def submit(
    ctx: Intake, who: Identity, application_id: UUID, idempotency_key: str | None = None
) -> dict[str, Any]:
    """Check against the call's current version and record a new submission version.

    With an ``Idempotency-Key`` the receipt is stored with the submission, in its
    transaction: a retry with the key (after a timeout, a 502, a killed process) gets the
    same receipt and makes no second version; concurrent requests with one key make one."""

    async def create(session: AsyncSession) -> tuple[int, Any]:
        return 200, await _submit(ctx, session, who, application_id)

    payload = {"application_id": str(application_id), "subject": who.subject}
    _, receipt = await idempotent(
        ctx.sessions,
        idempotency_record,
        ctx.clock,
        SUBMISSIONS_SCOPE,
        idempotency_key,
        payload,
        create,
    )
    ctx.outbox.notify()
    return receipt


async def _submit(
    ctx: Intake, session: AsyncSession, who: Identity, application_id: UUID
) -> dict[str, Any]:
    received_at = ctx.clock.now()
    row = await own_application(session, who, application_id)
    if row.status == "withdrawn":
        raise withdrawn()
    call = await calls.current(session, row.call_id)
    draft = ApplicationDraft.model_validate(row.draft)
    applicant = await organisations.snapshot(session, row.applicant_id, "applicant_id")
    members = tuple(
        [
            Member(
                seat.role,
                await organisations.snapshot(
                    session, seat.organisation_id, f"consortium[{i}].organisation_id"
                ),
            )
            for i, seat in enumerate(draft.consortium)
        ]
    )
    documents = await live_documents(session, application_id)
    candidate = SubmissionCandidate(
        draft.mode, draft.support_type, applicant, members, draft.bonus_claims, tuple(documents)
    )
    raise_rules(lambda: check_submission(call, candidate, received_at))
    version = (row.submitted_version or 0) + 1
    inserted = await session.execute(
        submission.insert()
        .values(
            application_id=application_id,
            version=version,
            receipt_number=f"pending-{uuid4().hex}",
            received_at=received_at,
            call_version=call.version,
            snapshot={},
        )
        .returning(submission.c.id)
    )
    receipt_number = f"{call.receipt_prefix}-{inserted.scalar_one():07d}"
    snapshot = ApplicationSnapshot(
        application_id=application_id,
        call_id=call.id,
        call_version=call.version,
        submission_version=version,
        receipt_number=receipt_number,
        received_at=received_at,
        mode=draft.mode,
        support_type=draft.support_type,
        project_title=draft.project_title,
        applicant=applicant,
        consortium=tuple(
            {
                "role": m.role,
                "organisation_id": m.organisation.id,
                "brn": m.organisation.brn,
                "name": m.organisation.name,
            }
            for m in members
        ),
        budget=draft.budget,
        kpis=draft.kpis,
        bonus_claims=draft.bonus_claims,
        documents=tuple(documents),
    )
    await session.execute(
        update(submission)
        .where(submission.c.application_id == application_id, submission.c.version == version)
        .values(receipt_number=receipt_number, snapshot=snapshot.model_dump(mode="json"))
    )
    await session.execute(
        update(application)
        .where(application.c.id == application_id)
        .values(status="submitted", submitted_version=version, updated_at=received_at)
    )
    await ctx.outbox.record(
        session,
        ApplicationSubmittedV1(application=snapshot),
        occurred_at=received_at,
        correlation_id=ctx.correlation(),
    )
    await audit(
        ctx,
        session,
        "application.submit",
        application_id,
        row.applicant_id,
        row.call_id,
        {
            "submission_version": version,
            "receipt_number": receipt_number,
            "status": {"before": row.status, "after": "submitted"},
        },
    )
    return _receipt(application_id, version, receipt_number, received_at, call.version)


async def versions(ctx: Intake, who: Identity, application_id: UUID) -> list[dict[str, Any]]:
    async with ctx.sessions() as session:
        await readable_application(session, who, application_id)
        rows = (
            await session.execute(
                select(submission)
                .where(submission.c.application_id == application_id)
                .order_by(submission.c.version)
            )
        ).all()
    return [
        _receipt(application_id, r.version, r.receipt_number, r.received_at, r.call_version)
        for r in rows
    ]


async def snapshot(
    ctx: Intake, who: Identity, application_id: UUID, version: int
) -> dict[str, Any]:
    async with ctx.sessions() as session:
        await readable_application(session, who, application_id)
        snapshot = await session.scalar(
            select(submission.c.snapshot).where(
                submission.c.application_id == application_id, submission.c.version == version
            )
        )
    if snapshot is None:
        raise Problem.for_field(
            404,
            "submission-not-found",
            "version",
            "Submission version not found",
            "제출 이력을 찾을 수 없습니다",
        )
    return snapshot


def _receipt(
    application_id: UUID, version: int, receipt_number: str, received_at: Any, call_version: int
) -> dict:
    return {
        "application_id": application_id,
        "submission_version": version,
        "receipt_number": receipt_number,
        "received_at": received_at,
        "call_version": call_version,
        "status": "submitted",
    }
