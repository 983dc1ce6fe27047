"""Bulk uploads: a JSON array or a CSV file (header row of field names, UTF-8, with or
without a byte-order mark), all or nothing: one bad row refuses the file, naming every bad
row and field."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from pydantic import ValidationError

from eligibility.domain.facts import RegistryName
from eligibility.registries.records import INPUTS, RecordIn
from sfms_shared.problems import FieldError, Problem

MAX_ROWS = 10_000
MAX_ERRORS = 100


def parse_rows(registry: RegistryName, content_type: str, body: bytes) -> list[RecordIn]:
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
            errors.extend(_row_errors(index, exc))
    keys = [r.record_key for r in records]
    if not errors and len(keys) != len(set(keys)):
        duplicate = next(k for k in keys if keys.count(k) > 1)
        errors.append(
            FieldError(
                f"rows[{keys.index(duplicate)}].record_key",
                "duplicate-record-key",
                f"record_key {duplicate} appears twice in the upload",
                f"record_key {duplicate}이(가) 두 번 있습니다",
            )
        )
    if errors:
        shown = errors[:MAX_ERRORS]
        raise Problem(
            status=422,
            slug="invalid-rows",
            title_en=f"{len(errors)} problem(s) in the upload; nothing was stored",
            title_ko=f"업로드에 {len(errors)}건의 오류가 있어 아무것도 저장하지 않았습니다",
            detail_en="; ".join(f"{e.field}: {e.en}" for e in shown),
            detail_ko="; ".join(f"{e.field}: {e.ko}" for e in shown),
            field=shown[0].field,
            errors=shown,
        )
    return records


def _row_errors(index: int, exc: ValidationError) -> list[FieldError]:
    found = []
    for error in exc.errors(include_url=False):
        where = ".".join(str(p) for p in error["loc"]) or "row"
        message = error["msg"]
        found.append(
            FieldError(f"rows[{index}].{where}", error["type"], message, f"값 오류: {message}")
        )
    return found


def _json_rows(body: bytes) -> list[Any]:
    try:
        rows = json.loads(body)
    except (ValueError, RecursionError) as exc:
        raise _unreadable("JSON", str(exc)) from exc
    if not isinstance(rows, list):
        raise _unreadable("JSON", "the body must be an array of records")
    return rows


def _csv_rows(body: bytes) -> list[dict[str, Any]]:
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _unreadable("CSV", "not UTF-8") from exc
    reader = csv.DictReader(io.StringIO(text, newline=""))
    rows = []
    try:
        for row in reader:
            if None in row:
                raise _unreadable("CSV", f"line {reader.line_num} has more cells than the header")
            rows.append({k.strip(): (v if v != "" else None) for k, v in row.items() if k})
    except csv.Error as exc:
        raise _unreadable("CSV", str(exc)) from exc
    return [{k: v for k, v in row.items() if v is not None} for row in rows]


def _unreadable(kind: str, why: str) -> Problem:
    return Problem.for_field(
        400,
        "unreadable-upload",
        "body",
        f"The {kind} upload cannot be read: {why}",
        f"{kind} 업로드를 읽을 수 없습니다: {why}",
    )
