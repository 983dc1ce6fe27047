"""The checks themselves fail on broken input: deliberately broken copies of the repository's
stack files, each caught with the expected problem.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from compose_rules import stack_problems
from compose_stack import COMPOSE_FILE, GATEWAY, PROMETHEUS_FILE, REPO, load_yaml


def broken_copy(tmp_path: Path, edit_compose=None, edit_files=None) -> Path:
    """A copy of the stack's files in tmp_path, with the compose document and files edited."""
    root = tmp_path / "repo"
    for relative in (COMPOSE_FILE, ".dockerignore"):
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO / relative, root / relative)
    shutil.copytree(REPO / "deploy", root / "deploy")
    for dockerfile in (REPO / "services").glob("*/Dockerfile"):
        target = root / dockerfile.relative_to(REPO)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(dockerfile, target)
    if edit_compose is not None:
        document = load_yaml(root / COMPOSE_FILE)
        edit_compose(document["services"])
        (root / COMPOSE_FILE).write_text(
            yaml.safe_dump(document, sort_keys=False), encoding="utf-8"
        )
    if edit_files is not None:
        edit_files(root)
    return root


def _replace_in(relative: str, old: str, new: str) -> Callable[[Path], None]:
    def edit(root: Path) -> None:
        path = root / relative
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {relative}"
        path.write_text(text.replace(old, new), encoding="utf-8")

    return edit


def _set_env(service: str, key: str, value: str):
    return lambda services: services[service]["environment"].__setitem__(key, value)


BREAKAGES = {
    "service missing": (
        {"edit_compose": lambda s: s.pop("scoring")},
        ["services/scoring has no compose service", "gateway depends on unknown service 'scoring'"],
    ),
    "unknown dependency": (
        {
            "edit_compose": lambda s: s[GATEWAY]["depends_on"].update(
                ledger={"condition": "service_healthy"}
            )
        },
        ["gateway depends on unknown service 'ledger'"],
    ),
    "dependency cycle": (
        {
            "edit_compose": lambda s: s["intake"]["depends_on"].update(
                gateway={"condition": "service_started"}
            )
        },
        ["dependency cycle: "],
    ),
    "no healthcheck": (
        {"edit_compose": lambda s: s["matching"].pop("healthcheck")},
        ["matching has no healthcheck"],
    ),
    "app service published": (
        {"edit_compose": lambda s: s["intake"].update(ports=["8001:8000"])},
        ["intake publishes ports; only the gateway may"],
    ),
    "infra published on all interfaces": (
        {"edit_compose": lambda s: s["postgres"].update(ports=["5432:5432"])},
        ["postgres publishes ports beyond 127.0.0.1"],
    ),
    "wrong database": (
        {
            "edit_compose": _set_env(
                "settlement",
                "SETTLEMENT_DATABASE_URL",
                "postgresql+asyncpg://postgres:${POSTGRES_PASSWORD:-postgres}@postgres:5432/scoring",
            )
        },
        ["settlement DATABASE_URL points to database 'scoring'"],
    ),
    "literal secret": (
        {"edit_compose": _set_env("grafana", "GF_SECURITY_ADMIN_PASSWORD", "admin")},
        ["grafana GF_SECURITY_ADMIN_PASSWORD is a literal secret"],
    ),
    "internal secret with a default": (
        {
            "edit_compose": _set_env(
                "eligibility", "SFMS_INTERNAL_SECRET", "${SFMS_INTERNAL_SECRET:-x}"
            )
        },
        [
            "eligibility must take SFMS_INTERNAL_SECRET from the environment, with no default",
            "eligibility SFMS_INTERNAL_SECRET has a usable default",
        ],
    ),
    "topic auto-creation on": (
        {"edit_compose": _set_env("kafka", "KAFKA_AUTO_CREATE_TOPICS_ENABLE", "true")},
        ["kafka must set KAFKA_AUTO_CREATE_TOPICS_ENABLE=false"],
    ),
    "not scraped": (
        {"edit_files": _replace_in(PROMETHEUS_FILE, '"eligibility:8000"', '"eligibility:9999"')},
        ["Prometheus does not scrape eligibility"],
    ),
    "dockerfile missing": (
        {"edit_files": lambda root: (root / "services/matching/Dockerfile").unlink()},
        ["services/matching has no Dockerfile"],
    ),
    "dockerfile runs as root": (
        {"edit_files": _replace_in("services/intake/Dockerfile", "USER 10001:10001", "USER root")},
        ["services/intake/Dockerfile needs a final non-root USER"],
    ),
    "schema violation": (
        {"edit_compose": lambda s: s["kafka"].update(restart=False)},
        ["schema: services/kafka/restart"],
    ),
}


def test_the_repository_copy_is_clean(tmp_path: Path) -> None:
    assert stack_problems(broken_copy(tmp_path)) == []


@pytest.mark.parametrize("breakage", BREAKAGES)
def test_a_broken_copy_is_caught(tmp_path: Path, breakage: str) -> None:
    edits, expected = BREAKAGES[breakage]
    problems = stack_problems(broken_copy(tmp_path, **edits))
    for message in expected:
        assert any(message in problem for problem in problems), (message, problems)
