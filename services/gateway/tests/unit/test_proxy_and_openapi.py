"""What the API fuzz (tests/e2e/test_api_fuzz.py) found at the gateway: decoded paths must
be encoded again for the service, a connection the service dropped is retried or a 502,
and the merged document declares what the gateway itself may answer."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated, Any

import httpx
from fastapi import FastAPI, Header, Request
from fastapi.openapi.utils import get_openapi

from gateway.openapi import merged_openapi
from gateway.proxy import forward
from sfms_shared.openapi import install_problem_openapi
from sfms_shared.problems import Problem, install_problem_handlers


class _Streamed(httpx.AsyncByteStream):
    """An answer streamed as from a real connection (in-memory content counts as read),
    optionally dropped after its first chunk."""

    def __init__(self, data: bytes, dropped: bool = False) -> None:
        self.data = data
        self.dropped = dropped
        self.closed = False

    async def __aiter__(self) -> AsyncIterator[bytes]:
        yield self.data
        if self.dropped:
            raise httpx.RemoteProtocolError("peer closed connection without sending complete body")

    async def aclose(self) -> None:
        self.closed = True


def _answer(status: int, data: bytes = b"{}") -> httpx.Response:
    return httpx.Response(
        status, headers={"content-type": "application/json"}, stream=_Streamed(data)
    )


def _proxy(handler: Any, finished: list[str] | None = None) -> FastAPI:
    app = FastAPI()
    install_problem_handlers(app)
    client = httpx.AsyncClient(transport=httpx.MockTransport(handler))

    @app.api_route("/api/{path:path}", methods=["GET", "POST"])
    async def route(request: Request, path: str) -> Any:
        upstream = "/v1/" + request.url.path.removeprefix("/api/v1/")
        on_finish = None if finished is None else (lambda: finished.append(request.url.path))
        return await forward(
            client, "http://intake", "intake", upstream, request, "token", on_finish
        )

    return app


async def _send(app: FastAPI, method: str, url: str) -> httpx.Response:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://g") as c:
        return await c.request(method, url)


async def test_a_decoded_path_reaches_the_service_encoded_as_it_came() -> None:
    seen: list[bytes] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.url.raw_path)
        return _answer(404)

    response = await _send(_proxy(handler), "GET", "/api/v1/calls/a%0Fb%2541%C3%96?x=%00")
    assert response.status_code == 404
    assert seen == [b"/v1/calls/a%0Fb%2541%C3%96?x=%00"]


async def test_a_dropped_connection_is_retried_for_a_get_and_a_502_for_a_post() -> None:
    calls: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request.method)
        if len(calls) == 1 or request.method == "POST":
            raise httpx.RemoteProtocolError("Server disconnected without sending a response.")
        return _answer(200, b'{"ok": true}')

    app = _proxy(handler)
    assert (await _send(app, "GET", "/api/v1/calls")).json() == {"ok": True}
    refused = await _send(app, "POST", "/api/v1/calls")
    assert refused.status_code == 502
    assert refused.json()["type"] == "urn:sfms:problem:upstream-connection-failed"
    assert refused.headers["retry-after"]
    assert calls == ["GET", "GET", "POST"]


async def test_a_small_answer_is_read_whole_and_a_large_one_streams() -> None:
    small, large = b'{"receipt": "X-0000001"}', b"%PDF-" + b"x" * 200_000
    streams: list[_Streamed] = []

    def handler(request: httpx.Request) -> httpx.Response:
        data = small if request.url.path.endswith("small") else large
        streams.append(_Streamed(data))
        headers = {"content-type": "application/json", "content-length": str(len(data))}
        return httpx.Response(200, headers=headers, stream=streams[-1])

    finished: list[str] = []
    app = _proxy(handler, finished)
    for name, data in (("small", small), ("large", large)):
        response = await _send(app, "GET", f"/api/v1/{name}")
        assert response.content == data
        assert response.headers["content-length"] == str(len(data))
    assert finished == ["/api/v1/small", "/api/v1/large"], "each released once, when sent on"
    assert all(stream.closed for stream in streams)


async def test_a_small_answer_dropped_midway_is_a_502_and_not_half_an_answer() -> None:
    stream = _Streamed(b'{"rece', dropped=True)

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, headers={"content-length": "24"}, stream=stream)

    finished: list[str] = []
    response = await _send(_proxy(handler, finished), "GET", "/api/v1/small")
    assert response.status_code == 502
    assert response.json()["type"] == "urn:sfms:problem:upstream-connection-failed"
    assert stream.closed
    assert finished == [], "the caller releases what it holds when forward raises"


async def test_the_merged_document_declares_the_gateways_own_answers() -> None:
    service = FastAPI()
    install_problem_openapi(service)

    @service.post("/v1/calls")
    async def create(body: dict[str, Any]) -> dict[str, Any]:
        return body

    own = FastAPI()

    @own.get("/api/v1/auth/me")
    async def me() -> dict[str, Any]:
        raise Problem(401, "x", "x", "x")

    def serve(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json=service.openapi())

    async with httpx.AsyncClient(transport=httpx.MockTransport(serve)) as client:
        document = await merged_openapi(
            client,
            {name: "http://svc" for name in ("intake", "eligibility", "scoring", "matching")}
            | {"settlement": "http://svc"},
            get_openapi(title="t", version="1", routes=own.routes),
        )
    routed = document["paths"]["/api/v1/calls"]["post"]["responses"]
    assert {"400", "401", "403", "413", "422", "429", "502", "503", "504"} <= set(routed)
    assert routed["429"]["headers"]["Retry-After"]
    assert set(document["paths"]["/api/v1/auth/me"]["get"]["responses"]) == {
        *("200", "401", "403", "422", "429", "503"),
    }
    assert "Problem" in document["components"]["schemas"]


async def test_each_create_links_to_what_follows_it_in_the_merged_document() -> None:
    """``POST /applications`` answers with the new application's ``id``: its ``GET``,
    ``PATCH`` (with the ETag every service builds from ``id`` and ``revision``) and the
    operations under it are linked; a document's links also carry the application id of
    the request. Operations needing an id the answer does not give are not linked."""
    service = FastAPI()

    @service.post("/v1/applications", status_code=201)
    async def create() -> dict[str, Any]:
        return {}

    @service.get("/v1/applications/{application_id}")
    async def read(application_id: str) -> dict[str, Any]:
        return {}

    @service.patch("/v1/applications/{application_id}")
    async def amend(
        application_id: str, if_match: Annotated[str | None, Header(alias="If-Match")] = None
    ) -> dict[str, Any]:
        return {}

    @service.post("/v1/applications/{application_id}/documents", status_code=201)
    async def attach(application_id: str) -> dict[str, Any]:
        return {}

    @service.delete("/v1/applications/{application_id}/documents/{document_id}")
    async def detach(application_id: str, document_id: str) -> None:
        return None

    @service.get("/v1/applications/{application_id}/submissions/{version}")
    async def submission(application_id: str, version: int) -> dict[str, Any]:
        return {}

    def serve(request: httpx.Request) -> httpx.Response:
        if request.url.host == "intake":
            return httpx.Response(200, json=service.openapi())
        return httpx.Response(200, json={"openapi": "3.1.0", "paths": {}})

    async with httpx.AsyncClient(transport=httpx.MockTransport(serve)) as client:
        document = await merged_openapi(
            client,
            {name: f"http://{name}" for name in ("eligibility", "scoring", "matching")}
            | {"settlement": "http://settlement", "intake": "http://intake"},
            get_openapi(title="t", version="1", routes=[]),
        )
    paths = document["paths"]
    links = paths["/api/v1/applications"]["post"]["responses"]["201"]["links"]
    assert links == {
        "get-applications-application_id": {
            "operationRef": "#/paths/~1api~1v1~1applications~1{application_id}/get",
            "parameters": {"path.application_id": "$response.body#/id"},
        },
        "patch-applications-application_id": {
            "operationRef": "#/paths/~1api~1v1~1applications~1{application_id}/patch",
            "parameters": {
                "path.application_id": "$response.body#/id",
                "header.If-Match": '"{$response.body#/id}-r{$response.body#/revision}"',
            },
        },
        "post-applications-application_id-documents": {
            "operationRef": "#/paths/~1api~1v1~1applications~1{application_id}~1documents/post",
            "parameters": {"path.application_id": "$response.body#/id"},
        },
    }
    documents = paths["/api/v1/applications/{application_id}/documents"]["post"]["responses"]
    assert documents["201"]["links"] == {
        "delete-applications-application_id-documents-document_id": {
            "operationRef": (
                "#/paths/~1api~1v1~1applications~1{application_id}~1documents~1{document_id}/delete"
            ),
            "parameters": {
                "path.application_id": "$request.path.application_id",
                "path.document_id": "$response.body#/id",
            },
        }
    }
