"""The project's rules for rendered Kubernetes objects, and the schema check (see
test_k8s_manifests.py)."""

from __future__ import annotations

import base64
import importlib
import json
import operator
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from urllib.parse import urlsplit

import kubernetes_validate
import yaml
from k8s_render import CLUSTER_SCOPED, WORKLOADS, containers, pod_spec, split_image

REPO = Path(__file__).resolve().parents[2]
K8S = REPO / "deploy" / "k8s"
KUBERNETES_VERSION = "1.30"
NAMESPACE = "sfms"
GATEWAY = "gateway"
SERVICES = sorted(p.name for p in (REPO / "services").iterdir() if (p / "Dockerfile").is_file())
INTERNAL = [name for name in SERVICES if name != GATEWAY]
HTTP_PORT = 8000
SECRET_NAME = "sfms-secrets"
SECRETS_EXAMPLE = K8S / "overlays" / "production" / "secrets.env.example"
SECRET_KEY = re.compile(r"PASSWORD|SECRET|TOKEN|API_KEY|PRIVATE_KEY")
# Environment variables a service container may carry beyond its own settings.
EXTRA_ENV = {
    "SFMS_POSTGRES_PASSWORD": "the password, only to be placed into <SERVICE>_DATABASE_URL",
    "FORWARDED_ALLOW_IPS": "uvicorn: the peers whose X-Forwarded-For is trusted",
}
MONITORING_PEER = {
    "namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "monitoring"}},
    "podSelector": {"matchLabels": {"app.kubernetes.io/name": "prometheus"}},
}
INGRESS_CONTROLLER_PEER = {
    "namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "ingress-nginx"}}
}


@dataclass(frozen=True)
class Target:
    """A directory `kubectl apply -k` is pointed at, and what may differ between them."""

    path: str
    # Secrets the pods reference that are created outside the manifests.
    external_secrets: frozenset[str]
    # Secret values allowed in this render: only ones carrying this marker ("" allows none).
    secret_marker: str
    local_images: bool


TARGETS = {
    "base": Target("base", frozenset({SECRET_NAME}), "", local_images=True),
    "dev": Target("overlays/dev", frozenset(), "dev-only", local_images=True),
    "production": Target("overlays/production", frozenset({SECRET_NAME}), "", local_images=False),
}


# --- reading rendered objects ---------------------------------------------------------------


def pod_labels(resource: dict) -> dict:
    return resource["spec"]["template"]["metadata"].get("labels") or {}


def of_kind(docs: list[dict], kind: str) -> dict[str, dict]:
    return {d["metadata"]["name"]: d for d in docs if d["kind"] == kind}


def selects(selector: dict | None, labels: dict) -> bool:
    """A Kubernetes label selector; {} selects everything."""
    if selector is None:
        return False
    for key, value in (selector.get("matchLabels") or {}).items():
        if labels.get(key) != value:
            return False
    for expression in selector.get("matchExpressions") or []:
        key, op = expression["key"], expression["operator"]
        values = expression.get("values") or []
        if (
            (op == "In" and labels.get(key) not in values)
            or (op == "NotIn" and key in labels and labels[key] in values)
            or (op == "Exists" and key not in labels)
            or (op == "DoesNotExist" and key in labels)
        ):
            return False
    return True


def container_env(docs: list[dict], container: dict) -> tuple[dict[str, str], list[dict]]:
    """(the ConfigMap values it gets through envFrom, its own `env` entries)."""
    config_maps = of_kind(docs, "ConfigMap")
    values: dict[str, str] = {}
    for source in container.get("envFrom") or []:
        name = (source.get("configMapRef") or {}).get("name")
        values.update((config_maps.get(name) or {}).get("data") or {})
    return values, container.get("env") or []


def quantity(value: str | int) -> float:
    units = {"m": 1e-3, "k": 1e3, "M": 1e6, "G": 1e9, "Ki": 2**10, "Mi": 2**20, "Gi": 2**30}
    match = re.fullmatch(r"([0-9.]+)([A-Za-z]*)", str(value))
    assert match and match[2] in ("", *units), f"quantity {value!r}"
    return float(match[1]) * units.get(match[2], 1)


