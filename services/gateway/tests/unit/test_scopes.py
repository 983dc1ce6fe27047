"""Partner key scopes of the eligibility registries: each registry written and read on its own."""

from __future__ import annotations

import pytest

from gateway.scopes import REGISTRIES, SCOPE_NAMES, scope_for

BASE = "/api/v1/eligibility/registries"


@pytest.mark.parametrize("registry", REGISTRIES)
def test_each_registry_has_a_write_and_a_read_scope(registry: str) -> None:
    write, read = f"registries:{registry}:write", f"registries:{registry}:read"
    assert {write, read} <= set(SCOPE_NAMES)
    both = frozenset({write, read})
    assert scope_for("POST", f"{BASE}/{registry}/records", both) == write
    assert scope_for("POST", f"{BASE}/{registry}/uploads", both) == write
    assert scope_for("GET", f"{BASE}/{registry}/records", both) == read
    assert scope_for("GET", f"{BASE}/{registry}/records/K-1/versions", both) == read
    assert scope_for("GET", f"{BASE}/{registry}/uploads", both) is None
    assert scope_for("POST", f"{BASE}/{registry}/records", frozenset({read})) is None
    assert scope_for("GET", f"{BASE}/{registry}/records", frozenset({write})) is None


def test_a_registry_scope_admits_no_other_registry() -> None:
    held = frozenset({"registries:sanctions:write", "registries:sanctions:read"})
    assert scope_for("POST", f"{BASE}/closures/records", held) is None
    assert scope_for("GET", f"{BASE}/closures/records", held) is None
    assert scope_for("POST", f"{BASE}/sanctions/records/../../closures/records", held) is None
