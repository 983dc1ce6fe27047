"""The Kubernetes manifests in deploy/k8s, checked without a cluster or a kustomize binary.

1. **Rendering.** `render()` does what `kustomize build` does for the features the
   kustomizations here use, and refuses any other (UnsupportedKustomization), so nothing is
   silently rendered differently: `resources` (files and other kustomization directories),
   `namespace`, `labels` (metadata, optionally pod templates), `images`, `secretGenerator` from
   literals with `generatorOptions.disableNameSuffixHash`, and `patches` (strategic merge on maps
   and lists of scalars, or JSON 6902 add/replace/remove), in kustomize's order. It is stricter
   in two ways: a patch that matches nothing and a file outside the kustomization's directory are
   errors.
2. **Schema.** Every rendered object is validated against the Kubernetes OpenAPI schema of
   KUBERNETES_VERSION by kubernetes-validate, in strict mode (unknown fields fail).
3. **The project's rules** (`rule_problems`): per service a Deployment with /readyz and /healthz
   probes, requests and limits and a non-root, read-only, capability-free security context, a
   Service, an HPA, a PDB and a `<name>-migrate` Job; settings that exist in the service's
   Settings class and a database of its own; network policies that let only the gateway reach
   the services; no usable secret outside the dev overlay; images; the namespace; PostgreSQL and
   Kafka as in docker-compose.yml.
4. **Broken copies**: each rule reports a deliberately broken copy, so the checks can fail.
"""

from __future__ import annotations

import base64
import copy
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from k8s_render import WORKLOADS, UnsupportedKustomization, render
from k8s_rules import (
    GATEWAY,
    HTTP_PORT,
    K8S,
    NAMESPACE,
    SECRET_NAME,
    SECRETS_EXAMPLE,
    SERVICES,
    TARGETS,
    containers,
    of_kind,
    pod_labels,
    pod_spec,
    rule_problems,
    schema_problems,
)


@pytest.fixture(scope="module")
def rendered() -> dict[str, list[dict]]:
    return {key: render(K8S / target.path) for key, target in TARGETS.items()}


# --- the repository's manifests -------------------------------------------------------------


@pytest.mark.parametrize("key", TARGETS)
def test_every_rendered_object_is_valid_kubernetes(rendered, key: str) -> None:
    docs = rendered[key]
    assert docs
    assert schema_problems(docs) == []


@pytest.mark.parametrize("key", TARGETS)
def test_the_manifests_follow_the_project_rules(rendered, key: str) -> None:
    assert rule_problems(rendered[key], TARGETS[key]) == []


def test_the_dev_overlay_changes_what_it_says(rendered) -> None:
    docs = rendered["dev"]
    config = of_kind(docs, "ConfigMap")
    assert config["gateway-config"]["data"]["GATEWAY_DEV_ISSUER"] == "true"
    assert config["intake-config"]["data"]["INTAKE_MAIL_TRANSPORT"] == "mailbox"
    hpas = of_kind(docs, "HorizontalPodAutoscaler")
    assert {n: (h["spec"]["minReplicas"], h["spec"]["maxReplicas"]) for n, h in hpas.items()} == {
        name: (1, 1 if name == GATEWAY else 2) for name in SERVICES
    }
    assert of_kind(docs, "PersistentVolumeClaim")["intake-documents"]["spec"]["accessModes"] == [
        "ReadWriteOnce"
    ]
    secret = of_kind(docs, "Secret")[SECRET_NAME]
    assert secret["metadata"]["namespace"] == NAMESPACE
    assert all(pod_labels(d)["environment"] == "dev" for d in docs if d["kind"] in WORKLOADS)


def test_the_production_overlay_changes_what_it_says(rendered) -> None:
    docs = rendered["production"]
    assert "Secret" not in {d["kind"] for d in docs}, "production secrets are never in git"
    gateway = of_kind(docs, "ConfigMap")["gateway-config"]["data"]
    assert gateway["GATEWAY_DEV_ISSUER"] == "false"
    assert gateway["GATEWAY_JWKS_URL"].startswith("https://")
    ingress = of_kind(docs, "Ingress")["gateway"]["spec"]
    assert ingress["rules"][0]["host"] == ingress["tls"][0]["hosts"][0]
    hpas = of_kind(docs, "HorizontalPodAutoscaler")
    assert all(h["spec"]["minReplicas"] >= 2 for h in hpas.values())


