"""Bad input gets a problem+json naming the field, in Korean and English, and changes nothing."""

from __future__ import annotations

import pytest
from intake_api_support import (
    COMPANY,
    PDF,
    VALID_BRNS,
    assert_problem,
    register,
    start_application,
    upload,
    upload_required,
)

pytestmark = pytest.mark.integration


async def test_an_invalid_brn(intake) -> None:
    before = await intake.row_counts()
    response = await intake.client.post(
        "/v1/organisations",
        json={**COMPANY, "brn": "220-81-62518"},
    )
    body = assert_problem(response, 422, "invalid-brn", "brn")
    assert "사업자등록번호" in body["title_ko"]
    assert await intake.row_counts() == before


async def test_a_missing_required_document(intake) -> None:
    company = await register(intake.client)
    application = await start_application(intake.client, company["id"])
    await upload_required(intake.client, application["id"], skip=("local-tax-clearance",))
    before = await intake.row_counts()
    response = await intake.client.post(f"/v1/applications/{application['id']}/submit")
    assert_problem(response, 422, "document-missing", "documents[local-tax-clearance]")
    assert await intake.row_counts() == before
    assert (await intake.client.get(f"/v1/applications/{application['id']}")).json()[
        "status"
    ] == "draft"


async def test_an_expired_certificate(intake) -> None:
    """Clock: 2026-06-10. Issued 2026-03-09 is more than 3 months before (001 §3 제출서류 4)."""
    company = await register(intake.client)
    application = await start_application(intake.client, company["id"])
    await upload_required(intake.client, application["id"], skip=("national-tax-clearance",))
    response = await upload(
        intake.client, application["id"], "national-tax-clearance", issued_on="2026-03-09"
    )
    assert response.status_code == 201
    before = await intake.row_counts()
    response = await intake.client.post(f"/v1/applications/{application['id']}/submit")
    assert_problem(response, 422, "document-expired", "documents[national-tax-clearance]")
    assert await intake.row_counts() == before


async def test_a_file_named_pdf_whose_bytes_are_not_a_pdf(intake) -> None:
    company = await register(intake.client)
    application = await start_application(intake.client, company["id"])
    before = await intake.row_counts()
    zip_bytes = b"PK\x03\x04" + b"\x00" * 200
    response = await upload(
        intake.client, application["id"], "application-form", zip_bytes, "신청서.pdf"
    )
    assert_problem(response, 415, "file-type-not-allowed", "file")
    assert await intake.row_counts() == before


async def test_an_oversized_upload(intake) -> None:
    """The harness limits uploads to 256 KiB; the stream is cut as soon as the limit is passed."""
    company = await register(intake.client)
    application = await start_application(intake.client, company["id"])
    before = await intake.row_counts()
    too_big = PDF + b"0" * (256 * 1024)
    response = await upload(intake.client, application["id"], "application-form", too_big)
    assert_problem(response, 413, "upload-too-large", "file")
    assert await intake.row_counts() == before
    exactly_the_limit = PDF + b"0" * (256 * 1024 - len(PDF))
    response = await upload(intake.client, application["id"], "application-form", exactly_the_limit)
    assert response.status_code == 201, response.text
    assert response.json()["size_bytes"] == 256 * 1024


async def test_a_second_live_application_for_the_same_workplace(intake) -> None:
    company = await register(intake.client)
    await start_application(intake.client, company["id"])
    before = await intake.row_counts()
    response = await intake.client.post(
        "/v1/applications",
        json={
            "call_id": "2026-autonomous-factory-2",
            "applicant_id": company["id"],
            "support_type": "advanced",
        },
    )
    assert_problem(response, 409, "application-already-exists", "applicant_id")
    assert await intake.row_counts() == before


async def test_after_withdrawal_the_workplace_may_apply_again(intake) -> None:
    company = await register(intake.client)
    first = await start_application(intake.client, company["id"])
    assert (await intake.client.post(f"/v1/applications/{first['id']}/withdraw")).status_code == 200
    second = await start_application(intake.client, company["id"])
    assert second["id"] != first["id"]


async def test_unknown_fields_and_client_set_status_are_refused(intake) -> None:
    company = await register(intake.client)
    before = await intake.row_counts()
    response = await intake.client.post(
        "/v1/applications",
        json={
            "call_id": "2026-autonomous-factory-2",
            "applicant_id": company["id"],
            "support_type": "advanced",
            "status": "submitted",
        },
    )
    body = assert_problem(response, 422, "validation-failed", "status")
    assert body["errors"][0]["message_ko"]
    assert await intake.row_counts() == before


async def test_a_duplicate_brn(intake) -> None:
    await register(intake.client, VALID_BRNS[1])
    before = await intake.row_counts()
    response = await intake.client.post(
        "/v1/organisations",
        json={**COMPANY, "brn": "1248100998"},
    )
    assert_problem(response, 409, "brn-already-registered", "brn")
    assert await intake.row_counts() == before
