"""The common start of every service downstream of intake: consume intake's events into
its own replicas and show what it has received. Each service adds its own domain on top."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query, Request
from fastapi.encoders import jsonable_encoder
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from sfms_shared.access import Caller, forbidden
from sfms_shared.identity import Identity
from sfms_shared.pagination import Page, page_of, uuid_cursor
from sfms_shared.policy import (
    RECEIVED_FEED,
    calls_in_scope,
    may_read_application,
    reads_across_calls,
)
from sfms_shared.problems import Problem
from sfms_shared.replicas import IntakeReplicas

StatusOf = Callable[[AsyncSession, UUID], Awaitable[dict[str, Any] | None]]


def received_router(replicas: IntakeReplicas, status_of: StatusOf | None = None) -> APIRouter:
    """``status_of`` adds what the service itself knows of an application to its status."""
    router = APIRouter(prefix="/v1", tags=["received applications"])
    table = replicas.applications

    @router.get(
        "/received-applications", summary="Applications this service has received from intake"
    )
    async def list_received(
        request: Request,
        reader: Caller,
        call_id: str | None = None,
        limit: Annotated[int, Query(ge=1, le=200)] = 50,
        cursor: str | None = None,
    ) -> Page:
        query = (
            select(
                table.c.application_id,
                table.c.call_id,
                table.c.submission_version,
                table.c.receipt_number,
                table.c.received_at,
                table.c.status,
            )
            .order_by(table.c.application_id)
            .limit(limit)
        )
        if not reads_across_calls(reader, RECEIVED_FEED):
            raise forbidden("list received applications", "접수 목록을 조회할")
        if call_id:
            query = query.where(table.c.call_id == call_id)
        if (scope := calls_in_scope(reader)) is not None:
            query = query.where(table.c.call_id.in_(sorted(scope)))
        if after := uuid_cursor(cursor):
            query = query.where(table.c.application_id > after)
        async with request.app.state.runtime.sessions() as session:
            rows = (await session.execute(query)).all()
        items = [jsonable_encoder(dict(row._mapping)) for row in rows]
        return page_of(items, limit, lambda item: item["application_id"])

    @router.get("/received-applications/{application_id}", summary="One received application")
    async def get_received(
        request: Request, reader: Caller, application_id: UUID
    ) -> dict[str, Any]:
        async with request.app.state.runtime.sessions() as session:
            row = await replicas.application(session, application_id)
        if row is None or not _may_read(reader, row):
            raise _not_received()
        return jsonable_encoder(row)

    @router.get(
        "/application-status/{application_id}",
        summary="Where the application stands in this service (for the gateway's status view)",
    )
    async def application_status(
        request: Request, reader: Caller, application_id: UUID
    ) -> dict[str, Any]:
        async with request.app.state.runtime.sessions() as session:
            row = await replicas.application(session, application_id)
            own = await status_of(session, application_id) if status_of and row else None
        if row is None or not _may_read(reader, row):
            raise _not_received()
        return jsonable_encoder(
            {
                "state": "received" if row["status"] == "submitted" else row["status"],
                "submission_version": row["submission_version"],
                "received_at": row["received_at"],
                **(own or {}),
            }
        )

    return router


def _not_received() -> Problem:
    return Problem.for_field(
        404,
        "application-not-received",
        "application_id",
        "This service has not received that application",
        "이 서비스가 받은 신청이 아닙니다",
    )


def _may_read(reader: Identity, row: dict[str, Any]) -> bool:
    snapshot = row["snapshot"]
    return may_read_application(
        reader,
        row["call_id"],
        snapshot["applicant"]["brn"],
        [member["brn"] for member in snapshot.get("consortium", ())],
        feed=RECEIVED_FEED,
    )