def schema_problems(docs: list[dict]) -> list[str]:
    problems = []
    for doc in docs:
        where = f"{doc.get('kind')}/{(doc.get('metadata') or {}).get('name')}"
        try:
            kubernetes_validate.validate(doc, KUBERNETES_VERSION, strict=True)
        except kubernetes_validate.ValidationError as error:
            path = ".".join(map(str, error.path))
            problems.append(f"schema: {where}: {path}: {error.message}")
        except kubernetes_validate.SchemaNotFoundError as error:
            problems.append(f"schema: {where}: {error.message}")
    return problems


# --- the project's rules --------------------------------------------------------------------


def check_service_objects(docs: list[dict], target: Target) -> list[str]:
    """Per service: Deployment, Service, HPA, PDB and the migration Job, wired to each other."""
    problems = []
    for name in SERVICES:
        deployment = of_kind(docs, "Deployment").get(name)
        if deployment is None:
            problems.append(f"{name} has no Deployment")
            continue
        app = deployment["spec"]["template"]["spec"]["containers"][0]
        if app.get("command") != ["python", "-m", name, "serve"]:
            problems.append(f"{name}: the Deployment must run `python -m {name} serve`")
        if "replicas" in deployment["spec"]:
            problems.append(f"{name}: the Deployment sets replicas; its HPA owns the count")
        if HTTP_PORT not in {p.get("containerPort") for p in app.get("ports") or []}:
            problems.append(f"{name}: the container must expose port {HTTP_PORT}")
        job = of_kind(docs, "Job").get(f"{name}-migrate")
        if job is None:
            problems.append(f"{name} has no migration Job {name}-migrate")
        else:
            problems += _job_problems(name, deployment, job)
        problems += _service_problems(docs, name, deployment, job)
        problems += _scaling_problems(docs, name, deployment)
    return problems


def _job_problems(name: str, deployment: dict, job: dict) -> list[str]:
    problems = []
    migrate = job["spec"]["template"]["spec"]["containers"][0]
    if migrate.get("command") != ["python", "-m", name, "migrate"]:
        problems.append(f"{name}-migrate must run `python -m {name} migrate`")
    if migrate.get("image") != deployment["spec"]["template"]["spec"]["containers"][0]["image"]:
        problems.append(f"{name}-migrate must use the image of {name}")
    if job["spec"]["template"]["spec"].get("restartPolicy") not in ("Never", "OnFailure"):
        problems.append(f"{name}-migrate needs restartPolicy Never or OnFailure")
    if selects(deployment["spec"]["selector"], pod_labels(job)):
        problems.append(f"{name}: the Deployment's selector also matches its Job's pods")
    return problems


def _service_problems(docs: list[dict], name: str, deployment: dict, job: dict | None) -> list[str]:
    service = of_kind(docs, "Service").get(name)
    if service is None:
        return [f"{name} has no Service"]
    problems = []
    selector = {"matchLabels": service["spec"].get("selector") or {}}
    if not service["spec"].get("selector") or not selects(selector, pod_labels(deployment)):
        problems.append(f"{name}: the Service does not select the Deployment's pods")
    elif job is not None and selects(selector, pod_labels(job)):
        problems.append(f"{name}: the Service also selects the migration Job's pods")
    if not any(p.get("port") == HTTP_PORT for p in service["spec"].get("ports") or []):
        problems.append(f"{name}: the Service must listen on {HTTP_PORT}")
    return problems


