"""The repository's stack against the project's own rules (compose_rules.py), without a
Docker engine.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from compose_rules import CHECKS
from compose_stack import REPO, Stack

FRAME_SERVICES = {"gateway", "intake", "eligibility", "scoring", "matching", "settlement"}


def test_every_service_of_the_frame_is_present(stack: Stack) -> None:
    assert FRAME_SERVICES <= set(stack.service_dirs)  # noqa: SIM300


@pytest.mark.parametrize("check", CHECKS, ids=lambda check: check.__name__)
def test_stack_rule(stack: Stack, check: Callable[[Stack], list[str]]) -> None:
    assert check(stack) == []


def test_dockerignore_keeps_vcs_and_venvs_out() -> None:
    lines = set((REPO / ".dockerignore").read_text(encoding="utf-8").split())
    assert {".git", "**/.venv"} <= lines
    assert not {"uv.lock", "pyproject.toml", "shared", "services", "*.md"} & lines
