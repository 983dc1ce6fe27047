"""Rendering deploy/k8s as `kustomize build` does, for the features the kustomizations here use
(see test_k8s_manifests.py), refusing any other."""

from __future__ import annotations

import base64
import copy
import json
import re
from pathlib import Path

import yaml

# --- rendering ------------------------------------------------------------------------------


class UnsupportedKustomization(Exception):
    """A kustomization uses something render() does not reproduce faithfully."""


SUPPORTED_FIELDS = {
    "apiVersion",
    "kind",
    "resources",
    "namespace",
    "labels",
    "images",
    "patches",
    "secretGenerator",
    "generatorOptions",
}
CLUSTER_SCOPED = {"Namespace", "ClusterRole", "PersistentVolume", "StorageClass", "PriorityClass"}
# Kinds whose namespace kustomize also rewrites inside the spec: not reproduced here.
NAMESPACE_REFERENCING = {"RoleBinding", "ClusterRoleBinding", "APIService"}
WORKLOADS = {"Deployment", "StatefulSet", "Job", "DaemonSet", "ReplicaSet"}


def render(directory: Path) -> list[dict]:
    """What `kustomize build <directory>` prints, as a list of objects."""
    kustomization = _load_kustomization(directory)
    resources: list[dict] = []
    for entry in kustomization.get("resources") or []:
        path = directory / entry
        resources += render(path) if path.is_dir() else _load_documents(_inside(directory, entry))
    resources += _generate_secrets(kustomization)
    # kustomize's order: patches, namespace, labels, images.
    for patch in kustomization.get("patches") or []:
        _apply_patch(resources, patch, directory)
    if "namespace" in kustomization:
        _set_namespace(resources, kustomization["namespace"])
    for label in kustomization.get("labels") or []:
        _add_labels(resources, label)
    for image in kustomization.get("images") or []:
        _set_image(resources, image)
    _check_unique(resources, directory)
    return resources


def _load_kustomization(directory: Path) -> dict:
    path = directory / "kustomization.yaml"
    if not path.is_file():
        raise UnsupportedKustomization(f"{directory}: no kustomization.yaml")
    kustomization = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    unknown = sorted(set(kustomization) - SUPPORTED_FIELDS)
    if unknown:
        raise UnsupportedKustomization(f"{path}: unsupported fields {unknown}")
    return kustomization


def _inside(directory: Path, relative: str) -> Path:
    """kustomize's default load restrictor: files only from the kustomization's directory."""
    path = (directory / relative).resolve()
    if not path.is_relative_to(directory.resolve()):
        raise UnsupportedKustomization(f"{relative}: outside {directory}")
    return path


def _load_documents(path: Path) -> list[dict]:
    documents = [d for d in yaml.safe_load_all(path.read_text(encoding="utf-8")) if d is not None]
    for document in documents:
        if not (document.get("apiVersion") and document.get("kind")):
            raise UnsupportedKustomization(f"{path}: an object without apiVersion and kind")
        if not (document.get("metadata") or {}).get("name"):
            raise UnsupportedKustomization(f"{path}: a {document['kind']} without a name")
    # Plain data, nothing shared between objects.
    return json.loads(json.dumps(documents))


def _generate_secrets(kustomization: dict) -> list[dict]:
    generators = kustomization.get("secretGenerator") or []
    options = kustomization.get("generatorOptions") or {}
    if options and options != {"disableNameSuffixHash": True}:
        raise UnsupportedKustomization(f"generatorOptions {options}")
    if generators and not options:
        raise UnsupportedKustomization("hashed generator names (references are not rewritten)")
    secrets = []
    for generator in generators:
        if set(generator) - {"name", "type", "literals"}:
            raise UnsupportedKustomization(
                f"secretGenerator {generator.get('name')}: literals only"
            )
        data = {}
        for literal in generator.get("literals") or []:
            key, _, value = literal.partition("=")
            data[key] = base64.b64encode(value.encode()).decode()
        secrets.append(
            {
                "apiVersion": "v1",
                "kind": "Secret",
                "metadata": {"name": generator["name"]},
                "type": generator.get("type", "Opaque"),
                "data": data,
            }
        )
    return secrets


def _apply_patch(resources: list[dict], entry: dict, directory: Path) -> None:
    if set(entry) - {"path", "patch", "target"} or ("path" in entry) == ("patch" in entry):
        raise UnsupportedKustomization(f"patch {entry}: give one of path or patch, and a target")
    text = (
        _inside(directory, entry["path"]).read_text(encoding="utf-8")
        if "path" in entry
        else entry["patch"]
    )
    patch = yaml.safe_load(text)
    target = entry.get("target")
    if isinstance(patch, list):
        if target is None:
            raise UnsupportedKustomization("a JSON 6902 patch needs a target")
        matched = [r for r in resources if _matches(r, target)]
        for resource in matched:
            _json6902(resource, patch)
    else:
        target = target or {
            "kind": patch["kind"],
            "name": re.escape(patch["metadata"]["name"]),
        }
        matched = [r for r in resources if _matches(r, target)]
        for resource in matched:
            _strategic_merge(resource, patch)
    if not matched:
        raise UnsupportedKustomization(f"patch matches nothing: {target}")


