"""OpenAPI links in the merged document: from each create to what can be done next with
what it created (``POST /applications`` → ``GET``/``PATCH /applications/{application_id}``,
``…/documents``, ``…/submit``, and every service's view of the application: its
requirement-review decision, its replicas, its budget review, …).

Clients and tools follow them; schemathesis's stateful phase chains requests along them
(``tests/e2e/test_api_fuzz.py``), so a fuzzed ``PATCH`` addresses an application that was
just created, with its ETag, instead of a random id.

The services' answers carry no response schema to infer this from, so each create is
declared here with where its answer names the new object. The targets are derived from
the path parameters, whose names mean the same thing in every service (an
``application_id`` is intake's application id everywhere): every operation whose path
parameters are the create's own (taken from the request) and at least one the answer
names (taken from its body), and nothing else. An update target that takes ``If-Match``
gets the new object's ETag, built from the body's ``id`` and ``revision`` as every
service builds it (``sfms_shared.etags.etag``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from gateway.routes import PUBLIC_PREFIX
from sfms_shared.etags import etag
from sfms_shared.openapi import METHODS

_PARAMETER = re.compile(r"\{([^}/]+)\}")


@dataclass(frozen=True)
class Create:
    """``POST path`` answers 201 with the new object; ``names`` maps each path parameter
    that names it to the JSON pointer of its value in the answer."""

    path: str
    names: dict[str, str] = field(default_factory=dict)
    revisioned: bool = False  # the answer has ``id`` and ``revision``: an ETag for If-Match


_V1 = f"{PUBLIC_PREFIX}/v1"
CREATES = (
    Create(f"{_V1}/calls", {"call_id": "/call_id", "version": "/version"}),
    Create(f"{_V1}/organisations", {"organisation_id": "/id"}, revisioned=True),
    Create(f"{_V1}/applications", {"application_id": "/id"}, revisioned=True),
    Create(f"{_V1}/applications/{{application_id}}/documents", {"document_id": "/id"}),
    Create(f"{_V1}/scoring/evaluators", {"evaluator_id": "/id"}),
    Create(f"{_V1}/settlement/agreements", {"agreement_id": "/id"}, revisioned=True),
)

NEW_ETAG = etag("{$response.body#/id}", "{$response.body#/revision}")


def add_links(document: dict[str, Any], creates: tuple[Create, ...] = CREATES) -> None:
    """Add ``links`` to the 201 answer of every declared create present in ``document``."""
    paths = document.get("paths", {})
    for create in creates:
        operation = paths.get(create.path, {}).get("post")
        if not isinstance(operation, dict) or "201" not in operation.get("responses", {}):
            continue
        links = {
            _name(method, path): _link(create, path, method, target)
            for path, item in paths.items()
            if _follows(create, path)
            for method, target in item.items()
            if method in METHODS and isinstance(target, dict)
        }
        if links:
            operation["responses"]["201"]["links"] = dict(sorted(links.items()))


def _follows(create: Create, path: str) -> bool:
    """Every path parameter the create's own or named by its answer, and one at least
    named by its answer."""
    new = set(_PARAMETER.findall(path)) - set(_PARAMETER.findall(create.path))
    return bool(new) and new <= create.names.keys()


def _link(create: Create, path: str, method: str, target: dict[str, Any]) -> dict[str, Any]:
    own = set(_PARAMETER.findall(create.path))
    parameters = {
        f"path.{name}": f"$request.path.{name}"
        if name in own
        else f"$response.body#{create.names[name]}"
        for name in _PARAMETER.findall(path)
    }
    takes_if_match = any(
        p.get("in") == "header" and p.get("name", "").lower() == "if-match"
        for p in target.get("parameters", [])
    )
    if create.revisioned and takes_if_match:
        parameters["header.If-Match"] = NEW_ETAG
    pointer = path.replace("~", "~0").replace("/", "~1")
    return {"operationRef": f"#/paths/{pointer}/{method}", "parameters": parameters}


def _name(method: str, path: str) -> str:
    """A link name as OpenAPI allows (``[A-Za-z0-9._-]``): ``patch-applications-application_id``."""
    rest = path.removeprefix(_V1).replace("{", "").replace("}", "")
    return re.sub(r"[^A-Za-z0-9._-]+", "-", f"{method}{rest}")
