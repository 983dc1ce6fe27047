"""Figures read from an applicant's documents, each with where it was read.

A 표준재무제표증명 (standard financial statement certificate, issued by the National
Tax Service) covers one fiscal year; a 수출실적증명서 (export record, issued by the
Korea International Trade Association) lists direct exports by year. The scoring
service reads them (001 §3 제출서류 목록 6, 7) and scores 붙임2 기업역량 from them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from uuid import UUID

from sfms_shared.contracts.terms_scoring import Figure


@dataclass(frozen=True)
class Located:
    """One amount as printed in a document: integer KRW, the 1-based page, the label."""

    value: int
    page: int
    label: str


@dataclass(frozen=True)
class StatementReading:
    """What one 표준재무제표증명 says for its fiscal year (당기).

    ``figures`` maps ``revenue``, ``operating-profit``, ``total-liabilities`` and
    ``total-equity`` to the amounts found; a figure the document does not show is absent.
    """

    document_id: UUID
    fiscal_year: int
    figures: dict[Figure, Located] = field(default_factory=dict)


@dataclass(frozen=True)
class ExportReading:
    """What one 수출실적증명서 says: direct exports (직접수출) by calendar year."""

    document_id: UUID
    by_year: dict[int, Located] = field(default_factory=dict)


@dataclass(frozen=True)
class Unreadable:
    """A document the service could not read figures from, and why (in Korean and English)."""

    document_id: UUID
    reason_ko: str
    reason_en: str
