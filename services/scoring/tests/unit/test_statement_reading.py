"""Reading 표준재무제표증명 and 수출실적증명서 PDFs (001 §3 제출서류 목록 6, 7): figures with
their page from generated certificates with Korean text, and every PDF that cannot be
trusted refused with a reason instead of guessed at."""

from __future__ import annotations

from uuid import uuid4

import pytest
from fpdf import FPDF
from noto_cjk_sans_jp_regular import FONT_PATH

from scoring.documents.statements import MAX_PAGES, read_export_record, read_statement
from scoring.domain.figures import ExportReading, StatementReading, Unreadable
from sfms_shared.testing.statement_pdfs import export_record_pdf, standard_financial_statement_pdf


def statement(**changes: int) -> bytes:
    figures = {
        "fiscal_year": 2025,
        "revenue": 11_200_000_000,
        "operating_profit": 1_050_000_000,
        "total_liabilities": 6_000_000_000,
        "total_equity": 10_000_000_000,
    } | changes
    return standard_financial_statement_pdf(
        company_name="(주)한빛정밀", brn="1234567891", **figures
    )


@pytest.mark.parametrize("year", [2023, 2024, 2025])
def test_the_four_figures_are_read_with_their_page(year: int) -> None:
    reading = read_statement(uuid4(), statement(fiscal_year=year))
    assert isinstance(reading, StatementReading) and reading.fiscal_year == year
    found = {figure: (located.value, located.page) for figure, located in reading.figures.items()}
    assert found == {
        "total-liabilities": (6_000_000_000, 1),
        "total-equity": (10_000_000_000, 1),
        "revenue": (11_200_000_000, 2),
        "operating-profit": (1_050_000_000, 2),
    }


@pytest.mark.parametrize("profit", [-1_050_000_000, 0, -1])
def test_an_operating_loss_printed_with_a_triangle_is_negative(profit: int) -> None:
    reading = read_statement(uuid4(), statement(operating_profit=profit))
    assert isinstance(reading, StatementReading)
    assert reading.figures["operating-profit"].value == profit


def test_large_amounts_and_the_same_bytes_every_time() -> None:
    pdf = statement(revenue=98_765_432_100)
    assert pdf == statement(revenue=98_765_432_100)
    reading = read_statement(uuid4(), pdf)
    assert isinstance(reading, StatementReading)
    assert reading.figures["revenue"].value == 98_765_432_100


def test_the_export_record_gives_direct_exports_not_indirect() -> None:
    pdf = export_record_pdf(
        company_name="(주)한빛정밀", brn="1234567891", by_year={2021: 0, 2023: 350_000_000}
    )
    reading = read_export_record(uuid4(), pdf)
    assert isinstance(reading, ExportReading)
    assert {y: located.value for y, located in reading.by_year.items()} == {
        2021: 0,
        2023: 350_000_000,
    }


def _text_pdf(lines: list[str], pages: int = 1) -> bytes:
    pdf = FPDF()
    pdf.add_font("noto", fname=str(FONT_PATH))
    pdf.set_font("noto", size=11)
    for _ in range(pages):
        pdf.add_page()
        for line in lines:
            pdf.cell(0, 8, line, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def _image_only_pdf() -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.rect(10, 10, 100, 50, style="F")
    return bytes(pdf.output())


@pytest.mark.parametrize(
    ("name", "pdf"),
    [
        ("garbage", b"this is not a pdf"),
        ("truncated", statement()[:3000]),
        ("scanned image", _image_only_pdf()),
        ("another document", _text_pdf(["사업자등록증명", "상호: (주)한빛정밀"])),
        ("no fiscal year", _text_pdf(["표준재무제표증명", "매출액   1,000"])),
        (
            "two amounts for one label",
            _text_pdf(
                [
                    "표준재무제표증명",
                    "사업연도: 2025.01.01 ~ 2025.12.31",
                    "매출액   1,000",
                    "매출액   2,000",
                ]
            ),
        ),
    ],
)
def test_what_cannot_be_trusted_is_unreadable_with_a_reason(name: str, pdf: bytes) -> None:
    reading = read_statement(uuid4(), pdf)
    assert isinstance(reading, Unreadable), name
    assert reading.reason_ko and reading.reason_en


def test_only_the_first_pages_are_read() -> None:
    lines = ["표준재무제표증명", "사업연도: 2025.01.01 ~ 2025.12.31", "부채총계  1,000"]
    many = _text_pdf(lines, pages=MAX_PAGES + 30)
    reading = read_statement(uuid4(), many)
    assert isinstance(reading, StatementReading)
    assert reading.figures["total-liabilities"].page == 1
