"""Applications: draft → edit → withdraw (submitting, a new version each time, is `submissions`)."""

from __future__ import annotations

from typing import Any
from uuid import UUID, uuid4

from pydantic import ValidationError
from sqlalchemy import Select, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from intake.domain.drafts import ApplicationDraft, merge_patch
from intake.domain.submission import check_window
from intake.handlers import calls, organisations
from intake.handlers.access import organisation_not_found
from intake.handlers.context import Intake
from intake.handlers.documents import live_documents, public
from intake.handlers.rows import (
    editable_application,
    own_application,
    raise_rules,
    readable_application,
    withdrawn,
)
from intake.models import application
from sfms_shared.access import require_role
from sfms_shared.contracts.applications import DocumentRef
from sfms_shared.contracts.events import ApplicationWithdrawnV1
from sfms_shared.etags import check_if_match
from sfms_shared.identity import Identity
from sfms_shared.policy import (
    APPLICATIONS_FEED,
    calls_in_scope,
    may_act_for_applicant,
    reads_across_calls,
)
from sfms_shared.problems import Problem, invalid_fields


def _already_live() -> Problem:
    return Problem.for_field(
        409,
        "application-already-exists",
        "applicant_id",
        "This workplace already has a live application to this call; edit or withdraw it",
        "이 사업장은 이 공고에 진행 중인 신청이 이미 있습니다. 기존 신청을 수정하거나 철회하세요",
    )


async def create(
    ctx: Intake,
    session: AsyncSession,
    who: Identity,
    call_id: str,
    applicant_id: UUID,
    draft: ApplicationDraft,
) -> dict[str, Any]:
    """Start a draft application, in the caller's transaction."""
    require_role(who, ("applicant",), "start applications", "신청서를 작성할")
    now = ctx.clock.now()
    application_id = uuid4()
    call = await calls.current(session, call_id)
    if call.kind != "call":
        raise Problem.for_field(
            422,
            "call-takes-no-applications",
            "call_id",
            "This document is a catalogue; apply to one of its calls",
            "이 문서는 사업 안내(카탈로그)이므로 신청할 수 없습니다",
        )
    raise_rules(lambda: check_window(call, now))
    applicant = await organisations.snapshot(session, applicant_id, "applicant_id")
    if not may_act_for_applicant(who, applicant.brn):
        raise organisation_not_found("applicant_id")
    if applicant.kind != "company":
        raise Problem.for_field(
            422,
            "applicant-not-a-company",
            "applicant_id",
            "The applicant must be registered as a company (도입기업)",
            "신청기관은 도입기업으로 등록된 기관이어야 합니다",
        )
    if await _live_exists(session, call_id, applicant.brn):
        raise _already_live()
    try:
        await session.execute(
            application.insert().values(
                id=application_id,
                call_id=call_id,
                applicant_id=applicant_id,
                brn=applicant.brn,
                status="draft",
                draft=draft.model_dump(mode="json"),
                revision=1,
                created_at=now,
                updated_at=now,
            )
        )
    except IntegrityError as exc:  # a concurrent create for the workplace won the race
        raise _already_live() from exc
    await audit(
        ctx,
        session,
        "application.create",
        application_id,
        applicant_id,
        call_id,
        {"after": draft.model_dump(mode="json")},
    )
    return await _read(session, who, application_id)


async def get(ctx: Intake, who: Identity, application_id: UUID) -> dict[str, Any]:
    async with ctx.sessions() as session:
        return await _read(session, who, application_id)


async def _read(session: AsyncSession, who: Identity, application_id: UUID) -> dict[str, Any]:
    row = await readable_application(session, who, application_id)
    return _out(row, await live_documents(session, application_id))


async def list_applications(
    ctx: Intake,
    who: Identity,
    limit: int,
    after: UUID | None,
    call_id: str | None,
    applicant_id: UUID | None,
    status: str | None,
) -> list[dict[str, Any]]:
    query = select(application).order_by(application.c.id).limit(limit)
    for column, value in (
        (application.c.call_id, call_id),
        (application.c.applicant_id, applicant_id),
        (application.c.status, status),
    ):
        if value is not None:
            query = query.where(column == value)
    if after:
        query = query.where(application.c.id > after)
    async with ctx.sessions() as session:
        rows = (await session.execute(_visible_to(who, query))).all()
    return [_out(row, None) for row in rows]


