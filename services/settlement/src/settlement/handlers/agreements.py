"""Agreements (협약): drafted by the call's operators for a finally selected application,
cut by the on-site cost review (each cut with its reason), signed when the agreed budget
passes every rule; signing announces ``settlement.agreement-signed.v1``."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID, uuid4

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from settlement.domain.agreements import AGREEABLE, AgreementError, cut, ends_on
from settlement.handlers.context import Settlement
from settlement.handlers.projects import project
from settlement.handlers.reviews import review_submission
from settlement.models import replicas, tables
from sfms_shared.access import not_found, require_call_operator
from sfms_shared.contracts.agreements import SignedAgreement
from sfms_shared.contracts.applications import ApplicationSnapshot, BudgetLine
from sfms_shared.contracts.calls import CallDocument
from sfms_shared.contracts.events import AgreementSignedV1
from sfms_shared.contracts.scores import ConsortiumParty
from sfms_shared.etags import check_if_match
from sfms_shared.identity import Identity
from sfms_shared.problems import Problem


async def draft(
    ctx: Settlement, session: AsyncSession, who: Identity, application_id: UUID, starts_on: date
) -> dict[str, Any]:
    """Draft the agreement of a finally selected application, in the caller's transaction."""
    now = ctx.clock.now()
    received = await replicas.application(session, application_id)
    if received is None or not who.operates(received["call_id"]):
        raise not_found("application_id", "No such application", "해당 신청이 없습니다")
    snapshot = ApplicationSnapshot.model_validate(received["snapshot"])
    call = await ctx.call(session, snapshot.call_id, snapshot.call_version)
    heard = await project(session, application_id) or {}
    if heard.get("outcome") not in AGREEABLE:
        raise _conflict(
            "not-finally-selected",
            "application_id",
            f"Only a finally selected application gets an agreement (its outcome: "
            f"{heard.get('outcome') or 'none yet'})",
            "최종 선정된 과제만 협약할 수 있습니다",
        )
    if call.terms.matching is not None and heard.get("consortium") is None:
        raise _conflict(
            "consortium-not-formed",
            "application_id",
            "The consortium is not formed yet",
            "컨소시엄 구성이 끝나지 않았습니다",
        )
    kind = next(s for s in call.support_types if s.code == snapshot.support_type)
    lines = snapshot.budget
    row = {
        "id": uuid4(),
        "application_id": application_id,
        "call_id": snapshot.call_id,
        "call_version": snapshot.call_version,
        "status": "draft",
        "starts_on": starts_on,
        "ends_on": ends_on(starts_on, kind.duration_months),
        "applicant": {"brn": snapshot.applicant.brn, "name": snapshot.applicant.name},
        "consortium": heard.get("consortium") or {"planner": None, "suppliers": []},
        "requested": _lines_json(lines),
        "lines": _lines_json(lines),
        "cuts": [],
        "review": _review(call, snapshot, lines),
        "created_by": who.subject,
        "created_at": now,
        "signed_by": None,
        "signed_at": None,
        "revision": 1,
    }
    try:
        await session.execute(tables.agreement.insert().values(**row))
    except IntegrityError as error:
        raise _conflict(
            "agreement-exists",
            "application_id",
            "This application already has an agreement",
            "이미 협약이 있는 과제입니다",
        ) from error
    await ctx.audit.record(
        session,
        "agreement.drafted",
        "agreement",
        row["id"],
        {"starts_on": starts_on.isoformat()},
        application_id=application_id,
        call_id=row["call_id"],
        actor=who,
    )
    return out(row)


async def cut_line(
    ctx: Settlement,
    who: Identity,
    agreement_id: UUID,
    line: int,
    amounts: dict[str, int],
    reason: str,
    if_match: str | None,
) -> dict[str, Any]:
    now = ctx.clock.now()
    async with ctx.sessions() as session, session.begin():
        row = await _editable(session, who, agreement_id, if_match)
        call = await ctx.call(session, row["call_id"], row["call_version"])
        received = await replicas.application(session, row["application_id"])
        assert received is not None
        snapshot = ApplicationSnapshot.model_validate(received["snapshot"])
        lines = tuple(BudgetLine.model_validate(x) for x in row["lines"])
        try:
            lines, done = cut(lines, line, amounts, reason, who.subject, now)
        except AgreementError as error:
            raise Problem.for_field(
                error.status, error.code, error.field, error.message_en, error.message_ko
            ) from error
        values = {
            "lines": _lines_json(lines),
            "cuts": [*row["cuts"], done.as_json()],
            "review": _review(call, snapshot, lines),
            "revision": row["revision"] + 1,
        }
        await session.execute(
            update(tables.agreement).where(tables.agreement.c.id == agreement_id).values(**values)
        )
        await ctx.audit.record(
            session,
            "agreement.cut",
            "agreement",
            agreement_id,
            done.as_json(),
            application_id=row["application_id"],
            call_id=row["call_id"],
            actor=who,
        )
    return out(row | values)