def test_the_secret_keys_agree_everywhere(rendered) -> None:
    """secrets.env.example lists exactly the keys the pods read, which the dev overlay sets."""
    example = {
        line.split("=", 1)[0]
        for line in SECRETS_EXAMPLE.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    }
    referenced = {
        entry["valueFrom"]["secretKeyRef"]["key"]
        for doc in rendered["production"]
        for container in containers(doc)
        for entry in container.get("env") or []
        if (entry.get("valueFrom") or {}).get("secretKeyRef", {}).get("name") == SECRET_NAME
    }
    dev = set(of_kind(rendered["dev"], "Secret")[SECRET_NAME]["data"])
    assert example == referenced == dev
    ignored = (SECRETS_EXAMPLE.parent / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert "secrets.env" in ignored


# --- the renderer against kustomize's documented behaviour ----------------------------------


def _write(root: Path, files: dict[str, str]) -> Path:
    for relative, text in files.items():
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_text(text, encoding="utf-8")
    return root


BASE_FILES = {
    "base/kustomization.yaml": "resources: [app.yaml, ns.yaml]\nnamespace: one\n",
    "base/ns.yaml": "apiVersion: v1\nkind: Namespace\nmetadata: {name: original}\n",
    "base/app.yaml": (
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: app}\nspec:\n"
        "  template:\n    metadata: {labels: {a: b}}\n    spec:\n      containers:\n"
        "        - {name: app, image: 'sfms/app:local'}\n        - {name: side, image: other}\n"
        "---\napiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: data}\n"
        "spec: {accessModes: [ReadWriteMany], resources: {requests: {storage: 1Gi}}}\n"
    ),
}


def test_render_namespace_labels_images_generators(tmp_path: Path) -> None:
    overlay = """
resources: [../base]
labels:
  - pairs: {env: x}
    includeTemplates: true
images:
  - {name: sfms/app, newName: reg.example/sfms/app, newTag: "1.2"}
generatorOptions: {disableNameSuffixHash: true}
secretGenerator:
  - {name: s, literals: [K=v=1]}
"""
    root = _write(tmp_path, BASE_FILES | {"overlay/kustomization.yaml": overlay})
    docs = {d["kind"]: d for d in render(root / "overlay")}
    # The namespace transformer renames a Namespace object and namespaces the rest.
    assert docs["Namespace"]["metadata"]["name"] == "one"
    assert docs["Deployment"]["metadata"]["namespace"] == "one"
    # An object generated in an overlay without `namespace` gets none.
    assert "namespace" not in docs["Secret"]["metadata"]
    assert base64.b64decode(docs["Secret"]["data"]["K"]) == b"v=1"
    assert docs["Deployment"]["metadata"]["labels"] == {"env": "x"}
    assert docs["Deployment"]["spec"]["template"]["metadata"]["labels"] == {"a": "b", "env": "x"}
    images = [c["image"] for c in docs["Deployment"]["spec"]["template"]["spec"]["containers"]]
    assert images == ["reg.example/sfms/app:1.2", "other"]


def test_render_patches(tmp_path: Path) -> None:
    overlay = """
resources: [../base]
patches:
  - target: {kind: PersistentVolumeClaim}
    patch: |-
      apiVersion: v1
      kind: PersistentVolumeClaim
      metadata: {name: ignored}
      spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 2Gi}}}
  - target: {kind: Deployment, name: app}
    patch: |-
      - {op: replace, path: /spec/template/spec/containers/1/image, value: changed}
      - {op: add, path: /spec/template/spec/containers/-, value: {name: c, image: d}}
      - {op: remove, path: /spec/template/metadata/labels/a}
"""
    root = _write(tmp_path, BASE_FILES | {"overlay/kustomization.yaml": overlay})
    docs = {d["kind"]: d for d in render(root / "overlay")}
    assert docs["PersistentVolumeClaim"]["metadata"]["name"] == "data"
    assert docs["PersistentVolumeClaim"]["spec"] == {
        "accessModes": ["ReadWriteOnce"],
        "resources": {"requests": {"storage": "2Gi"}},
    }
    pod = docs["Deployment"]["spec"]["template"]
    assert [c["image"] for c in pod["spec"]["containers"]] == ["sfms/app:local", "changed", "d"]
    assert pod["metadata"]["labels"] == {}


