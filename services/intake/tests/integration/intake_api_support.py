"""Building blocks for intake API tests: a company, an application, its documents."""

from __future__ import annotations

from typing import Any

import httpx

CALL_ID = "2026-autonomous-factory-2"
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\ntrailer<<>>\n%%EOF\n"

COMPANY: dict[str, Any] = {
    "kind": "company",
    "name": "(주)한빛정밀",
    "legal_form": "corporation",
    "ksic_code": "C29",
    "size_class": "small",
    "region": "경기",
    "founded_on": "2012-03-05",
    "headcount": 48,
    "smart_factory": {
        "level": "중간1",
        "evidence": "level-check-certified",
        "certified_on": "2025-02-10",
    },
}
VALID_BRNS = ["220-81-62517", "124-81-00998", "123-45-67891"]


def assert_problem(response: httpx.Response, status: int, slug: str, field: str) -> dict:
    """A problem+json answer with a stable type, the field at fault, Korean and English."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["type"] == f"urn:sfms:problem:{slug}"
    assert body["field"] == field
    assert body["title"] and body["title_ko"] and body["detail"] and body["detail_ko"]
    assert any(e["field"] == field for e in body["errors"])
    return body


async def register(
    client: httpx.AsyncClient, brn: str = VALID_BRNS[0], **changes: Any
) -> dict[str, Any]:
    response = await client.post("/v1/organisations", json={**COMPANY, "brn": brn, **changes})
    assert response.status_code == 201, response.text
    return response.json()


async def start_application(
    client: httpx.AsyncClient, applicant_id: str, **changes: Any
) -> dict[str, Any]:
    body = {
        "call_id": CALL_ID,
        "applicant_id": applicant_id,
        "mode": "solo",
        "support_type": "advanced",
        "project_title": "자율형공장 구축",
        **changes,
    }
    response = await client.post("/v1/applications", json=body)
    assert response.status_code == 201, response.text
    return response.json()


async def upload(
    client: httpx.AsyncClient,
    application_id: str,
    kind: str,
    content: bytes = PDF,
    filename: str = "doc.pdf",
    **fields: str,
) -> httpx.Response:
    return await client.post(
        f"/v1/applications/{application_id}/documents",
        data={"kind": kind, **fields},
        files={"file": (filename, content, "application/pdf")},
    )


async def upload_required(
    client: httpx.AsyncClient,
    application_id: str,
    issued_on: str = "2026-06-01",
    skip: tuple[str, ...] = (),
) -> None:
    call = (await client.get(f"/v1/calls/{CALL_ID}")).json()["document"]
    for requirement in call["required_documents"]:
        kind = requirement["kind"]
        if (
            kind in skip
            or requirement["required"] == "optional"
            or requirement.get("condition") in ("bonus-claimed", "branch-workplace")
        ):
            continue
        if requirement.get("fiscal_years"):
            for year in requirement["fiscal_years"]["years"]:
                response = await upload(client, application_id, kind, fiscal_year=str(year))
                assert response.status_code == 201, response.text
        else:
            response = await upload(client, application_id, kind, issued_on=issued_on)
            assert response.status_code == 201, response.text
