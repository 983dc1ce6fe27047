from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from sfms_shared.embedded.broker import free_port
from sfms_shared.embedded.stack import SERVICES, EmbeddedStack

# The stack's clock runs from 2026-06-10 10:00 KST: inside the 001 call's window.
CLOCK_START = "2026-06-10T10:00:00+09:00"


@pytest.fixture(scope="module")
def stack(tmp_path_factory, module_postgres_urls) -> Iterator[EmbeddedStack]:
    """The whole platform as processes: Tansu broker, PostgreSQL database per service, gateway."""
    home = tmp_path_factory.mktemp("stack")
    platform = EmbeddedStack(
        home=home,
        gateway_port=free_port(),
        broker_port=free_port(),
        clock_at=f"{CLOCK_START}@{time.time()}",
        database_urls={name: module_postgres_urls() for name in SERVICES},
    )
    try:
        platform.start()
        yield platform
    finally:
        platform.stop()
