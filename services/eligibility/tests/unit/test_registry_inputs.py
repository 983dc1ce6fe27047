"""What partners send to the registries (DOMAIN.md §4: the facts the disqualification rules
read): validated per registry, every bad row and field named, all or nothing, JSON or CSV."""

from __future__ import annotations

import json
from typing import Any

import pytest

from eligibility.domain.facts import REGISTRIES, Evidence
from eligibility.registries.records import INPUTS, fact_of
from eligibility.registries.uploads import MAX_ROWS, parse_rows, validate_record
from sfms_shared.problems import Problem

BRN = "1234567891"
SAMPLES: dict[str, dict[str, Any]] = {
    "sanctions": {
        "source": "kiria",
        "program": "제조로봇도입",
        "starts_on": "2026-03-01",
        "ends_on": "2027-02-28",
        "reason": "협약 위반",
    },
    "closures": {"status": "closed", "effective_on": "2026-05-01"},
    "tax-arrears": {"tax": "local", "since": "2025-11-01", "cleared_on": "2026-02-01"},
    "ongoing-projects": {
        "program": "스마트공장 구축 및 고도화",
        "year": 2025,
        "concurrency_program": 1,
        "stage": "executing",
        "build_ends_on": "2026-09-30",
        "under_after_service": True,
        "project_title": "MES 고도화",
    },
    "pools": {
        "pool": "planner",
        "status": "selected",
        "since": "2026-05-29",
        "until": "2026-12-31",
        "relevant_records": 12,
        "full_time_staff": 7,
        "subcontracts": False,
    },
    "funded-plans": {"program": "제조혁신자동화", "year": 2024, "project_title": "용접 자동화"},
}
SANCTIONS_CSV = "record_key,brn,source,program,starts_on,ends_on,reason\n"


def row(registry: str = "sanctions", **fields: Any) -> dict[str, Any]:
    return {"record_key": "K-1", "brn": BRN, **SAMPLES[registry], **fields}


def refused(registry: str, rows: list[Any]) -> Problem:
    with pytest.raises(Problem) as caught:
        parse_rows(registry, "application/json", json.dumps(rows).encode())
    return caught.value


def fields_of(problem: Problem) -> list[str]:
    return [e.field for e in problem.errors]


@pytest.mark.parametrize("registry", REGISTRIES)
def test_every_registry_takes_the_fields_of_its_fact(registry: str) -> None:
    """What a partner sends becomes, stored and read back, the fact the rules read."""
    record = INPUTS[registry].model_validate(row(registry))
    fact = fact_of(registry, record.record_key, 3, json.loads(json.dumps(record.data())))
    assert fact.evidence == Evidence(registry=registry, record_key="K-1", version=3)
    assert fact.model_dump(mode="json", exclude={"evidence"}) == {
        **fact.model_dump(mode="json", exclude={"evidence"}),
        **SAMPLES[registry],
    }


def test_a_csv_with_a_byte_order_mark_and_korean_text_is_read() -> None:
    body = (
        "\ufeff" + SANCTIONS_CSV + f"K-1,{BRN},kiria,제조로봇도입,2026-03-01,,협약 위반\n"
    ).encode()
    (record,) = parse_rows("sanctions", "text/csv; charset=utf-8", body)
    assert record.program == "제조로봇도입" and record.reason == "협약 위반"
    assert record.ends_on is None  # an empty cell: the field not sent


def test_csv_cells_are_trimmed_and_booleans_read() -> None:
    body = (
        "record_key, brn ,program,year,stage,under_after_service,withdrawn\n"
        f" P-1 ,{BRN}, 자율형공장 ,2025,selected,true,false\n"
        f"P-2,{BRN},자율형공장,2024,completed,,1\n"
    ).encode()
    first, second = parse_rows("ongoing-projects", "text/csv", body)
    assert (first.record_key, first.program, first.under_after_service) == (
        "P-1",
        "자율형공장",
        True,
    )
    assert second.under_after_service is False and second.withdrawn is True


