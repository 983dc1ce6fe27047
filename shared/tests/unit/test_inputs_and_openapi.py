"""Input PostgreSQL cannot store is refused with a 422 naming the field; every service's
OpenAPI document declares its problem+json answers. Both found by the API fuzz
(tests/e2e/test_api_fuzz.py)."""

from __future__ import annotations

import copy
from typing import Annotated, Any

import httpx
from fastapi import Body, Depends, FastAPI, Header, Path, Query

from sfms_shared.inputs import INT32_MAX, nul_path, reject_nul_characters
from sfms_shared.openapi import document_problems, install_problem_openapi
from sfms_shared.problems import PROBLEM_JSON, install_problem_handlers


def _app() -> FastAPI:
    app = FastAPI(dependencies=[Depends(reject_nul_characters)])
    install_problem_handlers(app)
    install_problem_openapi(app)

    @app.get("/v1/things/{thing_id}")
    async def get_thing(thing_id: str, q: str | None = None) -> dict[str, Any]:
        return {"thing_id": thing_id, "q": q}

    @app.patch("/v1/things/{thing_id}/versions/{version}")
    async def amend(
        thing_id: str,
        version: Annotated[int, Path(ge=1, le=INT32_MAX)],
        patch: Annotated[dict[str, Any], Body(media_type="application/merge-patch+json")],
        if_match: Annotated[str | None, Header(alias="If-Match")] = None,
    ) -> dict[str, Any]:
        return patch

    @app.get("/healthz")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/v1/things")
    async def things(limit: Annotated[int, Query(ge=1)] = 5) -> list[str]:
        return []

    return app


async def _send(app: FastAPI, method: str, url: str, **kwargs: Any) -> httpx.Response:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as c:
        return await c.request(method, url, **kwargs)


def test_nul_path_names_where_the_nul_is() -> None:
    assert nul_path({"a": [{"b": "ok"}, {"c": "x\x00"}]}) == ("a", "1", "c")
    assert nul_path({"k\x00ey": 1}) == ("key",)
    assert nul_path("\x00") == ()
    assert nul_path({"a": ["fine", 1, None, True]}) is None


async def test_a_nul_anywhere_is_a_422_naming_the_field() -> None:
    app = _app()
    cases = [
        ("GET", "/v1/things/a%00b", {}, "thing_id"),
        ("GET", "/v1/things/a?q=x%00", {}, "q"),
        (
            "PATCH",
            "/v1/things/a/versions/1",
            {
                "content": '{"profile": {"names": ["ok", "bad\\u0000"]}}',
                "headers": {"content-type": "application/merge-patch+json"},
            },
            "profile.names.1",
        ),
    ]
    for method, url, kwargs, field in cases:
        response = await _send(app, method, url, **kwargs)
        assert response.status_code == 422, (url, response.text)
        assert response.headers["content-type"] == PROBLEM_JSON
        body = response.json()
        assert (body["type"], body["field"]) == ("urn:sfms:problem:nul-character", field)
        assert body["title_ko"] and body["errors"][0]["message_ko"]


async def test_text_without_nul_passes_and_an_escaped_backslash_is_no_nul() -> None:
    app = _app()
    response = await _send(
        app,
        "PATCH",
        "/v1/things/a/versions/1",
        content='{"note": "\\\\u0000 is how JSON writes NUL"}',
        headers={"content-type": "application/merge-patch+json"},
    )
    assert response.status_code == 200, response.text
    assert response.json() == {"note": "\\u0000 is how JSON writes NUL"}


async def test_an_integer_beyond_the_column_is_a_422_not_a_database_error() -> None:
    response = await _send(_app(), "PATCH", f"/v1/things/a/versions/{2**31}", json={})
    assert response.status_code == 422
    assert response.json()["field"] == "version"


def test_every_operation_declares_its_problem_answers() -> None:
    document = _app().openapi()
    paths = document["paths"]
    schemas = document["components"]["schemas"]
    assert "Problem" in schemas and "FieldError" in schemas
    assert "HTTPValidationError" not in schemas and "ValidationError" not in schemas

    def declared(path: str, method: str) -> set[str]:
        return set(paths[path][method]["responses"])

    assert declared("/v1/things/{thing_id}", "get") == {"200", "401", "403", "404", "422"}
    assert declared("/v1/things/{thing_id}/versions/{version}", "patch") == {
        *("200", "400", "401", "403", "404", "409", "412", "422", "428"),
    }
    assert declared("/v1/things", "get") == {"200", "401", "403", "422"}
    assert declared("/healthz", "get") == {"200"}
    problem = paths["/v1/things/{thing_id}"]["get"]["responses"]["422"]["content"]
    assert problem == {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}}


def test_declaring_twice_changes_nothing() -> None:
    document = _app().openapi()
    again = document_problems(copy.deepcopy(document))
    assert again == document