def _scaling_problems(docs: list[dict], name: str, deployment: dict) -> list[str]:
    problems = []
    hpa = of_kind(docs, "HorizontalPodAutoscaler").get(name)
    if hpa is None:
        problems.append(f"{name} has no HorizontalPodAutoscaler")
    else:
        ref = hpa["spec"]["scaleTargetRef"]
        if hpa["apiVersion"] != "autoscaling/v2":
            problems.append(f"{name}: the HPA must be autoscaling/v2")
        if (ref.get("kind"), ref.get("name")) != ("Deployment", name):
            problems.append(f"{name}: the HPA must scale Deployment {name}")
        if not 1 <= hpa["spec"].get("minReplicas", 1) <= hpa["spec"]["maxReplicas"]:
            problems.append(f"{name}: the HPA needs 1 <= minReplicas <= maxReplicas")
    pdb = of_kind(docs, "PodDisruptionBudget").get(name)
    if pdb is None:
        problems.append(f"{name} has no PodDisruptionBudget")
    elif pdb["apiVersion"] != "policy/v1" or not selects(
        pdb["spec"].get("selector"), pod_labels(deployment)
    ):
        problems.append(f"{name}: the PodDisruptionBudget must be policy/v1 and select its pods")
    return problems


def check_probes(docs: list[dict], target: Target) -> list[str]:
    problems = []
    for name, deployment in of_kind(docs, "Deployment").items():
        for container in deployment["spec"]["template"]["spec"]["containers"]:
            where = f"{name}: container {container['name']}"
            for probe, path in (("readinessProbe", "/readyz"), ("livenessProbe", "/healthz")):
                spec = container.get(probe)
                if spec is None:
                    problems.append(f"{where} has no {probe}")
                elif (spec.get("httpGet") or {}).get("path") != path:
                    problems.append(f"{where}: the {probe} must probe {path}")
    for name, statefulset in of_kind(docs, "StatefulSet").items():
        for container in statefulset["spec"]["template"]["spec"]["containers"]:
            for probe in ("readinessProbe", "livenessProbe"):
                if probe not in container:
                    problems.append(f"{name}: container {container['name']} has no {probe}")
    return problems


def check_resources(docs: list[dict], target: Target) -> list[str]:
    problems = []
    for doc in docs:
        for container in containers(doc):
            where = f"{doc['metadata']['name']}: container {container['name']}"
            resources = container.get("resources") or {}
            for part in ("requests", "limits"):
                missing = {"cpu", "memory"} - set(resources.get(part) or {})
                if missing:
                    problems.append(f"{where} has no resources.{part} for {sorted(missing)}")
            for kind in ("cpu", "memory"):
                request = (resources.get("requests") or {}).get(kind)
                limit = (resources.get("limits") or {}).get(kind)
                if request and limit and quantity(request) > quantity(limit):
                    problems.append(f"{where}: {kind} request above its limit")
    return problems


def check_security(docs: list[dict], target: Target) -> list[str]:
    """Pod Security Standard "restricted", plus a read-only root with /tmp on an emptyDir."""
    problems = []
    for doc in docs:
        spec = pod_spec(doc)
        if spec is None:
            continue
        name = doc["metadata"]["name"]
        if spec.get("automountServiceAccountToken") is not False:
            problems.append(f"{name}: automountServiceAccountToken must be false")
        if spec.get("enableServiceLinks") is not False:
            problems.append(f"{name}: enableServiceLinks must be false (<SERVICE>_PORT variables)")
        if spec.get("hostNetwork") or spec.get("hostPID") or spec.get("hostIPC"):
            problems.append(f"{name}: shares a host namespace")
        if any("hostPath" in volume for volume in spec.get("volumes") or []):
            problems.append(f"{name}: mounts a hostPath")
        for container in containers(doc):
            problems += _container_security(
                f"{name}: container {container['name']}", spec, container
            )
    return problems


