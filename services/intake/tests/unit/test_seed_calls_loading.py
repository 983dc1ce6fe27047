"""Loading the seed calls (services/intake/src/intake/seed_calls): one file per seed, each
citing only its own seed text, no floats, and a loader that refuses malformed files.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import BaseModel

from intake.seed_calls import SeedCallError, load_seed_call, seed_call_paths
from sfms_shared.contracts.calls import CallDocument, Source

SEED_FILES = {
    "2026-autonomous-factory-2": "001_39e04bdc262ce7ee.txt",
    "2024-smart-manufacturing-catalogue": "002_247359b2586b7f4b.txt",
    "2021-kamp-ai-smart-factory": "003_819a3676ae3b20e0.txt",
    "2026-smart-manufacturing-catalogue": "004_615c5e1e5f9a1b7a.txt",
}


def sources(value: object) -> list[Source]:
    """Every Source inside a model tree."""
    found: list[Source] = []
    if isinstance(value, Source):
        found.append(value)
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            found.extend(sources(getattr(value, name)))
    elif isinstance(value, (tuple, list)):
        for item in value:
            found.extend(sources(item))
    return found


def floats(value: object) -> list[object]:
    if isinstance(value, float):
        return [value]
    if isinstance(value, BaseModel):
        return [f for name in type(value).model_fields for f in floats(getattr(value, name))]
    if isinstance(value, (tuple, list)):
        return [f for item in value for f in floats(item)]
    if isinstance(value, dict):
        return [f for item in value.values() for f in floats(item)]
    return []


def test_every_seed_file_loads(calls: dict[str, CallDocument]) -> None:
    """One YAML file per seed (seeds/README.md), each named after its call id."""
    assert {p.stem for p in seed_call_paths()} == set(SEED_FILES)
    assert set(calls) == set(SEED_FILES)
    assert {c.id: c.kind for c in calls.values()} == {
        "2026-autonomous-factory-2": "call",
        "2024-smart-manufacturing-catalogue": "catalogue",
        "2021-kamp-ai-smart-factory": "call",
        "2026-smart-manufacturing-catalogue": "catalogue",
    }


def test_each_call_cites_only_its_own_seed(calls: dict[str, CallDocument]) -> None:
    """Every rule and number carries a source naming the seed file it was read from."""
    for call_id, call in calls.items():
        cited = {s.file for s in sources(call)}
        assert cited == {SEED_FILES[call_id]}, call_id
        assert all(s.section.strip() for s in sources(call))


def test_no_float_anywhere_and_json_round_trip(calls: dict[str, CallDocument]) -> None:
    """Money is integer KRW and ratios are Decimal (ARCHITECTURE.md, Conventions); a call
    survives the JSON of the intake.call-published event unchanged."""
    for call in calls.values():
        assert floats(call) == [], call.id
        assert CallDocument.model_validate_json(call.model_dump_json()) == call


def test_loader_rejects_floats_duplicates_and_misnamed_files(tmp_path: Path) -> None:
    """A ratio written as 0.5 instead of "0.50" never enters the system."""
    source = seed_call_paths()[0].read_text(encoding="utf-8")
    call_id = load_seed_call(seed_call_paths()[0]).id

    with_float = tmp_path / f"{call_id}.yaml"
    with_float.write_text(
        source.replace('government_ratio_max: "0.50"', "government_ratio_max: 0.5", 1),
        encoding="utf-8",
    )
    with pytest.raises(SeedCallError, match="floats are not allowed"):
        load_seed_call(with_float)

    duplicated = tmp_path / "dup" / f"{call_id}.yaml"
    duplicated.parent.mkdir()
    duplicated.write_text(source + "\nversion: 2\n", encoding="utf-8")
    with pytest.raises(SeedCallError, match="duplicate key"):
        load_seed_call(duplicated)

    misnamed = tmp_path / "other-name.yaml"
    misnamed.write_text(source, encoding="utf-8")
    with pytest.raises(SeedCallError, match="file name"):
        load_seed_call(misnamed)
