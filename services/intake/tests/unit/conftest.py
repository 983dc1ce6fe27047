"""Fixtures for the seed-call tests: the loaded seed calls, by id."""

from __future__ import annotations

import pytest

from intake.seed_calls import load_seed_calls
from sfms_shared.contracts.call_terms import CallTerms
from sfms_shared.contracts.calls import CallDocument


@pytest.fixture(scope="module")
def calls() -> dict[str, CallDocument]:
    return {call.id: call for call in load_seed_calls()}


@pytest.fixture(scope="module")
def af(calls: dict[str, CallDocument]) -> CallDocument:
    return calls["2026-autonomous-factory-2"]


@pytest.fixture(scope="module")
def af_terms(af: CallDocument) -> CallTerms:
    return af.terms


@pytest.fixture(scope="module")
def kamp(calls: dict[str, CallDocument]) -> CallDocument:
    return calls["2021-kamp-ai-smart-factory"]
