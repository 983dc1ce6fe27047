"""The committee's ranking table: Korean headers, one column per criterion of the stage's
rubric (001 붙임2 서면평가), the same figures in CSV and XLSX."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import openpyxl

from intake.seed_calls import load_seed_calls
from scoring.exports import ranking_table
from sfms_shared.exports import as_csv, as_xlsx

RUBRIC = next(
    c for c in load_seed_calls() if c.id == "2026-autonomous-factory-2"
).terms.evaluation.rubric("document-review")  # type: ignore[union-attr]

ROWS = [
    {
        "rank": 1,
        "company_name": "(주)한빛정밀",
        "applicant_brn": "1234567891",
        "items": [
            {"code": "participation-will", "points": "17.33"},
            {"code": "necessity", "points": "16.00"},
            {"code": "environment", "points": "33.50"},
            {"code": "capability", "points": "16.00"},
        ],
        "total_without_bonus": "82.83",
        "bonus": 0,
        "final": "82.83",
        "outcome": "shortlisted",
        "tie_break": None,
        "evaluators": 3,
    },
    {
        "rank": 2,
        "company_name": "(주)대한기계",
        "applicant_brn": "2148600016",
        "items": [
            {"code": "participation-will", "points": "15.00"},
            {"code": "necessity", "points": "14.50"},
            {"code": "environment", "points": "30.00"},
            {"code": "capability", "points": "12.00"},
        ],
        "total_without_bonus": "71.50",
        "bonus": 0,
        "final": "71.50",
        "outcome": "not-shortlisted",
        "tie_break": "① 가점 제외한 총점",
        "evaluators": 3,
    },
]


def test_headers_are_korean_with_one_column_per_criterion() -> None:
    headers, lines = ranking_table(RUBRIC, ROWS)
    assert headers == [
        "순위",
        "기업명",
        "사업자등록번호",
        "참여의지 (20점)",
        "필요성 (20점)",
        "수행환경 (40점)",
        "기업 역량 (20점)",
        "가점 제외 총점",
        "가점",
        "최종점수",
        "동점 처리",
        "결과",
        "평가위원 수",
    ]
    assert lines[0][3:7] == [Decimal("17.33"), Decimal("16.00"), Decimal("33.50"), Decimal("16.00")]
    assert [line[-2] for line in lines] == ["선발", "미선발"]


def test_csv_and_xlsx_carry_the_same_table() -> None:
    headers, lines = ranking_table(RUBRIC, ROWS)
    text = as_csv(headers, lines).decode("utf-8-sig")
    from_csv = list(csv.reader(io.StringIO(text)))
    book = openpyxl.load_workbook(io.BytesIO(as_xlsx("서면평가 순위", headers, lines)))
    from_xlsx = [list(r) for r in book.active.iter_rows(values_only=True)]
    assert from_csv[0] == from_xlsx[0] == headers
    for csv_line, xlsx_line, row in zip(from_csv[1:], from_xlsx[1:], ROWS, strict=True):
        assert csv_line[1] == xlsx_line[1] == row["company_name"]
        final = headers.index("최종점수")
        assert Decimal(csv_line[final]) == Decimal(row["final"])
        assert Decimal(str(xlsx_line[final])).quantize(Decimal("0.01")) == Decimal(row["final"])
        assert csv_line[headers.index("동점 처리")] == (row["tie_break"] or "")


def test_a_company_name_that_looks_like_a_formula_stays_text() -> None:
    hostile = [ROWS[0] | {"company_name": '=HYPERLINK("http://x.example","열기")'}]
    headers, lines = ranking_table(RUBRIC, hostile)
    from_csv = list(csv.reader(io.StringIO(as_csv(headers, lines).decode("utf-8-sig"))))
    assert from_csv[1][1] == "'" + hostile[0]["company_name"]
    book = openpyxl.load_workbook(io.BytesIO(as_xlsx("서면평가 순위", headers, lines)))
    cell = book.active.cell(row=2, column=2)
    assert cell.data_type == "s" and cell.value == hostile[0]["company_name"]
    assert book.active.cell(row=2, column=headers.index("최종점수") + 1).number_format == "0.00"
