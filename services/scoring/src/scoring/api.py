"""Scoring's REST API: evaluators and panels, evaluations and score sheets, stage
completion, rankings and their exports."""

from __future__ import annotations

from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import APIRouter, Depends, Query, Request
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse, Response
from sqlalchemy.ext.asyncio import AsyncSession

from scoring.api_models import (
    AssignmentIn,
    BonusIn,
    CallId,
    Code,
    ComponentIn,
    ConfirmationIn,
    DeclarationIn,
    EvaluatorIn,
    PanelIn,
    ReopenIn,
    SheetIn,
    StageName,
)
from scoring.handlers import evaluations, evaluators, rankings, sheets, stages
from scoring.handlers.context import Scoring
from scoring.models import idempotency_record
from sfms_shared.access import Caller
from sfms_shared.idempotency import IdempotencyKey, idempotent
from sfms_shared.pagination import Page, page_of, uuid_cursor

Limit = Annotated[int, Query(ge=1, le=200, description="Page size (at most 200)")]
Cursor = Annotated[str | None, Query(description="next_cursor from the previous page")]


def scoring(request: Request) -> Scoring:
    return request.app.state.scoring


Ctx = Annotated[Scoring, Depends(scoring)]
router = APIRouter(prefix="/v1")


def _json(value: Any) -> Any:
    return jsonable_encoder(value)


# Evaluators (평가위원) -----------------------------------------------------------------


@router.post("/evaluators", tags=["evaluators"], status_code=201, summary="Register an evaluator")
async def register_evaluator(
    ctx: Ctx, who: Caller, body: EvaluatorIn, idempotency_key: IdempotencyKey = None
) -> JSONResponse:
    async def run(session: AsyncSession) -> tuple[int, Any]:
        return 201, await evaluators.register(ctx, session, who, body.model_dump(mode="json"))

    status, answer = await idempotent(
        ctx.sessions,
        idempotency_record,
        ctx.clock,
        "evaluators",
        idempotency_key,
        body.model_dump(mode="json"),
        run,
    )
    return JSONResponse(answer, status_code=status)


@router.get("/evaluators", tags=["evaluators"], summary="The evaluator registry")
async def list_evaluators(ctx: Ctx, who: Caller, limit: Limit = 50, cursor: Cursor = None) -> Page:
    rows = await evaluators.listing(ctx, who, limit, uuid_cursor(cursor))
    return page_of(_json(rows), limit, lambda r: r["id"])


@router.get("/evaluators/{evaluator_id}", tags=["evaluators"], summary="One evaluator")
async def get_evaluator(ctx: Ctx, who: Caller, evaluator_id: UUID) -> dict[str, Any]:
    return _json(await evaluators.one(ctx, who, evaluator_id))


@router.post(
    "/evaluators/{evaluator_id}/declarations",
    tags=["evaluators"],
    summary="Declare a conflict of interest (a relationship with an organisation)",
)
async def declare(ctx: Ctx, who: Caller, evaluator_id: UUID, body: DeclarationIn) -> dict[str, Any]:
    return _json(await evaluators.declare(ctx, who, evaluator_id, body.model_dump()))


# Panels and assignment --------------------------------------------------------------


