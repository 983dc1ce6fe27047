"""Prometheus alert rules and the Grafana dashboard, held against the code.

- `promtool()`: Debian's promtool, found on the machine or installed from the `prometheus`
  package when missing (CI starts from a machine without it), as tests/e2e/browser.py does
  for Chromium.
- `exported_metrics()`: what a service's /metrics exports, read in a fresh interpreter that
  imports every service's wiring (`<name>.main`, which imports every module that registers a
  metric) and renders the exposition the /metrics route serves (`metrics_response`).
- `promql_references()`: the metric names, label matchers and grouping labels an expression
  uses, from a small PromQL tokenizer (enough for the expressions written here).
- `reference_problems()`: references to metrics, labels or label values that do not exist.

tests/deploy is on the pytest pythonpath, so the test modules import this by name.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from compose_stack import REPO

ALERTS_FILE = "deploy/prometheus/alerts.yml"
ALERTS_TEST_FILE = "deploy/prometheus/alerts_test.yml"
DASHBOARDS_DIR = "deploy/grafana/dashboards"
DASHBOARD_FILE = f"{DASHBOARDS_DIR}/sfms.json"
DASHBOARD_PROVISIONING = "deploy/grafana/provisioning/dashboards/sfms.yml"
DATASOURCE_PROVISIONING = "deploy/grafana/provisioning/datasources/prometheus.yml"
SERVICES = ("gateway", "intake", "eligibility", "scoring", "matching", "settlement")

# Labels Prometheus adds to every scraped series, and the series it writes per target.
TARGET_LABELS = {"job", "instance"}
SCRAPE_SERIES = {"up": set()}


# --- promtool ---------------------------------------------------------------------------------


def promtool() -> str:
    found = shutil.which("promtool")
    if found:
        return found
    env = os.environ | {"DEBIAN_FRONTEND": "noninteractive"}
    install = ["apt-get", "install", "-y", "--no-install-recommends", "prometheus"]
    if subprocess.run(install, env=env, capture_output=True).returncode != 0:
        subprocess.run(["apt-get", "update"], env=env, capture_output=True, check=True)
        subprocess.run(install, env=env, capture_output=True, check=True)
    found = shutil.which("promtool")
    if not found:
        raise RuntimeError("Debian's prometheus package (promtool) could not be installed")
    return found


def run_promtool(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    return subprocess.run([promtool(), *args], cwd=cwd, capture_output=True, text=True, timeout=300)


# --- what the code exports ----------------------------------------------------------------------


@dataclass(frozen=True)
class ExportedMetric:
    name: str  # the family name, as in `# TYPE` (a counter's without `_total`)
    type: str
    labels: frozenset[str]

    def series_names(self) -> set[str]:
        """The sample names Prometheus stores for this family (classic text format)."""
        if self.type == "counter":
            return {f"{self.name}_total", f"{self.name}_created"}
        if self.type == "histogram":
            return {f"{self.name}_{s}" for s in ("bucket", "sum", "count", "created")}
        if self.type == "summary":
            return {self.name, f"{self.name}_sum", f"{self.name}_count", f"{self.name}_created"}
        return {self.name}

    def labels_of(self, series: str) -> set[str]:
        extra = {"le"} if series.endswith("_bucket") else set()
        return set(self.labels) | extra | TARGET_LABELS


_EXPORT_SCRIPT = """
import importlib, json, sys
from prometheus_client.metrics import MetricWrapperBase
from prometheus_client.parser import text_string_to_metric_families
for service in sys.argv[1:]:
    importlib.import_module(service + ".main")
from sfms_shared.metrics import metrics_response
families = {
    f.name: f.type
    for f in text_string_to_metric_families(metrics_response().body.decode())
}
labels = {}
for module in list(sys.modules.values()):
    for value in list(vars(module).values()) if hasattr(module, "__dict__") else []:
        if isinstance(value, MetricWrapperBase):
            labels[value._name] = list(value._labelnames)
