"""Matching's REST API: the pools (supplier registration, planner recruitment), matches
with explained recommendations, proposals and answers, and the operators' optimiser."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse
from sqlalchemy.ext.asyncio import AsyncSession

from matching.api_models import (
    AnswerIn,
    BusinessPlanIn,
    CallId,
    DesignationIn,
    OptimiserIn,
    PlannerApplicationIn,
    Profile,
    ProposalIn,
    Role,
)
from matching.handlers import consent, exports, optimise, plans, pools
from matching.handlers.context import Matching
from matching.models import idempotency_record
from sfms_shared.access import Caller
from sfms_shared.exports import EXPORT_RESPONSES, ExportFormat, download
from sfms_shared.idempotency import Create, IdempotencyKey, idempotent
from sfms_shared.pagination import Page, page_of, uuid_cursor

Limit = Annotated[int, Query(ge=1, le=200, description="Page size (at most 200)")]
Cursor = Annotated[str | None, Query(description="next_cursor from the previous page")]


def matching(request: Request) -> Matching:
    return request.app.state.matching


Ctx = Annotated[Matching, Depends(matching)]
router = APIRouter(prefix="/v1")


async def _create(
    ctx: Matching, scope: str, key: str | None, body: dict[str, Any], run: Create
) -> JSONResponse:
    status, answer = await idempotent(
        ctx.sessions, idempotency_record, ctx.clock, scope, key, body, run
    )
    ctx.outbox.notify()  # what the create put in the outbox is committed now
    return JSONResponse(answer, status_code=status)


# Supplier pool (공급기업 Pool) ---------------------------------------------------------


@router.post("/suppliers", tags=["pools"], status_code=201, summary="Ask to join the supplier pool")
async def register_supplier(
    ctx: Ctx, who: Caller, body: Profile, idempotency_key: IdempotencyKey = None
) -> JSONResponse:
    data = body.model_dump(mode="json")

    async def run(session: AsyncSession) -> tuple[int, Any]:
        return 201, await pools.register_supplier(ctx, session, who, data)

    return await _create(ctx, f"suppliers:{who.subject}", idempotency_key, data, run)


@router.get("/suppliers", tags=["pools"], summary="The supplier pool")
async def list_suppliers(ctx: Ctx, who: Caller, limit: Limit = 50, cursor: Cursor = None) -> Page:
    rows = await pools.listing(ctx, who, "supplier", None, limit, uuid_cursor(cursor))
    return page_of(jsonable_encoder(rows), limit, lambda r: r["id"])


@router.post(
    "/suppliers/{member_id}/approval",
    tags=["pools"],
    summary="Approve a supplier's registration (operators)",
)
async def approve_supplier(ctx: Ctx, who: Caller, member_id: UUID) -> dict[str, Any]:
    return jsonable_encoder(await pools.approve_supplier(ctx, who, member_id))


@router.get("/pool-members/{member_id}", tags=["pools"], summary="One planner or supplier")
async def get_member(ctx: Ctx, who: Caller, member_id: UUID) -> dict[str, Any]:
    return jsonable_encoder(await pools.one(ctx, who, member_id))


# Planner pool (기획기관 Pool) per call ---------------------------------------------------


@router.post(
    "/calls/{call_id}/planner-applications",
    tags=["pools"],
    status_code=201,
    summary="Apply in the call's planner recruitment (requirements reviewed at once)",
)
async def apply_planner(
    ctx: Ctx,
    who: Caller,
    call_id: CallId,
    body: PlannerApplicationIn,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    data = body.model_dump(mode="json")

    async def run(session: AsyncSession) -> tuple[int, Any]:
        return 201, await pools.apply_planner(ctx, session, who, call_id, data)

    body_key = {"call_id": call_id, **data}
    return await _create(ctx, f"planners:{who.subject}", idempotency_key, body_key, run)


@router.post(
    "/calls/{call_id}/planner-designations",
    tags=["pools"],
    status_code=201,
    summary="Designate a planner by default (regional technoparks; operators)",
)
async def designate_planner(
    ctx: Ctx,
    who: Caller,
    call_id: CallId,
    body: DesignationIn,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    data = body.model_dump(mode="json")

    async def run(session: AsyncSession) -> tuple[int, Any]:
        return 201, await pools.designate_planner(ctx, session, who, call_id, data)

    return await _create(ctx, "designations", idempotency_key, {"call_id": call_id, **data}, run)


@router.get("/calls/{call_id}/planners", tags=["pools"], summary="The call's planner pool")
async def list_planners(
    ctx: Ctx, who: Caller, call_id: CallId, limit: Limit = 50, cursor: Cursor = None
) -> Page:
    rows = await pools.listing(ctx, who, "planner", call_id, limit, uuid_cursor(cursor))
    return page_of(jsonable_encoder(rows), limit, lambda r: r["id"])


# Matches, recommendations, consent -------------------------------------------------


@router.get(
    "/matches/{application_id}",
    tags=["matches"],
    summary="An application's match: its state and every proposal",
)
async def get_match(ctx: Ctx, who: Caller, application_id: UUID) -> dict[str, Any]:
    return jsonable_encoder(await consent.read(ctx, who, application_id))


@router.get(
    "/matches/{application_id}/recommendations",
    tags=["matches"],
    summary="Planners (for the applicant) or suppliers (for its planner) ranked by fit, with why",
)
async def get_recommendations(
    ctx: Ctx,
    who: Caller,
    application_id: UUID,
    role: Role,
    limit: Annotated[int, Query(ge=1, le=50)] = 10,
) -> dict[str, Any]:
    return jsonable_encoder(await consent.recommendations(ctx, who, application_id, role, limit))


@router.post(
    "/matches/{application_id}/proposals",
    tags=["matches"],
    summary="Propose a planner (the applicant) or suppliers (the accepted planner)",
)
async def make_proposal(
    ctx: Ctx, who: Caller, application_id: UUID, body: ProposalIn
) -> dict[str, Any]:
    answer = await consent.propose(ctx, who, application_id, body.role, body.member_ids)
    return jsonable_encoder(answer)


@router.post(
    "/matches/{application_id}/proposals/{proposal_id}/answer",
    tags=["matches"],
    summary="Accept or decline a proposal (the proposed planner or supplier)",
)
async def answer_proposal(
    ctx: Ctx, who: Caller, application_id: UUID, proposal_id: UUID, body: AnswerIn
) -> dict[str, Any]:
    answer = await consent.answer(ctx, who, application_id, proposal_id, body.accept, body.reason)
    return jsonable_encoder(answer)


# Optimiser ---------------------------------------------------------------------------


@router.post(
    "/calls/{call_id}/optimiser-runs",
    tags=["optimiser"],
    summary="Propose planners (or lead suppliers) for every waiting match at once (operators)",
)
async def run_optimiser(
    ctx: Ctx, who: Caller, call_id: CallId, body: OptimiserIn
) -> dict[str, Any]:
    return jsonable_encoder(await optimise.run(ctx, who, call_id, body.role, body.seed))


@router.post(
    "/matches/{application_id}/business-plan",
    tags=["matches"],
    status_code=201,
    summary="Submit (or revise) the business plan after planning support (the planner)",
)
async def submit_business_plan(
    ctx: Ctx,
    who: Caller,
    application_id: UUID,
    body: BusinessPlanIn,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    data = body.model_dump(mode="json")

    async def run(session: AsyncSession) -> tuple[int, Any]:
        return 201, await plans.submit(ctx, session, who, application_id, data["title"])

    body_key = {"application_id": str(application_id), **data}
    return await _create(ctx, f"plans:{who.subject}", idempotency_key, body_key, run)


@router.get(
    "/calls/{call_id}/matches/export",
    tags=["matches"],
    summary="The call's matches as CSV or XLSX (operators)",
    response_class=Response,
    responses=EXPORT_RESPONSES,
)
async def export_matches(
    ctx: Ctx, who: Caller, call_id: CallId, format: ExportFormat = "xlsx"
) -> Response:
    lines = await exports.matches(ctx, who, call_id)
    return download(format, "매칭 현황", f"{call_id}-matches", exports.HEADERS, lines)