@router.post(
    "/calls/{call_id}/stages/{stage}/panels",
    tags=["panels"],
    status_code=201,
    summary="Form a panel (평가위원회) for a stage of a call",
)
async def create_panel(
    ctx: Ctx,
    who: Caller,
    call_id: CallId,
    stage: StageName,
    body: PanelIn,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    async def run(session: AsyncSession) -> tuple[int, Any]:
        return 201, await evaluators.create_panel(
            ctx, session, who, call_id, stage, body.name, body.evaluator_ids
        )

    status, answer = await idempotent(
        ctx.sessions,
        idempotency_record,
        ctx.clock,
        "panels",  # the call and stage are in the fingerprint: a key is one request
        idempotency_key,
        {"call_id": call_id, "stage": stage, **body.model_dump(mode="json")},
        run,
    )
    return JSONResponse(answer, status_code=status)


@router.get("/calls/{call_id}/stages/{stage}/panels", tags=["panels"], summary="A stage's panels")
async def list_panels(
    ctx: Ctx,
    who: Caller,
    call_id: CallId,
    stage: StageName,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Page:
    rows = await evaluators.panels(ctx, who, call_id, stage, limit, uuid_cursor(cursor))
    return page_of(_json(rows), limit, lambda r: r["id"])


@router.post(
    "/calls/{call_id}/stages/{stage}/assignment",
    tags=["panels"],
    summary="Assign the stage's applications to panels: balanced, never to a conflicted evaluator",
)
async def assign(
    ctx: Ctx, who: Caller, call_id: CallId, stage: StageName, body: AssignmentIn
) -> dict[str, Any]:
    return _json(await evaluators.assign_stage(ctx, who, call_id, stage, body.seed))


# Evaluations and score sheets -------------------------------------------------------


@router.get(
    "/calls/{call_id}/stages/{stage}/evaluations",
    tags=["evaluations"],
    summary="A stage's evaluations (operators: all; evaluators: those assigned to them)",
)
async def list_evaluations(
    ctx: Ctx,
    who: Caller,
    call_id: CallId,
    stage: StageName,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Page:
    rows = await evaluations.listing(ctx, who, call_id, stage, limit, uuid_cursor(cursor))
    return page_of(_json(rows), limit, lambda r: r["application_id"])


@router.get(
    "/evaluations/{application_id}/{stage}",
    tags=["evaluations"],
    summary="One evaluation: the quantitative sheet with each figure's provenance, progress, result",
)
async def get_evaluation(
    ctx: Ctx, who: Caller, application_id: UUID, stage: StageName
) -> dict[str, Any]:
    return _json(await evaluations.detail(ctx, who, application_id, stage))


@router.put(
    "/evaluations/{application_id}/{stage}/bonus",
    tags=["evaluations"],
    summary="Bonus items found untrue on site (revoked, each with a reason)",
)
async def set_bonus(
    ctx: Ctx, who: Caller, application_id: UUID, stage: StageName, body: BonusIn
) -> dict[str, Any]:
    revoked = [r.model_dump() for r in body.revoked]
    return _json(await evaluations.set_bonus(ctx, who, application_id, stage, revoked))


@router.put(
    "/evaluations/{application_id}/{stage}/components/{code}",
    tags=["evaluations"],
    summary="A final-score component given apart from the sheets (e.g. KAMP 일자리평가)",
)
async def set_component(
    ctx: Ctx, who: Caller, application_id: UUID, stage: StageName, code: Code, body: ComponentIn
) -> dict[str, Any]:
    return _json(await evaluations.set_component(ctx, who, application_id, stage, code, body.score))


@router.put(
    "/evaluations/{application_id}/{stage}/quantitative/{code}",
    tags=["evaluations"],
    summary="Confirm or correct a quantitative measure marked for confirmation, with a reason",
)
async def confirm_measure(
    ctx: Ctx,
    who: Caller,
    application_id: UUID,
    stage: StageName,
    code: Code,
    body: ConfirmationIn,
) -> dict[str, Any]:
    return _json(
        await evaluations.confirm_measure(
            ctx, who, application_id, stage, code, body.points, body.reason
        )
    )


@router.get(
    "/evaluations/{application_id}/{stage}/sheet",
    tags=["score sheets"],
    summary="The signed-in evaluator's sheet for this application",
)
async def my_sheet(ctx: Ctx, who: Caller, application_id: UUID, stage: StageName) -> dict[str, Any]:
    return _json(await sheets.mine(ctx, who, application_id, stage))


@router.put(
    "/evaluations/{application_id}/{stage}/sheet",
    tags=["score sheets"],
    summary="Save the signed-in evaluator's draft sheet",
)
async def save_sheet(
    ctx: Ctx, who: Caller, application_id: UUID, stage: StageName, body: SheetIn
) -> dict[str, Any]:
    return _json(await sheets.save(ctx, who, application_id, stage, body.model_dump()))


@router.post(
    "/evaluations/{application_id}/{stage}/sheet/submit",
    tags=["score sheets"],
    summary="Submit and lock the signed-in evaluator's sheet",
)
async def submit_sheet(
    ctx: Ctx, who: Caller, application_id: UUID, stage: StageName
) -> dict[str, Any]:
    return _json(await sheets.submit(ctx, who, application_id, stage))


@router.post(
    "/evaluations/{application_id}/{stage}/sheets/{evaluator_id}/reopen",
    tags=["score sheets"],
    summary="Reopen a submitted sheet (operators, with a reason; audited)",
)
async def reopen_sheet(
    ctx: Ctx,
    who: Caller,
    application_id: UUID,
    stage: StageName,
    evaluator_id: UUID,
    body: ReopenIn,
) -> dict[str, Any]:
    return _json(await sheets.reopen(ctx, who, application_id, stage, evaluator_id, body.reason))


# Stages, rankings, exports ----------------------------------------------------------


@router.post(
    "/calls/{call_id}/stages/{stage}/completion",
    tags=["rankings"],
    summary="Complete a stage: aggregate, rank, apply the cut-off, announce",
)
async def complete_stage(
    ctx: Ctx, who: Caller, call_id: CallId, stage: StageName
) -> dict[str, Any]:
    return _json(await stages.complete(ctx, who, call_id, stage))


@router.get(
    "/calls/{call_id}/stages/{stage}/ranking",
    tags=["rankings"],
    summary="The stage's ranking with its cut-off (the latest, or an earlier sequence)",
)
async def ranking(
    ctx: Ctx,
    who: Caller,
    call_id: CallId,
    stage: StageName,
    sequence: Annotated[int | None, Query(ge=1, le=1_000_000)] = None,
) -> dict[str, Any]:
    return _json(await rankings.ranking(ctx, who, call_id, stage, sequence))


@router.get(
    "/calls/{call_id}/stages/{stage}/ranking/export",
    tags=["rankings"],
    summary="The ranking as the selection committee reads it (CSV or XLSX, Korean headers)",
    response_class=Response,
    responses={
        200: {
            "content": {
                "text/csv": {"schema": {"type": "string"}},
                rankings.XLSX: {"schema": {"type": "string", "format": "binary"}},
            }
        }
    },
)
async def export_ranking(
    ctx: Ctx,
    who: Caller,
    call_id: CallId,
    stage: StageName,
    format: Literal["csv", "xlsx"] = "xlsx",
    sequence: Annotated[int | None, Query(ge=1, le=1_000_000)] = None,
) -> Response:
    content, media_type, filename = await rankings.export(
        ctx, who, call_id, stage, format, sequence
    )
    return Response(
        content,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
