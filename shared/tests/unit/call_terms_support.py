"""Plain helpers shared by the call-terms test modules (shared/tests/unit is on the pytest
pythonpath, so the modules import this by name)."""

from __future__ import annotations

from sfms_shared.contracts.common import Source, Text

SRC = Source(file="001_39e04bdc262ce7ee.txt", section="test")
T = Text(ko="이름", en="name")
