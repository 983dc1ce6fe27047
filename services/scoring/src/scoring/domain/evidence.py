"""Which figure counts for each (figure, year): the document's, else the declared one;
and the flags that explain a score to an evaluator.

기업역량 (001 붙임2) is scored from the statements the applicant uploads (001 §3 제출서류
목록 6: 표준재무제표증명; 7: 수출실적증명서). The application also carries the figures the
applicant declared. A document figure is preferred; a declared figure stands in for a
missing or unreadable document and is marked for an evaluator to confirm. Every
disagreement is kept as a ``Flag`` with both numbers, so a score explains itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal
from uuid import UUID

from scoring.domain.figures import ExportReading, Located, StatementReading, Unreadable
from sfms_shared.contracts.applications import ExportYear, FinancialYear
from sfms_shared.contracts.terms_scoring import Figure

Provenance = Literal["document", "declared"]
FlagCode = Literal[
    "declared-differs",  # the declared figure disagrees with the document; the document's is used
    "documents-differ",  # two documents for the same year disagree; the latest is used
    "document-unreadable",  # a document could not be read; the declared figure (if any) is used
    "document-missing",  # no document shows the figure; the declared figure (if any) is used
    "not-computable",  # the formula has no value (growth from a base of 0)
    "impaired-capital",  # total equity ≤ 0 (자본잠식): no finite debt ratio
    "alternative-years",  # no statement for the year asked; the year before is used
]

FIGURE_NAMES: dict[Figure, tuple[str, str]] = {
    "revenue": ("매출액", "revenue"),
    "operating-profit": ("영업이익", "operating profit"),
    "total-liabilities": ("부채총계", "total liabilities"),
    "total-equity": ("자본총계", "total equity"),
    "direct-exports": ("직접수출액", "direct exports"),
}


@dataclass(frozen=True, slots=True)
class FigureUse:
    """One amount (integer KRW) and where it came from: a page of a document, or the
    applicant's declaration in the application form."""

    figure: Figure
    year: int
    value: int
    provenance: Provenance
    document_id: UUID | None = None
    page: int | None = None
    label: str | None = None  # the line as printed in the document


@dataclass(frozen=True, slots=True)
class Flag:
    """Something an evaluator should see, in Korean and English, with the figures it is
    about (for ``declared-differs`` the document's and the declared one) and the
    documents concerned (for ``document-unreadable`` the ones that could not be read)."""

    code: FlagCode
    message_ko: str
    message_en: str
    figures: tuple[FigureUse, ...] = ()
    document_ids: tuple[UUID, ...] = ()


@dataclass(frozen=True, slots=True)
class Resolved:
    """The figure that counts for one (figure, year), or None when there is none;
    ``uncertain`` when an evaluator should confirm it."""

    use: FigureUse | None
    flags: tuple[Flag, ...]
    uncertain: bool


def krw(value: int) -> str:
    return f"{value:,}원"


def _names(figure: Figure, year: int) -> tuple[str, str]:
    ko, en = FIGURE_NAMES[figure]
    return f"{year}년 {ko}", f"{en} {year}"


_DECLARED_FIELDS: dict[Figure, str] = {
    "revenue": "revenue_krw",
    "operating-profit": "operating_profit_krw",
    "total-liabilities": "total_liabilities_krw",
    "total-equity": "total_equity_krw",
}


