"""Who may see and change intake's objects (see ``sfms_shared.policy`` for the rules
shared by every service).

An object the caller may not see reads as "not found", never as data; a caller who may
see an object but not change it (an operator, a partner feed) gets 403 on the change.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from intake.models import organisation
from sfms_shared.access import authentication_required, forbidden, require_role
from sfms_shared.identity import Identity
from sfms_shared.policy import may_act_for_applicant, may_read_application
from sfms_shared.problems import Problem

# Which organisation kind each organisation role registers (001 §2 컨소시엄 구성).
KIND_OF_ROLE = {"applicant": "company", "supplier": "supplier", "planner": "planner"}


def application_not_found() -> Problem:
    return Problem.for_field(
        404,
        "application-not-found",
        "application_id",
        "Application not found",
        "신청을 찾을 수 없습니다",
    )


def organisation_not_found(field: str = "organisation_id") -> Problem:
    return Problem.for_field(
        404, "organisation-not-found", field, "Organisation not found", "기관을 찾을 수 없습니다"
    )


async def member_brns(session: AsyncSession, row: Any) -> list[str]:
    """BRNs of the consortium members named in the application's draft."""
    ids = [UUID(seat["organisation_id"]) for seat in row.draft.get("consortium", ())]
    if not ids:
        return []
    found = await session.execute(select(organisation.c.brn).where(organisation.c.id.in_(ids)))
    return list(found.scalars())


async def check_readable(session: AsyncSession, who: Identity, row: Any) -> None:
    if "partner" in who.roles and row.status == "draft":
        raise application_not_found()  # a feed carries submitted applications only
    if not may_read_application(who, row.call_id, row.brn, await member_brns(session, row)):
        if not who.authenticated:
            raise authentication_required()
        raise application_not_found()


async def check_reads_documents(session: AsyncSession, who: Identity, row: Any) -> None:
    """The documents themselves (statements, certificates) are for the applicant, its
    consortium and the call's operators; no partner feed carries them."""
    await check_readable(session, who, row)
    if "partner" in who.roles and not who.is_admin:
        raise forbidden("download application documents", "신청 서류를 내려받을")


async def check_actable(session: AsyncSession, who: Identity, row: Any) -> None:
    """Changes to an application are the applicant company's own."""
    if may_act_for_applicant(who, row.brn):
        return
    await check_readable(session, who, row)
    raise forbidden("change this application", "이 신청을 변경할")


def check_call_operator(who: Identity, call_id: str) -> None:
    require_role(who, ("operator",), "manage calls", "공고를 관리할")
    if not who.operates(call_id):
        raise forbidden(
            f"manage call {call_id} (outside your scope)", f"담당 범위 밖의 공고 {call_id}를 관리할"
        )


def check_registers(who: Identity, brn: str, kind: str) -> None:
    """A company account registers its own organisation, of its own kind; operators any."""
    require_role(
        who,
        ("operator", "applicant", "supplier", "planner"),
        "register organisations",
        "기관을 등록할",
    )
    if who.has_role("operator"):
        return
    if who.organisation != brn:
        raise Problem.for_field(
            403,
            "not-your-organisation",
            "brn",
            "You can register only the organisation your account acts for",
            "본인 계정이 속한 기관만 등록할 수 있습니다",
        )
    allowed = {KIND_OF_ROLE[role] for role in who.roles if role in KIND_OF_ROLE}
    if kind not in allowed:
        raise Problem.for_field(
            403,
            "kind-not-your-role",
            "kind",
            f"Your account registers organisations of kind {sorted(allowed)}",
            f"이 계정으로는 {sorted(allowed)} 유형의 기관만 등록할 수 있습니다",
        )


def may_read_organisation(who: Identity, brn: str) -> bool:
    return who.has_role("operator") or who.member_of(brn)


def check_amends_organisation(who: Identity, brn: str) -> None:
    if who.is_admin or who.member_of(brn):
        return
    if may_read_organisation(who, brn):
        raise forbidden("change this organisation", "이 기관 정보를 변경할")
    if not who.authenticated:
        raise authentication_required()
    raise organisation_not_found()
