"""Tables as operators and committees open them: CSV (UTF-8 with BOM, so a spreadsheet
opens the Korean headers) and XLSX, the same table in both.

Text that people wrote (a company name, a budget item) is never taken for a formula: in
XLSX it is stored as text, in CSV a leading ``= + - @`` (or tab, carriage return) gets an
apostrophe, as spreadsheet programs read it.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from decimal import Decimal
from typing import Any, Literal

from fastapi import Response
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

Sheet = tuple[str, list[str], list[list[Any]]]  # title, headers, lines
ExportFormat = Literal["csv", "xlsx"]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv; charset=utf-8"
# The OpenAPI ``responses`` of an export endpoint.
EXPORT_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "content": {
            "text/csv": {"schema": {"type": "string"}},
            XLSX: {"schema": {"type": "string", "format": "binary"}},
        }
    }
}


def download(
    format: ExportFormat, title: str, name: str, headers: list[str], lines: list[list[Any]]
) -> Response:
    """The table as a file to save: ``name``.csv or .xlsx (sheet ``title``)."""
    if format == "csv":
        content, media_type = as_csv(headers, lines), CSV
    else:
        content, media_type = as_xlsx(title, headers, lines), XLSX
    safe = re.sub(r"[^A-Za-z0-9._-]", "_", name)[:120]  # a header carries latin-1 only
    return Response(
        content,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{safe}.{format}"'},
    )


def as_csv(headers: list[str], lines: list[list[Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(headers)
    writer.writerows([[_csv_cell(v) for v in line] for line in lines])
    return out.getvalue().encode("utf-8-sig")


def as_xlsx(title: str, headers: list[str], lines: list[list[Any]]) -> bytes:
    return workbook([(title, headers, lines)])


def workbook(sheets: Sequence[Sheet]) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for title, headers, lines in sheets:
        _sheet(book, title, headers, lines)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _sheet(book: Workbook, title: str, headers: list[str], lines: list[list[Any]]) -> None:
    sheet = book.create_sheet(title[:31])
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
            elif isinstance(cell.value, int) and not isinstance(cell.value, bool):
                cell.number_format = "#,##0"
            elif cell.data_type == "f":  # text that starts with "=": keep it text
                cell.data_type = "s"
    for index, header in enumerate(headers, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(10, len(header) * 2)
    sheet.freeze_panes = "A2"


def _csv_cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
