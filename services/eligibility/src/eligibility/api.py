"""Eligibility's REST API: decision traces, overrides, replay, the operators' queue."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from fastapi.encoders import jsonable_encoder
from sqlalchemy.ext.asyncio import AsyncSession

from eligibility.handlers import decisions, exports
from eligibility.handlers.context import Eligibility
from eligibility.handlers.review import latest_decision
from sfms_shared.access import Caller
from sfms_shared.contracts.decisions import Verdict
from sfms_shared.exports import EXPORT_RESPONSES, ExportFormat, download
from sfms_shared.inputs import INT32_MAX
from sfms_shared.pagination import Page, uuid_cursor


def eligibility(request: Request) -> Eligibility:
    return request.app.state.eligibility


Ctx = Annotated[Eligibility, Depends(eligibility)]
Sequence = Annotated[int, Path(ge=1, le=INT32_MAX, description="Decision number (from 1)")]

router = APIRouter(prefix="/v1/decisions", tags=["decisions"])


@router.get("", summary="Latest decision per application (operators: the needs-review queue)")
async def list_decisions(
    ctx: Ctx,
    who: Caller,
    call_id: Annotated[str | None, Query(max_length=100)] = None,
    verdict: Verdict | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    cursor: Annotated[str | None, Query(description="next_cursor from the previous page")] = None,
) -> Page:
    page = await decisions.list_decisions(ctx, who, call_id, verdict, limit, uuid_cursor(cursor))
    return Page(items=jsonable_encoder(page.items), next_cursor=page.next_cursor)


@router.get(
    "/export",
    summary="A call's latest decisions with their reasons, as CSV or XLSX (operators)",
    response_class=Response,
    responses=EXPORT_RESPONSES,
)
async def export_decisions(
    ctx: Ctx,
    who: Caller,
    call_id: Annotated[str, Query(max_length=100, pattern=r"^[a-z0-9][a-z0-9-]*$")],
    format: ExportFormat = "xlsx",
) -> Response:
    lines = await exports.results(ctx, who, call_id)
    return download(format, "요건검토 결과", f"{call_id}-review-results", exports.HEADERS, lines)


@router.get(
    "/{application_id}",
    summary="The decision trace: every rule with its inputs, outcome, reason, source, overrides",
)
async def decision_trace(ctx: Ctx, who: Caller, application_id: UUID) -> dict[str, Any]:
    return jsonable_encoder(await decisions.decision_trace(ctx, who, application_id))


@router.get("/{application_id}/versions/{sequence}", summary="One earlier decision, in full")
async def decision_version(
    ctx: Ctx, who: Caller, application_id: UUID, sequence: Sequence
) -> dict[str, Any]:
    return jsonable_encoder(await decisions.decision_trace(ctx, who, application_id, sequence))


@router.post(
    "/{application_id}/overrides",
    status_code=201,
    summary="Resolve a needs-review rule or override an outcome, with a reason (operators)",
)
async def override_rule(
    ctx: Ctx, who: Caller, application_id: UUID, request: decisions.OverrideRequest
) -> dict[str, Any]:
    return jsonable_encoder(await decisions.override_rule(ctx, who, application_id, request))


@router.post(
    "/{application_id}/versions/{sequence}/replay",
    summary="Make a stored decision again from its stored inputs and rule set (operators)",
)
async def replay(ctx: Ctx, who: Caller, application_id: UUID, sequence: Sequence) -> dict[str, Any]:
    return jsonable_encoder(await decisions.replay_decision(ctx, who, application_id, sequence))


async def review_status(session: AsyncSession, application_id: UUID) -> dict[str, Any] | None:
    """What the gateway's aggregated status shows for requirement review."""
    row = await latest_decision(session, application_id)
    if row is None:
        return {"state": "under-review"}
    return {"state": row.verdict, "decision": row.sequence, "decided_at": row.decided_at}
