"""The registries' REST feeds for partner agencies and operators.

Writes: a partner key holding ``registries:<name>:write``, operators and admins. Reads:
``registries:<name>:read``, operators and admins. Every write is audited and, in the same
transaction, the applications it affects are reviewed again (``after_change``).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Body, Query, Request, Response
from fastapi.encoders import jsonable_encoder
from sqlalchemy.ext.asyncio import AsyncSession

from eligibility.domain.facts import RegistryName
from eligibility.handlers.context import Eligibility
from eligibility.registries import store
from eligibility.registries.records import RecordIn
from eligibility.registries.uploads import parse_rows, validate_rows
from sfms_shared.access import Caller, forbidden
from sfms_shared.identity import Identity
from sfms_shared.inputs import INT64_MAX
from sfms_shared.pagination import Page, page_of
from sfms_shared.problems import Problem

AfterChange = Callable[[AsyncSession, set[str], datetime], Awaitable[None]]


def may(who: Identity, registry: str, access: str) -> bool:
    staff = who.is_admin or "operator" in who.roles
    return staff or ("partner" in who.roles and f"registries:{registry}:{access}" in who.scopes)


def _require(who: Identity, registry: str, access: str) -> None:
    if not may(who, registry, access):
        action = "write to" if access == "write" else "read"
        raise forbidden(f"{action} the {registry} registry", f"{registry} 등록부를 사용할")


def _record_json(row: Any) -> dict[str, Any]:
    return jsonable_encoder(
        {
            "record_key": row.record_key,
            "version": row.version,
            "brn": row.brn,
            **row.data,
            "withdrawn": row.withdrawn,
            "recorded_at": row.recorded_at,
            "recorded_by": row.recorded_by,
        }
    )


def registries_router(after_change: AfterChange | None = None) -> APIRouter:
    router = APIRouter(prefix="/v1/registries", tags=["registries"])

    async def write(
        request: Request, who: Identity, registry: RegistryName, records: list[RecordIn]
    ) -> store.Appended:
        ctx: Eligibility = request.app.state.eligibility
        now = ctx.clock.now()
        async with ctx.sessions() as session, session.begin():
            result = await store.append(session, registry, records, who, now, ctx.correlation())
            if result.changed_brns:
                await ctx.audit.record(
                    session,
                    "registry-change",
                    registry,
                    ",".join(sorted({r.record_key for r in records}))[:200],
                    {
                        "created": result.created,
                        "withdrawn": result.withdrawn,
                        "brns": sorted(result.changed_brns),
                    },
                    actor=who,
                )
                if after_change is not None:
                    await after_change(session, set(result.changed_brns), now)
        ctx.outbox.notify()
        return result

    @router.post(
        "/{registry}/records",
        summary="Record one registry entry (a new version of it, if it changed)",
        responses={200: {"description": "Unchanged: the same as the current version"}},
        status_code=201,
    )
    async def post_record(
        request: Request,
        response: Response,
        who: Caller,
        registry: RegistryName,
        record: Annotated[dict[str, Any], Body(description="One record of this registry")],
    ) -> dict[str, Any]:
        _require(who, registry, "write")
        (parsed,) = validate_rows(registry, [record])
        result = await write(request, who, registry, [parsed])
        if not result.changed_brns:
            response.status_code = 200
        return {"changed": bool(result.changed_brns), **_counts(result)}

    @router.post(
        "/{registry}/uploads",
        summary="Bulk upload: a JSON array or a CSV file, all or nothing",
        openapi_extra={
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {"schema": {"type": "array", "items": {"type": "object"}}},
                    "text/csv": {"schema": {"type": "string"}},
                },
            }
        },
    )
    async def upload(request: Request, who: Caller, registry: RegistryName) -> dict[str, Any]:
        _require(who, registry, "write")
        records = parse_rows(
            registry, request.headers.get("content-type", ""), await request.body()
        )
        return _counts(await write(request, who, registry, records))

    @router.get("/{registry}/records", summary="Current records, as known at an instant")
    async def list_records(
        request: Request,
        who: Caller,
        registry: RegistryName,
        brn: Annotated[str | None, Query(pattern=r"^\d{10}$")] = None,
        known_at: Annotated[
            datetime | None, Query(description="ISO instant with offset; default: now")
        ] = None,
        limit: Annotated[int, Query(ge=1, le=200)] = 50,
        cursor: Annotated[int | None, Query(ge=1, le=INT64_MAX)] = None,
    ) -> Page:
        _require(who, registry, "read")
        if known_at is not None and known_at.tzinfo is None:
            raise Problem.for_field(
                422,
                "naive-instant",
                "known_at",
                "known_at needs a UTC offset (e.g. 2026-06-16T17:00:00+09:00)",
                "known_at에 UTC 오프셋이 필요합니다(예: 2026-06-16T17:00:00+09:00)",
            )
        ctx: Eligibility = request.app.state.eligibility
        async with ctx.sessions() as session:
            rows = await store.current_records(session, registry, known_at, brn, cursor, limit)
        items = [{**_record_json(r), "id": r.id} for r in rows]
        return page_of(items, limit, lambda item: str(item["id"]))

    @router.get("/{registry}/records/{record_key}/versions", summary="Every version of one record")
    async def record_versions(
        request: Request, who: Caller, registry: RegistryName, record_key: str
    ) -> list[dict[str, Any]]:
        _require(who, registry, "read")
        ctx: Eligibility = request.app.state.eligibility
        async with ctx.sessions() as session:
            rows = await store.versions(session, registry, record_key)
        if not rows:
            raise Problem.for_field(
                404,
                "record-not-found",
                "record_key",
                f"No {registry} record {record_key}",
                f"{registry} 등록부에 {record_key} 기록이 없습니다",
            )
        return [_record_json(r) for r in rows]

    return router


def _counts(result: store.Appended) -> dict[str, Any]:
    return {
        "created": result.created,
        "unchanged": result.unchanged,
        "withdrawn": result.withdrawn,
        "changed_brns": sorted(result.changed_brns),
    }
