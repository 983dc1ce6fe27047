"""Fixtures for the stack checks: the repository's own stack."""

from __future__ import annotations

import pytest
from compose_stack import REPO, Stack, load_stack


@pytest.fixture(scope="module")
def stack() -> Stack:
    return load_stack(REPO)
