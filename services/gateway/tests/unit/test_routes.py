"""Public paths and service paths map both ways through one table."""

from __future__ import annotations

import pytest

from gateway.routes import ROUTES, public_path, resolve


@pytest.mark.parametrize(
    ("public", "service", "upstream"),
    [
        ("/api/v1/calls", "intake", "/v1/calls"),
        ("/api/v1/applications/abc/submit", "intake", "/v1/applications/abc/submit"),
        ("/api/v1/organisations", "intake", "/v1/organisations"),
        (
            "/api/v1/eligibility/received-applications/x",
            "eligibility",
            "/v1/received-applications/x",
        ),
    ],
)
def test_resolve_and_back(public: str, service: str, upstream: str) -> None:
    route, path = resolve(public)
    assert (route.service, path) == (service, upstream)
    assert public_path(route, path) == public


@pytest.mark.parametrize(
    "unrouted", ["/api/v2/calls", "/api/v1/nowhere", "/v1/calls", "/api/v1/", "/api/v1/callsx"]
)
def test_unrouted_paths(unrouted: str) -> None:
    assert resolve(unrouted) is None


def test_service_paths_of_other_resources_are_not_published() -> None:
    applications = next(r for r in ROUTES if r.segment == "applications")
    assert public_path(applications, "/v1/calls") is None
    assert public_path(applications, "/healthz") is None