print(json.dumps({"families": families, "labels": labels}))
"""


@cache
def exported_metrics() -> dict[str, ExportedMetric]:
    """Every metric family the services' /metrics exports, by family name."""
    result = subprocess.run(
        [sys.executable, "-c", _EXPORT_SCRIPT, *SERVICES],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    if result.returncode != 0:
        raise RuntimeError(f"could not import the services' metrics:\n{result.stderr}")
    found = json.loads(result.stdout)
    return {
        name: ExportedMetric(name, kind, frozenset(found["labels"].get(name, ())))
        for name, kind in found["families"].items()
    }


def series_index(metrics: dict[str, ExportedMetric]) -> dict[str, set[str]]:
    """Series name → the labels it may carry (its own, `le` for buckets, target labels)."""
    index = {name: set(labels) | TARGET_LABELS for name, labels in SCRAPE_SERIES.items()}
    for metric in metrics.values():
        for series in metric.series_names():
            index[series] = metric.labels_of(series)
    return index


# --- label values the code writes ------------------------------------------------------------


def _shed_reasons() -> set[str]:
    source = "\n".join(
        path.read_text(encoding="utf-8")
        for path in (REPO / "services/gateway/src/gateway").glob("*.py")
    )
    return set(re.findall(r'SHED\.labels\("([^"]+)"\)', source))


def _pipeline_stages(service: str) -> set[str]:
    """Top-level keys of the service's pipeline counts (``handlers/pipeline.py``), flattened as
    ``sfms_shared.pipeline.flatten`` names them: only the first part is checked."""
    path = REPO / f"services/{service}/src/{service}/handlers/pipeline.py"
    if not path.is_file():
        return set()
    return set(re.findall(r'^\s*"([a-z_]+)":', path.read_text(encoding="utf-8"), re.MULTILINE))


@cache
def known_values() -> dict[str, set[str]]:
    return {"service": set(SERVICES), "reason": _shed_reasons()}


# --- PromQL ---------------------------------------------------------------------------------


_TOKEN = re.compile(
    r"""
    (?P<string>"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`)
  | (?P<range>\[[^\]]*\])
  | (?P<variable>\$\{[^}]*\}|\$[A-Za-z_][A-Za-z0-9_]*)
  | (?P<number>(?:0x[0-9a-fA-F]+|[0-9]*\.?[0-9]+(?:[eE][+-]?[0-9]+)?)(?:ms|[smhdwy])?(?:[0-9]+(?:ms|[smhdwy]))*)
  | (?P<ident>[A-Za-z_:][A-Za-z0-9_:]*)
  | (?P<op>=~|!~|!=|==|>=|<=|[-+*/%^=<>{}(),@])
  | (?P<space>\s+)
    """,
    re.VERBOSE,
)
_GROUPING = {"by", "without", "on", "ignoring", "group_left", "group_right"}
_KEYWORDS = _GROUPING | {"and", "or", "unless", "bool", "offset", "start", "end", "atan2"}
_AGGREGATIONS = {
    "sum", "min", "max", "avg", "group", "stddev", "stdvar", "count", "count_values",
    "bottomk", "topk", "quantile", "limitk", "limit_ratio",
}  # fmt: skip


@dataclass
class Matcher:
    label: str
    op: str
    value: str


@dataclass
class Selector:
    metric: str
    matchers: list[Matcher] = field(default_factory=list)


@dataclass
class References:
    selectors: list[Selector] = field(default_factory=list)
    grouping: set[str] = field(default_factory=set)


def _tokens(expr: str) -> list[tuple[str, str]]:
    tokens, position = [], 0
    while position < len(expr):
        match = _TOKEN.match(expr, position)
        if match is None:
            raise ValueError(f"cannot read {expr[position : position + 20]!r} in {expr!r}")
        position = match.end()
        if match.lastgroup not in ("space", "range"):
            tokens.append((match.lastgroup, match.group()))
    return tokens


def _unquote(literal: str) -> str:
    if literal.startswith("`"):
        return literal[1:-1]
    if literal.startswith("'"):
        literal = '"' + literal[1:-1].replace("\\'", "'").replace('"', '\\"') + '"'
    return json.loads(literal)


def promql_references(expr: str) -> References:
    """Vector selectors (metric and matchers) and grouping labels of a PromQL expression."""
    tokens = _tokens(expr)
    refs = References()
    i = 0
    while i < len(tokens):
        kind, text = tokens[i]
        following = tokens[i + 1][1] if i + 1 < len(tokens) else None
        if kind == "ident" and text in _GROUPING and following == "(":
            j = i + 2
            while j < len(tokens) and tokens[j][1] != ")":
                if tokens[j][0] == "ident":
                    refs.grouping.add(tokens[j][1])
                j += 1
            i = j + 1
            continue
        if kind == "ident" and (
            text in _KEYWORDS
            or following == "("
            or (text in _AGGREGATIONS and following in ("by", "without"))
        ):
            i += 1
            continue
        if kind == "ident" or (kind == "op" and text == "{"):
            selector = Selector(metric=text if kind == "ident" else "")
            j = i + 1 if kind == "ident" else i
            if j < len(tokens) and tokens[j][1] == "{":
                j += 1
                while j < len(tokens) and tokens[j][1] != "}":
                    if tokens[j][0] == "ident" and j + 2 < len(tokens):
                        op, value = tokens[j + 1][1], tokens[j + 2]
                        selector.matchers.append(
                            Matcher(
                                tokens[j][1],
                                op,
                                _unquote(value[1]) if value[0] == "string" else value[1],
                            )
                        )
                        j += 3
                    else:
                        j += 1
                j += 1
            refs.selectors.append(selector)
            i = j
            continue
        i += 1
    return refs


def _literal_values(matcher: Matcher) -> set[str] | None:
    """The values an equality or a plain alternation (`a|b`) matches; None for other regexes."""
    if matcher.op == "=":
        return {matcher.value}
    if matcher.op == "=~" and re.fullmatch(r"[A-Za-z0-9_-]+(\|[A-Za-z0-9_-]+)*", matcher.value):
        return set(matcher.value.split("|"))
    return None


def reference_problems(where: str, expr: str, metrics: dict[str, ExportedMetric]) -> list[str]:
    """Metrics, labels and label values that `expr` names and the code does not export."""
    index = series_index(metrics)
    refs = promql_references(expr)
    problems: list[str] = []
    labels_in_reach: set[str] = set()
    for selector in refs.selectors:
        if not selector.metric or any(m.label == "__name__" for m in selector.matchers):
            problems.append(f"{where}: select metrics by name, not by matchers only: {expr!r}")
            continue
        if selector.metric not in index:
            problems.append(f"{where}: {selector.metric} is not exported by any service")
            continue
        allowed = index[selector.metric]
        labels_in_reach |= allowed
        for matcher in selector.matchers:
            if matcher.label not in allowed:
                problems.append(f"{where}: {selector.metric} has no label {matcher.label!r}")
                continue
            values = _literal_values(matcher)
            known = known_values().get(matcher.label)
            if matcher.label == "stage" and values is not None:
                services = [
                    m.value for m in selector.matchers if m.label == "service" and m.op == "="
                ]
                known = set().union(*(_pipeline_stages(s) for s in services)) if services else None
                values = {v.split(".")[0] for v in values}
            if values is not None and known is not None and not values <= known:
                problems.append(
                    f"{where}: {selector.metric}{{{matcher.label}}} is never "
                    f"{', '.join(sorted(values - known))}"
                )
    for label in sorted(refs.grouping - labels_in_reach):
        problems.append(f"{where}: groups by {label!r}, a label none of its metrics has")
    return problems


# --- the files ----------------------------------------------------------------------------------


def alert_rules(root: Path = REPO) -> list[dict]:
    import yaml

    document = yaml.safe_load((root / ALERTS_FILE).read_text(encoding="utf-8"))
    return [rule for group in document["groups"] for rule in group["rules"]]


def dashboard_queries(dashboard: dict) -> list[tuple[str, str]]:
    """(where, PromQL) for every query of every panel, rows' nested panels included."""
    found = []

    def visit(panels: list[dict]) -> None:
        for panel in panels:
            for target in panel.get("targets") or []:
                if target.get("expr"):
                    found.append(
                        (f"panel {panel.get('title')!r} {target.get('refId')}", target["expr"])
                    )
            visit(panel.get("panels") or [])

    visit(dashboard.get("panels") or [])
    return found


def all_panels(dashboard: dict) -> list[dict]:
    found = []
    for panel in dashboard.get("panels") or []:
        found.append(panel)
        found.extend(panel.get("panels") or [])
    return found


LABEL_VALUES = re.compile(r"^label_values\(\s*(?:(?P<metric>[^,]+?)\s*,\s*)?(?P<label>\w+)\s*\)$")


def variable_problems(variable: dict, metrics: dict[str, ExportedMetric]) -> list[str]:
    """A query variable reads `label_values(metric, label)` of an exported metric and label."""
    where = f"variable {variable.get('name')!r}"
    query = variable.get("query")
    query = query.get("query") if isinstance(query, dict) else query
    match = LABEL_VALUES.match((query or "").strip())
    if match is None:
        return [f"{where}: expected label_values(metric, label), not {query!r}"]
    metric = (match["metric"] or "").strip()
    if not metric:
        return [f"{where}: label_values without a metric reads every series"]
    problems = reference_problems(where, metric, metrics)
    index = series_index(metrics)
    name = promql_references(metric).selectors[0].metric if not problems else None
    if name and match["label"] not in index[name]:
        problems.append(f"{where}: {name} has no label {match['label']!r}")
    return problems


# --- the project's rules for the alert rules and the dashboard ------------------------------

SEVERITIES = {"warning", "critical"}
HANGUL = re.compile(r"[\uac00-\ud7a3]")
GRAFANA_VARIABLES = {"__rate_interval", "__interval", "__range", "__range_s", "__interval_ms"}


def _yaml(path: Path) -> dict:
    import yaml

    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}


