"""The Prometheus alert rules (deploy/prometheus/alerts.yml): accepted by promtool, their unit
tests (alerts_test.yml) passing, every alert tested firing and quiet, every metric, label and
label value they name exported by the code, and loaded by the Compose stack's Prometheus.
Deliberately broken copies show each check failing.

promtool comes from Debian's `prometheus` package, installed when missing.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from compose_stack import REPO, Stack, load_stack
from observability import (
    ALERTS_FILE,
    ALERTS_TEST_FILE,
    alert_rules,
    alert_test_problems,
    exported_metrics,
    prometheus_mount_problems,
    promql_references,
    promtool,
    rule_problems,
    run_promtool,
)

PROMETHEUS_DIR = "deploy/prometheus"


@pytest.fixture(scope="module", autouse=True)
def _promtool() -> str:
    return promtool()


def _ok(result) -> str:
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    return output


def test_promtool_accepts_the_alert_rules() -> None:
    output = _ok(run_promtool("check", "rules", ALERTS_FILE))
    assert f"SUCCESS: {len(alert_rules())} rules found" in output


def test_alert_rules_pass_their_unit_tests() -> None:
    assert "SUCCESS" in _ok(run_promtool("test", "rules", ALERTS_TEST_FILE))


def test_promtool_accepts_the_compose_prometheus_config() -> None:
    # Checks the scrape configs and every rule file the config loads; hostnames are not resolved.
    output = _ok(run_promtool("check", "config", f"{PROMETHEUS_DIR}/prometheus.yml"))
    assert "SUCCESS: 1 rule files found" in output


def test_every_alert_is_tested_firing_and_quiet() -> None:
    assert alert_test_problems(REPO) == []


def test_rules_name_only_what_the_code_exports() -> None:
    assert rule_problems(REPO, exported_metrics()) == []


def test_compose_prometheus_loads_the_rules(stack: Stack) -> None:
    assert prometheus_mount_problems(REPO, stack.services) == []


def test_the_alerts_cover_the_platform() -> None:
    """Availability, RED, the gateway's shedding, consumers, outbox, dead letters, pipeline."""
    used = {
        selector.metric
        for rule in alert_rules()
        for selector in promql_references(rule["expr"]).selectors
    }
    assert {
        "up",
        "sfms_http_requests_total",
        "sfms_http_request_duration_seconds_bucket",
        "sfms_gateway_shed_total",
        "sfms_consumer_lag",
        "sfms_events_consumed_total",
        "sfms_events_failed_total",
        "sfms_events_dead_lettered_total",
        "sfms_outbox_backlog",
        "sfms_events_published_total",
        "sfms_pipeline_applications",
    } <= used


# --- broken copies ----------------------------------------------------------------------------


def broken_copy(tmp_path: Path, relative: str, old: str, new: str) -> Path:
    """A copy of the repository's deploy/ and docker-compose.yml with one text replaced."""
    root = tmp_path / "repo"
    shutil.copytree(REPO / "deploy", root / "deploy")
    shutil.copy2(REPO / "docker-compose.yml", root / "docker-compose.yml")
    (root / "services").mkdir()
    path = root / relative
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {relative}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return root


def test_a_changed_threshold_fails_the_unit_tests(tmp_path: Path) -> None:
    root = broken_copy(tmp_path, ALERTS_FILE, "> 0.05", "> 0.07")
    result = run_promtool("test", "rules", ALERTS_TEST_FILE, cwd=root)
    assert result.returncode != 0
    assert "alertname: SFMSHighErrorRatio" in result.stdout + result.stderr


def test_a_syntax_error_fails_promtool(tmp_path: Path) -> None:
    root = broken_copy(
        tmp_path,
        ALERTS_FILE,
        "max by (service) (sfms_outbox_backlog) > 500",
        "max by (service) (sfms_outbox_backlog > 500",
    )
    result = run_promtool("check", "rules", ALERTS_FILE, cwd=root)
    assert result.returncode != 0


BREAKAGES = {
    "renamed metric": (
        "max by (service) (sfms_outbox_backlog) > 500",
        "max by (service) (sfms_outbox_pending) > 500",
        "SFMSOutboxBacklogHigh: sfms_outbox_pending is not exported by any service",
    ),
    "unknown label": (
        "sum by (service) (rate(sfms_http_requests_total[5m]))",
        'sum by (service) (rate(sfms_http_requests_total{code=~"5.."}[5m]))',
        "SFMSHighErrorRatio: sfms_http_requests_total has no label 'code'",
    ),
    "grouping by a label no metric has": (
        "sum by (reason) (rate(sfms_gateway_shed_total",
        "sum by (cause) (rate(sfms_gateway_shed_total",
        "SFMSGatewayShedding: groups by 'cause', a label none of its metrics has",
    ),
    "a shed reason the gateway never writes": (
        'reason=~"overloaded|rate-limited"',
        'reason=~"overloaded|throttled"',
        "SFMSGatewayShedding: sfms_gateway_shed_total{reason} is never throttled",
    ),
    "a service that does not exist": (
        'service="eligibility", stage="reviewed"})\n',
        'service="review", stage="reviewed"})\n',
        "SFMSRequirementReviewStalled: sfms_pipeline_applications{service} is never review",
    ),
    "a stage the service does not count": (
        'service="intake", stage="submitted"',
        'service="intake", stage="received"',
        "SFMSRequirementReviewStalled: sfms_pipeline_applications{stage} is never received",
    ),
    "no Korean summary": (
        'summary_ko: "{{ $labels.job }} ({{ $labels.instance }}) 서비스가 응답하지 않습니다"',
        'summary_ko: "{{ $labels.job }} down"',
        "SFMSTargetDown: no Korean summary (summary_ko)",
    ),
    "no for": ("        for: 2m\n", "", "SFMSTargetDown: no `for`"),
}


@pytest.mark.parametrize("breakage", BREAKAGES, ids=list(BREAKAGES))
def test_broken_rules_are_caught(tmp_path: Path, breakage: str) -> None:
    old, new, expected = BREAKAGES[breakage]
    root = broken_copy(tmp_path, ALERTS_FILE, old, new)
    assert expected in rule_problems(root, exported_metrics())


def test_an_untested_alert_is_caught(tmp_path: Path) -> None:
    root = broken_copy(
        tmp_path,
        ALERTS_TEST_FILE,
        "alertname: SFMSOutboxBacklogHigh\n        exp_alerts: []",
        "alertname: SFMSOutboxBacklogHigh\n        exp_alerts:\n          - exp_labels: {severity: warning, service: intake}",
    )
    assert alert_test_problems(root) == ["SFMSOutboxBacklogHigh: no test where it stays quiet"]


def test_rules_compose_does_not_mount_are_caught(tmp_path: Path) -> None:
    root = broken_copy(
        tmp_path,
        "docker-compose.yml",
        "      - ./deploy/prometheus/alerts.yml:/etc/prometheus/alerts.yml:ro\n",
        "",
    )
    assert prometheus_mount_problems(root, load_stack(root).services) == [
        "prometheus: rule file /etc/prometheus/alerts.yml is not mounted from the repository"
    ]


def test_rules_prometheus_does_not_load_are_caught(tmp_path: Path) -> None:
    root = broken_copy(
        tmp_path, f"{PROMETHEUS_DIR}/prometheus.yml", "  - alerts.yml\n", "  - other.yml\n"
    )
    assert "prometheus.yml rule_files does not load deploy/prometheus/alerts.yml" in (
        prometheus_mount_problems(root, load_stack(root).services)
    )