@pytest.mark.parametrize(
    ("overlay", "message"),
    [
        ("resources: [../base]\ncommonLabels: {a: b}\n", "unsupported fields ['commonLabels']"),
        ("resources: [../base/app.yaml]\n", "outside"),
        ("resources: [../base]\nsecretGenerator: [{name: s, literals: [a=b]}]\n", "hashed"),
        (
            "resources: [../base]\npatches:\n  - target: {kind: Service}\n"
            "    patch: '[{op: remove, path: /spec}]'\n",
            "matches nothing",
        ),
        (
            "resources: [../base]\npatches:\n  - target: {kind: Deployment}\n    patch: |-\n"
            "      {apiVersion: apps/v1, kind: Deployment, metadata: {name: app},\n"
            "       spec: {template: {spec: {containers: [{name: app, image: x}]}}}}\n",
            "use a JSON 6902 patch",
        ),
    ],
)
def test_render_refuses_what_it_cannot_reproduce(
    tmp_path: Path, overlay: str, message: str
) -> None:
    root = _write(tmp_path, BASE_FILES | {"overlay/kustomization.yaml": overlay})
    with pytest.raises(UnsupportedKustomization, match=re.escape(message)):
        render(root / "overlay")


# --- broken copies: each rule catches its breakage ------------------------------------------


def _container(docs: list[dict], kind: str, name: str) -> dict:
    return containers(of_kind(docs, kind)[name])[-1]


def _env(docs: list[dict], kind: str, name: str, variable: str, value: str) -> None:
    for entry in _container(docs, kind, name)["env"]:
        if entry["name"] == variable:
            entry["value"] = value


def _drop(kind: str, name: str) -> Callable[[list[dict]], None]:
    def edit(docs: list[dict]) -> None:
        docs.remove(of_kind(docs, kind)[name])

    return edit


def _add_base_secret(docs: list[dict]) -> None:
    value = base64.b64encode(b"Xq7-pR2vL9mT4wZs").decode()
    docs.append(
        {
            "apiVersion": "v1",
            "kind": "Secret",
            "metadata": {"name": "leak", "namespace": NAMESPACE},
            "data": {"POSTGRES_PASSWORD": value},
        }
    )


def _open_policy(docs: list[dict]) -> None:
    of_kind(docs, "NetworkPolicy")["services-from-gateway"]["spec"]["ingress"].append(
        {"ports": [{"port": HTTP_PORT}]}
    )


def _service_to_service(docs: list[dict]) -> None:
    rule = of_kind(docs, "NetworkPolicy")["services-from-gateway"]["spec"]["ingress"][0]
    rule["from"].append({"podSelector": {"matchLabels": {"app.kubernetes.io/name": "intake"}}})


