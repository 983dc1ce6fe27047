"""Through the gateway over real HTTP: submit to the 001 call and see the event arrive."""

from __future__ import annotations

import random

import httpx
import pytest
from journey import CALL_ID, new_applicant, prepare_application, wait_until_received

pytestmark = pytest.mark.e2e


def test_a_submission_reaches_the_eligibility_service(stack) -> None:
    api, brn = new_applicant(stack.gateway_url, random.Random(1))
    application_id = prepare_application(api, brn)
    receipt = api.post(f"/applications/{application_id}/submit")
    assert receipt.status_code == 200, receipt.text
    assert receipt.headers["x-correlation-id"]
    received = wait_until_received(api, application_id)
    assert received["receipt_number"] == receipt.json()["receipt_number"]
    assert received["call_id"] == CALL_ID


def test_the_gateway_serves_one_openapi_document_for_what_it_routes(stack) -> None:
    document = httpx.get(stack.gateway_url + "/openapi.json", timeout=30).json()
    assert document["openapi"].startswith("3.1")
    paths = document["paths"]
    for path in (
        "/api/v1/calls",
        "/api/v1/organisations",
        "/api/v1/applications/{application_id}/submit",
        "/api/v1/applications/{application_id}/documents",
        "/api/v1/eligibility/received-applications/{application_id}",
    ):
        assert path in paths, path
    assert "/healthz" in paths
    assert not [p for p in paths if p.startswith("/v1/")]
    assert "OrganisationRegistration" in document["components"]["schemas"]


def test_problems_pass_through_the_gateway(stack) -> None:
    api, _ = new_applicant(stack.gateway_url, random.Random(2))
    response = api.post("/organisations", json={"kind": "company"})
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["errors"][0]["message_ko"]
    unknown = httpx.get(stack.gateway_url + "/api/v1/nowhere", timeout=30)
    assert unknown.status_code == 404


def test_every_service_is_ready_and_exposes_metrics(stack) -> None:
    ready = httpx.get(stack.gateway_url + "/readyz", timeout=30).json()
    assert ready["ready"], ready
    for process in stack.processes.values():
        metrics = httpx.get(process.url + "/metrics", timeout=30).text
        assert "sfms_http_requests_total" in metrics
