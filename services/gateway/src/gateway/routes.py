"""Which public path goes to which service.

``/api/v1/<segment>/...`` is routed by its first segment. A resource segment
(``applications``) reaches the service as ``/v1/applications/...``; a service
namespace segment (``eligibility``) is stripped: ``/api/v1/eligibility/x`` → ``/v1/x``.
One table, so the router and the merged OpenAPI agree.
"""

from __future__ import annotations

from dataclasses import dataclass

PUBLIC_PREFIX = "/api"


@dataclass(frozen=True)
class Route:
    segment: str
    service: str
    namespace: bool = False


ROUTES: tuple[Route, ...] = (
    Route("calls", "intake"),
    Route("organisations", "intake"),
    Route("applications", "intake"),
    Route("eligibility", "eligibility", namespace=True),
    Route("scoring", "scoring", namespace=True),
    Route("matching", "matching", namespace=True),
    Route("settlement", "settlement", namespace=True),
)
SERVICES = ("intake", "eligibility", "scoring", "matching", "settlement")


def resolve(path: str) -> tuple[Route, str] | None:
    """``/api/v1/applications/x`` → (route, ``/v1/applications/x``); None if not routed."""
    head = PUBLIC_PREFIX + "/v1/"
    if not path.startswith(head):
        return None
    rest = path[len(head) :]
    segment = rest.split("/", 1)[0]
    for route in ROUTES:
        if segment == route.segment:
            return route, "/v1" + (rest[len(segment) :] if route.namespace else "/" + rest)
    return None


def public_path(route: Route, upstream_path: str) -> str | None:
    """The inverse, for the merged OpenAPI: a service path → its public path, if routed."""
    if not upstream_path.startswith("/v1/"):
        return None
    rest = upstream_path[len("/v1/") :]
    if route.namespace:
        return f"{PUBLIC_PREFIX}/v1/{route.segment}/{rest}"
    if rest.split("/", 1)[0] == route.segment:
        return f"{PUBLIC_PREFIX}/v1/{rest}"
    return None