BREAKAGES: dict[str, tuple[Callable[[list[dict]], None], str]] = {
    "readiness probe removed": (
        lambda d: _container(d, "Deployment", "intake").pop("readinessProbe"),
        "intake: container intake has no readinessProbe",
    ),
    "liveness on /readyz": (
        lambda d: _container(d, "Deployment", GATEWAY)["livenessProbe"]["httpGet"].update(
            path="/readyz"
        ),
        "gateway: container gateway: the livenessProbe must probe /healthz",
    ),
    "no limits": (
        lambda d: _container(d, "Deployment", "matching")["resources"].pop("limits"),
        "matching: container matching has no resources.limits",
    ),
    "request above limit": (
        lambda d: _container(d, "Deployment", "eligibility")["resources"]["requests"].update(
            memory="4Gi"
        ),
        "eligibility: container eligibility: memory request above its limit",
    ),
    "runs as root": (
        lambda d: _container(d, "Deployment", "scoring")["securityContext"].update(
            runAsNonRoot=False
        ),
        "scoring: container scoring must set runAsNonRoot",
    ),
    "writable root filesystem": (
        lambda d: _container(d, "Job", "settlement-migrate")["securityContext"].update(
            readOnlyRootFilesystem=False
        ),
        "settlement-migrate: container migrate must set readOnlyRootFilesystem: true",
    ),
    "capabilities kept": (
        lambda d: _container(d, "Deployment", "eligibility")["securityContext"].pop("capabilities"),
        "eligibility: container eligibility must drop ALL capabilities",
    ),
    "privilege escalation": (
        lambda d: _container(d, "StatefulSet", "kafka")["securityContext"].update(
            allowPrivilegeEscalation=True
        ),
        "kafka: container kafka must set allowPrivilegeEscalation: false",
    ),
    "no seccomp profile": (
        lambda d: [
            _container(d, "StatefulSet", "postgres")["securityContext"].pop("seccompProfile"),
            pod_spec(of_kind(d, "StatefulSet")["postgres"])["securityContext"].pop(
                "seccompProfile"
            ),
        ],
        "postgres: container postgres must use the RuntimeDefault seccomp profile",
    ),
    "service links on": (
        lambda d: pod_spec(of_kind(d, "StatefulSet")["kafka"]).pop("enableServiceLinks"),
        "kafka: enableServiceLinks must be false",
    ),
    "no /tmp": (
        lambda d: _container(d, "Deployment", "intake")["volumeMounts"].pop(0),
        "intake: container intake needs an emptyDir at /tmp",
    ),
    "no HPA": (
        _drop("HorizontalPodAutoscaler", "scoring"),
        "scoring has no HorizontalPodAutoscaler",
    ),
    "no PDB": (_drop("PodDisruptionBudget", "matching"), "matching has no PodDisruptionBudget"),
    "no Service": (_drop("Service", "eligibility"), "eligibility has no Service"),
    "no migration Job": (_drop("Job", "intake-migrate"), "intake has no migration Job"),
    "migration Job serves": (
        lambda d: _container(d, "Job", "scoring-migrate").update(
            command=["python", "-m", "scoring", "serve"]
        ),
        "scoring-migrate must run `python -m scoring migrate`",
    ),
    "replicas beside the HPA": (
        lambda d: of_kind(d, "Deployment")["settlement"]["spec"].update(replicas=3),
        "settlement: the Deployment sets replicas",
    ),
    "HPA scales something else": (
        lambda d: of_kind(d, "HorizontalPodAutoscaler")["intake"]["spec"]["scaleTargetRef"].update(
            name="scoring"
        ),
        "intake: the HPA must scale Deployment intake",
    ),
    "service reachable from another service": (
        _service_to_service,
        "NetworkPolicy services-from-gateway admits",
    ),
    "policy open to every source": (
        _open_policy,
        "settlement: NetworkPolicy services-from-gateway admits every source",
    ),
    "gateway shut out": (
        _drop("NetworkPolicy", "services-from-gateway"),
        "matching: no NetworkPolicy admits the gateway",
    ),
    "database open to other namespaces": (
        lambda d: of_kind(d, "NetworkPolicy")["postgres-from-services"]["spec"]["ingress"][0][
            "from"
        ].append({"namespaceSelector": {}}),
        "postgres: NetworkPolicy postgres-from-services admits pods elsewhere",
    ),
    "no default deny": (
        _drop("NetworkPolicy", "default-deny-ingress"),
        "no default-deny ingress NetworkPolicy",
    ),
    "a real-looking secret": (_add_base_secret, "Secret leak key POSTGRES_PASSWORD"),
    "a secret in a ConfigMap": (
        lambda d: of_kind(d, "ConfigMap")["intake-config"]["data"].update(INTAKE_SMTP_PASSWORD="x"),
        "ConfigMap intake-config holds INTAKE_SMTP_PASSWORD",
    ),
    "literal internal secret": (
        lambda d: _container(d, "Deployment", "matching")["env"].append(
            {"name": "SFMS_INTERNAL_SECRET", "value": "x"}
        ),
        "SFMS_INTERNAL_SECRET is a literal secret",
    ),
    "literal database password": (
        lambda d: _env(
            d,
            "Deployment",
            "intake",
            "INTAKE_DATABASE_URL",
            "postgresql+asyncpg://postgres:hunter2@postgres:5432/intake",
        ),
        "Deployment intake: DATABASE_URL holds a literal password",
    ),
    "wrong database": (
        lambda d: _env(
            d,
            "Job",
            "settlement-migrate",
            "SETTLEMENT_DATABASE_URL",
            "postgresql+asyncpg://postgres:$(SFMS_POSTGRES_PASSWORD)@postgres:5432/scoring",
        ),
        "Job settlement-migrate: DATABASE_URL points to database 'scoring'",
    ),
    "undefined reference": (
        lambda d: _container(d, "Deployment", "scoring")["env"].reverse(),
        "SCORING_DATABASE_URL refers to undefined $(SFMS_POSTGRES_PASSWORD)",
    ),
    "misspelt setting": (
        lambda d: of_kind(d, "ConfigMap")["intake-config"]["data"].update(
            INTAKE_DOCUMENTS_PATH="/x"
        ),
        "INTAKE_DOCUMENTS_PATH is not a setting of intake",
    ),
    "gateway routes elsewhere": (
        lambda d: of_kind(d, "ConfigMap")["gateway-config"]["data"].update(
            GATEWAY_SCORING_URL="http://scoring:8080"
        ),
        "GATEWAY_SCORING_URL must be http://scoring:8000",
    ),
    "internal service published": (
        lambda d: of_kind(d, "Service")["intake"]["spec"].update(type="LoadBalancer"),
        "Service intake is LoadBalancer",
    ),
    "Ingress to an internal service": (
        lambda d: of_kind(d, "Ingress")[GATEWAY]["spec"]["rules"][0]["http"]["paths"][0]["backend"][
            "service"
        ].update(name="settlement"),
        "Ingress gateway routes to settlement",
    ),
    "local image in production": (
        lambda d: _container(d, "Deployment", "matching").update(image="sfms/matching:local"),
        "production needs a registry and a released tag",
    ),
    "namespace not restricted": (
        lambda d: of_kind(d, "Namespace")[NAMESPACE]["metadata"]["labels"].pop(
            "pod-security.kubernetes.io/enforce"
        ),
        "must enforce the restricted Pod Security Standard",
    ),
    "object outside the namespace": (
        lambda d: of_kind(d, "ConfigMap")["kafka-config"]["metadata"].pop("namespace"),
        "ConfigMap kafka-config is not in sfms",
    ),
    "init script drifted": (
        lambda d: of_kind(d, "ConfigMap")["postgres-init"]["data"].update(
            {"10-create-databases.sh": "#!/bin/sh\n"}
        ),
        "postgres-init must equal deploy/compose/postgres/create-databases.sh",
    ),
    "topics auto-created": (
        lambda d: of_kind(d, "ConfigMap")["kafka-config"]["data"].update(
            KAFKA_AUTO_CREATE_TOPICS_ENABLE="true"
        ),
        "kafka must set KAFKA_AUTO_CREATE_TOPICS_ENABLE=false",
    ),
    "data off the volume": (
        lambda d: of_kind(d, "StatefulSet")["kafka"]["spec"].pop("volumeClaimTemplates"),
        "kafka: its data must live on volumeClaimTemplates",
    ),
}


