"""Plain helpers shared by the seed-call test modules (services/intake/tests/unit is on the
pytest pythonpath, so the modules import this by name)."""

from __future__ import annotations

from datetime import timedelta, timezone

KST = timezone(timedelta(hours=9))