def _matches(resource: dict, target: dict) -> bool:
    if set(target) - {"group", "version", "kind", "name", "namespace"}:
        raise UnsupportedKustomization(f"target {target}: kind, name, group, version only")
    group, _, version = resource["apiVersion"].rpartition("/")
    metadata = resource["metadata"]
    return (
        target.get("kind", resource["kind"]) == resource["kind"]
        and target.get("group", group) == group
        and target.get("version", version) == version
        and target.get("namespace", metadata.get("namespace")) == metadata.get("namespace")
        and re.fullmatch(target.get("name", ".*"), metadata["name"]) is not None
    )


def _strategic_merge(resource: dict, patch: dict) -> None:
    """A strategic merge patch where the target's identity wins (as kustomize does with a
    target): maps merge, null deletes, a list of scalars replaces. Lists of objects merge by
    per-field keys in Kubernetes; use a JSON 6902 patch for those instead."""
    body = copy.deepcopy(patch)
    for key in ("apiVersion", "kind"):
        body.pop(key, None)
    metadata = body.get("metadata") or {}
    metadata.pop("name", None)
    metadata.pop("namespace", None)
    _merge(resource, body, "")


def _merge(into: dict, patch: dict, path: str) -> None:
    for key, value in patch.items():
        where = f"{path}/{key}"
        if key.startswith("$") or key == "finalizers":
            raise UnsupportedKustomization(f"strategic merge directive or merge list at {where}")
        if value is None:
            into.pop(key, None)
        elif isinstance(value, dict) and isinstance(into.get(key), dict):
            _merge(into[key], value, where)
        elif isinstance(value, list) and any(isinstance(item, dict | list) for item in value):
            raise UnsupportedKustomization(f"list of objects at {where}: use a JSON 6902 patch")
        else:
            into[key] = copy.deepcopy(value)


def _json6902(resource: dict, operations: list[dict]) -> None:
    for operation in operations:
        op, path = operation.get("op"), operation.get("path", "")
        if op not in ("add", "replace", "remove") or not path.startswith("/"):
            raise UnsupportedKustomization(f"JSON 6902 operation {operation}")
        tokens = [t.replace("~1", "/").replace("~0", "~") for t in path[1:].split("/")]
        parent = resource
        for token in tokens[:-1]:
            parent = parent[int(token)] if isinstance(parent, list) else parent[token]
        last = tokens[-1]
        value = copy.deepcopy(operation.get("value"))
        if isinstance(parent, list):
            index = len(parent) if last == "-" else int(last)
            if op == "add":
                parent.insert(index, value)
            elif op == "replace":
                parent[index] = value
            else:
                del parent[index]
        elif op == "add":
            parent[last] = value
        elif last not in parent:
            raise UnsupportedKustomization(f"{op} {path}: no such field")
        elif op == "replace":
            parent[last] = value
        else:
            del parent[last]


def _set_namespace(resources: list[dict], namespace: str) -> None:
    for resource in resources:
        kind, metadata = resource["kind"], resource["metadata"]
        if kind in NAMESPACE_REFERENCING:
            raise UnsupportedKustomization(f"namespace on a {kind}")
        if kind == "Namespace":
            metadata["name"] = namespace  # kustomize renames Namespace objects
        elif kind not in CLUSTER_SCOPED:
            metadata["namespace"] = namespace


def _add_labels(resources: list[dict], label: dict) -> None:
    if set(label) - {"pairs", "includeTemplates"}:
        raise UnsupportedKustomization(f"labels {label}: pairs and includeTemplates only")
    for resource in resources:
        resource["metadata"].setdefault("labels", {}).update(label["pairs"])
        if label.get("includeTemplates"):
            template = (resource.get("spec") or {}).get("template") or {}
            labels = (template.get("metadata") or {}).get("labels")
            if isinstance(labels, dict):  # kustomize: set where present, never created
                labels.update(label["pairs"])


def split_image(reference: str) -> tuple[str, str | None, str | None]:
    """(name, tag, digest) of an image reference."""
    name, _, digest = reference.partition("@")
    slash = name.rfind("/")
    colon = name.rfind(":")
    tag = None
    if colon > slash:
        name, tag = name[:colon], name[colon + 1 :]
    return name, tag, digest or None


def _set_image(resources: list[dict], image: dict) -> None:
    if set(image) - {"name", "newName", "newTag", "digest"}:
        raise UnsupportedKustomization(f"images {image}")
    for resource in resources:
        for container in containers(resource):
            name, tag, digest = split_image(container["image"])
            if name != image["name"]:
                continue
            name = image.get("newName", name)
            tag = image.get("newTag", tag)
            if "digest" in image:
                tag, digest = None, image["digest"]
            container["image"] = (
                name + (f":{tag}" if tag else "") + (f"@{digest}" if digest else "")
            )


def _check_unique(resources: list[dict], directory: Path) -> None:
    seen = set()
    for resource in resources:
        key = (
            resource["apiVersion"].rpartition("/")[0],
            resource["kind"],
            resource["metadata"].get("namespace"),
            resource["metadata"]["name"],
        )
        if key in seen:
            raise UnsupportedKustomization(f"{directory}: {key} twice")
        seen.add(key)


def pod_spec(resource: dict) -> dict | None:
    if resource["kind"] == "Pod":
        return resource["spec"]
    if resource["kind"] in WORKLOADS:
        return resource["spec"]["template"]["spec"]
    if resource["kind"] == "CronJob":
        return resource["spec"]["jobTemplate"]["spec"]["template"]["spec"]
    return None


def containers(resource: dict) -> list[dict]:
    spec = pod_spec(resource) or {}
    return [*(spec.get("initContainers") or []), *(spec.get("containers") or [])]
