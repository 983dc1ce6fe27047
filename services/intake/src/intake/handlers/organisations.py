"""Organisations: companies (도입기업), suppliers (공급기업), planning agencies (기획기관).

Business identity is the workplace BRN: one organisation per BRN.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Literal
from uuid import UUID, uuid4

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from intake.domain.brn import normalise_brn
from intake.domain.drafts import merge_patch
from intake.handlers.access import (
    check_amends_organisation,
    check_registers,
    may_read_organisation,
    organisation_not_found,
)
from intake.handlers.context import Intake
from intake.models import organisation
from sfms_shared.access import authentication_required, require_role
from sfms_shared.clock import KST
from sfms_shared.contracts.applications import (
    ExportYear,
    FinancialYear,
    LegalForm,
    OrganisationKind,
    OrganisationSnapshot,
    SizeClass,
    SmartFactoryStatus,
)
from sfms_shared.contracts.common import REGIONS
from sfms_shared.etags import check_if_match
from sfms_shared.identity import Identity
from sfms_shared.problems import FieldError, Problem, invalid_fields


class Contact(BaseModel):
    """The person notices go to (001 §6 기타 사항: 담당자의 연락처); kept by intake only,
    never carried in events."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = Field(min_length=1, max_length=60)
    email: str = Field(max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
    phone: str | None = Field(default=None, max_length=30, pattern=r"^[0-9+\-() ]+$")
    locale: Literal["ko", "en"] = Field(default="ko", description="the language of notices")


class OrganisationProfile(BaseModel):
    """What an organisation declares about itself. ``kind`` and ``brn`` are fixed at registration."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = Field(min_length=1, max_length=200)
    legal_form: LegalForm
    ksic_code: str = Field(pattern=r"^[A-U]?\d{2,5}$", description="KSIC code, e.g. C29 or 29199")
    size_class: SizeClass
    region: str = Field(description="시·도, e.g. 경기")
    founded_on: date
    headcount: int = Field(ge=0, le=1_000_000)
    smart_factory: SmartFactoryStatus | None = None
    financials: tuple[FinancialYear, ...] = Field(default=(), max_length=20)
    exports: tuple[ExportYear, ...] = Field(default=(), max_length=20)
    branch_workplace: bool = False
    contact: Contact | None = None


class OrganisationRegistration(OrganisationProfile):
    kind: OrganisationKind
    brn: str = Field(description="사업자등록번호, 000-00-00000 or 10 digits")


def _profile_problems(profile: OrganisationProfile, today: date) -> list[FieldError]:
    found = []
    if profile.region not in REGIONS:
        found.append(
            FieldError(
                "region",
                "unknown-region",
                f"Region must be one of {', '.join(REGIONS)}",
                f"지역은 {', '.join(REGIONS)} 중 하나여야 합니다",
            )
        )
    if profile.founded_on > today:
        found.append(
            FieldError(
                "founded_on",
                "founded-in-future",
                "The founding date is in the future",
                "설립일이 미래입니다",
            )
        )
    years = [f.year for f in profile.financials]
    if len(years) != len(set(years)):
        found.append(
            FieldError(
                "financials",
                "duplicate-year",
                "One entry per fiscal year",
                "사업연도별로 하나만 입력하세요",
            )
        )
    return found


def _raise(errors: list[FieldError]) -> None:
    if errors:
        first = errors[0]
        raise Problem(422, first.code, first.en, first.ko, field=first.field, errors=errors)


async def register(
    ctx: Intake, session: AsyncSession, who: Identity, registration: OrganisationRegistration
) -> dict[str, Any]:
    """Register an organisation, in the caller's transaction."""
    try:
        brn = normalise_brn(registration.brn)
    except ValueError as exc:
        raise Problem.for_field(
            422,
            "invalid-brn",
            "brn",
            str(exc),
            "사업자등록번호가 올바르지 않습니다(10자리, 검증번호 불일치)",
        ) from exc
    check_registers(who, brn, registration.kind)
    now = ctx.clock.now()
    _raise(_profile_problems(registration, now.astimezone(KST).date()))
    organisation_id = uuid4()
    profile = OrganisationProfile.model_validate(registration.model_dump(exclude={"kind", "brn"}))
    try:
        await session.execute(
            organisation.insert().values(
                id=organisation_id,
                kind=registration.kind,
                brn=brn,
                name=registration.name,
                profile=profile.model_dump(mode="json"),
                revision=1,
                created_at=now,
                updated_at=now,
            )
        )
    except IntegrityError as exc:
        raise Problem.for_field(
            409,
            "brn-already-registered",
            "brn",
            "An organisation with this business registration number is registered",
            "이 사업자등록번호로 등록된 기관이 이미 있습니다",
        ) from exc
    await ctx.audit.record(
        session,
        "organisation.register",
        "organisation",
        organisation_id,
        {"after": registration.model_dump(mode="json") | {"brn": brn}},
        organisation_id=organisation_id,
    )
    return _out(await _row(session, organisation_id))


async def get(ctx: Intake, who: Identity, organisation_id: UUID) -> dict[str, Any]:
    async with ctx.sessions() as session:
        row = await _row(session, organisation_id)
    if not may_read_organisation(who, row.brn):
        if not who.authenticated:
            raise authentication_required()
        raise organisation_not_found()
    return _out(row)


async def snapshot(
    session: AsyncSession, organisation_id: UUID, field: str
) -> OrganisationSnapshot:
    row = await _row(session, organisation_id, field)
    declared = {k: v for k, v in row.profile.items() if k != "contact"}
    return OrganisationSnapshot.model_validate(
        {**declared, "id": row.id, "kind": row.kind, "brn": row.brn, "name": row.name}
    )


async def list_organisations(
    ctx: Intake, who: Identity, limit: int, after: UUID | None, kind: str | None, brn: str | None
) -> list[dict[str, Any]]:
    """Operators see every organisation; a company account sees its own."""
    query = select(organisation).order_by(organisation.c.id).limit(limit)
    if not who.has_role("operator"):
        require_role(
            who, ("applicant", "supplier", "planner"), "list organisations", "기관 목록을 볼"
        )
        query = query.where(organisation.c.brn == who.organisation)
    if after:
        query = query.where(organisation.c.id > after)
    if kind:
        query = query.where(organisation.c.kind == kind)
    if brn:
        query = query.where(organisation.c.brn == brn.replace("-", ""))
    async with ctx.sessions() as session:
        return [_out(row) for row in (await session.execute(query)).all()]


async def amend(
    ctx: Intake, who: Identity, organisation_id: UUID, patch: dict[str, Any], if_match: str | None
) -> dict[str, Any]:
    """Merge-patch the profile. ``kind``, ``brn`` and ``id`` are not part of the profile and are refused."""
    async with ctx.sessions() as session, session.begin():
        row = await _row(session, organisation_id)
        check_amends_organisation(who, row.brn)
        check_if_match(if_match, row.id, row.revision)
        merged = merge_patch({**row.profile, "name": row.name}, patch)
        try:
            profile = OrganisationProfile.model_validate(merged)
        except ValidationError as exc:
            raise invalid_fields(exc.errors()) from exc
        _raise(_profile_problems(profile, ctx.clock.now().astimezone(KST).date()))
        await session.execute(
            update(organisation)
            .where(organisation.c.id == organisation_id)
            .values(
                name=profile.name,
                profile=profile.model_dump(mode="json"),
                revision=row.revision + 1,
                updated_at=ctx.clock.now(),
            )
        )
        await ctx.audit.record(
            session,
            "organisation.amend",
            "organisation",
            organisation_id,
            {"patch": patch, "revision": row.revision + 1},
            organisation_id=organisation_id,
        )
    return await get(ctx, who, organisation_id)


async def _row(session: AsyncSession, organisation_id: UUID, field: str = "organisation_id") -> Any:
    row = (
        await session.execute(select(organisation).where(organisation.c.id == organisation_id))
    ).first()
    if row is None:
        raise organisation_not_found(field)
    return row


def _out(row: Any) -> dict[str, Any]:
    return {
        "id": row.id,
        "kind": row.kind,
        "brn": row.brn,
        "name": row.name,
        **row.profile,
        "revision": row.revision,
        "created_at": row.created_at,
        "updated_at": row.updated_at,
    }