def test_every_bad_row_is_named_with_its_field_and_nothing_passes() -> None:
    problem = refused(
        "sanctions",
        [
            row(record_key="ok"),
            row(record_key="b", brn="1234567890"),
            row(record_key="c", source="elsewhere", starts_on="x"),
            row(record_key="d", ends_on="2026-02-28"),
            row(record_key="e", program="가" * 201, colour="red"),
            "not an object",
        ],
    )
    assert problem.status == 422 and problem.slug == "invalid-rows"
    assert fields_of(problem) == [
        "rows[1].brn",
        "rows[2].source",
        "rows[2].starts_on",
        "rows[3].ends_on",
        "rows[4].program",
        "rows[4].colour",
        "rows[5]",
    ]
    by_field = {e.field: e for e in problem.errors}
    assert by_field["rows[1].brn"].code == "brn-check-digit"
    assert by_field["rows[1].brn"].ko == "사업자등록번호 검증번호가 맞지 않습니다"
    assert by_field["rows[3].ends_on"].code == "period-order"
    assert problem.extra["error_count"] == 7


@pytest.mark.parametrize(
    ("registry", "fields", "field"),
    [
        ("tax-arrears", {"cleared_on": "2025-10-31"}, "cleared_on"),
        ("pools", {"until": "2026-05-28"}, "until"),
        ("pools", {"full_time_staff": -1}, "full_time_staff"),
        ("funded-plans", {"year": 1999}, "year"),
        ("ongoing-projects", {"year": 2101}, "year"),
        ("ongoing-projects", {"stage": "dreaming"}, "stage"),
        ("closures", {"status": "dormant"}, "status"),
        ("funded-plans", {"project_title": " "}, "project_title"),
        ("sanctions", {"reason": "x" * 201}, "reason"),
        ("sanctions", {"record_key": "a\nb"}, "record_key"),
    ],
)
def test_bounds(registry: str, fields: dict[str, Any], field: str) -> None:
    assert fields_of(refused(registry, [row(registry, **fields)])) == [f"rows[0].{field}"]


def test_a_nul_character_in_a_csv_cell_is_refused_where_it_is() -> None:
    body = (SANCTIONS_CSV + f"K-1,{BRN},kiria,제조\x00로봇,2026-03-01,,\n").encode()
    with pytest.raises(Problem) as caught:
        parse_rows("sanctions", "text/csv", body)
    assert fields_of(caught.value) == ["rows[0].program"]


def test_each_repeat_of_a_record_key_is_named() -> None:
    body = (
        SANCTIONS_CSV
        + f"K,{BRN},kiria,p,2026-01-01,,\nL,{BRN},kpic,p,2026-01-01,,\n"
        + f"K,{BRN},kpic,p,2026-01-01,,\n K ,{BRN},kpic,p,2026-01-01,,\n"
    ).encode()
    with pytest.raises(Problem) as caught:
        parse_rows("sanctions", "text/csv", body)
    assert fields_of(caught.value) == ["rows[2].record_key", "rows[3].record_key"]
    assert {e.code for e in caught.value.errors} == {"duplicate-record-key"}
    assert "rows[0]" in caught.value.errors[0].en


def test_one_record_names_its_fields_without_a_row() -> None:
    with pytest.raises(Problem) as caught:
        validate_record("closures", {"record_key": "K", "brn": BRN, "status": "closed"})
    assert caught.value.status == 422 and fields_of(caught.value) == ["effective_on"]
    assert caught.value.errors[0].ko == "필수 항목이 없습니다"


def test_an_upload_holds_at_most_ten_thousand_rows() -> None:
    rows = [row(record_key=f"K-{i}") for i in range(MAX_ROWS + 1)]
    problem = refused("sanctions", rows)
    assert (problem.slug, problem.field) == ("row-count", "rows")
    assert (
        len(parse_rows("sanctions", "application/json", json.dumps(rows[:MAX_ROWS]).encode()))
        == MAX_ROWS
    )


@pytest.mark.parametrize(
    ("content_type", "body", "status"),
    [
        ("application/xml", b"<a/>", 415),
        ("application/json", b"{not json", 400),
        ("application/json", b'{"record_key": "x"}', 400),
        ("application/json", b"[]", 422),
        ("text/csv", SANCTIONS_CSV.encode(), 422),
        ("text/csv", b"\xff\xfe", 400),
        ("text/csv", (SANCTIONS_CSV + f"K,{BRN},kiria,p,2026-01-01,,,extra\n").encode(), 400),
    ],
)
def test_unreadable_uploads(content_type: str, body: bytes, status: int) -> None:
    with pytest.raises(Problem) as caught:
        parse_rows("sanctions", content_type, body)
    assert caught.value.status == status
