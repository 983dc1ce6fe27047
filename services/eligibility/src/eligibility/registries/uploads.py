"""Reading what partners send: one record (a JSON object), or a bulk upload (a JSON array or
a CSV file with a header row of field names, UTF-8 with or without a byte-order mark).

A bulk upload is all or nothing: one bad row refuses the file, and the answer names every
bad row and field (``rows[12].starts_on``), so the partner can fix them all at once.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
from typing import Any

from pydantic import ValidationError

from eligibility.domain.facts import RegistryName
from eligibility.registries.records import INPUTS, MESSAGES_KO, RecordIn
from sfms_shared.problems import FieldError, Problem, invalid_fields

MAX_ROWS = 10_000
MAX_ERRORS_SHOWN = 100


def validate_record(registry: RegistryName, body: Any) -> RecordIn:
    try:
        return INPUTS[registry].model_validate(body)
    except ValidationError as exc:
        raise _refused(
            field_errors(exc),
            "validation-failed",
            "The record is not valid",
            "기록이 올바르지 않습니다",
        ) from None


def parse_rows(registry: RegistryName, content_type: str, body: bytes) -> list[RecordIn]:
    """The rows of a bulk upload, every one valid, or a Problem naming each bad one."""
    media_type = content_type.split(";", 1)[0].strip().lower()
    if media_type == "text/csv":
        rows = _csv_rows(body)
    elif media_type == "application/json":
        rows = _json_rows(body)
    else:
        raise Problem.for_field(
            415,
            "unsupported-media-type",
            "Content-Type",
            "Send a JSON array (application/json) or a CSV file (text/csv)",
            "JSON 배열(application/json) 또는 CSV 파일(text/csv)을 보내세요",
        )
    if not rows or len(rows) > MAX_ROWS:
        raise Problem.for_field(
            422,
            "row-count",
            "rows",
            f"An upload holds 1 to {MAX_ROWS:,} rows; this one has {len(rows):,}",
            f"한 번에 1~{MAX_ROWS:,}건을 올릴 수 있습니다(현재 {len(rows):,}건)",
        )
    return validate_rows(registry, rows)


def validate_rows(registry: RegistryName, rows: list[Any]) -> list[RecordIn]:
    model = INPUTS[registry]
    records: list[RecordIn] = []
    errors: list[FieldError] = []
    for index, row in enumerate(rows):
        try:
            records.append(model.model_validate(row))
        except ValidationError as exc:
            errors.extend(field_errors(exc, f"rows[{index}]"))
    errors.extend(_repeated_keys(rows))
    if errors:
        raise _refused(
            errors,
            "invalid-rows",
            f"{len(errors)} problem(s) in the upload; nothing was stored",
            f"업로드에 {len(errors)}건의 오류가 있어 아무것도 저장하지 않았습니다",
        )
    return records


def field_errors(exc: ValidationError, prefix: str | None = None) -> list[FieldError]:
    """pydantic's errors as fields at fault (``<prefix>.<field>``), in English and Korean."""
    raw = exc.errors(include_url=False)
    if prefix is not None:
        raw = [{**error, "loc": (prefix, *error["loc"])} for error in raw]
    return [replace(e, ko=MESSAGES_KO.get(e.code, e.ko)) for e in invalid_fields(raw).errors]


def _repeated_keys(rows: list[Any]) -> list[FieldError]:
    """A record may appear once per upload: which of two rows would be its new version?"""
    first_row: dict[str, int] = {}
    errors = []
    for index, row in enumerate(rows):
        key = row.get("record_key") if isinstance(row, dict) else None
        if not isinstance(key, str):
            continue
        key = key.strip()
        if key in first_row:
            errors.append(
                FieldError(
                    f"rows[{index}].record_key",
                    "duplicate-record-key",
                    f"record_key {key} is already in rows[{first_row[key]}]",
                    f"record_key {key}이(가) rows[{first_row[key]}]에 이미 있습니다",
                )
            )
        else:
            first_row[key] = index
    return errors


def _refused(errors: list[FieldError], slug: str, title_en: str, title_ko: str) -> Problem:
    shown = errors[:MAX_ERRORS_SHOWN]
    return Problem(
        status=422,
        slug=slug,
        title_en=title_en,
        title_ko=title_ko,
        detail_en="; ".join(f"{e.field}: {e.en}" for e in shown),
        detail_ko="; ".join(f"{e.field}: {e.ko}" for e in shown),
        field=shown[0].field,
        errors=shown,
        extra={"error_count": len(errors)},
    )


def _json_rows(body: bytes) -> list[Any]:
    try:
        rows = json.loads(body)
    except (ValueError, RecursionError) as exc:
        raise _unreadable("JSON", str(exc)) from exc
    if not isinstance(rows, list):
        raise _unreadable("JSON", "the body must be an array of records")
    return rows


def _csv_rows(body: bytes) -> list[dict[str, str]]:
    """Rows as {field: cell}, cells trimmed; an empty cell is a field not sent (its default
    applies)."""
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _unreadable("CSV", "it is not UTF-8") from exc
    reader = csv.DictReader(io.StringIO(text, newline=""))
    rows = []
    try:
        for row in reader:
            if None in row:
                raise _unreadable("CSV", f"line {reader.line_num} has more cells than the header")
            cells = {name.strip(): (cell or "").strip() for name, cell in row.items() if name}
            rows.append({name: cell for name, cell in cells.items() if cell})
    except csv.Error as exc:
        raise _unreadable("CSV", str(exc)) from exc
    return rows


def _unreadable(kind: str, why: str) -> Problem:
    return Problem.for_field(
        400,
        "unreadable-upload",
        "body",
        f"The {kind} upload cannot be read: {why}",
        f"{kind} 업로드를 읽을 수 없습니다: {why}",
    )
