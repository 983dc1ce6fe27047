"""docker-compose.yml against the official Compose Specification JSON schema, and the schema
check itself failing on a broken document.
"""

from __future__ import annotations

import copy

from compose_stack import GATEWAY, Stack, schema_errors


def test_compose_file_matches_the_compose_specification(stack: Stack) -> None:
    assert schema_errors(stack.compose) == []


def test_schema_rejects_a_broken_document(stack: Stack) -> None:
    broken = copy.deepcopy(stack.compose)
    broken["services"][GATEWAY]["heathcheck"] = broken["services"][GATEWAY].pop("healthcheck")
    broken["services"][GATEWAY]["ports"] = {"8000": 8000}
    broken["services"]["intake"]["depends_on"]["postgres"]["condition"] = "service_ready"
    errors = "\n".join(schema_errors(broken))
    assert "services/gateway: Unevaluated properties are not allowed" in errors
    assert "'heathcheck'" in errors
    assert "services/gateway/ports" in errors
    assert "services/intake/depends_on" in errors
