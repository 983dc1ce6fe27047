"""Every write leaves an audit entry, in the same transaction: actor, role, time,
correlation id and the change. Operators read it; applicants do not."""

from __future__ import annotations

import pytest
from intake_api_support import VALID_BRNS, register, start_application

from sfms_shared.testing.identity import OPERATOR_ALL, ActingAs, applicant

pytestmark = pytest.mark.integration

BRN = VALID_BRNS[0].replace("-", "")


async def test_writes_are_audited_with_actor_role_correlation_and_change(intake) -> None:
    intake.client.auth = ActingAs(applicant(BRN, subject="kim"))
    intake.client.headers["X-Correlation-ID"] = "audit-trail-1"
    company = await register(intake.client)
    application = await start_application(intake.client, company["id"])
    patched = await intake.client.patch(
        f"/v1/applications/{application['id']}",
        json={"project_title": "AI 기반 공정 자율화"},
        headers={"Content-Type": "application/merge-patch+json", "If-Match": "*"},
    )
    assert patched.status_code == 200, patched.text

    intake.client.auth = ActingAs(OPERATOR_ALL)
    entries = (
        await intake.client.get("/v1/audit-entries", params={"application_id": application["id"]})
    ).json()["items"]
    assert [e["action"] for e in entries] == ["application.amend", "application.create"]
    amend = entries[0]
    assert amend["actor"] == "kim" and amend["role"] == "applicant"
    assert amend["actor_organisation"] == BRN
    assert amend["correlation_id"] == "audit-trail-1"
    assert amend["change"]["patch"] == {"project_title": "AI 기반 공정 자율화"}
    assert amend["organisation_id"] == company["id"]
    assert amend["call_id"] == application["call_id"] and amend["recorded_at"]

    by_actor = (await intake.client.get("/v1/audit-entries", params={"actor": "kim"})).json()
    assert {e["action"] for e in by_actor["items"]} == {
        "organisation.register",
        "application.create",
        "application.amend",
    }
    by_organisation = (
        await intake.client.get("/v1/audit-entries", params={"organisation_id": company["id"]})
    ).json()
    assert len(by_organisation["items"]) == 3


async def test_a_refused_write_leaves_no_entry_and_applicants_cannot_read_the_log(intake) -> None:
    intake.client.auth = ActingAs(applicant(BRN, subject="lee"))
    company = await register(intake.client)
    refused = await intake.client.post(
        "/v1/applications",
        json={"call_id": "no-such-call", "applicant_id": company["id"], "support_type": "x"},
    )
    assert refused.status_code == 404
    assert (await intake.client.get("/v1/audit-entries")).status_code == 403
    intake.client.auth = ActingAs(OPERATOR_ALL)
    actions = [
        e["action"]
        for e in (await intake.client.get("/v1/audit-entries", params={"actor": "lee"})).json()[
            "items"
        ]
    ]
    assert actions == ["organisation.register"]