async def sign(
    ctx: Settlement, who: Identity, agreement_id: UUID, if_match: str | None
) -> dict[str, Any]:
    now = ctx.clock.now()
    async with ctx.sessions() as session, session.begin():
        row = await _editable(session, who, agreement_id, if_match)
        failing = [f for f in row["review"]["findings"] if f["outcome"] == "fail"]
        if failing:
            raise _conflict(
                "budget-breaks-rules",
                "lines",
                "The agreed budget breaks the call's rules: "
                + "; ".join(f["message"]["en"] for f in failing),
                "협약 예산이 공고의 기준을 충족하지 않습니다: "
                + "; ".join(f["message"]["ko"] for f in failing),
            )
        values = {
            "status": "signed",
            "signed_by": who.subject,
            "signed_at": now,
            "revision": row["revision"] + 1,
        }
        await session.execute(
            update(tables.agreement).where(tables.agreement.c.id == agreement_id).values(**values)
        )
        signed = row | values
        await ctx.outbox.record(
            session,
            AgreementSignedV1(agreement=_signed(signed)),
            occurred_at=now,
            correlation_id=ctx.correlation(),
        )
        await ctx.audit.record(
            session,
            "agreement.signed",
            "agreement",
            agreement_id,
            {},
            application_id=row["application_id"],
            call_id=row["call_id"],
            actor=who,
        )
    return out(signed)


async def read(ctx: Settlement, who: Identity, agreement_id: UUID) -> dict[str, Any]:
    async with ctx.sessions() as session:
        row = await load(session, agreement_id)
    if row is None or not may_read(who, row):
        raise no_agreement()
    return out(row)


async def listing(
    ctx: Settlement, who: Identity, call_id: str, limit: int, cursor: UUID | None
) -> list[dict[str, Any]]:
    require_call_operator(who, call_id, "list the call's agreements", "공고의 협약 목록을 볼")
    table = tables.agreement
    query = select(table).where(table.c.call_id == call_id)
    if cursor is not None:
        query = query.where(table.c.id > cursor)
    async with ctx.sessions() as session:
        rows = (await session.execute(query.order_by(table.c.id).limit(limit))).all()
    return [out(dict(r._mapping)) for r in rows]


async def load(
    session: AsyncSession, agreement_id: UUID, *, lock: bool = False
) -> dict[str, Any] | None:
    query = select(tables.agreement).where(tables.agreement.c.id == agreement_id)
    row = (await session.execute(query.with_for_update() if lock else query)).first()
    return dict(row._mapping) if row else None


def may_read(who: Identity, row: dict[str, Any]) -> bool:
    planner = (row["consortium"] or {}).get("planner") or {}
    return (
        who.operates(row["call_id"])
        or who.member_of(row["applicant"]["brn"])
        or who.member_of(planner.get("brn"))
    )


def out(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": str(row["id"]),
        "application_id": str(row["application_id"]),
        "call_id": row["call_id"],
        "call_version": row["call_version"],
        "status": row["status"],
        "starts_on": row["starts_on"],
        "ends_on": row["ends_on"],
        "applicant": row["applicant"],
        "consortium": row["consortium"],
        "requested": row["requested"],
        "lines": row["lines"],
        "cuts": row["cuts"],
        "cut_total_krw": sum(c["cut_krw"] for c in row["cuts"]),
        "review": row["review"],
        "created_at": row["created_at"],
        "signed_at": row["signed_at"],
        "revision": row["revision"],
    }


async def _editable(
    session: AsyncSession, who: Identity, agreement_id: UUID, if_match: str | None
) -> dict[str, Any]:
    row = await load(session, agreement_id, lock=True)
    if row is None or not may_read(who, row):
        raise no_agreement()
    require_call_operator(who, row["call_id"], "change an agreement", "협약을 변경할")
    check_if_match(if_match, row["id"], row["revision"])
    if row["status"] != "draft":
        raise _conflict(
            "agreement-signed",
            "agreement_id",
            "The agreement is signed: it no longer changes",
            "이미 체결된 협약은 변경할 수 없습니다",
        )
    return row


def _review(
    call: CallDocument, snapshot: ApplicationSnapshot, lines: tuple[BudgetLine, ...]
) -> dict[str, Any]:
    return review_submission(call, snapshot, lines).as_json()


def _signed(row: dict[str, Any]) -> SignedAgreement:
    consortium = row["consortium"] or {}
    figures = row["review"]["figures"]
    planner = consortium.get("planner")
    return SignedAgreement(
        agreement_id=row["id"],
        application_id=row["application_id"],
        call_id=row["call_id"],
        call_version=row["call_version"],
        applicant_brn=row["applicant"]["brn"],
        applicant_name=row["applicant"]["name"],
        planner=ConsortiumParty.model_validate(planner) if planner else None,
        suppliers=tuple(ConsortiumParty.model_validate(s) for s in consortium.get("suppliers", [])),
        starts_on=row["starts_on"],
        ends_on=row["ends_on"],
        government_krw=figures["government_krw"],
        total_krw=figures["total_krw"],
        signed_at=row["signed_at"],
    )


def _lines_json(lines: tuple[BudgetLine, ...]) -> list[dict[str, Any]]:
    return [line.model_dump(mode="json") for line in lines]


def _conflict(code: str, field: str, en: str, ko: str) -> Problem:
    return Problem.for_field(409, code, field, en, ko)


def no_agreement() -> Problem:
    return not_found("agreement_id", "No such agreement", "해당 협약이 없습니다")
