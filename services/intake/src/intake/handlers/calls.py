"""Calls (공고): versions, publication, the seed calls."""

from __future__ import annotations

from typing import Any
from weakref import WeakKeyDictionary

from sqlalchemy import Engine, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from intake.handlers.access import check_call_operator
from intake.handlers.context import Intake
from intake.models import call_version
from sfms_shared.access import require_role
from sfms_shared.contracts.calls import CallDocument
from sfms_shared.contracts.events import CallPublishedV1
from sfms_shared.identity import ALL_CALLS, Identity
from sfms_shared.problems import Problem

# The platform itself, loading the seed calls from the repository at startup.
SEED_LOADER = Identity(subject="system:seed-calls", kind="user", roles=frozenset({"admin"}))


def _not_found(call_id: str, version: int | None = None) -> Problem:
    what = f"{call_id} v{version}" if version else call_id
    return Problem.for_field(
        404,
        "call-not-found",
        "call_id",
        f"Call {what} not found",
        f"공고 {what}을(를) 찾을 수 없습니다",
    )


async def create_version(
    ctx: Intake, session: AsyncSession, who: Identity, document: CallDocument
) -> dict[str, Any]:
    """A new draft version of a call (version = last + 1), in the caller's transaction."""
    check_call_operator(who, document.id)
    last = await session.scalar(
        select(func.max(call_version.c.version)).where(call_version.c.call_id == document.id)
    )
    version = (last or 0) + 1
    stored = document.model_copy(update={"version": version})
    now = ctx.clock.now()
    await session.execute(
        call_version.insert().values(
            call_id=document.id,
            version=version,
            status="draft",
            document=stored.model_dump(mode="json"),
            created_at=now,
        )
    )
    await ctx.audit.record(
        session,
        "call.create-version",
        "call",
        f"{document.id}@{version}",
        {"version": version},
        call_id=document.id,
        actor=who,
    )
    return {
        "call_id": document.id,
        "version": version,
        "status": "draft",
        "created_at": now,
        "published_at": None,
        "document": stored,
    }


async def publish(ctx: Intake, who: Identity, call_id: str, version: int) -> dict[str, Any]:
    check_call_operator(who, call_id)
    async with ctx.sessions() as session, session.begin():
        row = await _row(session, call_id, version, lock=True)
        if row.status == "published":
            return _summary(row)
        now = ctx.clock.now()
        await session.execute(
            update(call_version)
            .where(call_version.c.call_id == call_id, call_version.c.version == version)
            .values(status="published", published_at=now)
        )
        document = CallDocument.model_validate(row.document)
        await ctx.outbox.record(
            session,
            CallPublishedV1(call_id=call_id, version=version, published_at=now, document=document),
            occurred_at=now,
            correlation_id=ctx.correlation(),
        )
        await ctx.audit.record(
            session,
            "call.publish",
            "call",
            f"{call_id}@{version}",
            {"status": {"before": "draft", "after": "published"}},
            call_id=call_id,
            actor=who,
        )
    ctx.outbox.notify()
    return {**_summary(row), "status": "published", "published_at": now}


# Validated call documents by database and (call, version). A version's document never
# changes once stored (a change is a new version), so it is read and validated once per
# process rather than on every upload and submission (some 100 KB of JSON and ~7 ms of
# validation each time for call 001). Keyed by engine, so a fresh database starts empty.
_documents: WeakKeyDictionary[Engine, dict[tuple[str, int], CallDocument]] = WeakKeyDictionary()


async def current(session: AsyncSession, call_id: str) -> CallDocument:
    """The latest published version: the one a submission is checked against."""
    version = await session.scalar(
        select(call_version.c.version)
        .where(call_version.c.call_id == call_id, call_version.c.status == "published")
        .order_by(call_version.c.version.desc())
        .limit(1)
    )
    if version is None:
        raise _not_found(call_id)
    cache = _documents.setdefault(session.sync_session.get_bind(), {})
    if (document := cache.get((call_id, version))) is None:
        stored = await session.scalar(
            select(call_version.c.document).where(
                call_version.c.call_id == call_id, call_version.c.version == version
            )
        )
        document = cache[(call_id, version)] = CallDocument.model_validate(stored)
    return document


async def get_version(
    ctx: Intake, who: Identity, call_id: str, version: int | None
) -> dict[str, Any]:
    """Published versions are public (공고); drafts only for the call's operators."""
    async with ctx.sessions() as session:
        if version is None:
            document = await current(session, call_id)
            version = document.version
        row = await _row(session, call_id, version)
    if row.status != "published" and not who.operates(call_id):
        raise _not_found(call_id, version)
    return {**_summary(row), "document": row.document}


async def list_calls(
    ctx: Intake, who: Identity, limit: int, after: str | None, include_drafts: bool
) -> list[dict[str, Any]]:
    """One entry per call: its latest version (published only, unless an operator asks for
    drafts: then also the drafts of the calls in their scope)."""
    latest = select(call_version.c.call_id, func.max(call_version.c.version).label("version"))
    published = call_version.c.status == "published"
    if include_drafts:
        require_role(who, ("operator",), "see draft calls", "작성 중인 공고를 볼")
        if not who.operates(ALL_CALLS):
            latest = latest.where(published | call_version.c.call_id.in_(sorted(who.calls)))
    else:
        latest = latest.where(published)
    latest = latest.group_by(call_version.c.call_id).subquery()
    query = (
        select(call_version)
        .join(
            latest,
            (call_version.c.call_id == latest.c.call_id)
            & (call_version.c.version == latest.c.version),
        )
        .order_by(call_version.c.call_id)
        .limit(limit)
    )
    if after:
        query = query.where(call_version.c.call_id > after)
    async with ctx.sessions() as session:
        rows = (await session.execute(query)).all()
    return [
        {**_summary(row), "title": row.document["title"], "kind": row.document["kind"]}
        for row in rows
    ]


async def list_versions(ctx: Intake, who: Identity, call_id: str) -> list[dict[str, Any]]:
    query = (
        select(call_version)
        .where(call_version.c.call_id == call_id)
        .order_by(call_version.c.version)
    )
    if not who.operates(call_id):
        query = query.where(call_version.c.status == "published")
    async with ctx.sessions() as session:
        rows = (await session.execute(query)).all()
    if not rows:
        raise _not_found(call_id)
    return [_summary(row) for row in rows]


async def load_seed_calls(ctx: Intake, documents: list[CallDocument]) -> int:
    """Create and publish each seed call version that is not stored yet; returns how many."""
    loaded = 0
    for document in documents:
        async with ctx.sessions() as session:
            exists = await session.scalar(
                select(func.count())
                .select_from(call_version)
                .where(call_version.c.call_id == document.id)
            )
        if exists:
            continue
        async with ctx.sessions() as session, session.begin():
            created = await create_version(ctx, session, SEED_LOADER, document)
        await publish(ctx, SEED_LOADER, document.id, created["version"])
        loaded += 1
    return loaded


async def _row(session: AsyncSession, call_id: str, version: int, lock: bool = False) -> Any:
    query = select(call_version).where(
        call_version.c.call_id == call_id, call_version.c.version == version
    )
    if lock and session.bind.dialect.name == "postgresql":
        query = query.with_for_update()
    row = (await session.execute(query)).first()
    if row is None:
        raise _not_found(call_id, version)
    return row


def _summary(row: Any) -> dict[str, Any]:
    return {
        "call_id": row.call_id,
        "version": row.version,
        "status": row.status,
        "created_at": row.created_at,
        "published_at": row.published_at,
    }
