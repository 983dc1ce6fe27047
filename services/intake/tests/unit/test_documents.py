"""Document type by magic bytes, and validity 발행일로부터 3개월 이내 (001 §3 제출서류 목록)."""

from __future__ import annotations

from datetime import date

import pytest

from intake.domain.documents import add_months, sniff_media_type, valid_on
from sfms_shared.contracts.calls import DocumentValidity, Source

THREE_MONTHS = DocumentValidity(
    max_age_months=3,
    reference="submission",
    source=Source(file="001_39e04bdc262ce7ee.txt", section="3. 제출서류 목록"),
)


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (b"%PDF-1.7\n", "application/pdf"),
        (b"\x89PNG\r\n\x1a\n\x00", "image/png"),
        (b"\xff\xd8\xff\xe0\x00\x10JF", "image/jpeg"),
        (b"PK\x03\x04\x14\x00", None),  # a zip (or .docx) named .pdf
        (b"<html><bo", None),
        (b"%PDF", None),  # truncated signature
        (b"", None),
    ],
)
def test_media_type_comes_from_the_bytes(head: bytes, expected: str | None) -> None:
    assert sniff_media_type(head) == expected


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 3, 16), 3, date(2026, 6, 16)),
        (date(2026, 3, 31), 3, date(2026, 6, 30)),
        (date(2025, 11, 30), 3, date(2026, 2, 28)),
        (date(2023, 11, 30), 3, date(2024, 2, 29)),
        (date(2025, 10, 15), 3, date(2026, 1, 15)),
    ],
)
def test_add_months_clamps_to_month_end(day: date, months: int, expected: date) -> None:
    assert add_months(day, months) == expected


def test_three_months_counts_the_same_calendar_day_as_still_valid() -> None:
    issued = date(2026, 3, 16)
    assert valid_on(THREE_MONTHS, issued, date(2026, 6, 16))
    assert not valid_on(THREE_MONTHS, issued, date(2026, 6, 17))


def test_a_document_dated_after_the_reference_is_not_valid() -> None:
    assert not valid_on(THREE_MONTHS, date(2026, 6, 17), date(2026, 6, 16))


def test_without_an_age_limit_any_past_issue_date_is_valid() -> None:
    no_limit = DocumentValidity(reference="deadline", source=THREE_MONTHS.source)
    assert valid_on(no_limit, date(2019, 1, 1), date(2026, 6, 16))
