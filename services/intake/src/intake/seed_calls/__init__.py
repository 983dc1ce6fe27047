"""The seed calls: the four source announcements encoded as versioned call documents.

One YAML file per seed (``/work/shared/seeds``), named after the call's ``id``.
Loading is strict:

- duplicate keys are an error (PyYAML would silently keep the last one);
- a float anywhere is an error: ratios, bounds and weights are Decimal strings
  (``"0.50"``) and money is integer KRW, so no value is ever rounded on the way in;
- dates (``2026-04-17``) load as ``date`` and instants (``2026-04-27T00:00:00+09:00``)
  as timezone-aware ``datetime``; the model rejects naive instants;
- the file name must be ``<id>.yaml``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from sfms_shared.contracts.calls import CallDocument

SEED_DIR = Path(__file__).parent


class SeedCallError(ValueError):
    """A seed file that cannot be read as a call document."""


class _StrictLoader(yaml.SafeLoader):
    """A safe loader that refuses duplicate mapping keys."""


def _construct_mapping(
    loader: _StrictLoader, node: yaml.MappingNode, deep: bool = False
) -> dict[Any, Any]:
    loader.flatten_mapping(node)
    mapping: dict[Any, Any] = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in mapping:
            raise yaml.constructor.ConstructorError(
                "while constructing a mapping",
                node.start_mark,
                f"duplicate key {key!r}",
                key_node.start_mark,
            )
        mapping[key] = loader.construct_object(value_node, deep=deep)
    return mapping


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _floats(value: Any, path: str = "") -> Iterator[str]:
    if isinstance(value, float):
        yield f"{path or '<root>'} = {value!r}"
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _floats(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _floats(item, f"{path}[{index}]")


def seed_call_paths() -> list[Path]:
    """The seed files, sorted by name."""
    return sorted(SEED_DIR.glob("*.yaml"))


def load_seed_call(path: Path) -> CallDocument:
    """Read and validate one seed file."""
    with path.open(encoding="utf-8") as handle:
        try:
            raw = yaml.load(handle, Loader=_StrictLoader)
        except yaml.YAMLError as exc:
            raise SeedCallError(f"{path.name}: not valid YAML: {exc}") from exc
    if not isinstance(raw, dict):
        raise SeedCallError(f"{path.name}: the document must be a mapping")
    floats = list(_floats(raw))
    if floats:
        raise SeedCallError(
            f"{path.name}: floats are not allowed "
            "(write decimals as strings, money as integer KRW): " + "; ".join(floats)
        )
    try:
        document = CallDocument.model_validate(raw)
    except ValueError as exc:  # pydantic.ValidationError is a ValueError
        raise SeedCallError(f"{path.name}: {exc}") from exc
    if path.stem != document.id:
        raise SeedCallError(f"{path.name}: the file name must be {document.id}.yaml")
    return document


def load_seed_calls() -> list[CallDocument]:
    """Every seed call, validated, in file-name order; ids are unique."""
    documents = [load_seed_call(path) for path in seed_call_paths()]
    ids = [d.id for d in documents]
    if len(ids) != len(set(ids)):
        raise SeedCallError(f"duplicate call ids in seed files: {ids}")
    return documents


__all__ = ["SEED_DIR", "SeedCallError", "load_seed_call", "load_seed_calls", "seed_call_paths"]
