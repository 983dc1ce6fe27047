"""Fields a client may not set (status, scores, decisions, owner, ids, revisions) are
rejected on every write, and the rejected write changes nothing."""

from __future__ import annotations

import hashlib
from uuid import uuid4

import pytest
from intake_api_support import COMPANY, PDF, VALID_BRNS, register, start_application

from sfms_shared.testing.identity import ActingAs, applicant

pytestmark = pytest.mark.integration

MERGE_PATCH = {"Content-Type": "application/merge-patch+json", "If-Match": "*"}
OWNER_BRN = VALID_BRNS[0].replace("-", "")


@pytest.fixture
async def draft(intake):
    """Company A's draft application, written by company A's applicant account."""
    intake.client.auth = ActingAs(applicant(OWNER_BRN))
    company = await register(intake.client)
    application = await start_application(intake.client, company["id"])
    return company, application


def assert_rejected(response, field: str) -> None:
    assert response.status_code == 422, response.text
    body = response.json()
    assert body["type"].startswith("urn:sfms:problem:")
    assert any(field in error["field"] for error in body["errors"]), body


FORBIDDEN_ON_APPLICATIONS = {
    "status": "submitted",
    "submitted_version": 3,
    "revision": 99,
    "id": str(uuid4()),
    "brn": "1248100998",
    "scores": {"total": 100},
    "eligibility": {"decision": "eligible"},
    "selection": {"selected": True},
    "receipt_number": "AF26-2-0000001",
}


@pytest.mark.parametrize(("field", "value"), FORBIDDEN_ON_APPLICATIONS.items())
async def test_creating_an_application_with_a_server_field_is_refused(
    intake, draft, field, value
) -> None:
    company, _ = draft
    before = await intake.row_counts()
    response = await intake.client.post(
        "/v1/applications",
        json={
            "call_id": "2026-autonomous-factory-2",
            "applicant_id": company["id"],
            "support_type": "advanced",
            field: value,
        },
    )
    assert_rejected(response, field)
    assert await intake.row_counts() == before


@pytest.mark.parametrize(
    ("field", "value"),
    {**FORBIDDEN_ON_APPLICATIONS, "applicant_id": str(uuid4()), "call_id": "other"}.items(),
)
async def test_patching_a_server_field_of_an_application_changes_nothing(
    intake, draft, field, value
) -> None:
    _, application = draft
    path = f"/v1/applications/{application['id']}"
    before_rows = await intake.row_counts()
    before = (await intake.client.get(path)).json()
    response = await intake.client.patch(path, json={field: value}, headers=MERGE_PATCH)
    assert_rejected(response, field)
    assert (await intake.client.get(path)).json() == before
    assert await intake.row_counts() == before_rows


@pytest.mark.parametrize(
    ("field", "value"),
    {
        "id": str(uuid4()),
        "revision": 7,
        "verified": True,
        "created_at": "2020-01-01T00:00:00Z",
    }.items(),
)
async def test_registering_an_organisation_with_a_server_field_is_refused(
    intake, field, value
) -> None:
    intake.client.auth = ActingAs(applicant(VALID_BRNS[1].replace("-", "")))
    before = await intake.row_counts()
    response = await intake.client.post(
        "/v1/organisations", json={**COMPANY, "brn": VALID_BRNS[1], field: value}
    )
    assert_rejected(response, field)
    assert await intake.row_counts() == before


@pytest.mark.parametrize(
    ("field", "value"),
    {"brn": VALID_BRNS[1], "kind": "supplier", "id": str(uuid4()), "revision": 9}.items(),
)
async def test_patching_an_organisations_identity_changes_nothing(
    intake, draft, field, value
) -> None:
    company, _ = draft
    path = f"/v1/organisations/{company['id']}"
    before = (await intake.client.get(path)).json()
    response = await intake.client.patch(path, json={field: value}, headers=MERGE_PATCH)
    assert_rejected(response, field)
    assert (await intake.client.get(path)).json() == before


async def test_an_upload_cannot_set_its_own_digest_size_or_application(intake, draft) -> None:
    """The stored facts of a document are measured, never taken from the form."""
    _, application = draft
    response = await intake.client.post(
        f"/v1/applications/{application['id']}/documents",
        data={
            "kind": "business-registration-certificate",
            "issued_on": "2026-06-01",
            "sha256": "0" * 64,
            "size_bytes": "1",
            "application_id": str(uuid4()),
        },
        files={"file": ("doc.pdf", PDF, "application/pdf")},
    )
    assert response.status_code == 201, response.text
    stored = response.json()
    assert stored["sha256"] == hashlib.sha256(PDF).hexdigest()
    assert stored["size_bytes"] == len(PDF)
    listed = (await intake.client.get(f"/v1/applications/{application['id']}")).json()
    assert stored["id"] in {d["id"] for d in listed["documents"]}