class FigureBook:
    """The applicant's figures by (figure, year), from the documents read and from the
    declaration. Readings are taken in the order given: when two documents show the same
    figure for the same year, the later one is used. A year has a statement when a
    statement of that fiscal year was read (even one whose figures were not found) or
    the applicant declared figures for it."""

    def __init__(
        self,
        *,
        declared_financials: Sequence[FinancialYear],
        declared_exports: Sequence[ExportYear],
        readings: Sequence[StatementReading | ExportReading | Unreadable],
    ) -> None:
        self._documents: dict[tuple[Figure, int], list[FigureUse]] = {}
        self._declared: dict[tuple[Figure, int], FigureUse] = {}
        self.unreadable: tuple[Unreadable, ...] = tuple(
            r for r in readings if isinstance(r, Unreadable)
        )
        self.has_export_record = any(isinstance(r, ExportReading) for r in readings)
        self.statement_years: frozenset[int] = frozenset(
            {r.fiscal_year for r in readings if isinstance(r, StatementReading)}
            | {f.year for f in declared_financials}
        )
        for reading in readings:
            if isinstance(reading, StatementReading):
                for figure, located in reading.figures.items():
                    self._add_document(figure, reading.fiscal_year, located, reading.document_id)
            elif isinstance(reading, ExportReading):
                for year, located in reading.by_year.items():
                    self._add_document("direct-exports", year, located, reading.document_id)
        for declared in declared_financials:
            for figure, field_name in _DECLARED_FIELDS.items():
                value = getattr(declared, field_name)
                self._declared[figure, declared.year] = FigureUse(
                    figure, declared.year, value, "declared"
                )
        for export in declared_exports:
            self._declared["direct-exports", export.year] = FigureUse(
                "direct-exports", export.year, export.direct_export_krw, "declared"
            )

    def _add_document(self, figure: Figure, year: int, located: Located, document: UUID) -> None:
        use = FigureUse(
            figure, year, located.value, "document", document, located.page, located.label
        )
        self._documents.setdefault((figure, year), []).append(use)

    def document(self, figure: Figure, year: int) -> FigureUse | None:
        found = self._documents.get((figure, year))
        return found[-1] if found else None

    def declared(self, figure: Figure, year: int) -> FigureUse | None:
        return self._declared.get((figure, year))

    def resolve(self, figure: Figure, year: int) -> Resolved:
        """The document figure if a document shows it, else the declared one (uncertain),
        else None. Missing is uncertain only when some document could not be read."""
        documents = self._documents.get((figure, year), [])
        declared = self._declared.get((figure, year))
        if documents:
            return self._from_documents(documents, declared)
        if declared is not None:
            return Resolved(declared, (self.absence_flag(figure, year, declared),), True)
        return Resolved(None, (self.absence_flag(figure, year, None),), bool(self.unreadable))

    def _from_documents(self, documents: list[FigureUse], declared: FigureUse | None) -> Resolved:
        used = documents[-1]
        flags: list[Flag] = []
        uncertain = False
        if len({d.value for d in documents}) > 1:
            flags.append(documents_differ(documents))
            uncertain = True
        if declared is not None and declared.value != used.value:
            flags.append(declared_differs(used, declared))
        return Resolved(used, tuple(flags), uncertain)

    def unread_in_window(self, figure: Figure, from_year: int, to_year: int) -> Flag:
        """Nothing found above 0 in ``from_year``..``to_year`` while some document could
        not be read: it may be the one that shows it (an export record, 001 §3 목록 7)."""
        ko, en = FIGURE_NAMES[figure]
        window = f"{from_year}~{to_year}"
        return Flag(
            "document-unreadable",
            f"{window}년 {ko} 실적이 확인되지 않았으나 읽을 수 없는 문서가 있어 "
            f"({'; '.join(u.reason_ko for u in self.unreadable)}) 평가위원 확인이 필요합니다",
            f"No {en} found for {window}, but some documents could not be read "
            f"({'; '.join(u.reason_en for u in self.unreadable)}); needs an evaluator's "
            "confirmation",
            (),
            tuple(u.document_id for u in self.unreadable),
        )

    def absence_flag(self, figure: Figure, year: int, declared: FigureUse | None) -> Flag:
        """``document-unreadable`` when some document could not be read (it may be the
        one that shows the figure), else ``document-missing``; says what stands in."""
        ko, en = _names(figure, year)
        if declared is not None:
            instead_ko = f"신고값 {krw(declared.value)}을 사용하며 평가위원 확인이 필요합니다"
            instead_en = (
                f"the declared {declared.value:,} KRW is used and needs an evaluator's confirmation"
            )
        else:
            instead_ko = "신고값도 없습니다"
            instead_en = "nothing was declared either"
        figures = (declared,) if declared is not None else ()
        if self.unreadable:
            reasons_ko = "; ".join(u.reason_ko for u in self.unreadable)
            reasons_en = "; ".join(u.reason_en for u in self.unreadable)
            return Flag(
                "document-unreadable",
                f"{ko}: 읽을 수 없는 문서가 있어({reasons_ko}) 문서로 확인하지 못했고, {instead_ko}",
                f"{en}: some documents could not be read ({reasons_en}), so the figure is not "
                f"confirmed by a document; {instead_en}",
                figures,
                tuple(u.document_id for u in self.unreadable),
            )
        return Flag(
            "document-missing",
            f"{ko}: 제출 문서에서 확인되지 않으며, {instead_ko}",
            f"{en}: no submitted document shows it; {instead_en}",
            figures,
        )


