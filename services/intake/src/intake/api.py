"""Intake's HTTP API. Thin: parse, call a handler, shape the answer."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Body, Depends, Path, Query, Request, Response
from fastapi.encoders import jsonable_encoder as _json
from fastapi.responses import JSONResponse, StreamingResponse
from pydantic import ConfigDict, Field
from sqlalchemy.ext.asyncio import AsyncSession

from intake.domain.documents import ACCEPTED_MEDIA_TYPES
from intake.domain.drafts import ApplicationDraft
from intake.handlers import applications, calls, documents, exports, organisations, submissions
from intake.handlers.context import Intake
from intake.handlers.organisations import OrganisationRegistration
from intake.models import idempotency_record
from sfms_shared.access import AnyCaller, Caller
from sfms_shared.contracts.calls import CallDocument
from sfms_shared.etags import IfMatch, etag
from sfms_shared.exports import EXPORT_RESPONSES, ExportFormat, download
from sfms_shared.idempotency import Create, IdempotencyKey, idempotent
from sfms_shared.inputs import INT32_MAX
from sfms_shared.pagination import Page, page_of, uuid_cursor


def intake(request: Request) -> Intake:
    return request.app.state.intake


Ctx = Annotated[Intake, Depends(intake)]
Limit = Annotated[int, Query(ge=1, le=200, description="Page size (at most 200)")]
Cursor = Annotated[str | None, Query(description="next_cursor from the previous page")]
MergePatch = Annotated[dict[str, Any], Body(media_type="application/merge-patch+json")]
Version = Annotated[int, Path(ge=1, le=INT32_MAX, description="Version number (from 1)")]

router = APIRouter(prefix="/v1")


async def _create(
    ctx: Intake, scope: str, key: str | None, payload: Any, create: Create
) -> JSONResponse:
    status_code, body = await idempotent(
        ctx.sessions, idempotency_record, ctx.clock, scope, key, payload, create
    )
    return JSONResponse(body, status_code=status_code)


# Calls (공고) -----------------------------------------------------------------------------


@router.post(
    "/calls", tags=["calls"], status_code=201, summary="Create a call, or a new draft version of it"
)
async def create_call(
    ctx: Ctx, who: Caller, document: CallDocument, idempotency_key: IdempotencyKey = None
) -> JSONResponse:
    async def run(session: AsyncSession) -> tuple[int, Any]:
        return 201, await calls.create_version(ctx, session, who, document)

    return await _create(ctx, "calls", idempotency_key, document.model_dump(mode="json"), run)


@router.post(
    "/calls/{call_id}/versions/{version}/publish", tags=["calls"], summary="Publish a call version"
)
async def publish_call(ctx: Ctx, who: Caller, call_id: str, version: Version) -> dict[str, Any]:
    return await calls.publish(ctx, who, call_id, version)


@router.get("/calls", tags=["calls"], summary="List calls (latest version of each)")
async def list_calls(
    ctx: Ctx, who: AnyCaller, limit: Limit = 50, cursor: Cursor = None, include_drafts: bool = False
) -> Page:
    items = await calls.list_calls(ctx, who, limit, cursor, include_drafts)
    return page_of(items, limit, lambda item: item["call_id"])


@router.get("/calls/{call_id}", tags=["calls"], summary="The current published version of a call")
async def get_call(ctx: Ctx, who: AnyCaller, call_id: str) -> dict[str, Any]:
    return await calls.get_version(ctx, who, call_id, None)


@router.get("/calls/{call_id}/versions", tags=["calls"], summary="Every version of a call")
async def list_call_versions(ctx: Ctx, who: AnyCaller, call_id: str) -> list[dict[str, Any]]:
    return await calls.list_versions(ctx, who, call_id)


@router.get("/calls/{call_id}/versions/{version}", tags=["calls"], summary="One version of a call")
async def get_call_version(
    ctx: Ctx, who: AnyCaller, call_id: str, version: Version
) -> dict[str, Any]:
    return await calls.get_version(ctx, who, call_id, version)


@router.get(
    "/calls/{call_id}/applications/export",
    tags=["calls"],
    summary="The call's received applications as CSV or XLSX (operators, the applications feed)",
    response_class=Response,
    responses=EXPORT_RESPONSES,
)
async def export_applications(
    ctx: Ctx,
    who: Caller,
    call_id: Annotated[str, Path(max_length=100, pattern=r"^[a-z0-9][a-z0-9-]*$")],
    format: ExportFormat = "xlsx",
) -> Response:
    lines = await exports.applications(ctx, who, call_id)
    return download(format, "신청 목록", f"{call_id}-applications", exports.HEADERS, lines)


# Organisations ----------------------------------------------------------------------------


@router.post(
    "/organisations", tags=["organisations"], status_code=201, summary="Register an organisation"
)
async def register_organisation(
    ctx: Ctx,
    who: Caller,
    registration: OrganisationRegistration,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    async def run(session: AsyncSession) -> tuple[int, Any]:
        return 201, await organisations.register(ctx, session, who, registration)

    return await _create(
        ctx, "organisations", idempotency_key, registration.model_dump(mode="json"), run
    )


@router.get("/organisations", tags=["organisations"], summary="List organisations")
async def list_organisations(
    ctx: Ctx,
    who: Caller,
    limit: Limit = 50,
    cursor: Cursor = None,
    kind: str | None = None,
    brn: str | None = None,
) -> Page:
    items = await organisations.list_organisations(ctx, who, limit, uuid_cursor(cursor), kind, brn)
    return page_of(items, limit, lambda item: str(item["id"]))


@router.get("/organisations/{organisation_id}", tags=["organisations"], summary="One organisation")
async def get_organisation(
    ctx: Ctx, who: Caller, organisation_id: UUID, response: Response
) -> dict[str, Any]:
    body = await organisations.get(ctx, who, organisation_id)
    response.headers["ETag"] = etag(body["id"], body["revision"])
    return body


@router.patch(
    "/organisations/{organisation_id}",
    tags=["organisations"],
    summary="Amend an organisation (JSON merge patch)",
)
async def amend_organisation(
    ctx: Ctx,
    who: Caller,
    organisation_id: UUID,
    patch: MergePatch,
    response: Response,
    if_match: IfMatch = None,
) -> dict[str, Any]:
    body = await organisations.amend(ctx, who, organisation_id, patch, if_match)
    response.headers["ETag"] = etag(body["id"], body["revision"])
    return body


# Applications ---------------------------------------------------------------------------


class NewApplication(ApplicationDraft):
    model_config = ConfigDict(frozen=True, extra="forbid")

    call_id: str = Field(min_length=1, max_length=100)
    applicant_id: UUID


@router.post(
    "/applications", tags=["applications"], status_code=201, summary="Start a draft application"
)
async def create_application(
    ctx: Ctx, who: Caller, body: NewApplication, idempotency_key: IdempotencyKey = None
) -> JSONResponse:
    draft = ApplicationDraft.model_validate(body.model_dump(exclude={"call_id", "applicant_id"}))

    async def run(session: AsyncSession) -> tuple[int, Any]:
        return 201, await applications.create(
            ctx, session, who, body.call_id, body.applicant_id, draft
        )

    return await _create(ctx, "applications", idempotency_key, body.model_dump(mode="json"), run)


@router.get("/applications", tags=["applications"], summary="List applications")
async def list_applications(
    ctx: Ctx,
    who: Caller,
    limit: Limit = 50,
    cursor: Cursor = None,
    call_id: str | None = None,
    applicant_id: UUID | None = None,
    status: str | None = None,
) -> Page:
    items = await applications.list_applications(
        ctx, who, limit, uuid_cursor(cursor), call_id, applicant_id, status
    )
    return page_of(items, limit, lambda item: str(item["id"]))


@router.get(
    "/applications/{application_id}",
    tags=["applications"],
    summary="One application with its documents",
)
async def get_application(
    ctx: Ctx, who: Caller, application_id: UUID, response: Response
) -> dict[str, Any]:
    body = await applications.get(ctx, who, application_id)
    response.headers["ETag"] = etag(body["id"], body["revision"])
    return body


@router.patch(
    "/applications/{application_id}",
    tags=["applications"],
    summary="Edit the draft (JSON merge patch, autosave)",
)
async def amend_application(
    ctx: Ctx,
    who: Caller,
    application_id: UUID,
    patch: MergePatch,
    response: Response,
    if_match: IfMatch = None,
) -> dict[str, Any]:
    body = await applications.amend(ctx, who, application_id, patch, if_match)
    response.headers["ETag"] = etag(body["id"], body["revision"])
    return body


@router.post(
    "/applications/{application_id}/documents",
    tags=["documents"],
    status_code=201,
    summary="Upload a document (multipart/form-data: file, kind, issuer, issued_on, fiscal_year)",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "required": ["file", "kind"],
                        "properties": {
                            "file": {"type": "string", "format": "binary"},
                            "kind": {"type": "string"},
                            "issuer": {"type": "string"},
                            "issued_on": {"type": "string", "format": "date"},
                            "fiscal_year": {"type": "integer"},
                        },
                    }
                }
            },
        }
    },
)
async def upload_document(
    ctx: Ctx, who: Caller, application_id: UUID, request: Request
) -> JSONResponse:
    return JSONResponse(
        _json(await documents.upload(ctx, who, application_id, request)), status_code=201
    )


@router.get(
    "/applications/{application_id}/documents/{document_id}/content",
    tags=["documents"],
    summary="Download a document's bytes",
    response_class=Response,
    responses={
        200: {
            "description": "The document as uploaded, in the media type its bytes proved",
            "content": {
                media_type: {"schema": {"type": "string", "format": "binary"}}
                for media_type in ACCEPTED_MEDIA_TYPES
            },
        }
    },
)
async def download_document(
    ctx: Ctx, who: Caller, application_id: UUID, document_id: UUID
) -> StreamingResponse:
    meta, chunks = await documents.content(ctx, who, application_id, document_id)
    return StreamingResponse(
        chunks,
        media_type=meta["media_type"],
        headers={
            "Content-Length": str(meta["size_bytes"]),
            "ETag": f'"{meta["sha256"]}"',
            "X-Content-Type-Options": "nosniff",
            "Content-Disposition": "attachment",
        },
    )


@router.delete(
    "/applications/{application_id}/documents/{document_id}",
    tags=["documents"],
    status_code=204,
    summary="Detach a document from the draft",
)
async def remove_document(
    ctx: Ctx, who: Caller, application_id: UUID, document_id: UUID
) -> Response:
    await documents.remove(ctx, who, application_id, document_id)
    return Response(status_code=204)


@router.post(
    "/applications/{application_id}/submit",
    tags=["applications"],
    summary="Submit (or resubmit) the application; returns the receipt",
)
async def submit_application(
    ctx: Ctx, who: Caller, application_id: UUID, idempotency_key: IdempotencyKey = None
) -> dict[str, Any]:
    return await submissions.submit(ctx, who, application_id, idempotency_key)


@router.post(
    "/applications/{application_id}/withdraw",
    tags=["applications"],
    summary="Withdraw the application",
)
async def withdraw_application(ctx: Ctx, who: Caller, application_id: UUID) -> dict[str, Any]:
    return await applications.withdraw(ctx, who, application_id)


@router.get(
    "/applications/{application_id}/submissions",
    tags=["applications"],
    summary="Receipts of every submission",
)
async def list_submissions(ctx: Ctx, who: Caller, application_id: UUID) -> list[dict[str, Any]]:
    return await submissions.versions(ctx, who, application_id)


@router.get(
    "/applications/{application_id}/submissions/{version}",
    tags=["applications"],
    summary="The application exactly as submitted in that version",
)
async def get_submission(
    ctx: Ctx, who: Caller, application_id: UUID, version: Version
) -> dict[str, Any]:
    return await submissions.snapshot(ctx, who, application_id, version)