def _container_security(where: str, spec: dict, container: dict) -> list[str]:
    problems = []
    own, pod = container.get("securityContext") or {}, spec.get("securityContext") or {}
    effective = {key: own.get(key, pod.get(key)) for key in set(own) | set(pod)}
    if effective.get("runAsNonRoot") is not True:
        problems.append(f"{where} must set runAsNonRoot")
    if not effective.get("runAsUser"):
        problems.append(f"{where} must set a non-zero runAsUser")
    if own.get("allowPrivilegeEscalation") is not False:
        problems.append(f"{where} must set allowPrivilegeEscalation: false")
    if own.get("readOnlyRootFilesystem") is not True:
        problems.append(f"{where} must set readOnlyRootFilesystem: true")
    if own.get("privileged"):
        problems.append(f"{where} is privileged")
    capabilities = own.get("capabilities") or {}
    if "ALL" not in (capabilities.get("drop") or []) or capabilities.get("add"):
        problems.append(f"{where} must drop ALL capabilities and add none")
    if (effective.get("seccompProfile") or {}).get("type") != "RuntimeDefault":
        problems.append(f"{where} must use the RuntimeDefault seccomp profile")
    empty_dirs = {v["name"] for v in spec.get("volumes") or [] if "emptyDir" in v}
    tmp = [m for m in container.get("volumeMounts") or [] if m["mountPath"] == "/tmp"]
    if not tmp or tmp[0]["name"] not in empty_dirs:
        problems.append(f"{where} needs an emptyDir at /tmp")
    return problems


def _settings_env(name: str) -> tuple[str, set[str]]:
    """(the env prefix, every variable name the service's Settings class reads)."""
    settings = importlib.import_module(f"{name}.config").Settings
    prefix = settings.model_config.get("env_prefix", "")
    names = set()
    for field, info in settings.model_fields.items():
        aliases = getattr(info.validation_alias, "choices", None) or []
        names |= {a for a in aliases if isinstance(a, str) and a.isupper()}
        names.add(f"{prefix}{field}".upper())
    return prefix, names


def check_settings(docs: list[dict], target: Target) -> list[str]:
    """Each service's containers get settings its Settings class reads, its own database, the
    broker, secrets only from Secrets; $(VAR) references resolve."""
    problems = []
    deployments, jobs = of_kind(docs, "Deployment"), of_kind(docs, "Job")
    config_maps = of_kind(docs, "ConfigMap")
    for name in SERVICES:
        prefix, known = _settings_env(name)
        if prefix != f"{name.upper()}_":
            problems.append(f"{name}: Settings env_prefix is {prefix!r}")
        for owner in (deployments.get(name), jobs.get(f"{name}-migrate")):
            if owner is None:
                continue
            where = f"{owner['kind']} {owner['metadata']['name']}"
            container = owner["spec"]["template"]["spec"]["containers"][0]
            for source in container.get("envFrom") or []:
                ref = (source.get("configMapRef") or {}).get("name")
                if ref not in config_maps:
                    problems.append(f"{where}: ConfigMap {ref} is not in the manifests")
            from_config, env = container_env(docs, container)
            problems += _env_problems(name, where, from_config, env, known)
    return problems


