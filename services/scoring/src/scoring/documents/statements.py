"""Figures from a 표준재무제표증명 (National Tax Service) and a 수출실적증명서 (Korea
International Trade Association), read from the PDF's text (001 §3 제출서류 목록 6, 7).

Strict by design: a scanned image, an encrypted or malformed file, a document of another
kind, or a label printed with two different amounts gives ``Unreadable`` with the reason,
and the scoring falls back to the declared figures for an evaluator to confirm.

A hostile PDF cannot make reading costly (``ReadingLimits``): only the first pages are
read; every stream is refused once it inflates past a few megabytes, and the pages'
content streams together past a few more (a 200 kB PDF can hold gigabytes of
FlateDecode data, and twenty pages can share one such stream); a content stream is
parsed up to a budget of operations; the text is capped; and reading stops when it has
taken longer than its time budget (checked between pages, each of which the limits
above keep short). Such a PDF is ``Unreadable`` like any other.
"""

from __future__ import annotations

import io
import re
import time
from dataclasses import dataclass
from uuid import UUID

from pypdf import PdfReader, apply_configuration
from pypdf.errors import LimitReachedError

from scoring.domain.figures import ExportReading, Located, StatementReading, Unreadable
from sfms_shared.contracts.terms_scoring import Figure

MAX_PAGES = 20
MAX_TEXT = 200_000


@dataclass(frozen=True)
class ReadingLimits:
    """What one document may cost to read. A real certificate is a few pages of a few
    tens of kilobytes of content each; these are one to two orders of magnitude above."""

    pages: int = MAX_PAGES
    text_chars: int = MAX_TEXT
    stream_bytes: int = 4 * 1024 * 1024  # any one stream, once decoded (every filter)
    content_bytes: int = 16 * 1024 * 1024  # the read pages' content streams, decoded, together
    operations_per_stream: int = 250_000  # operands and operators parsed in one content stream
    forms_per_page: int = 100  # form XObjects drawn while extracting one page's text
    seconds: float = 10.0


LIMITS = ReadingLimits()

_AMOUNT = r"[△▲\-(]?\s*\d{1,3}(?:,\d{3})*\)?"
_LABELS: dict[str, Figure] = {
    "매출액": "revenue",
    "영업이익(손실)": "operating-profit",
    "영업이익": "operating-profit",
    "영업손실": "operating-profit",
    "부채총계": "total-liabilities",
    "자본총계": "total-equity",
}
# A line of the statement: an optional item code (Ⅰ. Ⅱ. …), the label, the current-year
# (당기) amount first.
_ITEM = re.compile(
    r"^\s*(?:[ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩ]+\.\s*)?(?P<label>"
    + "|".join(re.escape(label) for label in sorted(_LABELS, key=len, reverse=True))
    + r")\s*(?P<amount>"
    + _AMOUNT
    + r")(?!\d)"
)
_PERIOD = re.compile(
    r"(?:사업연도|과세기간)\s*[:：]?\s*\d{4}\s*[.\-/년]\s*\d{1,2}\s*[.\-/월]\s*\d{1,2}\s*일?\s*"
    r"[~∼-]\s*(?P<year>\d{4})\s*[.\-/년]"
)
_EXPORT_ROW = re.compile(r"^\s*(?P<year>(?:19|20)\d{2})(?:년)?\s+(?P<rest>.+)$")


def read_statement(
    document_id: UUID, pdf: bytes, limits: ReadingLimits = LIMITS
) -> StatementReading | Unreadable:
    pages = _pages(document_id, pdf, limits)
    if isinstance(pages, Unreadable):
        return pages
    text = "\n".join(pages)
    if "표준재무제표증명" not in text and not (
        "표준재무상태표" in text or "표준손익계산서" in text
    ):
        return _unreadable(
            document_id,
            "표준재무제표증명이 아닙니다",
            "The document is not a standard financial statement certificate",
        )
    years = {int(m["year"]) for m in _PERIOD.finditer(text)}
    if len(years) != 1:
        return _unreadable(
            document_id,
            "사업연도를 확인할 수 없습니다" if not years else "사업연도가 여러 개 적혀 있습니다",
            "The fiscal year cannot be found"
            if not years
            else "The document names more than one fiscal year",
        )
    figures: dict[Figure, Located] = {}
    for number, page in enumerate(pages, start=1):
        for line in page.splitlines():
            match = _ITEM.match(line)
            if match is None:
                continue
            figure = _LABELS[match["label"]]
            value = _value(match["amount"], loss=match["label"] == "영업손실")
            found = figures.get(figure)
            if found is not None and found.value != value:
                return _unreadable(
                    document_id,
                    f"'{match['label']}' 금액이 서로 다르게 두 번 적혀 있습니다",
                    f"'{match['label']}' is printed twice with different amounts",
                )
            if found is None:
                figures[figure] = Located(value, number, match["label"])
    if not figures:
        return _unreadable(
            document_id,
            "재무 항목(매출액, 영업이익, 부채총계, 자본총계)을 찾을 수 없습니다",
            "No financial line (revenue, operating profit, liabilities, equity) was found",
        )
    return StatementReading(document_id, years.pop(), figures)


