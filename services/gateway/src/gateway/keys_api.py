"""``/api/v1/api-keys``: operators issue, list and revoke partner API keys."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query

from gateway.api_keys import ApiKeyStore, NewApiKey
from gateway.auth_api import SignedIn
from gateway.scopes import SCOPES
from sfms_shared.access import require_role
from sfms_shared.identity import Identity
from sfms_shared.pagination import Page, page_of

KeyId = Annotated[str, Path(pattern=r"^[0-9a-f]{12}$")]


def _operator(identity: Identity) -> Identity:
    require_role(identity, ("operator",), "manage API keys", "API 키를 관리할")
    return identity


def api_keys_router(store: ApiKeyStore) -> APIRouter:
    router = APIRouter(prefix="/api/v1/api-keys", tags=["api keys"])

    @router.get("/scopes", summary="The feeds a key can be scoped to")
    async def scopes() -> list[dict[str, str]]:
        return [
            {"name": s.name, "description": s.description_en, "description_ko": s.description_ko}
            for s in SCOPES
        ]

    @router.post(
        "",
        status_code=201,
        summary="Issue a key (the key is in this answer only; it is stored hashed)",
    )
    async def create(identity: SignedIn, form: NewApiKey) -> dict[str, Any]:
        return await store.create(_operator(identity), form)

    @router.get("", summary="Keys you issued (admins: every key)")
    async def list_keys(
        identity: SignedIn,
        limit: Annotated[int, Query(ge=1, le=200)] = 50,
        cursor: Annotated[str | None, Query(max_length=16)] = None,
    ) -> Page:
        items = await store.list(_operator(identity), limit, cursor)
        return page_of(items, limit, lambda item: item["id"])

    @router.get("/{key_id}", summary="One key (never the key itself)")
    async def get(identity: SignedIn, key_id: KeyId) -> dict[str, Any]:
        return await store.get(_operator(identity), key_id)

    @router.post("/{key_id}/revoke", summary="Revoke a key; it is refused from then on")
    async def revoke(identity: SignedIn, key_id: KeyId) -> dict[str, Any]:
        return await store.revoke(_operator(identity), key_id)

    return router