def _env_problems(
    name: str, where: str, from_config: dict, env: list[dict], known: set[str]
) -> list[str]:
    problems, defined, values = [], set(from_config), dict(from_config)
    prefix = f"{name.upper()}_"
    for entry in env:
        value = entry.get("value")
        for reference in re.findall(r"\$\(([A-Za-z_][A-Za-z0-9_]*)\)", value or ""):
            if reference not in defined:
                problems.append(f"{where}: {entry['name']} refers to undefined $({reference})")
        if value is not None and SECRET_KEY.search(entry["name"]):
            problems.append(f"{where}: {entry['name']} is a literal secret; use a secretKeyRef")
        defined.add(entry["name"])
        values[entry["name"]] = value if value is not None else "<secret>"
    for variable in sorted(values):
        if variable not in known and variable not in EXTRA_ENV:
            problems.append(f"{where}: {variable} is not a setting of {name}")
    url = values.get(f"{prefix}DATABASE_URL")
    if url is None:
        problems.append(f"{where} has no {prefix}DATABASE_URL")
    else:
        parts = urlsplit(re.sub(r"\$\([A-Za-z0-9_]+\)", "x", url))
        if parts.scheme != "postgresql+asyncpg" or parts.hostname != "postgres":
            problems.append(
                f"{where}: {prefix}DATABASE_URL must be postgresql+asyncpg://…@postgres"
            )
        if parts.path != f"/{name}":
            problems.append(f"{where}: DATABASE_URL points to database '{parts.path[1:]}'")
        if parts.password and not re.search(r":\$\([A-Za-z0-9_]+\)@", url):
            problems.append(f"{where}: DATABASE_URL holds a literal password")
    if values.get("SFMS_INTERNAL_SECRET") != "<secret>":
        problems.append(f"{where}: SFMS_INTERNAL_SECRET must come from a Secret")
    if name != GATEWAY and values.get(f"{prefix}KAFKA_BOOTSTRAP_SERVERS") != "kafka:9092":
        problems.append(f"{where}: {prefix}KAFKA_BOOTSTRAP_SERVERS must be kafka:9092")
    if name == GATEWAY:
        for service in INTERNAL:
            wanted = f"http://{service}:{HTTP_PORT}"
            if values.get(f"GATEWAY_{service.upper()}_URL") != wanted:
                problems.append(f"{where}: GATEWAY_{service.upper()}_URL must be {wanted}")
    return problems


def check_secrets(docs: list[dict], target: Target) -> list[str]:
    """No usable secret in git beyond the dev overlay's marked ones; secret-like keys only in
    Secrets; every Secret a pod uses is rendered or created outside on purpose."""
    problems = []
    secrets = of_kind(docs, "Secret")
    for name, secret in secrets.items():
        values = {k: base64.b64decode(v).decode() for k, v in (secret.get("data") or {}).items()}
        values |= secret.get("stringData") or {}
        for key, value in values.items():
            if value and not (target.secret_marker and target.secret_marker in value):
                problems.append(f"Secret {name} key {key} holds a usable-looking value")
    for name, config_map in of_kind(docs, "ConfigMap").items():
        for key in config_map.get("data") or {}:
            if SECRET_KEY.search(key):
                problems.append(f"ConfigMap {name} holds {key}; secrets belong in a Secret")
    for doc in docs:
        for container in containers(doc):
            for entry in container.get("env") or []:
                ref = (entry.get("valueFrom") or {}).get("secretKeyRef")
                if ref is None:
                    continue
                if ref["name"] in target.external_secrets:
                    continue
                secret = secrets.get(ref["name"])
                if secret is None:
                    problems.append(f"{doc['metadata']['name']}: Secret {ref['name']} is missing")
                elif ref["key"] not in (secret.get("data") or {}):
                    problems.append(f"Secret {ref['name']} has no key {ref['key']}")
    return problems


def check_network_policies(docs: list[dict], target: Target) -> list[str]:
    """Default deny; the internal services admit only the gateway (and Prometheus); the gateway
    admits the ingress controller (and Prometheus); PostgreSQL and Kafka only pods in here."""
    problems = []
    policies = of_kind(docs, "NetworkPolicy")
    if not any(
        p["spec"].get("podSelector") == {}
        and "Ingress" in p["spec"].get("policyTypes", ["Ingress"])
        and not p["spec"].get("ingress")
        for p in policies.values()
    ):
        problems.append("no default-deny ingress NetworkPolicy")
    for name, deployment in of_kind(docs, "Deployment").items():
        if name in SERVICES:
            problems += _service_admission(docs, name, pod_labels(deployment), policies)
    for name, statefulset in of_kind(docs, "StatefulSet").items():
        for policy_name, spec in _selecting(policies, pod_labels(statefulset)):
            for rule in spec.get("ingress") or []:
                peers = rule.get("from") or [{}]
                if any(set(peer) != {"podSelector"} or not peer["podSelector"] for peer in peers):
                    problems.append(f"{name}: NetworkPolicy {policy_name} admits pods elsewhere")
    return problems


