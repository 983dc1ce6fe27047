from __future__ import annotations

import pytest

from intake.seed_calls import load_seed_calls
from sfms_shared.contracts.calls import CallDocument


@pytest.fixture(scope="session")
def calls() -> dict[str, CallDocument]:
    return {call.id: call for call in load_seed_calls()}