def _bind_mounts(service: dict) -> dict[str, str]:
    """Container path → repository path (`./...`) of a compose service's bind mounts."""
    mounts = {}
    for volume in service.get("volumes") or []:
        if isinstance(volume, str):
            parts = volume.split(":")
            if len(parts) >= 2 and parts[0].startswith("./"):
                mounts[parts[1]] = parts[0][2:]
        elif volume.get("type") == "bind":
            mounts[volume["target"]] = str(volume["source"]).removeprefix("./")
    return mounts


def rule_problems(root: Path, metrics: dict[str, ExportedMetric]) -> list[str]:
    """Each alert: `for`, a known severity, English summary and description and a Korean
    summary, and an expression over metrics, labels and values the code exports."""
    problems = []
    for rule in alert_rules(root):
        name = rule.get("alert") or f"record {rule.get('record')}"
        annotations = rule.get("annotations") or {}
        if "for" not in rule:
            problems.append(f"{name}: no `for`")
        if (rule.get("labels") or {}).get("severity") not in SEVERITIES:
            problems.append(f"{name}: severity is not one of {sorted(SEVERITIES)}")
        for key in ("summary", "description"):
            if not str(annotations.get(key, "")).strip():
                problems.append(f"{name}: no {key} annotation")
        if not HANGUL.search(str(annotations.get("summary_ko", ""))):
            problems.append(f"{name}: no Korean summary (summary_ko)")
        problems += reference_problems(name, rule["expr"], metrics)
    return problems