def _selecting(policies: dict[str, dict], labels: dict) -> list[tuple[str, dict]]:
    """The ingress policies that apply to pods with these labels."""
    return [
        (name, policy["spec"])
        for name, policy in policies.items()
        if "Ingress" in policy["spec"].get("policyTypes", ["Ingress"])
        and selects(policy["spec"].get("podSelector"), labels)
    ]


def _is_gateway_peer(docs: list[dict], peer: dict) -> bool:
    """A peer that is the gateway's pods and no other pods."""
    gateway = of_kind(docs, "Deployment").get(GATEWAY)
    others = [d for d in docs if d["kind"] in WORKLOADS and d is not gateway]
    return (
        gateway is not None
        and set(peer) == {"podSelector"}
        and selects(peer["podSelector"], pod_labels(gateway))
        and not any(selects(peer["podSelector"], pod_labels(other)) for other in others)
    )


def _service_admission(
    docs: list[dict], name: str, labels: dict, policies: dict[str, dict]
) -> list[str]:
    if name == GATEWAY:
        source = "the ingress controller"
        is_source = partial(operator.eq, INGRESS_CONTROLLER_PEER)
    else:
        source = "the gateway"
        is_source = partial(_is_gateway_peer, docs)
    problems, reached = [], False
    for policy_name, spec in _selecting(policies, labels):
        for rule in spec.get("ingress") or []:
            if not rule.get("from"):
                problems.append(f"{name}: NetworkPolicy {policy_name} admits every source")
            ports = {(p.get("port"), p.get("protocol", "TCP")) for p in rule.get("ports") or []}
            if not ports or ports - {(HTTP_PORT, "TCP"), ("http", "TCP")}:
                problems.append(
                    f"{name}: NetworkPolicy {policy_name} opens ports beyond {HTTP_PORT}"
                )
            for peer in rule.get("from") or []:
                if is_source(peer):
                    reached = True
                elif peer != MONITORING_PEER:
                    problems.append(
                        f"{name}: NetworkPolicy {policy_name} admits {json.dumps(peer)}"
                    )
    if not reached:
        problems.append(f"{name}: no NetworkPolicy admits {source}")
    return problems


def check_exposure(docs: list[dict], target: Target) -> list[str]:
    """Only the gateway is public: one Ingress, to the gateway's Service; no other way in."""
    problems = []
    ingresses = of_kind(docs, "Ingress")
    if not ingresses:
        problems.append("no Ingress for the gateway")
    for name, ingress in ingresses.items():
        for rule in ingress["spec"].get("rules") or []:
            for path in (rule.get("http") or {}).get("paths") or []:
                backend = path["backend"].get("service", {}).get("name")
                if backend != GATEWAY:
                    problems.append(
                        f"Ingress {name} routes to {backend}; only the gateway is public"
                    )
    for name, service in of_kind(docs, "Service").items():
        if service["spec"].get("type", "ClusterIP") != "ClusterIP":
            problems.append(
                f"Service {name} is {service['spec']['type']}; only the Ingress is public"
            )
    return problems


def check_images(docs: list[dict], target: Target) -> list[str]:
    problems = []
    compose = yaml.safe_load((REPO / "docker-compose.yml").read_text(encoding="utf-8"))
    for name in ("postgres", "kafka"):
        statefulset = of_kind(docs, "StatefulSet").get(name)
        wanted = compose["services"][name]["image"]
        if statefulset and containers(statefulset)[0]["image"] != wanted:
            problems.append(f"{name}: image must be {wanted}, as in docker-compose.yml")
    for doc in docs:
        if doc["metadata"].get("labels", {}).get("app.kubernetes.io/name") not in SERVICES:
            continue
        for container in containers(doc):
            name, tag, digest = split_image(container["image"])
            service = doc["metadata"]["labels"]["app.kubernetes.io/name"]
            where = f"{doc['metadata']['name']}: image {container['image']}"
            if not name.endswith(f"sfms/{service}"):
                problems.append(f"{where} is not sfms/{service}")
            elif target.local_images and (name, tag) != (f"sfms/{service}", "local"):
                problems.append(f"{where}: this target runs the local build sfms/{service}:local")
            elif not target.local_images and (
                name == f"sfms/{service}" or tag in (None, "local", "latest") and not digest
            ):
                problems.append(f"{where}: production needs a registry and a released tag")
    return problems


