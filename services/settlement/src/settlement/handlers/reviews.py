"""Budget reviews: advice while an applicant drafts, a binding finding on submission.

Both run the same review (``domain.review``) against the call version's terms. The
binding one is recorded when intake's ``application-submitted`` event arrives (the latest
submission version wins) and shown to the applicant and the call's operators.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from settlement.domain.budget import Budget, Figures
from settlement.domain.fees import SettlementFee
from settlement.domain.review import BudgetReview, Circumstances, fee_table, review
from settlement.domain.terms import ProjectTerms, UnknownProgram
from settlement.handlers.context import Settlement
from settlement.models import replicas, tables
from sfms_shared.access import not_found
from sfms_shared.contracts.applications import ApplicationSnapshot, BudgetLine
from sfms_shared.contracts.calls import CallDocument
from sfms_shared.identity import Identity
from sfms_shared.problems import Problem
from sfms_shared.replicas import keep_newest
from sfms_shared.small_business import classify, classify_revenues


async def advise(ctx: Settlement, call_id: str, version: int | None, body: Any) -> dict[str, Any]:
    """``body``: the API's ``BudgetCheckIn`` (support type or program, levels, industry and
    revenues for the size table, the lines)."""
    async with ctx.sessions() as session:
        call = await ctx.call(session, call_id, version)
    terms = project_terms(
        call, support_type=body.support_type, program=body.program, variant=body.variant
    )
    small = None
    if body.applicant is not None and terms.size_table is not None:
        revenues = {r.year: r.revenue_krw for r in body.applicant.revenues}
        small = classify_revenues(body.applicant.ksic_code, revenues, terms.size_table)
    found = review(
        Budget(tuple(body.lines)),
        terms,
        Circumstances(body.current_level, body.target_level, small),
    )
    return found.as_json() | {"binding": False}


def settlement_fee(call: CallDocument, figures: Figures) -> dict[str, Any]:
    table = fee_table(call.terms.budget) if call.terms.budget else None
    if table is None:
        raise Problem.for_field(
            404,
            "no-fee-table",
            "call_id",
            "This call sets no settlement fee",
            "이 공고에는 정산 수수료 기준이 없습니다",
        )
    return SettlementFee.of(table, figures).as_json()


def project_terms(call: CallDocument, **chosen: str | None) -> ProjectTerms:
    try:
        return ProjectTerms.of(call, **chosen)
    except UnknownProgram as error:
        raise Problem.for_field(
            422,
            "unknown-" + error.field.replace("_", "-"),
            error.field,
            f"The call has no {error.field} {error.code!r}",
            f"공고에 '{error.code}' ({error.field})이(가) 없습니다",
        ) from error


def review_submission(
    call: CallDocument,
    snapshot: ApplicationSnapshot,
    lines: tuple[BudgetLine, ...] | None = None,
) -> BudgetReview:
    """The submitted budget's review, or ``lines``' (an agreement's after the cost review)."""
    terms = ProjectTerms.of(call, support_type=snapshot.support_type)
    company = snapshot.applicant
    small = classify(company, terms.size_table) if terms.size_table else None
    level = company.smart_factory.level if company.smart_factory else None
    budget = Budget(snapshot.budget if lines is None else lines)
    return review(budget, terms, Circumstances(level, None, small))


async def on_submitted(
    ctx: Settlement, session: AsyncSession, snapshot: ApplicationSnapshot
) -> None:
    call = await ctx.calls.get(session, snapshot.call_id, snapshot.call_version)
    if call is None:  # its call-published event is still on its way: try again later
        raise LookupError(f"call {snapshot.call_id} v{snapshot.call_version} not known yet")
    found = review_submission(call, snapshot)
    values = {
        "submission_version": snapshot.submission_version,
        "call_id": snapshot.call_id,
        "call_version": snapshot.call_version,
        "verdict": found.verdict,
        "review": found.as_json() | {"binding": True},
        "reviewed_at": ctx.clock.now(),
    }
    await keep_newest(session, tables.budget_review, snapshot.application_id, values)


async def binding(ctx: Settlement, who: Identity, application_id: UUID) -> dict[str, Any]:
    async with ctx.sessions() as session:
        row = (
            await session.execute(
                select(tables.budget_review).where(
                    tables.budget_review.c.application_id == application_id
                )
            )
        ).first()
        received = await replicas.application(session, application_id)
    owner = received["snapshot"]["applicant"]["brn"] if received else None
    if row is None or not (who.operates(row.call_id) or who.member_of(owner)):
        raise not_found(
            "application_id",
            "No budget review for this application",
            "해당 신청의 사업비 검토 결과가 없습니다",
        )
    return {
        "application_id": str(application_id),
        "submission_version": row.submission_version,
        "reviewed_at": row.reviewed_at,
        **row.review,
    }
