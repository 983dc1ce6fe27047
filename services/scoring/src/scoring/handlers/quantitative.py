"""Score 기업역량 from the documents the applicant uploaded (001 붙임2, §3 제출서류 6–7).

The statements are read from intake's document store by the storage name carried in
the submission; a document that cannot be read leaves the declared figures in its
place, marked for an evaluator to confirm.
"""

from __future__ import annotations

from typing import Any

import anyio
from pydantic_core import to_jsonable_python

from scoring.documents.statements import read_export_record, read_statement
from scoring.domain.figures import ExportReading, StatementReading, Unreadable
from scoring.domain.quantitative import score_capability
from scoring.handlers.context import Scoring
from sfms_shared.contracts.applications import ApplicationSnapshot, DocumentRef
from sfms_shared.contracts.terms_scoring import RubricItem

FINANCIAL_STATEMENTS = "financial-statements"
EXPORT_RECORD = "export-record"


async def quantitative_score(
    ctx: Scoring, snapshot: ApplicationSnapshot, item: RubricItem
) -> dict[str, Any]:
    readings = [await _reading(ctx, ref) for ref in _statement_documents(snapshot)]
    score = score_capability(
        item,
        founded_on=snapshot.applicant.founded_on,
        declared_financials=snapshot.applicant.financials,
        declared_exports=snapshot.applicant.exports,
        readings=readings,
    )
    return to_jsonable_python(score)


def _statement_documents(snapshot: ApplicationSnapshot) -> list[DocumentRef]:
    kinds = (FINANCIAL_STATEMENTS, EXPORT_RECORD)
    return sorted(
        (d for d in snapshot.documents if d.kind in kinds and d.media_type == "application/pdf"),
        key=lambda d: (d.uploaded_at, str(d.id)),
    )


async def _reading(ctx: Scoring, ref: DocumentRef) -> StatementReading | ExportReading | Unreadable:
    if ref.storage_name is None:
        return Unreadable(ref.id, "문서 저장 위치가 없습니다", "The document has no storage name")
    try:
        pdf = await ctx.documents.read_bytes(ref.storage_name, ctx.settings.max_statement_bytes)
    except (OSError, ValueError) as error:
        return Unreadable(
            ref.id, f"문서를 열 수 없습니다: {error}", f"The document cannot be opened: {error}"
        )
    reader = read_statement if ref.kind == FINANCIAL_STATEMENTS else read_export_record
    return await anyio.to_thread.run_sync(reader, ref.id, pdf)
