"""Every cell of the authorisation matrix (``authorisation_matrix.py``) through the real
gateway with real tokens and keys: who is allowed gets the object; everyone else gets
401, 403 or 404 as problem+json, carrying none of the object's data. Denied writes
change nothing."""

from __future__ import annotations

import random
import time
from dataclasses import dataclass

import httpx
import pytest
from authorisation_matrix import ACTORS, MATRIX, Cell
from journey import (
    CALL_ID,
    PDF,
    new_applicant,
    prepare_application,
    sign_in,
    wait_until_budget_reviewed,
    wait_until_evaluated,
    wait_until_received,
    wait_until_reviewed,
)

pytestmark = pytest.mark.e2e

PROBLEM_KEYS = {
    "type",
    "title",
    "status",
    "detail",
    "title_ko",
    "detail_ko",
    "field",
    "errors",
    "instance",
}
SEEDED = {
    "supplier": "supplier",
    "planner": "planner",
    "evaluator": "evaluator",
    "operator-001": "operator",
    "operator-other-call": "operator-kamp",
    "operator-all": "operator-all",
    "admin": "admin",
}


@dataclass
class World:
    clients: dict[str, httpx.Client]
    ids: dict[str, str]
    secrets: dict[str, str]  # the owner's data that no denied answer may contain


def _key(
    admin: httpx.Client, gateway_url: str, scopes: list[str], calls: list[str]
) -> httpx.Client:
    issued = admin.post(
        "/api-keys", json={"name": f"partner {scopes} {calls}", "scopes": scopes, "calls": calls}
    )
    assert issued.status_code == 201, issued.text
    return httpx.Client(
        base_url=gateway_url + "/api/v1", headers={"X-API-Key": issued.json()["key"]}, timeout=30
    )


@pytest.fixture(scope="module")
def world(stack) -> World:
    url = stack.gateway_url
    clients = {actor: sign_in(url, username) for actor, username in SEEDED.items()}
    admin = clients["admin"]
    owner, brn_a = new_applicant(url, random.Random(31))
    other, brn_b = new_applicant(url, random.Random(32))
    app_a = prepare_application(owner, brn_a)
    assert owner.post(f"/applications/{app_a}/submit").status_code == 200
    wait_until_received(owner, app_a)
    wait_until_reviewed(owner, app_a)
    wait_until_evaluated(admin, app_a)
    wait_until_budget_reviewed(owner, app_a)
    app_b = prepare_application(other, brn_b)
    document_a = owner.get(f"/applications/{app_a}").json()["documents"][0]
    org_a = owner.get(f"/applications/{app_a}").json()["applicant_id"]

    call = admin.get(f"/calls/{CALL_ID}").json()["document"]
    draft = clients["operator-001"].post("/calls", json=call)
    assert draft.status_code == 201, draft.text

    clients |= {
        "owner": owner,
        "other-applicant": other,
        "anonymous": httpx.Client(base_url=url + "/api/v1", timeout=30),
        "partner-001": _key(
            admin, url, ["applications:read", "received-applications:read"], [CALL_ID]
        ),
        "partner-other-call": _key(
            admin,
            url,
            ["applications:read", "received-applications:read"],
            ["2021-kamp-ai-smart-factory"],
        ),
        "partner-calls-only": _key(admin, url, ["calls:read"], []),
    }
    key = admin.get("/api-keys").json()["items"][0]["id"]
    ids = {
        "app_a": app_a,
        "app_b": app_b,
        "doc_a": document_a["id"],
        "org_a": org_a,
        "call": CALL_ID,
        "draft_version": str(draft.json()["version"]),
        "key": key,
    }
    secrets = {"brn": brn_a, "sha256": document_a["sha256"], "name": "(주)시험정밀"}
    return World(clients, ids, secrets)


def _send(client: httpx.Client, cell: Cell, path: str) -> httpx.Response:
    return _patiently(client, cell.method, path, **_request_body(cell))


def _patiently(client: httpx.Client, method: str, path: str, **body) -> httpx.Response:
    """Waits out the caller's rate limit: the matrix calls far more often than any one person
    would, and a 429 must stand in neither for a denial nor for the object read."""
    for _ in range(30):
        response = client.request(method, path, **body)
        if response.status_code != 429:
            return response
        time.sleep(float(response.headers.get("Retry-After", "1")))
    raise AssertionError(f"{method} {path} stayed rate-limited")


