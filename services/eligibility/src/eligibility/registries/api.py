"""The registries' REST feeds for partner agencies and operators.

Writes: a partner key holding ``registries:<name>:write``, operators and admins. Reads:
``registries:<name>:read``, operators and admins. Every write that changes something is
audited and, in the same transaction, handed to ``after_change`` with the BRNs it changed
(the applications they affect are reviewed again there).
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
from eligibility.registries.uploads import parse_rows, validate_record
from sfms_shared.access import Caller, forbidden
from sfms_shared.identity import Identity
from sfms_shared.inputs import INT64_MAX
from sfms_shared.openapi import problem_response
from sfms_shared.pagination import Page, page_of
from sfms_shared.problems import Problem

AfterChange = Callable[[AsyncSession, set[str], datetime], Awaitable[None]]


def may(who: Identity, registry: str, access: str) -> bool:
    staff = who.is_admin or "operator" in who.roles
    return staff or ("partner" in who.roles and f"registries:{registry}:{access}" in who.scopes)


def _require(who: Identity, registry: str, access: str) -> None:
    if not may(who, registry, access):
        if access == "write":
            raise forbidden(f"write to the {registry} registry", f"{registry} 등록부에 기록할")
        raise forbidden(f"read the {registry} registry", f"{registry} 등록부를 조회할")


def _record_json(stored: store.Version) -> dict[str, Any]:
    return jsonable_encoder(
        {
            "record_key": stored.record_key,
            "version": stored.version,
            "brn": stored.brn,
            **stored.data,
            "withdrawn": stored.withdrawn,
            "recorded_at": stored.recorded_at,
            "recorded_by": stored.recorded_by,
        }
    )


def _audited_change(result: store.Appended) -> dict[str, Any]:
    return {
        **_counts(result),
        "versions": {v.record_key: v.version for v in result.written},
    }


def _nothing_to_withdraw(registry: str, record_key: str) -> Problem:
    return Problem.for_field(
        404,
        "record-not-found",
        "record_key",
        f"No {registry} record {record_key} to withdraw",
        f"{registry} 등록부에 철회할 {record_key} 기록이 없습니다",
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
            if result.written:
                await ctx.audit.record(
                    session,
                    "registry-change",
                    "registry",
                    registry,
                    _audited_change(result),
                    actor=who,
                )
                if after_change is not None:
                    await after_change(session, set(result.changed_brns), now)
        ctx.outbox.notify()
        return result

    @router.post(
        "/{registry}/records",
        summary="Record one registry entry (a new version of it, if it changed)",
        responses={200: {"description": "Unchanged: the current version, which says the same"}},
        status_code=201,
    )
    async def post_record(
        request: Request,
        response: Response,
        who: Caller,
        registry: RegistryName,
        record: Annotated[dict[str, Any], Body(description="One record of this registry")],
    ) -> dict[str, Any]:
        """The stored version (201), or the current one when nothing changed (200)."""
        _require(who, registry, "write")
        parsed = validate_record(registry, record)
        result = await write(request, who, registry, [parsed])
        stored = result.current.get(parsed.record_key)
        if stored is None:
            raise _nothing_to_withdraw(registry, parsed.record_key)
        if not result.written:
            response.status_code = 200
        return {**_record_json(stored), "changed": bool(result.written)}

    @router.post(
        "/{registry}/uploads",
        summary="Bulk upload: a JSON array or a CSV file, all or nothing",
        responses={415: problem_response(415)},
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
        items = [{**_record_json(store.Version.of(r)), "id": r.id} for r in rows]
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
