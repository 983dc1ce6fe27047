"""Settlement's REST API: budget checks and the settlement fee, binding budget reviews,
agreements with the cost review's cuts, the planners' payables, and settlements."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse
from sqlalchemy.ext.asyncio import AsyncSession

from settlement.api_models import (
    AgreementIn,
    BudgetCheckIn,
    CallId,
    CutIn,
    Krw,
    ReversalIn,
    SettlementIn,
)
from settlement.domain.budget import Figures
from settlement.handlers import agreements, exports, payables, reviews, settlements
from settlement.handlers.context import Settlement
from settlement.models import idempotency_record
from settlement.reports import settlement_report
from sfms_shared.access import Caller
from sfms_shared.etags import IfMatch, etag
from sfms_shared.exports import EXPORT_RESPONSES, XLSX, ExportFormat, download
from sfms_shared.idempotency import Create, IdempotencyKey, idempotent
from sfms_shared.pagination import Page, page_of, uuid_cursor
from sfms_shared.problems import Problem

Limit = Annotated[int, Query(ge=1, le=200, description="Page size (at most 200)")]
Cursor = Annotated[str | None, Query(description="next_cursor from the previous page")]
Version = Annotated[int | None, Query(ge=1, le=1_000_000, description="Call version (latest)")]


def settlement(request: Request) -> Settlement:
    return request.app.state.settlement


Ctx = Annotated[Settlement, Depends(settlement)]
router = APIRouter(prefix="/v1")


# Budgets and fees ----------------------------------------------------------------------


@router.post(
    "/calls/{call_id}/budget-checks",
    tags=["budgets"],
    summary="Check a draft budget against the call's rules (advice; nothing is stored)",
)
async def check_budget(
    ctx: Ctx, who: Caller, call_id: CallId, body: BudgetCheckIn, version: Version = None
) -> dict[str, Any]:
    return jsonable_encoder(await reviews.advise(ctx, call_id, version, body))


@router.get(
    "/calls/{call_id}/settlement-fee",
    tags=["budgets"],
    summary="The settlement fee (정산 수수료) for a total project cost, explained",
)
async def settlement_fee(
    ctx: Ctx,
    who: Caller,
    call_id: CallId,
    government_krw: Krw,
    private_cash_krw: Krw,
    private_in_kind_krw: Krw = 0,
    version: Version = None,
) -> dict[str, Any]:
    """총사업비 = 정부출연금 + 민간부담금(현금·현물), VAT excluded (001 §6)."""
    async with ctx.sessions() as session:
        call = await ctx.call(session, call_id, version)
    figures = Figures(government_krw, private_cash_krw, private_in_kind_krw)
    return reviews.settlement_fee(call, figures)


@router.get(
    "/applications/{application_id}/budget-review",
    tags=["budgets"],
    summary="The binding budget review of a submitted application",
)
async def budget_review(ctx: Ctx, who: Caller, application_id: UUID) -> dict[str, Any]:
    return jsonable_encoder(await reviews.binding(ctx, who, application_id))


# Agreements (협약) ----------------------------------------------------------------------


async def _create(
    ctx: Settlement, scope: str, key: str | None, body: dict[str, Any], run: Create
) -> JSONResponse:
    status, answer = await idempotent(
        ctx.sessions, idempotency_record, ctx.clock, scope, key, body, run
    )
    return JSONResponse(answer, status_code=status)


def _with_etag(body: dict[str, Any], response: Response) -> dict[str, Any]:
    response.headers["ETag"] = etag(body["id"], body["revision"])
    return jsonable_encoder(body)


@router.post(
    "/agreements",
    tags=["agreements"],
    status_code=201,
    summary="Draft the agreement of a finally selected application (operators)",
)
async def draft_agreement(
    ctx: Ctx, who: Caller, body: AgreementIn, idempotency_key: IdempotencyKey = None
) -> JSONResponse:
    data = body.model_dump(mode="json")

    async def run(session: AsyncSession) -> tuple[int, Any]:
        return 201, await agreements.draft(ctx, session, who, body.application_id, body.starts_on)

    return await _create(ctx, f"agreements:{who.subject}", idempotency_key, data, run)


@router.get("/calls/{call_id}/agreements", tags=["agreements"], summary="A call's agreements")
async def list_agreements(
    ctx: Ctx, who: Caller, call_id: CallId, limit: Limit = 50, cursor: Cursor = None
) -> Page:
    rows = await agreements.listing(ctx, who, call_id, limit, uuid_cursor(cursor))
    return page_of(jsonable_encoder(rows), limit, lambda r: r["id"])


@router.get("/agreements/{agreement_id}", tags=["agreements"], summary="An agreement")
async def get_agreement(
    ctx: Ctx, who: Caller, agreement_id: UUID, response: Response
) -> dict[str, Any]:
    return _with_etag(await agreements.read(ctx, who, agreement_id), response)


@router.post(
    "/agreements/{agreement_id}/cuts",
    tags=["agreements"],
    summary="Cut a line after the on-site cost review, with the reason (operators; If-Match)",
)
async def cut_agreement_line(
    ctx: Ctx,
    who: Caller,
    agreement_id: UUID,
    body: CutIn,
    response: Response,
    if_match: IfMatch = None,
) -> dict[str, Any]:
    amounts = body.model_dump(exclude={"line", "reason"})
    found = await agreements.cut_line(
        ctx, who, agreement_id, body.line, amounts, body.reason, if_match
    )
    return _with_etag(found, response)


@router.post(
    "/agreements/{agreement_id}/signature",
    tags=["agreements"],
    summary="Sign the agreement once its budget passes every rule (operators; If-Match)",
)
async def sign_agreement(
    ctx: Ctx, who: Caller, agreement_id: UUID, response: Response, if_match: IfMatch = None
) -> dict[str, Any]:
    return _with_etag(await agreements.sign(ctx, who, agreement_id, if_match), response)


# Settlement (정산) ---------------------------------------------------------------------


@router.put(
    "/agreements/{agreement_id}/settlement",
    tags=["settlements"],
    summary="Settle a signed agreement from what each line executed (operators; replaces)",
)
async def put_settlement(
    ctx: Ctx, who: Caller, agreement_id: UUID, body: SettlementIn
) -> dict[str, Any]:
    executed = [e.model_dump() for e in body.executed]
    paid = {p.year: p.government_krw for p in body.paid}
    if len(paid) != len(body.paid):
        raise Problem.for_field(
            422, "duplicate-year", "paid", "A year is given twice", "연차가 두 번 있습니다"
        )
    return jsonable_encoder(await settlements.record(ctx, who, agreement_id, executed, paid))


@router.get(
    "/agreements/{agreement_id}/settlement",
    tags=["settlements"],
    summary="An agreement's settlement: government share due and recovery (환수)",
)
async def get_settlement(ctx: Ctx, who: Caller, agreement_id: UUID) -> dict[str, Any]:
    _, settled = await settlements.read(ctx, who, agreement_id)
    return jsonable_encoder(settled)


@router.get(
    "/agreements/{agreement_id}/settlement/report",
    tags=["settlements"],
    summary="The settlement report an accounting firm audits line by line (XLSX)",
    response_class=Response,
    responses={200: {"content": {XLSX: {"schema": {"type": "string", "format": "binary"}}}}},
)
async def settlement_report_xlsx(ctx: Ctx, who: Caller, agreement_id: UUID) -> Response:
    _, settled = await settlements.read(ctx, who, agreement_id)
    return Response(
        settlement_report(jsonable_encoder(settled)),
        media_type=XLSX,
        headers={"Content-Disposition": f'attachment; filename="settlement-{agreement_id}.xlsx"'},
    )


# Planner payables ----------------------------------------------------------------------


@router.get(
    "/planners/{brn}/payables",
    tags=["payables"],
    summary="A planner's statement: milestone payments and reversals (the planner, operators)",
)
async def planner_statement(
    ctx: Ctx,
    who: Caller,
    brn: Annotated[str, Path(pattern=r"^\d{10}$")],
    limit: Limit = 50,
    cursor: Cursor = None,
) -> dict[str, Any]:
    found = await payables.statement(
        ctx, who, planner_brn=brn, limit=limit, cursor=uuid_cursor(cursor)
    )
    return jsonable_encoder(found)


@router.get(
    "/calls/{call_id}/payables",
    tags=["payables"],
    summary="A call's payables to planners (operators)",
)
async def call_statement(
    ctx: Ctx, who: Caller, call_id: CallId, limit: Limit = 50, cursor: Cursor = None
) -> dict[str, Any]:
    found = await payables.statement(
        ctx, who, call_id=call_id, limit=limit, cursor=uuid_cursor(cursor)
    )
    return jsonable_encoder(found)


@router.get(
    "/calls/{call_id}/payables/export",
    tags=["payables"],
    summary="A call's payables to planners as CSV or XLSX (operators)",
    response_class=Response,
    responses=EXPORT_RESPONSES,
)
async def export_payables(
    ctx: Ctx, who: Caller, call_id: CallId, format: ExportFormat = "xlsx"
) -> Response:
    lines = await exports.payables(ctx, who, call_id)
    return download(format, "기획기관 지급", f"{call_id}-payables", exports.PAYABLE_HEADERS, lines)


@router.get(
    "/calls/{call_id}/settlements/export",
    tags=["settlements"],
    summary="A call's settlements (paid, due, recovered) as CSV or XLSX (operators)",
    response_class=Response,
    responses=EXPORT_RESPONSES,
)
async def export_settlements(
    ctx: Ctx, who: Caller, call_id: CallId, format: ExportFormat = "xlsx"
) -> Response:
    lines = await exports.settlements(ctx, who, call_id)
    return download(
        format, "정산 현황", f"{call_id}-settlements", exports.SETTLEMENT_HEADERS, lines
    )


@router.post(
    "/payables/{entry_id}/reversals",
    tags=["payables"],
    status_code=201,
    summary="Reverse a payable entry with a reason (operators; entries are never changed)",
)
async def reverse_payable(
    ctx: Ctx,
    who: Caller,
    entry_id: UUID,
    body: ReversalIn,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    data = {"entry_id": str(entry_id), **body.model_dump()}

    async def run(session: AsyncSession) -> tuple[int, Any]:
        return 201, await payables.reverse(ctx, session, who, entry_id, body.reason)

    return await _create(ctx, f"reversals:{who.subject}", idempotency_key, data, run)