def alert_test_problems(root: Path) -> list[str]:
    """alerts_test.yml loads alerts.yml and checks every alert both firing and not firing."""
    document = _yaml(root / ALERTS_TEST_FILE)
    problems = []
    if document.get("rule_files") != [Path(ALERTS_FILE).name]:
        problems.append(f"{ALERTS_TEST_FILE} must load {Path(ALERTS_FILE).name}")
    firing, quiet = set(), set()
    for case in document.get("tests") or []:
        for check in case.get("alert_rule_test") or []:
            (firing if check.get("exp_alerts") else quiet).add(check["alertname"])
    for rule in alert_rules(root):
        name = rule.get("alert")
        if name and name not in firing:
            problems.append(f"{name}: no test where it fires")
        if name and name not in quiet:
            problems.append(f"{name}: no test where it stays quiet")
    return problems


def prometheus_mount_problems(root: Path, stack_services: dict) -> list[str]:
    """prometheus.yml loads alerts.yml, and Compose mounts it where that path resolves."""
    config_path = root / "deploy/prometheus/prometheus.yml"
    config = _yaml(config_path)
    rule_files = config.get("rule_files") or []
    problems = []
    mounts = _bind_mounts(stack_services.get("prometheus") or {})
    config_in_container = next(
        (
            target
            for target, source in mounts.items()
            if source == "deploy/prometheus/prometheus.yml"
        ),
        None,
    )
    wanted = str((config_path.parent / Path(ALERTS_FILE).name).relative_to(root))
    if not any(
        str((config_path.parent / f).resolve().relative_to(root.resolve())) == wanted
        for f in rule_files
    ):
        problems.append(f"prometheus.yml rule_files does not load {ALERTS_FILE}")
    for rule_file in rule_files:
        if config_in_container is None:
            break
        target = str(Path(config_in_container).parent / rule_file)
        if mounts.get(target) != str((config_path.parent / rule_file).relative_to(root)):
            problems.append(f"prometheus: rule file {target} is not mounted from the repository")
    return problems