def check_namespace(docs: list[dict], target: Target) -> list[str]:
    problems = []
    namespaces = of_kind(docs, "Namespace")
    if set(namespaces) != {NAMESPACE}:
        problems.append(f"the manifests must create exactly the namespace {NAMESPACE}")
    elif (
        namespaces[NAMESPACE]["metadata"]
        .get("labels", {})
        .get("pod-security.kubernetes.io/enforce")
        != "restricted"
    ):
        problems.append(f"namespace {NAMESPACE} must enforce the restricted Pod Security Standard")
    for doc in docs:
        if doc["kind"] not in CLUSTER_SCOPED and doc["metadata"].get("namespace") != NAMESPACE:
            problems.append(f"{doc['kind']} {doc['metadata']['name']} is not in {NAMESPACE}")
    return problems


def check_infrastructure(docs: list[dict], target: Target) -> list[str]:
    """PostgreSQL and Kafka: StatefulSets with a headless Service, volumes from PVC templates,
    the databases and the broker settings of docker-compose.yml."""
    problems = []
    statefulsets, services = of_kind(docs, "StatefulSet"), of_kind(docs, "Service")
    for name in ("postgres", "kafka"):
        statefulset = statefulsets.get(name)
        if statefulset is None:
            problems.append(f"{name} has no StatefulSet")
            continue
        headless = services.get(statefulset["spec"].get("serviceName"))
        if headless is None or headless["spec"].get("clusterIP") != "None":
            problems.append(f"{name}: serviceName must name a headless Service")
        elif not selects({"matchLabels": headless["spec"]["selector"]}, pod_labels(statefulset)):
            problems.append(f"{name}: the headless Service does not select its pods")
        templates = {
            t["metadata"]["name"] for t in statefulset["spec"].get("volumeClaimTemplates") or []
        }
        mounts = {m["name"] for c in containers(statefulset) for m in c.get("volumeMounts") or []}
        if not templates or not templates <= mounts:
            problems.append(f"{name}: its data must live on volumeClaimTemplates")
    init = (of_kind(docs, "ConfigMap").get("postgres-init") or {}).get("data") or {}
    script = (REPO / "deploy/compose/postgres/create-databases.sh").read_text(encoding="utf-8")
    if list(init.values()) != [script]:
        problems.append("postgres-init must equal deploy/compose/postgres/create-databases.sh")
    if "postgres" in statefulsets:
        env = {e["name"]: e.get("value") for e in containers(statefulsets["postgres"])[0]["env"]}
        if set((env.get("SFMS_DATABASES") or "").split(",")) != set(SERVICES):
            problems.append("postgres: SFMS_DATABASES must list every service")
    kafka = (of_kind(docs, "ConfigMap").get("kafka-config") or {}).get("data") or {}
    if kafka.get("KAFKA_AUTO_CREATE_TOPICS_ENABLE") != "false":
        problems.append("kafka must set KAFKA_AUTO_CREATE_TOPICS_ENABLE=false")
    if "controller" not in kafka.get("KAFKA_PROCESS_ROLES", "") or not kafka.get("CLUSTER_ID"):
        problems.append("kafka must run in KRaft mode (a controller role and a CLUSTER_ID)")
    return problems


RULES: list[Callable[[list[dict], Target], list[str]]] = [
    check_service_objects,
    check_probes,
    check_resources,
    check_security,
    check_settings,
    check_secrets,
    check_network_policies,
    check_exposure,
    check_images,
    check_namespace,
    check_infrastructure,
]


def rule_problems(docs: list[dict], target: Target) -> list[str]:
    return [problem for rule in RULES for problem in rule(docs, target)]
