"""A stage's ranking as a selection committee reads it: CSV (UTF-8 with BOM, so a
spreadsheet opens the Korean headers) and XLSX, the same table in both.

Text that applicants wrote (a company name) is never taken for a formula: in XLSX it is
stored as text, in CSV a leading ``= + - @`` (or tab, carriage return) gets an apostrophe,
as spreadsheet programs read it.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from sfms_shared.contracts.terms_scoring import Rubric

OUTCOME_KO = {
    "shortlisted": "선발",
    "not-shortlisted": "미선발",
    "selected": "선정",
    "alternate": "후보",
    "not-selected": "미선정",
    "supported": "지원",
    "below-threshold": "기준점수 미달",
    "checks-failed": "현장확인 부적합",
}
STAGE_KO = {
    "document-review": "서면평가",
    "on-site-review": "현장평가",
    "planner-evaluation": "기획기관평가",
    "selection-evaluation": "선정평가",
}


def ranking_table(
    rubric: Rubric, rows: Sequence[dict[str, Any]]
) -> tuple[list[str], list[list[Any]]]:
    """Headers and one line per ranked application: rank, company, per-criterion averages,
    total without bonus, bonus, final, tie-break note, result."""
    items = list(rubric.items)
    headers = [
        "순위",
        "기업명",
        "사업자등록번호",
        *[f"{item.name.ko} ({item.max_points}점)" for item in items],
        "가점 제외 총점",
        "가점",
        "최종점수",
        "동점 처리",
        "결과",
        "평가위원 수",
    ]
    lines = []
    for row in rows:
        points = {entry["code"]: entry["points"] for entry in row["items"]}
        lines.append(
            [
                row["rank"],
                row["company_name"],
                row["applicant_brn"],
                *[_number(points.get(item.code)) for item in items],
                _number(row["total_without_bonus"]),
                row["bonus"],
                _number(row["final"]),
                row.get("tie_break") or "",
                OUTCOME_KO[row["outcome"]],
                row["evaluators"],
            ]
        )
    return headers, lines


def as_csv(headers: list[str], lines: list[list[Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(headers)
    writer.writerows([[_csv_cell(v) for v in line] for line in lines])
    return out.getvalue().encode("utf-8-sig")


def as_xlsx(title: str, headers: list[str], lines: list[list[Any]]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", wrap_text=True)
    for line in lines:
        sheet.append(line)
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, Decimal):
                places = -min(0, int(cell.value.as_tuple().exponent))
                cell.number_format = "0." + "0" * places if places else "0"
            elif cell.data_type == "f":  # text that starts with "=": keep it text
                cell.data_type = "s"
    for index, header in enumerate(headers, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(10, len(header) * 2)
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _csv_cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _number(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)
