"""Submission through intake's API: the deadline, receipts, resubmission, the outbox."""

from __future__ import annotations

import json
from datetime import datetime

import pytest
from intake_api_support import CALL_ID, COMPANY, register, start_application, upload_required
from sqlalchemy import select

from intake.models import messaging
from sfms_shared.clock import KST
from sfms_shared.contracts.events import ApplicationSubmittedV1

pytestmark = pytest.mark.integration


async def ready_application(intake) -> str:
    company = await register(intake.client)
    application = await start_application(intake.client, company["id"])
    await upload_required(intake.client, application["id"])
    return application["id"]


async def outbox_events(intake) -> list[dict]:
    async with intake.app.state.intake.sessions() as session:
        rows = (
            await session.execute(select(messaging.outbox).order_by(messaging.outbox.c.id))
        ).all()
    return [json.loads(row.envelope) for row in rows]


async def test_received_at_16_59_59_999_kst_on_deadline_day_is_accepted(intake) -> None:
    """001 §3 신청기간: '26년 6월 16일(화) 17시까지."""
    application_id = await ready_application(intake)
    intake.clock.set(datetime(2026, 6, 16, 16, 59, 59, 999000, tzinfo=KST))
    response = await intake.client.post(f"/v1/applications/{application_id}/submit")
    assert response.status_code == 200, response.text
    receipt = response.json()
    assert receipt["receipt_number"].startswith("AF26-2-")
    assert datetime.fromisoformat(receipt["received_at"]) == datetime(
        2026, 6, 16, 16, 59, 59, 999000, tzinfo=KST
    )


async def test_received_at_17_00_00_000_kst_is_rejected_as_deadline_passed(intake) -> None:
    application_id = await ready_application(intake)
    intake.clock.set(datetime(2026, 6, 16, 17, 0, 0, 0, tzinfo=KST))
    before = await intake.row_counts()
    response = await intake.client.post(f"/v1/applications/{application_id}/submit")
    assert response.status_code == 409
    body = response.json()
    assert body["type"] == "urn:sfms:problem:deadline-passed"
    assert body["field"] == "received_at"
    assert "마감" in body["title_ko"]
    assert await intake.row_counts() == before


async def test_submission_records_one_event_with_the_full_snapshot(intake) -> None:
    application_id = await ready_application(intake)
    receipt = (await intake.client.post(f"/v1/applications/{application_id}/submit")).json()
    events = [
        e for e in await outbox_events(intake) if e["event_type"] == "intake.application-submitted"
    ]
    assert len(events) == 1
    assert events[0]["key"] == application_id
    snapshot = ApplicationSubmittedV1.model_validate(events[0]["payload"]).application
    assert snapshot.receipt_number == receipt["receipt_number"]
    assert snapshot.applicant.name == "(주)한빛정밀"
    assert snapshot.call_id == CALL_ID
    assert {d.kind for d in snapshot.documents} >= {"application-form", "financial-statements"}


async def test_resubmission_makes_a_new_version_and_keeps_the_old(intake) -> None:
    application_id = await ready_application(intake)
    first = (await intake.client.post(f"/v1/applications/{application_id}/submit")).json()
    current = await intake.client.get(f"/v1/applications/{application_id}")
    response = await intake.client.patch(
        f"/v1/applications/{application_id}",
        json={"project_title": "수정된 과제명"},
        headers={
            "If-Match": current.headers["ETag"],
            "Content-Type": "application/merge-patch+json",
        },
    )
    assert response.status_code == 200, response.text
    second = (await intake.client.post(f"/v1/applications/{application_id}/submit")).json()
    assert (first["submission_version"], second["submission_version"]) == (1, 2)
    assert first["receipt_number"] != second["receipt_number"]
    versions = (await intake.client.get(f"/v1/applications/{application_id}/submissions")).json()
    assert [v["receipt_number"] for v in versions] == [
        first["receipt_number"],
        second["receipt_number"],
    ]
    old = (await intake.client.get(f"/v1/applications/{application_id}/submissions/1")).json()
    new = (await intake.client.get(f"/v1/applications/{application_id}/submissions/2")).json()
    assert (old["project_title"], new["project_title"]) == ("자율형공장 구축", "수정된 과제명")


async def test_edits_need_the_current_etag(intake) -> None:
    company = await register(intake.client)
    application = await start_application(intake.client, company["id"])
    url = f"/v1/applications/{application['id']}"
    headers = {"Content-Type": "application/merge-patch+json"}
    missing = await intake.client.patch(url, json={"project_title": "a"}, headers=headers)
    assert missing.status_code == 428
    etag = (await intake.client.get(url)).headers["ETag"]
    assert (
        await intake.client.patch(
            url, json={"project_title": "a"}, headers={**headers, "If-Match": etag}
        )
    ).status_code == 200
    stale = await intake.client.patch(
        url, json={"project_title": "b"}, headers={**headers, "If-Match": etag}
    )
    assert stale.status_code == 412
    assert stale.json()["field"] == "If-Match"
    assert (await intake.client.get(url)).json()["project_title"] == "a"


async def test_the_same_idempotency_key_creates_one_organisation(intake) -> None:
    body = {**COMPANY, "brn": "220-81-62517"}
    headers = {"Idempotency-Key": "create-hanbit-1"}
    first = await intake.client.post("/v1/organisations", json=body, headers=headers)
    again = await intake.client.post("/v1/organisations", json=body, headers=headers)
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    listed = (await intake.client.get("/v1/organisations", params={"brn": "2208162517"})).json()[
        "items"
    ]
    assert len(listed) == 1
    reused = await intake.client.post(
        "/v1/organisations", json={**body, "name": "y"}, headers=headers
    )
    assert reused.status_code == 422
    assert reused.json()["field"] == "Idempotency-Key"


async def test_lists_page(intake) -> None:
    for brn in ("220-81-62517", "124-81-00998", "123-45-67891"):
        await register(intake.client, brn)
    first = (await intake.client.get("/v1/organisations", params={"limit": 2})).json()
    assert len(first["items"]) == 2 and first["next_cursor"]
    rest = (
        await intake.client.get(
            "/v1/organisations", params={"limit": 2, "cursor": first["next_cursor"]}
        )
    ).json()
    assert len(rest["items"]) == 1 and rest["next_cursor"] is None
    too_big = await intake.client.get("/v1/organisations", params={"limit": 500})
    assert too_big.status_code == 422 and too_big.json()["field"] == "limit"


async def test_publishing_a_call_records_the_whole_document(intake) -> None:
    events = [e for e in await outbox_events(intake) if e["event_type"] == "intake.call-published"]
    ids = {e["payload"]["call_id"] for e in events}
    assert CALL_ID in ids
    published = next(e for e in events if e["payload"]["call_id"] == CALL_ID)
    assert published["payload"]["document"]["target"]["value"] == 15


async def test_a_patch_cannot_set_status_and_names_the_field(intake) -> None:
    company = await register(intake.client)
    application = await start_application(intake.client, company["id"])
    url = f"/v1/applications/{application['id']}"
    etag = (await intake.client.get(url)).headers["ETag"]
    response = await intake.client.patch(
        url,
        json={"status": "submitted", "budget": [{"year": 1}]},
        headers={"If-Match": etag, "Content-Type": "application/merge-patch+json"},
    )
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["errors"]}
    assert "status" in fields and "budget.0.category" in fields
    assert all(e["message_ko"] for e in response.json()["errors"])
    assert (await intake.client.get(url)).json()["status"] == "draft"
