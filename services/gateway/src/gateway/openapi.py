"""One OpenAPI 3.1 document for every routed service, at the gateway's public paths."""

from __future__ import annotations

import logging
from typing import Any

import httpx

from gateway.links import add_links
from gateway.routes import PUBLIC_PREFIX, ROUTES, public_path
from sfms_shared.openapi import declare, document_problems, each_operation

log = logging.getLogger(__name__)


async def merged_openapi(
    client: httpx.AsyncClient, base_urls: dict[str, str], own: dict[str, Any]
) -> dict[str, Any]:
    """The gateway's own document plus each service's routed paths and schemas.

    A schema name two services define differently is kept apart as ``<service>.<Name>``.
    Every public operation also declares what the gateway itself may answer instead, and
    each create links to what can be done next with what it created (``gateway.links``).
    """
    own = document_problems(own, PUBLIC_PREFIX + "/v1/")
    document = {**own, "paths": dict(own.get("paths", {}))}
    routed: set[str] = set()
    schemas: dict[str, Any] = dict(own.get("components", {}).get("schemas", {}))
    services = {route.service for route in ROUTES}
    for service in sorted(services):
        try:
            response = await client.get(base_urls[service] + "/openapi.json", timeout=5)
            response.raise_for_status()
        except httpx.HTTPError as exc:
            log.warning(
                "service OpenAPI unavailable", extra={"service": service, "error": repr(exc)}
            )
            continue
        spec = response.json()
        renames = _merge_schemas(schemas, spec.get("components", {}).get("schemas", {}), service)
        for path, operations in spec.get("paths", {}).items():
            for route in (r for r in ROUTES if r.service == service):
                public = public_path(route, path)
                if public:
                    document["paths"][public] = _rename_refs(operations, renames)
                    routed.add(public)
    document["components"] = {**own.get("components", {}), "schemas": schemas}
    _declare_gateway_answers(document, routed)
    add_links(document)
    return document


def _declare_gateway_answers(document: dict[str, Any], routed: set[str]) -> None:
    """Rate limits (429), an identity provider or a service out of reach, or too busy (503),
    bodies over the limit (413), and for routed paths a broken connection to the service
    (502) or a service answering too late (504)."""
    for path, _, operation in each_operation(document):
        if not path.startswith(PUBLIC_PREFIX + "/"):
            continue
        statuses = {429, 503}
        if "requestBody" in operation:
            statuses.add(413)
        if path in routed:
            statuses |= {502, 504}
        declare(operation, statuses)


def _merge_schemas(
    target: dict[str, Any], incoming: dict[str, Any], service: str
) -> dict[str, str]:
    renames: dict[str, str] = {}
    for name, schema in incoming.items():
        if name in target and target[name] != schema:
            renames[name] = f"{service}.{name}"
    for name, schema in incoming.items():
        target[renames.get(name, name)] = _rename_refs(schema, renames)
    return renames


def _rename_refs(node: Any, renames: dict[str, str]) -> Any:
    if not renames:
        return node
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if (
                key == "$ref"
                and isinstance(value, str)
                and value.startswith("#/components/schemas/")
            ):
                name = value.rsplit("/", 1)[1]
                out[key] = "#/components/schemas/" + renames.get(name, name)
            else:
                out[key] = _rename_refs(value, renames)
        return out
    if isinstance(node, list):
        return [_rename_refs(item, renames) for item in node]
    return node
