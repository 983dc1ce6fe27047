"""Documents attached to an application: streamed upload, listing, download, removal."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date
from typing import Any
from uuid import UUID, uuid4

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import Request

from intake.handlers import calls
from intake.handlers.access import check_reads_documents
from intake.handlers.context import Intake
from intake.handlers.rows import editable_application, load_application
from intake.models import document
from intake.uploads import StoredUpload, receive_document
from sfms_shared.contracts.applications import DocumentRef
from sfms_shared.contracts.calls import CallDocument
from sfms_shared.identity import Identity
from sfms_shared.problems import FieldError, Problem


async def upload(
    ctx: Intake, who: Identity, application_id: UUID, request: Request
) -> dict[str, Any]:
    async with ctx.sessions() as session:
        await _open_application(ctx, session, who, application_id)
    stored = await receive_document(request, ctx.store, ctx.settings.max_upload_bytes)
    try:
        async with ctx.sessions() as session, session.begin():
            call = await _open_application(ctx, session, who, application_id)
            metadata = _metadata(stored, call)
            document_id = uuid4()
            await session.execute(
                document.insert().values(
                    id=document_id,
                    application_id=application_id,
                    storage_name=stored.storage_name,
                    media_type=stored.media_type,
                    size_bytes=stored.size_bytes,
                    sha256=stored.sha256,
                    original_name=stored.original_name,
                    uploaded_at=ctx.clock.now(),
                    removed=False,
                    **metadata,
                )
            )
            await _audit(
                ctx,
                session,
                "document.upload",
                application_id,
                document_id,
                call.id,
                {
                    "after": metadata
                    | {
                        "sha256": stored.sha256,
                        "size_bytes": stored.size_bytes,
                        "media_type": stored.media_type,
                    }
                },
            )
    except BaseException:
        await ctx.store.delete(stored.storage_name)
        raise
    async with ctx.sessions() as session:
        return (await _load(session, application_id, document_id)) | {
            "original_name": stored.original_name
        }


async def live_documents(session: AsyncSession, application_id: UUID) -> list[DocumentRef]:
    rows = (
        await session.execute(
            select(document)
            .where(document.c.application_id == application_id, document.c.removed.is_(False))
            .order_by(document.c.uploaded_at, document.c.id)
        )
    ).all()
    return [_ref(row) for row in rows]


async def content(
    ctx: Intake, who: Identity, application_id: UUID, document_id: UUID
) -> tuple[dict[str, Any], AsyncIterator[bytes]]:
    async with ctx.sessions() as session:
        await check_reads_documents(session, who, await load_application(session, application_id))
        row = await _row(session, application_id, document_id)
    return {
        "media_type": row.media_type,
        "size_bytes": row.size_bytes,
        "sha256": row.sha256,
    }, ctx.store.read(row.storage_name)


async def remove(ctx: Intake, who: Identity, application_id: UUID, document_id: UUID) -> None:
    """Detach a document from the draft. Its bytes stay: earlier submissions refer to them."""
    async with ctx.sessions() as session, session.begin():
        call = await _open_application(ctx, session, who, application_id)
        row = await _row(session, application_id, document_id)
        await session.execute(
            update(document).where(document.c.id == document_id).values(removed=True)
        )
        await _audit(
            ctx,
            session,
            "document.remove",
            application_id,
            document_id,
            call.id,
            {"kind": row.kind, "removed": True},
        )


async def _open_application(
    ctx: Intake, session: AsyncSession, who: Identity, application_id: UUID
) -> CallDocument:
    row = await editable_application(ctx, session, who, application_id)
    return await calls.current(session, row.call_id)


async def _audit(
    ctx: Intake,
    session: AsyncSession,
    action: str,
    application_id: UUID,
    document_id: UUID,
    call_id: str,
    change: dict[str, Any],
) -> None:
    await ctx.audit.record(
        session,
        action,
        "document",
        document_id,
        change,
        application_id=application_id,
        call_id=call_id,
    )


def _metadata(stored: StoredUpload, call: CallDocument) -> dict[str, Any]:
    fields = stored.fields
    errors: list[FieldError] = []
    kind = fields.get("kind", "")
    known = [d.kind for d in call.required_documents]
    if kind not in known:
        errors.append(
            FieldError(
                "kind",
                "unknown-document-kind",
                f"kind must be one of {known}",
                f"서류 종류는 {known} 중 하나여야 합니다",
            )
        )
    issued_on = _date(fields.get("issued_on"), errors)
    fiscal_year = _year(fields.get("fiscal_year"), errors)
    requirement = call.document_requirement(kind)
    if (
        requirement
        and requirement.validity
        and requirement.validity.max_age_months
        and issued_on is None
    ):
        errors.append(
            FieldError(
                "issued_on",
                "issue-date-required",
                "This kind of document needs its issue date",
                "이 서류는 발행일이 필요합니다",
            )
        )
    if requirement and requirement.fiscal_years and fiscal_year is None:
        errors.append(
            FieldError(
                "fiscal_year",
                "fiscal-year-required",
                "This kind of document needs its fiscal year",
                "이 서류는 사업연도가 필요합니다",
            )
        )
    if errors:
        raise Problem(
            422, errors[0].code, errors[0].en, errors[0].ko, field=errors[0].field, errors=errors
        )
    return {
        "kind": kind,
        "issuer": (fields.get("issuer") or None),
        "issued_on": issued_on,
        "fiscal_year": fiscal_year,
    }


def _date(value: str | None, errors: list[FieldError]) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        errors.append(
            FieldError(
                "issued_on",
                "invalid-date",
                "issued_on must be a date (YYYY-MM-DD)",
                "발행일은 YYYY-MM-DD 형식이어야 합니다",
            )
        )
        return None


def _year(value: str | None, errors: list[FieldError]) -> int | None:
    if not value:
        return None
    if not (value.isdigit() and 1990 <= int(value) <= 2100):
        errors.append(
            FieldError(
                "fiscal_year",
                "invalid-year",
                "fiscal_year must be a year such as 2025",
                "사업연도는 2025와 같은 연도여야 합니다",
            )
        )
        return None
    return int(value)


async def _row(session: AsyncSession, application_id: UUID, document_id: UUID) -> Any:
    row = (
        await session.execute(
            select(document).where(
                document.c.id == document_id,
                document.c.application_id == application_id,
                document.c.removed.is_(False),
            )
        )
    ).first()
    if row is None:
        raise Problem.for_field(
            404,
            "document-not-found",
            "document_id",
            "Document not found",
            "서류를 찾을 수 없습니다",
        )
    return row


async def _load(session: AsyncSession, application_id: UUID, document_id: UUID) -> dict[str, Any]:
    return public(_ref(await _row(session, application_id, document_id)))


def public(ref: DocumentRef) -> dict[str, Any]:
    """A document as the API shows it: without its place in the store."""
    return ref.model_dump(mode="json", exclude={"storage_name"})


def _ref(row: Any) -> DocumentRef:
    return DocumentRef(
        id=row.id,
        kind=row.kind,
        sha256=row.sha256,
        media_type=row.media_type,
        size_bytes=row.size_bytes,
        issuer=row.issuer,
        issued_on=row.issued_on,
        fiscal_year=row.fiscal_year,
        uploaded_at=row.uploaded_at,
        storage_name=row.storage_name,
    )
