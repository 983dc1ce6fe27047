"""What partners send to the registries: validated per registry, all or nothing, JSON or CSV."""

from __future__ import annotations

import pytest

from eligibility.registries.records import SanctionIn, brn_is_valid
from eligibility.registries.uploads import parse_rows
from sfms_shared.problems import Problem

CSV_HEADER = "record_key,brn,source,program,starts_on,ends_on,reason\n"


def test_brn_check_digit() -> None:
    assert brn_is_valid("1234567891") and brn_is_valid("2148600016")
    assert not brn_is_valid("1234567890") and not brn_is_valid("12345")


def test_a_csv_with_a_byte_order_mark_and_korean_text_is_read() -> None:
    body = (
        "\ufeff" + CSV_HEADER + "K-1,1234567891,kiria,제조로봇도입,2026-03-01,,협약 위반\n"
    ).encode()
    (record,) = parse_rows("sanctions", "text/csv; charset=utf-8", body)
    assert isinstance(record, SanctionIn)
    assert record.program == "제조로봇도입" and record.ends_on is None


def test_every_bad_row_is_named_and_nothing_passes() -> None:
    rows = [
        {
            "record_key": "a",
            "brn": "1234567891",
            "source": "kiria",
            "program": "p",
            "starts_on": "2026-01-01",
        },
        {
            "record_key": "b",
            "brn": "1234567890",
            "source": "kiria",
            "program": "p",
            "starts_on": "2026-01-01",
        },
        {
            "record_key": "c",
            "brn": "1234567891",
            "source": "elsewhere",
            "program": "p",
            "starts_on": "x",
        },
    ]
    import json

    with pytest.raises(Problem) as refused:
        parse_rows("sanctions", "application/json", json.dumps(rows).encode())
    fields = [e.field for e in refused.value.errors]
    assert "rows[1]" in fields[0] and any(f.startswith("rows[2].source") for f in fields)
    assert any(f.startswith("rows[2].starts_on") for f in fields)
    assert refused.value.status == 422


def test_a_record_key_twice_in_one_upload_is_refused() -> None:
    body = (
        CSV_HEADER + "K,1234567891,kiria,p,2026-01-01,,\nK,1234567891,kpic,p,2026-01-01,,\n"
    ).encode()
    with pytest.raises(Problem) as refused:
        parse_rows("sanctions", "text/csv", body)
    assert refused.value.errors[0].code == "duplicate-record-key"


@pytest.mark.parametrize(
    ("content_type", "body", "status"),
    [
        ("application/xml", b"<a/>", 415),
        ("application/json", b"{not json", 400),
        ("application/json", b'{"record_key": "x"}', 400),
        ("application/json", b"[]", 422),
        ("text/csv", b"\xff\xfe", 400),
    ],
)
def test_unreadable_uploads(content_type: str, body: bytes, status: int) -> None:
    with pytest.raises(Problem) as refused:
        parse_rows("sanctions", content_type, body)
    assert refused.value.status == status


def test_periods_must_be_ordered_and_fields_known() -> None:
    with pytest.raises(ValueError):
        SanctionIn(
            record_key="k",
            brn="1234567891",
            source="kiria",
            program="p",
            starts_on="2026-05-01",
            ends_on="2026-04-01",
        )
    with pytest.raises(ValueError):
        SanctionIn.model_validate(
            {
                "record_key": "k",
                "brn": "1234567891",
                "source": "kiria",
                "program": "p",
                "starts_on": "2026-05-01",
                "status": "x",
            }
        )
