"""The business plan (사업계획서) a formed consortium's planner submits after planning
support (기획지원); 001 §2 기획기관 역할 and §5 주요 사항: "기획지원 후 사업계획서 제출 시
기획기관에 과제당 10백만원 지급". Each submission (a revision too) is announced as
``matching.business-plan-submitted.v1``; settlement pays the milestone once per project.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from matching.handlers.context import Matching
from matching.handlers.matches import load
from matching.models import tables
from sfms_shared.access import authentication_required, forbidden, not_found
from sfms_shared.contracts.events import BusinessPlanSubmittedV1
from sfms_shared.contracts.scores import BusinessPlan, ConsortiumParty
from sfms_shared.identity import Identity
from sfms_shared.problems import Problem


async def submit(
    ctx: Matching, session: AsyncSession, who: Identity, application_id: UUID, title: str
) -> dict[str, Any]:
    """A new version of the business plan, in the caller's transaction."""
    if not who.authenticated:
        raise authentication_required()
    now = ctx.clock.now()
    found = await load(session, application_id)
    if found is None:
        raise not_found(
            "application_id",
            "No match for this application",
            "해당 과제의 매칭 정보가 없습니다",
        )
    row, match = found
    planner = match.planner
    by_planner = planner is not None and who.member_of(planner.member_brn)
    if not (by_planner or who.operates(row["call_id"]) or who.member_of(row["applicant_brn"])):
        raise not_found(
            "application_id",
            "No match for this application",
            "해당 과제의 매칭 정보가 없습니다",
        )
    if not by_planner and not who.operates(row["call_id"]):
        raise forbidden("submit the business plan", "사업계획서를 제출할")
    if row["status"] != "formed" or planner is None:
        raise Problem.for_field(
            409,
            "consortium-not-formed",
            "application_id",
            "The business plan follows planning support: the consortium is not formed yet",
            "컨소시엄 구성이 끝나지 않아 사업계획서를 제출할 수 없습니다",
        )
    previous = row["business_plan"] or {}
    plan = BusinessPlan(
        application_id=application_id,
        call_id=row["call_id"],
        planner=ConsortiumParty(
            member_id=UUID(planner.member_id), brn=planner.member_brn, name=planner.member_name
        ),
        version=previous.get("version", 0) + 1,
        title=title,
        submitted_at=now,
    )
    stored = plan.model_dump(mode="json") | {"submitted_by": who.subject}
    await session.execute(
        update(tables.match)
        .where(tables.match.c.application_id == application_id)
        .values(business_plan=stored, revision=row["revision"] + 1)
    )
    await ctx.outbox.record(
        session,
        BusinessPlanSubmittedV1(plan=plan),
        occurred_at=now,
        correlation_id=ctx.correlation(),
    )
    return stored