def read_export_record(
    document_id: UUID, pdf: bytes, limits: ReadingLimits = LIMITS
) -> ExportReading | Unreadable:
    pages = _pages(document_id, pdf, limits)
    if isinstance(pages, Unreadable):
        return pages
    if "수출실적" not in "\n".join(pages):
        return _unreadable(
            document_id, "수출실적증명서가 아닙니다", "The document is not an export record"
        )
    by_year: dict[int, Located] = {}
    for number, page in enumerate(pages, start=1):
        column: int | None = None
        for line in page.splitlines():
            if "직접" in line:
                column = _direct_column(line)
                continue
            row = _EXPORT_ROW.match(line)
            if column is None or row is None:
                continue
            amounts = re.findall(_AMOUNT, row["rest"])
            if len(amounts) <= column:
                return _unreadable(
                    document_id,
                    f"{row['year']}년 직접수출 금액을 읽을 수 없습니다",
                    f"The direct exports of {row['year']} cannot be read",
                )
            by_year[int(row["year"])] = Located(_value(amounts[column]), number, "직접수출")
    if not by_year:
        return _unreadable(
            document_id,
            "연도별 직접수출 실적을 찾을 수 없습니다",
            "No direct exports by year were found",
        )
    return ExportReading(document_id, by_year)


def _pages(document_id: UUID, pdf: bytes, limits: ReadingLimits) -> list[str] | Unreadable:
    started = time.monotonic()
    try:
        with apply_configuration(**_pypdf_limits(limits)):
            texts = _texts(document_id, PdfReader(io.BytesIO(pdf)), limits, started)
        if isinstance(texts, Unreadable):
            return texts
    except LimitReachedError:
        return _too_large(document_id)
    except Exception as error:  # noqa: BLE001 - any malformed PDF is simply unreadable
        return _unreadable(
            document_id,
            f"PDF를 열 수 없습니다 ({type(error).__name__})",
            f"The PDF cannot be opened ({type(error).__name__})",
        )
    if not any(t.strip() for t in texts):
        return _unreadable(
            document_id,
            "글자가 없는 PDF입니다 (스캔 이미지)",
            "The PDF has no text (a scanned image)",
        )
    return texts


def _texts(
    document_id: UUID, reader: PdfReader, limits: ReadingLimits, started: float
) -> list[str] | Unreadable:
    if reader.is_encrypted:
        return _unreadable(document_id, "암호화된 PDF입니다", "The PDF is encrypted")
    pages = reader.pages[: limits.pages]
    content = 0
    for page in pages:
        # Decoded once here (pypdf keeps it for the extraction), counted before parsing.
        stream = page.get_contents()
        content += len(stream.get_data()) if stream is not None else 0
        if content > limits.content_bytes:
            return _too_large(document_id)
    texts: list[str] = []
    size = 0
    for page in pages:
        if time.monotonic() - started > limits.seconds:
            return _unreadable(
                document_id,
                "PDF를 읽는 데 시간이 너무 오래 걸립니다",
                "Reading the PDF takes too long",
            )
        text = page.extract_text(extraction_mode="layout").replace("\x00", "")
        size += len(text)
        if size > limits.text_chars:
            return _unreadable(
                document_id, "문서의 글자 수가 너무 많습니다", "The document has too much text"
            )
        texts.append(text)
    return texts


def _pypdf_limits(limits: ReadingLimits) -> dict[str, int]:
    stream = limits.stream_bytes
    return {
        "array_based_stream_maximum_output_length": stream,
        "zlib_maximum_output_length": stream,
        "lzw_maximum_output_length": stream,
        "run_length_maximum_output_length": stream,
        "brotli_maximum_output_length": stream,
        "jbig2_maximum_output_length": stream,
        "stream_decoding_work_maximum_length": 4 * stream,
        "stream_parsing_work_maximum_count": limits.operations_per_stream,
        "xform_maximum_invocations_per_extraction": limits.forms_per_page,
    }


def _too_large(document_id: UUID) -> Unreadable:
    return _unreadable(
        document_id,
        "압축을 풀면 읽기 한도를 넘는 PDF입니다 (압축 폭탄으로 의심됩니다)",
        "The PDF expands beyond the reader's limits (a suspected decompression bomb)",
    )


def _direct_column(header: str) -> int | None:
    """Which amount column holds direct exports, by the order of the header's labels."""
    labels = re.findall(r"직접수출|간접수출|합계|직접|간접", header)
    for index, label in enumerate(labels):
        if label.startswith("직접"):
            return index
    return None


def _value(printed: str, *, loss: bool = False) -> int:
    digits = int(re.sub(r"[^\d]", "", printed))
    negative = printed.lstrip().startswith(("△", "▲", "-", "(")) or loss
    return -digits if negative else digits


def _unreadable(document_id: UUID, ko: str, en: str) -> Unreadable:
    return Unreadable(document_id, ko, en)