def dashboard_problems(
    root: Path, stack_services: dict, metrics: dict[str, ExportedMetric]
) -> list[str]:
    problems: list[str] = []
    try:
        dashboard = json.loads((root / DASHBOARD_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        return [f"{DASHBOARD_FILE}: {exc}"]
    for key in ("uid", "title"):
        if not str(dashboard.get(key) or "").strip():
            problems.append(f"dashboard: no {key}")
    sources = _yaml(root / DATASOURCE_PROVISIONING).get("datasources") or []
    uids = {s.get("uid") for s in sources if s.get("type") == "prometheus"}
    panels = all_panels(dashboard)
    ids = [p.get("id") for p in panels]
    if len(ids) != len(set(ids)) or None in ids:
        problems.append("dashboard: panel ids are missing or repeated")
    graphs = [p for p in panels if p.get("type") != "row"]
    if not graphs:
        problems.append("dashboard: no panels")
    for panel in graphs:
        where = f"panel {panel.get('title')!r}"
        grid = panel.get("gridPos") or {}
        if not {"x", "y", "w", "h"} <= grid.keys() or grid["x"] + grid["w"] > 24:
            problems.append(f"{where}: gridPos outside the 24-column grid")
        for source in [panel.get("datasource")] + [
            t.get("datasource") for t in panel.get("targets") or []
        ]:
            if not isinstance(source, dict) or source.get("uid") not in uids:
                problems.append(
                    f"{where}: datasource is not the provisioned Prometheus {sorted(uids)}"
                )
                break
        if not panel.get("targets"):
            problems.append(f"{where}: no query")
    variables = {v.get("name"): v for v in (dashboard.get("templating") or {}).get("list") or []}
    for variable in variables.values():
        problems += variable_problems(variable, metrics)
        if (variable.get("datasource") or {}).get("uid") not in uids:
            problems.append(
                f"variable {variable.get('name')!r}: datasource is not the provisioned Prometheus"
            )
    call = variables.get("call_id")
    if call is None or "sfms_pipeline_applications" not in json.dumps(call.get("query")):
        problems.append("dashboard: no call_id variable over sfms_pipeline_applications")
    queries = dashboard_queries(dashboard)
    for where, expr in queries:
        problems += reference_problems(where, expr, metrics)
        for used in re.findall(r"\$\{?(\w+)", expr):
            if used not in variables and used not in GRAFANA_VARIABLES:
                problems.append(f"{where}: uses ${used}, which the dashboard does not define")
    if not any('call_id=~"$call_id"' in expr for _, expr in queries):
        problems.append("dashboard: no panel follows the call_id variable")
    problems += dashboard_provisioning_problems(root, stack_services, dashboard)
    return problems


def dashboard_provisioning_problems(root: Path, stack_services: dict, dashboard: dict) -> list[str]:
    """Grafana's dashboard provider reads a folder Compose mounts from deploy/grafana/dashboards."""
    mounts = _bind_mounts(stack_services.get("grafana") or {})
    provisioning_dir = next(
        (t for t, s in mounts.items() if s == "deploy/grafana/provisioning"), None
    )
    path = root / DASHBOARD_PROVISIONING
    if not path.is_file():
        return [f"{DASHBOARD_PROVISIONING} is missing"]
    if provisioning_dir != "/etc/grafana/provisioning":
        return ["grafana: deploy/grafana/provisioning is not mounted at /etc/grafana/provisioning"]
    providers = _yaml(path).get("providers") or []
    folders = {(p.get("options") or {}).get("path") for p in providers if p.get("type") == "file"}
    problems = []
    for folder in sorted(f for f in folders if f):
        if mounts.get(folder) != DASHBOARDS_DIR:
            problems.append(
                f"grafana: the dashboards folder {folder} is not mounted from ./{DASHBOARDS_DIR}"
            )
    if not folders:
        problems.append(f"{DASHBOARD_PROVISIONING}: no file provider")
    uids = [
        json.loads(p.read_text(encoding="utf-8")).get("uid")
        for p in sorted((root / DASHBOARDS_DIR).glob("*.json"))
    ]
    if dashboard.get("uid") not in uids or len(uids) != len(set(uids)):
        problems.append(f"{DASHBOARDS_DIR}: dashboard uids must be unique")
    return problems
