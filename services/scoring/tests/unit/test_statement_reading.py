"""Reading 표준재무제표증명 and 수출실적증명서 PDFs (001 §3 제출서류 목록 6, 7): figures with
their page from generated certificates with Korean text, and every PDF that cannot be
trusted refused with a reason instead of guessed at."""

from __future__ import annotations

import resource
import time
from uuid import uuid4

import pytest
from fpdf import FPDF
from noto_cjk_sans_jp_regular import FONT_PATH

from scoring.documents.statements import (
    LIMITS,
    MAX_PAGES,
    ReadingLimits,
    read_export_record,
    read_statement,
)
from scoring.domain.figures import ExportReading, StatementReading, Unreadable
from sfms_shared.testing.hostile_files import pdf_bomb
from sfms_shared.testing.statement_pdfs import (
    export_record_pdf,
    font_covering,
    standard_financial_statement_pdf,
)


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


def test_certificates_set_in_the_cut_font_read_as_in_the_whole_font(tmp_path, caplog) -> None:
    """``font_covering`` (the walk-through's cheap certificates) leaves out no character
    the certificates print: the same figures and years are read back, nothing is missing."""
    font = font_covering(["(주)가온금속"], tmp_path / "cut.otf")
    figures = {
        "company_name": "(주)가온금속",
        "brn": "1234567891",
        "fiscal_year": 2024,
        "revenue": 9_870_000_000,
        "operating_profit": -12_000_000,
        "total_liabilities": 4_560_000_000,
        "total_equity": 7_890_000_000,
    }
    with caplog.at_level("WARNING"):
        cut = read_statement(uuid4(), standard_financial_statement_pdf(**figures, font=font))
        cut_exports = read_export_record(
            uuid4(),
            export_record_pdf(
                company_name="(주)가온금속", brn="1234567891", by_year={2025: 7}, font=font
            ),
        )
    whole = read_statement(uuid4(), standard_financial_statement_pdf(**figures))
    assert isinstance(cut, StatementReading) and isinstance(whole, StatementReading)
    assert cut.fiscal_year == whole.fiscal_year == 2024
    assert {k: (v.value, v.page) for k, v in cut.figures.items()} == {
        k: (v.value, v.page) for k, v in whole.figures.items()
    }
    assert isinstance(cut_exports, ExportReading)
    assert "missing" not in caplog.text


# Decompression bombs: a few kilobytes to a few hundred on disk, far more once inflated.
MB = 1024 * 1024
BOMBS = {
    # one FlateDecode content stream of 200 MB of blanks (≈ 200 kB on disk)
    "one stream far past the limit": pdf_bomb(200 * MB),
    # under the per-stream limit, but twenty pages draw it: 78 MB of content together
    "twenty pages sharing one large stream": pdf_bomb(LIMITS.stream_bytes - MB // 10, pages=20),
    # 3 MB of text operations: within the size limits, past the parsing budget
    "a stream of text operations to parse": pdf_bomb(3 * MB, text=True),
}


@pytest.mark.parametrize("name", BOMBS)
def test_a_decompression_bomb_is_unreadable_quickly_and_in_little_memory(name: str) -> None:
    """Before the limits, the twenty-page bomb (70 MB stream, 70 kB file) took 99 s and
    1.5 GB of memory to come back as "no text"."""
    pdf = BOMBS[name]
    assert len(pdf) < 250 * 1024
    peak_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.monotonic()
    reading = read_statement(uuid4(), pdf)
    elapsed = time.monotonic() - started
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - peak_before) / 1024
    assert isinstance(reading, Unreadable), name
    assert reading.reason_en == (
        "The PDF expands beyond the reader's limits (a suspected decompression bomb)"
    )
    assert "압축 폭탄" in reading.reason_ko
    assert elapsed < 5, f"{name}: {elapsed:.1f} s"
    assert grown_mb < 100, f"{name}: the peak grew by {grown_mb:.0f} MB"


def test_the_export_reader_has_the_same_limits() -> None:
    reading = read_export_record(uuid4(), BOMBS["one stream far past the limit"])
    assert isinstance(reading, Unreadable)
    assert "decompression bomb" in reading.reason_en


def test_content_within_the_limits_is_read_as_usual() -> None:
    """Blanks up to the limits: read (slowly: a few seconds at most) and found empty."""
    within = pdf_bomb(LIMITS.content_bytes // 4 - MB // 10, pages=4)
    started = time.monotonic()
    reading = read_statement(uuid4(), within)
    assert time.monotonic() - started < 10
    assert isinstance(reading, Unreadable)
    assert reading.reason_en == "The PDF has no text (a scanned image)"


def test_reading_stops_when_it_takes_longer_than_its_time_budget() -> None:
    """Checked between pages: a document that is still being read when the budget is
    spent is unreadable, whatever it holds."""
    reading = read_statement(uuid4(), statement(), ReadingLimits(seconds=0))
    assert isinstance(reading, Unreadable)
    assert reading.reason_en == "Reading the PDF takes too long"
    assert reading.reason_ko == "PDF를 읽는 데 시간이 너무 오래 걸립니다"
    assert isinstance(read_statement(uuid4(), statement()), StatementReading)