@pytest.mark.parametrize("breakage", BREAKAGES)
def test_a_broken_copy_is_caught(rendered, breakage: str) -> None:
    edit, expected = BREAKAGES[breakage]
    docs = copy.deepcopy(rendered["production"])
    assert not any(expected in p for p in rule_problems(docs, TARGETS["production"]))
    edit(docs)
    problems = rule_problems(docs, TARGETS["production"])
    assert any(expected in problem for problem in problems), (expected, problems)


def test_a_schema_violation_is_caught(rendered) -> None:
    docs = copy.deepcopy(rendered["production"])
    deployment = of_kind(docs, "Deployment")["intake"]
    deployment["spec"]["replica"] = 2  # misspelt: strict mode refuses unknown fields
    _container(docs, "Deployment", "scoring")["resources"]["limits"]["cpu"] = ["1"]
    problems = schema_problems(docs)
    assert any(p.startswith("schema: Deployment/intake: spec:") for p in problems), problems
    assert any("Deployment/scoring" in p and "limits.cpu" in p for p in problems), problems


def test_a_broken_manifest_file_is_caught(tmp_path: Path) -> None:
    """The same rules on a copy of deploy/k8s whose base file lost intake's probes."""
    shutil.copytree(K8S, tmp_path / "k8s")
    path = tmp_path / "k8s" / "base" / "intake.yaml"
    documents = list(yaml.safe_load_all(path.read_text(encoding="utf-8")))
    for document in documents:
        if document["kind"] == "Deployment":
            container = document["spec"]["template"]["spec"]["containers"][0]
            container.pop("readinessProbe")
            container.pop("livenessProbe")
    path.write_text(yaml.safe_dump_all(documents, sort_keys=False), encoding="utf-8")
    problems = rule_problems(render(tmp_path / "k8s" / "overlays" / "dev"), TARGETS["dev"])
    assert "intake: container intake has no readinessProbe" in problems
    assert "intake: container intake has no livenessProbe" in problems