def _request_body(cell: Cell) -> dict:
    if cell.method == "PATCH":
        return {
            "content": b'{"project_title": "changed", "name": "changed"}',
            "headers": {"Content-Type": "application/merge-patch+json", "If-Match": "*"},
        }
    if cell.path.endswith("/documents"):
        return {
            "data": {"kind": "business-registration-certificate", "issued_on": "2026-06-01"},
            "files": {"file": ("x.pdf", PDF, "application/pdf")},
        }
    if cell.path.endswith("/overrides"):
        return {
            "json": {"rule_id": "applicant-domestic", "outcome": "fail", "reason": "matrix check"}
        }
    for suffix, body in BODIES.items():
        if cell.path.endswith(suffix):
            return {"json": body}
    return {}


# Valid bodies, so that a denial comes from the authorisation check, not from validation.
BODIES: dict[str, dict] = {
    "/sheet": {"items": {"necessity": "10"}},
    "/reopen": {"reason": "matrix check"},
    "/bonus": {"revoked": []},
    "/assignment": {"seed": 1},
    "/proposals": {"role": "planner", "member_ids": ["00000000-0000-4000-8000-000000000001"]},
    "/optimiser-runs": {"role": "planner", "seed": 1},
    "/budget-checks": {
        "support_type": "advanced",
        "lines": [
            {
                "year": 1,
                "category": "기타비용",
                "item": "교육비",
                "code": "training",
                "government_krw": 0,
                "private_cash_krw": 1_000_000,
                "private_in_kind_krw": 0,
            }
        ],
    },
    "/agreements": {
        "application_id": "00000000-0000-4000-8000-000000000001",
        "starts_on": "2026-09-01",
    },
    "/planner-designations": {
        "brn": "3058156785",
        "name": "경기테크노파크",
        "regions": ["경기"],
        "records": 30,
        "full_time_staff": 8,
    },
}


def _fingerprint(world: World) -> str:
    """What a denied write must not change: the objects as their owners and operators see them."""
    admin, ids = world.clients["admin"], world.ids
    paths = [
        f"/applications/{ids['app_a']}",
        f"/applications/{ids['app_b']}",
        f"/organisations/{ids['org_a']}",
        f"/calls/{ids['call']}/versions/{ids['draft_version']}",
        f"/api-keys/{ids['key']}",
    ]
    return "\n".join(_observe(admin, path) for path in paths)


def _observe(admin: httpx.Client, path: str) -> str:
    response = _patiently(admin, "GET", path)
    assert response.status_code == 200, f"GET {path}: {response.text}"
    return response.text


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("cell", MATRIX, ids=lambda cell: cell.feature)
def test_matrix_cell(world: World, cell: Cell, actor: str) -> None:
    path = cell.path.format(**world.ids)
    client = world.clients[actor]
    if actor in cell.allowed:
        if cell.send_when_allowed:
            response = _send(client, cell, path)
            assert response.status_code == 200, f"{actor} {cell.method} {path}: {response.text}"
        return
    before = _fingerprint(world) if cell.method != "GET" else None
    response = _send(client, cell, path)
    assert response.status_code in (401, 403, 404), (
        f"{actor} reached {cell.method} {path}: {response.status_code} {response.text}"
    )
    assert response.headers["content-type"].startswith("application/problem+json")
    assert set(response.json()) <= PROBLEM_KEYS
    for secret in world.secrets.values():
        assert secret not in response.text
    if before is not None:
        assert _fingerprint(world) == before, f"{actor}'s denied {cell.method} {path} changed data"


def test_every_actor_and_endpoint_is_in_the_matrix(world: World) -> None:
    """Cross-tenant and cross-role attempts exist for every endpoint in the matrix."""
    for cell in MATRIX:
        denied = set(ACTORS) - cell.allowed
        assert {"other-applicant", "evaluator", "anonymous"} & denied or cell.path.endswith(
            "{app_b}"
        ), cell.feature
        assert cell.allowed <= set(ACTORS), cell.feature


def test_an_operator_reads_the_audit_log_only_for_calls_in_scope(world: World) -> None:
    app_a = world.ids["app_a"]
    own_call = world.clients["operator-001"].get("/audit-entries", params={"application_id": app_a})
    assert own_call.status_code == 200, own_call.text
    actions = {entry["action"] for entry in own_call.json()["items"]}
    assert {"application.create", "document.upload", "application.submit"} <= actions
    other_call = world.clients["operator-other-call"].get(
        "/audit-entries", params={"application_id": app_a}
    )
    assert other_call.status_code == 200
    assert other_call.json()["items"] == []
    for actor in ("owner", "evaluator", "partner-001", "anonymous"):
        denied = world.clients[actor].get("/audit-entries", params={"application_id": app_a})
        assert denied.status_code in (401, 403), actor
