"""The Grafana dashboard (deploy/grafana/dashboards/sfms.json): valid JSON with a uid and a
title, every panel on the provisioned Prometheus datasource, a call_id variable the pipeline
panels follow, every query over metrics, labels and label values the code exports, and
provisioned from a folder Compose mounts. Deliberately broken copies show each check failing.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from compose_stack import REPO, Stack, load_stack
from observability import (
    DASHBOARD_FILE,
    dashboard_problems,
    dashboard_queries,
    exported_metrics,
    promql_references,
)


def _dashboard(root: Path = REPO) -> dict:
    return json.loads((root / DASHBOARD_FILE).read_text(encoding="utf-8"))


def test_the_dashboard_follows_the_rules(stack: Stack) -> None:
    assert dashboard_problems(REPO, stack.services, exported_metrics()) == []


def test_the_dashboard_shows_red_messaging_and_the_pipeline() -> None:
    used = {
        selector.metric
        for _, expr in dashboard_queries(_dashboard())
        for selector in promql_references(expr).selectors
    }
    assert {
        "sfms_http_requests_total",
        "sfms_http_request_duration_seconds_bucket",
        "sfms_gateway_shed_total",
        "sfms_consumer_lag",
        "sfms_outbox_backlog",
        "sfms_events_published_total",
        "sfms_events_consumed_total",
        "sfms_events_dead_lettered_total",
        "sfms_pipeline_applications",
    } <= used


def test_the_call_id_variable_lists_the_calls() -> None:
    variables = {v["name"]: v for v in _dashboard()["templating"]["list"]}
    assert variables["call_id"]["query"] == "label_values(sfms_pipeline_applications, call_id)"
    assert variables["call_id"]["multi"] and variables["call_id"]["includeAll"]


# --- broken copies ----------------------------------------------------------------------------


def broken_copy(tmp_path: Path, edit: Callable[[Path], None]) -> Path:
    root = tmp_path / "repo"
    shutil.copytree(REPO / "deploy", root / "deploy")
    shutil.copy2(REPO / "docker-compose.yml", root / "docker-compose.yml")
    (root / "services").mkdir()
    edit(root)
    return root


def _edit_dashboard(change: Callable[[dict], None]) -> Callable[[Path], None]:
    def edit(root: Path) -> None:
        dashboard = _dashboard(root)
        change(dashboard)
        (root / DASHBOARD_FILE).write_text(json.dumps(dashboard), encoding="utf-8")

    return edit


def _replace(relative: str, old: str, new: str) -> Callable[[Path], None]:
    def edit(root: Path) -> None:
        path = root / relative
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {relative}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    return edit


def _panel(dashboard: dict, title: str) -> dict:
    return next(p for p in dashboard["panels"] if p.get("title") == title)


def _set_expr(title: str, expr: str) -> Callable[[dict], None]:
    return lambda d: _panel(d, title)["targets"][0].__setitem__("expr", expr)


BREAKAGES = {
    "renamed metric": (
        _edit_dashboard(_set_expr("Outbox backlog", "max by (service) (sfms_outbox_pending)")),
        "panel 'Outbox backlog' A: sfms_outbox_pending is not exported by any service",
    ),
    "unknown label": (
        _edit_dashboard(
            _set_expr("Consumer lag", 'sum by (service) (sfms_consumer_lag{group=~"$service"})')
        ),
        "panel 'Consumer lag' A: sfms_consumer_lag has no label 'group'",
    ),
    "undefined variable": (
        _edit_dashboard(
            _set_expr("Outbox backlog", 'max by (service) (sfms_outbox_backlog{service=~"$svc"})')
        ),
        "panel 'Outbox backlog' A: uses $svc, which the dashboard does not define",
    ),
    "another datasource": (
        _edit_dashboard(
            lambda d: _panel(d, "Consumer lag").__setitem__(
                "datasource", {"type": "prometheus", "uid": "elsewhere"}
            )
        ),
        "panel 'Consumer lag': datasource is not the provisioned Prometheus ['sfms-prometheus']",
    ),
    "no call_id variable": (
        _edit_dashboard(
            lambda d: d["templating"].__setitem__(
                "list", [v for v in d["templating"]["list"] if v["name"] != "call_id"]
            )
        ),
        "dashboard: no call_id variable over sfms_pipeline_applications",
    ),
    "no uid": (_edit_dashboard(lambda d: d.pop("uid")), "dashboard: no uid"),
    "not JSON": (
        lambda root: (root / DASHBOARD_FILE).write_text("{", encoding="utf-8"),
        f"{DASHBOARD_FILE}: ",  # then the JSON parser's message
    ),
    "dashboards folder not mounted": (
        _replace(
            "docker-compose.yml",
            "      - ./deploy/grafana/dashboards:/etc/grafana/dashboards:ro\n",
            "",
        ),
        "grafana: the dashboards folder /etc/grafana/dashboards is not mounted from ./deploy/grafana/dashboards",
    ),
    "provider reading another folder": (
        _replace(
            "deploy/grafana/provisioning/dashboards/sfms.yml",
            "path: /etc/grafana/dashboards",
            "path: /var/lib/grafana/dashboards",
        ),
        "grafana: the dashboards folder /var/lib/grafana/dashboards is not mounted from ./deploy/grafana/dashboards",
    ),
}


@pytest.mark.parametrize("breakage", BREAKAGES, ids=list(BREAKAGES))
def test_broken_dashboards_are_caught(tmp_path: Path, breakage: str) -> None:
    edit, expected = BREAKAGES[breakage]
    root = broken_copy(tmp_path, edit)
    problems = dashboard_problems(root, load_stack(root).services, exported_metrics())
    assert any(problem.startswith(expected) for problem in problems), problems