def _visible_to(who: Identity, query: Select) -> Select:
    """Operators and partner feeds list the calls in their scope; a company its own."""
    if reads_across_calls(who, APPLICATIONS_FEED):
        if "partner" in who.roles and not who.is_admin:
            query = query.where(application.c.status != "draft")
        if (scope := calls_in_scope(who)) is not None:
            query = query.where(application.c.call_id.in_(sorted(scope)))
        return query
    require_role(who, ("applicant", "supplier", "planner"), "list applications", "신청 목록을 볼")
    return query.where(application.c.brn == who.organisation)


async def amend(
    ctx: Intake, who: Identity, application_id: UUID, patch: dict[str, Any], if_match: str | None
) -> dict[str, Any]:
    """Merge-patch the draft (autosave). Allowed until the deadline, also after a submission:
    the change takes effect when the applicant submits again."""
    async with ctx.sessions() as session, session.begin():
        row = await editable_application(ctx, session, who, application_id)
        check_if_match(if_match, row.id, row.revision)
        try:
            draft = ApplicationDraft.model_validate(merge_patch(row.draft, patch))
        except ValidationError as exc:
            raise invalid_fields(exc.errors()) from exc
        await session.execute(
            update(application)
            .where(application.c.id == application_id)
            .values(
                draft=draft.model_dump(mode="json"),
                revision=row.revision + 1,
                updated_at=ctx.clock.now(),
            )
        )
        await audit(
            ctx,
            session,
            "application.amend",
            application_id,
            row.applicant_id,
            row.call_id,
            {"patch": patch, "revision": row.revision + 1},
        )
    return await get(ctx, who, application_id)


async def withdraw(ctx: Intake, who: Identity, application_id: UUID) -> dict[str, Any]:
    now = ctx.clock.now()
    async with ctx.sessions() as session, session.begin():
        row = await own_application(session, who, application_id)
        if row.status == "withdrawn":
            raise withdrawn()
        await session.execute(
            update(application)
            .where(application.c.id == application_id)
            .values(status="withdrawn", withdrawn_at=now, updated_at=now, revision=row.revision + 1)
        )
        await ctx.outbox.record(
            session,
            ApplicationWithdrawnV1(
                application_id=application_id,
                call_id=row.call_id,
                brn=row.brn,
                withdrawn_at=now,
                last_submission_version=row.submitted_version,
            ),
            occurred_at=now,
            correlation_id=ctx.correlation(),
        )
        await audit(
            ctx,
            session,
            "application.withdraw",
            application_id,
            row.applicant_id,
            row.call_id,
            {"status": {"before": row.status, "after": "withdrawn"}},
        )
    ctx.outbox.notify()
    return await get(ctx, who, application_id)


async def _live_exists(session: AsyncSession, call_id: str, brn: str) -> bool:
    count = await session.scalar(
        select(func.count())
        .select_from(application)
        .where(
            application.c.call_id == call_id,
            application.c.brn == brn,
            application.c.status != "withdrawn",
        )
    )
    return bool(count)


async def audit(
    ctx: Intake,
    session: AsyncSession,
    action: str,
    application_id: UUID,
    applicant_id: UUID,
    call_id: str,
    change: dict[str, Any],
) -> None:
    await ctx.audit.record(
        session,
        action,
        "application",
        application_id,
        change,
        application_id=application_id,
        organisation_id=applicant_id,
        call_id=call_id,
    )


def _out(row: Any, documents: list[DocumentRef] | None) -> dict[str, Any]:
    body = {
        "id": row.id,
        "call_id": row.call_id,
        "applicant_id": row.applicant_id,
        "status": row.status,
        **row.draft,
        "revision": row.revision,
        "submitted_version": row.submitted_version,
        "created_at": row.created_at,
        "updated_at": row.updated_at,
        "withdrawn_at": row.withdrawn_at,
    }
    if documents is not None:
        body["documents"] = [public(d) for d in documents]
    return body
