"""A server keeps idle connections longer than its callers' pools keep them: otherwise a
request sent on a pooled connection just as the server closes it fails before it reached
the service, and the gateway answers a POST with 502 (seen by the fault suite, tests/fault,
while preparing applications under load)."""

from __future__ import annotations

import httpx

from sfms_shared.cli import KEEP_ALIVE_SECONDS


def test_services_keep_connections_longer_than_the_gateways_pool() -> None:
    gateway_pool = httpx.Limits(max_connections=1).keepalive_expiry
    assert gateway_pool is not None
    assert 2 * gateway_pool < KEEP_ALIVE_SECONDS
