"""The production-shaped stack, loaded without a Docker engine.

Where the stack's files are, the official Compose Specification JSON schema (the copy vendored
in the `check-jsonschema` wheel, so nothing is fetched at test time) and docker-compose.yml
parsed into a `Stack` for the project's rules (compose_rules.py). tests/deploy is on the pytest
pythonpath, so the test modules import this by name.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

import jsonschema
import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
COMPOSE_FILE = "docker-compose.yml"
PROMETHEUS_FILE = "deploy/prometheus/prometheus.yml"
GRAFANA_PROVISIONING = "deploy/grafana/provisioning"
GATEWAY = "gateway"
INTERPOLATION = re.compile(r"\$\{(?P<var>[A-Za-z_][A-Za-z0-9_]*)(?P<op>:?[-?+])?(?P<arg>[^}]*)\}")


@cache
def compose_schema() -> dict:
    try:
        vendor = resources.files("check_jsonschema.builtin_schemas.vendor")
    except ModuleNotFoundError:  # pragma: no cover - a broken dev environment
        pytest.fail(
            "the Compose Specification schema comes from the dev dependency check-jsonschema"
        )
    schema = json.loads(vendor.joinpath("compose-spec.json").read_text(encoding="utf-8"))
    jsonschema.validators.validator_for(schema).check_schema(schema)
    return schema


def schema_errors(document: object) -> list[str]:
    schema = compose_schema()
    validator = jsonschema.validators.validator_for(schema)(schema)
    return [
        f"schema: {'/'.join(map(str, error.absolute_path)) or '<root>'}: {error.message}"
        for error in sorted(validator.iter_errors(document), key=lambda e: list(map(str, e.path)))
    ]


# --- loading ----------------------------------------------------------------------------------


@dataclass
class Stack:
    root: Path
    compose: dict
    service_dirs: list[str]

    @property
    def services(self) -> dict[str, dict]:
        return self.compose.get("services") or {}

    def env(self, service: str) -> dict[str, str]:
        return environment(self.services.get(service) or {})


def load_yaml(path: Path) -> dict:
    """Parse YAML into plain, unshared data: PyYAML hands out one object for every use of an
    anchor, so without the round trip an edit to one service would leak into the others."""
    return json.loads(json.dumps(yaml.safe_load(path.read_text(encoding="utf-8"))))


def load_stack(root: Path) -> Stack:
    compose = load_yaml(root / COMPOSE_FILE)
    services_dir = root / "services"
    dirs = sorted(
        p.name for p in services_dir.iterdir() if p.is_dir() and not p.name.startswith((".", "_"))
    )
    return Stack(root=root, compose=compose, service_dirs=dirs)


def environment(service: dict) -> dict[str, str]:
    env = service.get("environment") or {}
    if isinstance(env, list):
        return dict(item.split("=", 1) if "=" in item else (item, "") for item in env)
    return {key: "" if value is None else str(value) for key, value in env.items()}


def interpolate(value: str) -> str:
    """Resolve ${VAR:-default} to its default and any other ${VAR...} to a placeholder."""

    def resolve(match: re.Match[str]) -> str:
        return match["arg"] if match["op"] in (":-", "-") else f"<{match['var']}>"

    return INTERPOLATION.sub(resolve, value)


def depends_on(service: dict) -> dict[str, str]:
    deps = service.get("depends_on") or {}
    if isinstance(deps, list):
        return {name: "service_started" for name in deps}
    return {name: (spec or {}).get("condition", "service_started") for name, spec in deps.items()}


def one_shots(stack: Stack) -> set[str]:
    """Services some other service waits on to *finish* (e.g. `<name>-migrate`)."""
    return {
        target
        for service in stack.services.values()
        for target, condition in depends_on(service).items()
        if condition == "service_completed_successfully"
    }


def db_services(stack: Stack) -> list[str]:
    """Every service owns a database, the gateway too (API keys, its audit log)."""
    return list(stack.service_dirs)


def domain_services(stack: Stack) -> list[str]:
    """The services behind the gateway: they use the broker and are routed to."""
    return [name for name in stack.service_dirs if name != GATEWAY]
