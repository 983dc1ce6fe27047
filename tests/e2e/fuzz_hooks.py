"""Schemathesis hooks for ``test_api_fuzz.py``, loaded by the schemathesis CLI it runs
(``SCHEMATHESIS_HOOKS``), so this module is imported in that process, not by pytest.

- Generated path, query and body values that name an object are often swapped for one that
  exists (``SFMS_FUZZ_KNOWN``, JSON), BRNs get valid check digits and new calls copy a real
  one, so requests get past "not found" and domain validation to the rest of each handler.
- ``not_rate_limited`` fails a 429: the fuzzed stack's limits are set so high that a 429
  would mean a limit the test did not know about, and the rest of that run proves nothing.
- Every answer is tallied by operation, status and phase (examples, coverage, fuzzing,
  stateful) into ``SFMS_FUZZ_TALLY`` (JSON), so the test can show how many requests each
  operation got, fail on one that got none, and show that the stateful phase ran.
"""

from __future__ import annotations

import atexit
import json
import os
import threading
from collections import Counter
from typing import Any

import schemathesis
from hypothesis import strategies as st

from sfms_shared.contracts.brn import check_digit

# Parameter name → existing values; "call_document" is a real call's document.
KNOWN: dict[str, list[Any]] = json.loads(os.environ.get("SFMS_FUZZ_KNOWN", "{}"))
CALL_DOCUMENT: dict[str, Any] | None = KNOWN.pop("call_document", [None])[0]
TALLY_PATH = os.environ.get("SFMS_FUZZ_TALLY")
_tally: Counter[tuple[str, int, str]] = Counter()
_lock = threading.Lock()


def _sometimes_known(values: Any) -> st.SearchStrategy:
    """Each value named in ``KNOWN`` is kept or swapped for an object that exists."""
    if not isinstance(values, dict):
        return st.just(values)
    names = [name for name in values if name in KNOWN]
    if not names:
        return st.just(values)
    choices = {name: st.sampled_from([values[name], *KNOWN[name]]) for name in names}
    return st.fixed_dictionaries(choices).map(lambda chosen: {**values, **chosen})


def _valid_brn(first_nine: int) -> str:
    digits = f"{first_nine:09d}"
    return digits + str(check_digit(digits))


@schemathesis.hook
def flatmap_path_parameters(context: Any, path_parameters: Any) -> st.SearchStrategy:
    return _sometimes_known(path_parameters)


@schemathesis.hook
def flatmap_query(context: Any, query: Any) -> st.SearchStrategy:
    return _sometimes_known(query)


@schemathesis.hook
def flatmap_body(context: Any, body: Any) -> st.SearchStrategy:
    """Bodies that name objects (``call_id``, ``applicant_id``) sometimes name existing ones; a
    ``brn`` sometimes has a valid check digit and a ``region`` is sometimes a real one; a new
    call is sometimes a copy of a real one under a new id, so creates get past validation."""
    strategy = _sometimes_known(body)
    if isinstance(body, dict) and isinstance(body.get("brn"), str):
        brns = st.integers(100_000_000, 999_999_999).map(_valid_brn)
        strategy = strategy.flatmap(
            lambda b: st.one_of(st.just(b), brns.map(lambda brn: {**b, "brn": brn}))
        )
    if isinstance(body, dict) and isinstance(body.get("region"), str):
        strategy = strategy.flatmap(
            lambda b: st.sampled_from([b, {**b, "region": "경남"}, {**b, "region": "서울"}])
        )
    if context.operation.label == "POST /api/v1/calls" and CALL_DOCUMENT:
        copies = st.from_regex(r"\Afuzz-[a-z0-9]{3,20}\Z").map(
            lambda call_id: {**CALL_DOCUMENT, "id": call_id}
        )
        strategy = st.one_of(strategy, copies)
    return strategy


@schemathesis.check
def not_rate_limited(ctx: Any, response: Any, case: Any) -> bool | None:
    if response.status_code == 429:
        raise AssertionError(
            "429 from the gateway: raise the stack's GATEWAY_* rate limits for the fuzz run"
        )
    return None


@schemathesis.hook
def after_call(context: Any, case: Any, response: Any) -> None:
    phase = case.meta.phase.name if case.meta is not None else "unknown"
    with _lock:
        _tally[(case.operation.label, response.status_code, str(phase))] += 1


@atexit.register
def _write_tally() -> None:
    if TALLY_PATH:
        rows = [
            {"operation": label, "status": status, "phase": phase, "count": count}
            for (label, status, phase), count in sorted(_tally.items())
        ]
        with open(TALLY_PATH, "w", encoding="utf-8") as out:
            json.dump(rows, out)
