"""A call's received applications as a spreadsheet: operators and the call's applications
feed get it; a company does not."""

from __future__ import annotations

import io

from intake_api_support import CALL_ID, register, start_application, upload_required
from openpyxl import load_workbook

from sfms_shared.identity import Identity
from sfms_shared.testing.identity import ActingAs, applicant


async def test_the_received_applications_export(intake) -> None:
    company = await register(intake.client)
    draft = await start_application(intake.client, company["id"])
    await upload_required(intake.client, draft["id"])
    submitted = await intake.client.post(f"/v1/applications/{draft['id']}/submit")
    assert submitted.status_code == 200, submitted.text
    await start_application(  # a draft is not received: it is not listed
        intake.client, (await register(intake.client, brn="124-81-00998"))["id"]
    )

    csv = await intake.client.get(f"/v1/calls/{CALL_ID}/applications/export?format=csv")
    assert csv.status_code == 200 and csv.headers["content-type"].startswith("text/csv")
    assert (
        'filename="2026-autonomous-factory-2-applications.csv"'
        in csv.headers["content-disposition"]
    )
    rows = [r.split(",") for r in csv.content.decode("utf-8-sig").splitlines()]
    assert rows[0][:3] == ["접수번호", "기업명", "사업자등록번호"]
    assert len(rows) == 2
    assert rows[1][0] == submitted.json()["receipt_number"]
    assert rows[1][1:3] == ["(주)한빛정밀", "2208162517"]
    assert rows[1][7] == "제출완료"

    xlsx = await intake.client.get(f"/v1/calls/{CALL_ID}/applications/export")
    sheet = list(load_workbook(io.BytesIO(xlsx.content)).active.iter_rows(values_only=True))
    assert sheet[1][0] == rows[1][0]

    feed = Identity(
        subject="key:kiria",
        kind="api-key",
        roles=frozenset({"partner"}),
        scopes=frozenset({"applications:read"}),
        calls=frozenset({CALL_ID}),
    )
    for who, status in ((feed, 200), (applicant("2208162517"), 403)):
        intake.client.auth = ActingAs(who)  # the same app, asked by other callers
        answer = await intake.client.get(f"/v1/calls/{CALL_ID}/applications/export")
        assert answer.status_code == status, (who.subject, answer.text)