def declared_differs(document: FigureUse, declared: FigureUse) -> Flag:
    ko, en = _names(document.figure, document.year)
    return Flag(
        "declared-differs",
        f"{ko}: 신고값 {krw(declared.value)}이 문서값 {krw(document.value)}과 다릅니다. "
        "문서값을 사용합니다",
        f"{en}: the declared {declared.value:,} KRW differs from the document's "
        f"{document.value:,} KRW; the document's figure is used",
        (document, declared),
    )


def documents_differ(documents: Sequence[FigureUse]) -> Flag:
    ko, en = _names(documents[0].figure, documents[0].year)
    values_ko = ", ".join(krw(d.value) for d in documents)
    values_en = ", ".join(f"{d.value:,} KRW" for d in documents)
    return Flag(
        "documents-differ",
        f"{ko}: 같은 연도의 문서들이 서로 다릅니다({values_ko}). 마지막 문서의 값을 사용하며 "
        "평가위원 확인이 필요합니다",
        f"{en}: documents for the same year disagree ({values_en}); the latest document's "
        "figure is used and needs an evaluator's confirmation",
        tuple(documents),
        tuple(dict.fromkeys(d.document_id for d in documents if d.document_id is not None)),
    )


def alternative_years(asked_year: int, from_year: int | None, to_year: int) -> Flag:
    span = f"{to_year}" if from_year is None else f"{from_year}→{to_year}"
    return Flag(
        "alternative-years",
        f"{asked_year}년 재무제표가 없어(미확정) {span}년 기준으로 산출했습니다. "
        "평가위원 확인이 필요합니다",
        f"No {asked_year} statement (not yet final): computed over {span} instead; "
        "needs an evaluator's confirmation",
    )


def growth_from_zero(base: FigureUse) -> Flag:
    ko, en = FIGURE_NAMES[base.figure]
    return Flag(
        "not-computable",
        f"{base.year}년 {ko}이 0원이어서 증가율을 계산할 수 없습니다. "
        "재무 현황을 확인할 수 없는 경우의 점수를 잠정 부여하며 평가위원 확인이 필요합니다",
        f"{en.capitalize()} {base.year} is 0 KRW, so growth cannot be computed; the points "
        "for unavailable financials are given provisionally, for an evaluator to confirm",
        (base,),
    )


def no_finite_ratio(denominator: FigureUse) -> Flag:
    """A ratio over a denominator ≤ 0; over total equity that is 자본잠식 (impaired capital)."""
    ko, en = FIGURE_NAMES[denominator.figure]
    amount = f"{denominator.value:,}"
    if denominator.figure == "total-equity":
        return Flag(
            "impaired-capital",
            f"{denominator.year}년 {ko} {amount}원: 자본잠식으로 부채비율이 유한하지 않아 "
            "가장 높은 부채비율 구간으로 평가합니다",
            f"{en.capitalize()} {denominator.year} is {amount} KRW (impaired capital): the "
            "debt ratio is not finite and is scored in the highest-debt band",
            (denominator,),
        )
    return Flag(
        "not-computable",
        f"{denominator.year}년 {ko} {amount}원: 0 이하로 나눌 수 없어 가장 높은 구간으로 평가합니다",
        f"{en.capitalize()} {denominator.year} is {amount} KRW: no finite ratio; scored in "
        "the band open above",
        (denominator,),
    )
