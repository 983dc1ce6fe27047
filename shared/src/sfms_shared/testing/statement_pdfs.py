"""Machine-readable statement PDFs with Korean text, for tests and the walk-through.

``standard_financial_statement_pdf`` lays out a 표준재무제표증명 as 홈택스 issues it (a
표준재무상태표 page and a 표준손익계산서 page); ``export_record_pdf`` a 한국무역협회
수출실적증명서 with direct and indirect exports by year. The text is set in Noto Sans CJK
(from the ``noto-cjk-sans-jp-regular`` package, which covers Hangul) and embedded with its
Unicode map, so a PDF text library reads it back. Same inputs, same bytes.

Embedding the whole CJK font costs about a second a document; ``font_covering`` cuts it
once to the characters of the certificates and of the given company names, which makes
a document some fifteen times cheaper (the walk-through prints 180 of them).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime
from pathlib import Path
from zlib import crc32

from fontTools import subset
from fontTools.ttLib import TTFont
from fpdf import FPDF
from noto_cjk_sans_jp_regular import FONT_PATH

_FONT = "noto"
_ROW = 8
# Every character the certificates print besides the company's name and the figures.
_CERTIFICATE_TEXT = (
    "표준재무상태표 Ⅰ. 유동자산 Ⅱ. 비유동자산 자산총계 유동부채 비유동부채 부채총계 자본금 "
    "자본총계 부채와자본총계 표준손익계산서 Ⅲ. Ⅳ. Ⅴ. 매출액 매출원가 매출총이익 "
    "판매비와관리비 영업이익(손실) 표준재무제표증명 상호(법인명): 사업자등록번호: 사업연도: "
    "[] (단위: 원) 과목 제 기(당기) 수출실적증명서 업체명: 발급기관: 한국무역협회 연도 직접수출 "
    "간접수출 합계 발급번호: 발급일자: 년 월 일 △ ,.-~"
)
_ASCII = "".join(chr(c) for c in range(0x20, 0x7F))


def font_covering(names: Iterable[str], path: Path) -> Path:
    """Write to ``path`` the Noto font cut to the certificates' text and ``names``."""
    font = TTFont(FONT_PATH, lazy=True)
    cutter = subset.Subsetter(
        subset.Options(notdef_outline=True, name_IDs=["*"], layout_features=[])
    )
    cutter.populate(text=_ASCII + _CERTIFICATE_TEXT + "".join(names))
    cutter.subset(font)
    path.parent.mkdir(parents=True, exist_ok=True)
    font.save(path)
    return path


def standard_financial_statement_pdf(
    *,
    company_name: str,
    brn: str,
    fiscal_year: int,
    revenue: int,
    operating_profit: int,
    total_liabilities: int,
    total_equity: int,
    total_assets: int | None = None,
    issued_on: date = date(2026, 6, 1),
    font: Path = FONT_PATH,
) -> bytes:
    pdf = _document(issued_on, font)
    assets = total_liabilities + total_equity if total_assets is None else total_assets
    cost_of_sales = revenue * 7 // 10
    selling_expenses = revenue - cost_of_sales - operating_profit
    pages = (
        (
            "표준재무상태표",
            [
                ("Ⅰ. 유동자산", assets * 4 // 10),
                ("Ⅱ. 비유동자산", assets - assets * 4 // 10),
                ("자산총계", assets),
                ("Ⅰ. 유동부채", total_liabilities * 6 // 10),
                ("Ⅱ. 비유동부채", total_liabilities - total_liabilities * 6 // 10),
                ("부채총계", total_liabilities),
                ("Ⅰ. 자본금", total_equity // 5),
                ("자본총계", total_equity),
                ("부채와자본총계", total_liabilities + total_equity),
            ],
        ),
        (
            "표준손익계산서",
            [
                ("Ⅰ. 매출액", revenue),
                ("Ⅱ. 매출원가", cost_of_sales),
                ("Ⅲ. 매출총이익", revenue - cost_of_sales),
                ("Ⅳ. 판매비와관리비", selling_expenses),
                ("Ⅴ. 영업이익(손실)", operating_profit),
            ],
        ),
    )
    for title, lines in pages:
        pdf.add_page()
        _heading(pdf, "표준재무제표증명", issued_on)
        _line(pdf, f"상호(법인명): {company_name}")
        _line(pdf, f"사업자등록번호: {brn[:3]}-{brn[3:5]}-{brn[5:]}")
        _line(pdf, f"사업연도: {fiscal_year}.01.01 ~ {fiscal_year}.12.31")
        pdf.ln(4)
        _line(pdf, f"[{title}]  (단위: 원)")
        _columns(pdf, "과목", "제 기(당기)")
        for label, amount in lines:
            _columns(pdf, label, _amount(amount))
    return bytes(pdf.output())


def export_record_pdf(
    *,
    company_name: str,
    brn: str,
    by_year: dict[int, int],
    issued_on: date = date(2026, 6, 1),
    font: Path = FONT_PATH,
) -> bytes:
    """Direct exports as given; the indirect column carries other, larger numbers, so a
    reader that takes the wrong column is caught."""
    pdf = _document(issued_on, font)
    pdf.add_page()
    _heading(pdf, "수출실적증명서", issued_on)
    _line(pdf, f"업체명: {company_name}")
    _line(pdf, f"사업자등록번호: {brn[:3]}-{brn[3:5]}-{brn[5:]}")
    _line(pdf, "발급기관: 한국무역협회  (단위: 원)")
    pdf.ln(4)
    _columns(pdf, "연도", "직접수출", "간접수출", "합계")
    for year in sorted(by_year):
        direct = by_year[year]
        indirect = 500_000_000 + year
        _columns(pdf, str(year), _amount(direct), _amount(indirect), _amount(direct + indirect))
    return bytes(pdf.output())


def _document(issued_on: date, font: Path) -> FPDF:
    pdf = FPDF()
    pdf.set_creation_date(datetime(issued_on.year, issued_on.month, issued_on.day, tzinfo=UTC))
    pdf.add_font(_FONT, fname=str(font))
    pdf.set_font(_FONT, size=11)
    return pdf


def _heading(pdf: FPDF, title: str, issued_on: date) -> None:
    pdf.set_font(_FONT, size=18)
    pdf.cell(0, 14, title, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(_FONT, size=11)
    _line(pdf, f"발급번호: {issued_on:%Y%m%d}-{crc32(title.encode()) % 10000:04d}")
    _line(pdf, f"발급일자: {issued_on:%Y년 %m월 %d일}")


def _line(pdf: FPDF, text: str) -> None:
    pdf.cell(0, _ROW, text, new_x="LMARGIN", new_y="NEXT")


def _columns(pdf: FPDF, first: str, *rest: str) -> None:
    pdf.cell(60, _ROW, first)
    for value in rest:
        pdf.cell(8, _ROW, "")
        pdf.cell(36, _ROW, value, align="R")
    pdf.ln(_ROW)


def _amount(value: int) -> str:
    """Losses are written △1,234, as the National Tax Service prints them."""
    return f"△{-value:,}" if value < 0 else f"{value:,}"
