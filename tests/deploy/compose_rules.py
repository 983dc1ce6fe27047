"""The project's own rules for the stack: every service under services/ has a compose service
and a Dockerfile, every dependency exists, everything long-running has a healthcheck, only the
gateway is published, each service talks to its own database, Prometheus scrapes every service.

Each rule is a function returning a list of problems, so the same checks run on the repository
(test_compose_stack_rules.py) and on deliberately broken copies of it
(test_compose_broken_copies.py). tests/deploy is on the pytest pythonpath, so the test modules
import this by name.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

import yaml
from compose_stack import (
    GATEWAY,
    GRAFANA_PROVISIONING,
    INTERPOLATION,
    PROMETHEUS_FILE,
    Stack,
    db_services,
    depends_on,
    domain_services,
    interpolate,
    load_stack,
    one_shots,
    schema_errors,
)

HTTP_PORT = 8000
# The only secret that may carry a (clearly local) default, through ${VAR:-default}.
DEFAULTABLE_SECRETS = {"POSTGRES_PASSWORD"}
SECRET_KEY = re.compile(r"PASSWORD|SECRET|TOKEN|API_KEY|PRIVATE_KEY")


def check_service_coverage(stack: Stack) -> list[str]:
    problems = []
    for name in stack.service_dirs:
        dockerfile = f"services/{name}/Dockerfile"
        if not (stack.root / dockerfile).is_file():
            problems.append(f"services/{name} has no Dockerfile")
        if name not in stack.services:
            problems.append(f"services/{name} has no compose service")
            continue
        build = stack.services[name].get("build") or {}
        if build.get("context") not in (".", "./") or build.get("dockerfile") != dockerfile:
            problems.append(f"{name} must build {dockerfile} with the repository root as context")
        migrate = stack.services.get(f"{name}-migrate")
        if migrate is None:
            problems.append(f"{name} has no {name}-migrate service")
            continue
        if migrate.get("command") != ["python", "-m", name, "migrate"]:
            problems.append(f"{name}-migrate must run `python -m {name} migrate`")
        if migrate.get("image") != stack.services[name].get("image"):
            problems.append(f"{name}-migrate must use the {name} image")
        if (
            depends_on(stack.services[name]).get(f"{name}-migrate")
            != "service_completed_successfully"
        ):
            problems.append(f"{name} must wait for {name}-migrate to complete successfully")
    for name, service in stack.services.items():
        dockerfile = (service.get("build") or {}).get("dockerfile")
        if dockerfile and not (stack.root / dockerfile).is_file():
            problems.append(f"{name} builds missing {dockerfile}")
    return problems


def check_depends_on(stack: Stack) -> list[str]:
    problems = []
    graph = {name: set(depends_on(service)) for name, service in stack.services.items()}
    for name, targets in graph.items():
        for target in sorted(targets - stack.services.keys()):
            problems.append(f"{name} depends on unknown service '{target}'")
    for name in sorted(one_shots(stack) & stack.services.keys()):
        if stack.services[name].get("restart", "no") != "no":
            problems.append(f"one-shot {name} must not restart")

    def visit(node: str, path: tuple[str, ...]) -> None:
        if node in path:
            problems.append("dependency cycle: " + " -> ".join((*path, node)))
            return
        for target in sorted(graph.get(node, ())):
            visit(target, (*path, node))

    for name in graph:
        visit(name, ())
    return sorted(set(problems), key=problems.index)


def check_healthchecks(stack: Stack) -> list[str]:
    problems = []
    for name, service in stack.services.items():
        if name in one_shots(stack):
            continue
        check = service.get("healthcheck") or {}
        if not check.get("test") or check.get("disable"):
            problems.append(f"{name} has no healthcheck")
        elif name in stack.service_dirs and "/healthz" not in json.dumps(check["test"]):
            problems.append(f"{name} healthcheck must probe /healthz")
        if name not in one_shots(stack) and not service.get("restart"):
            problems.append(f"{name} has no restart policy")
    return problems


def published_ports(service: dict) -> list[tuple[str, str]]:
    """(host_ip, container port) for each published port."""
    ports = []
    for port in service.get("ports") or []:
        if isinstance(port, dict):
            ports.append((port.get("host_ip", ""), str(port.get("target"))))
        else:
            parts = str(port).split(":")
            ports.append((parts[0] if len(parts) == 3 else "", parts[-1].split("/")[0]))
    return ports


def check_ports(stack: Stack) -> list[str]:
    problems = []
    for name, service in stack.services.items():
        ports = published_ports(service)
        if name == GATEWAY:
            if (("", str(HTTP_PORT)) not in ports) and (("0.0.0.0", str(HTTP_PORT)) not in ports):
                problems.append(f"gateway must publish port {HTTP_PORT}")
        elif name in stack.service_dirs or name.endswith("-migrate"):
            if ports:
                problems.append(f"{name} publishes ports; only the gateway may")
        elif any(host_ip != "127.0.0.1" for host_ip, _ in ports):
            problems.append(f"{name} publishes ports beyond 127.0.0.1")
    return problems


def check_databases_and_broker(stack: Stack) -> list[str]:
    problems = []
    created = {
        db.strip()
        for db in stack.env("postgres").get("SFMS_DATABASES", "").split(",")
        if db.strip()
    }
    for name in db_services(stack):
        prefix = name.upper()
        for service in (name, f"{name}-migrate"):
            env = stack.env(service)
            raw = env.get(f"{prefix}_DATABASE_URL")
            if raw is None:
                problems.append(f"{service} has no {prefix}_DATABASE_URL")
                continue
            url = urlsplit(interpolate(raw))
            database = url.path.lstrip("/")
            if url.scheme != "postgresql+asyncpg" or url.hostname != "postgres":
                problems.append(f"{service} DATABASE_URL must use postgresql+asyncpg at postgres")
            if database != name:
                problems.append(f"{service} DATABASE_URL points to database '{database}'")
            if database not in created:
                problems.append(f"database '{database}' is not created by the postgres init")
            password = urlsplit(raw).netloc.rpartition("@")[0].partition(":")[2]
            if not password.startswith("${POSTGRES_PASSWORD"):
                problems.append(
                    f"{service} DATABASE_URL must take its password from POSTGRES_PASSWORD"
                )
    for name in domain_services(stack):
        prefix, env = name.upper(), stack.env(name)
        if env.get(f"{prefix}_KAFKA_BOOTSTRAP_SERVERS") != "kafka:9092":
            problems.append(f"{name} must use the kafka service as its bootstrap server")
        if env.get(f"{prefix}_KAFKA_IDEMPOTENCE", "").lower() != "true":
            problems.append(f"{name} must enable the idempotent producer on Apache Kafka")
        if {"postgres", "kafka"} - set(depends_on(stack.services.get(name) or {})):
            problems.append(f"{name} must depend on postgres and kafka")
    return problems


def check_internal_secret(stack: Stack) -> list[str]:
    """The gateway and every service share the secret that signs forwarded identities."""
    return [
        f"{name} must take SFMS_INTERNAL_SECRET from the environment, with no default"
        for name in stack.service_dirs
        if not stack.env(name)
        .get("SFMS_INTERNAL_SECRET", "")
        .startswith("${SFMS_INTERNAL_SECRET:?")
    ]


def check_gateway_routes(stack: Stack) -> list[str]:
    problems = []
    env, deps = stack.env(GATEWAY), depends_on(stack.services.get(GATEWAY) or {})
    for name in domain_services(stack):
        if env.get(f"GATEWAY_{name.upper()}_URL") != f"http://{name}:{HTTP_PORT}":
            problems.append(f"gateway has no GATEWAY_{name.upper()}_URL=http://{name}:{HTTP_PORT}")
        if deps.get(name) != "service_healthy":
            problems.append(f"gateway must wait for {name} to be healthy")
    return problems


def check_infrastructure(stack: Stack) -> list[str]:
    problems = []
    postgres, kafka = stack.services.get("postgres") or {}, stack.services.get("kafka") or {}
    if not str(postgres.get("image", "")).startswith("postgres:16"):
        problems.append("postgres must be PostgreSQL 16")
    for volume in postgres.get("volumes") or []:
        source, _, target = str(volume).partition(":")
        if target.startswith("/docker-entrypoint-initdb.d") and not (stack.root / source).is_file():
            problems.append(f"postgres init script {source} is missing")
    kenv = stack.env("kafka")
    if not str(kafka.get("image", "")).startswith("apache/kafka:"):
        problems.append("kafka must be the official apache/kafka image")
    expected = {
        "KAFKA_PROCESS_ROLES": "broker,controller",
        "KAFKA_AUTO_CREATE_TOPICS_ENABLE": "false",
        "KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR": "1",
        "KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR": "1",
        "KAFKA_TRANSACTION_STATE_LOG_MIN_ISR": "1",
        "KAFKA_DEFAULT_REPLICATION_FACTOR": "1",
    }
    for key, value in expected.items():
        if kenv.get(key, "").lower() != value:
            problems.append(f"kafka must set {key}={value}")
    if not kenv.get("CLUSTER_ID"):
        problems.append("kafka in KRaft mode needs a CLUSTER_ID")
    return problems


def check_secrets(stack: Stack) -> list[str]:
    problems = []
    for name in stack.services:
        for key, value in stack.env(name).items():
            if not SECRET_KEY.search(key):
                continue
            match = INTERPOLATION.fullmatch(value)
            if match is None:
                problems.append(f"{name} {key} is a literal secret")
            elif match["op"] in (":-", "-") and match["var"] not in DEFAULTABLE_SECRETS:
                problems.append(f"{name} {key} has a usable default")
    return problems


def scrape_targets(config: dict) -> set[str]:
    return {
        target
        for job in config.get("scrape_configs") or []
        if job.get("metrics_path", "/metrics") == "/metrics"
        for static in job.get("static_configs") or []
        for target in static.get("targets") or []
    }


def check_observability(stack: Stack) -> list[str]:
    problems = []
    prometheus = stack.services.get("prometheus") or {}
    if not any(str(v).startswith(f"./{PROMETHEUS_FILE}:") for v in prometheus.get("volumes") or []):
        problems.append(f"prometheus must mount ./{PROMETHEUS_FILE}")
    config = yaml.safe_load((stack.root / PROMETHEUS_FILE).read_text(encoding="utf-8"))
    targets = scrape_targets(config)
    for name in stack.service_dirs:
        if f"{name}:{HTTP_PORT}" not in targets:
            problems.append(f"Prometheus does not scrape {name}")
    grafana = stack.services.get("grafana") or {}
    if not any(
        str(v).startswith(f"./{GRAFANA_PROVISIONING}:") for v in grafana.get("volumes") or []
    ):
        problems.append(f"grafana must mount ./{GRAFANA_PROVISIONING}")
    sources = [
        source
        for path in sorted((stack.root / GRAFANA_PROVISIONING / "datasources").glob("*.y*ml"))
        for source in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get(
            "datasources", []
        )
    ]
    if not any(
        s.get("type") == "prometheus" and s.get("url") == "http://prometheus:9090" for s in sources
    ):
        problems.append(
            "grafana has no provisioned Prometheus datasource at http://prometheus:9090"
        )
    return problems


def check_dockerfiles(stack: Stack) -> list[str]:
    problems = []
    for name in stack.service_dirs:
        path = stack.root / "services" / name / "Dockerfile"
        if not path.is_file():
            continue  # reported by check_service_coverage
        text = path.read_text(encoding="utf-8")
        users = re.findall(r"^USER\s+(\S+)", text, re.MULTILINE)
        required = {
            "a python:3.11-slim base": re.search(r"python:3\.11-slim", text),
            "multi-stage": len(re.findall(r"^FROM\s", text, re.MULTILINE)) >= 2,
            "uv from PyPI": re.search(r"pip install \"?uv", text),
            f"`uv sync --frozen --no-dev --package sfms-{name}`": re.search(
                rf"uv sync --frozen --no-dev --package sfms-{name}\b", text
            ),
            "EXPOSE 8000": re.search(r"^EXPOSE\s+8000\b", text, re.MULTILINE),
            f'CMD ["python", "-m", "{name}", "serve"]': re.search(
                rf'^CMD \["python", "-m", "{name}", "serve"\]', text, re.MULTILINE
            ),
            "a final non-root USER": users and users[-1].split(":")[0] not in ("root", "0"),
        }
        problems += [
            f"services/{name}/Dockerfile needs {what}" for what, ok in required.items() if not ok
        ]
    return problems


CHECKS: list[Callable[[Stack], list[str]]] = [
    check_service_coverage,
    check_depends_on,
    check_healthchecks,
    check_ports,
    check_databases_and_broker,
    check_gateway_routes,
    check_infrastructure,
    check_secrets,
    check_internal_secret,
    check_observability,
    check_dockerfiles,
]


def stack_problems(root: Path) -> list[str]:
    stack = load_stack(root)
    return schema_errors(stack.compose) + [p for check in CHECKS for p in check(stack)]
