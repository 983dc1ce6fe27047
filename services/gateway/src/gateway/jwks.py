"""Signing keys of the identity provider, fetched from its JWKS and cached.

An unknown ``kid`` triggers one refetch (the provider rotated its keys), at most once per
``min_refetch_seconds`` so a flood of forged tokens cannot turn into a flood of fetches.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Any

import jwt

JwksFetch = Callable[[], Awaitable[dict[str, Any]]]


class JwksKeySet:
    def __init__(
        self, fetch: JwksFetch, max_age_seconds: float = 300.0, min_refetch_seconds: float = 10.0
    ) -> None:
        self._fetch = fetch
        self._max_age = max_age_seconds
        self._min_refetch = min_refetch_seconds
        self._keys: dict[str, jwt.PyJWK] = {}
        self._fetched_at = float("-inf")
        self._lock = asyncio.Lock()

    async def key(self, kid: str | None) -> jwt.PyJWK | None:
        now = time.monotonic()
        if now - self._fetched_at > self._max_age or (
            kid not in self._keys and now - self._fetched_at > self._min_refetch
        ):
            await self._refresh(now)
        if kid is None and len(self._keys) == 1:
            return next(iter(self._keys.values()))
        return self._keys.get(kid or "")

    async def _refresh(self, asked_at: float) -> None:
        async with self._lock:
            if self._fetched_at >= asked_at:
                return  # another caller refreshed while this one waited
            document = await self._fetch()
            keys = {}
            for entry in document.get("keys", []):
                if entry.get("use", "sig") != "sig" or entry.get("kty") != "RSA":
                    continue
                keys[entry.get("kid", "")] = jwt.PyJWK(entry, algorithm="RS256")
            self._keys = keys
            self._fetched_at = time.monotonic()


def http_fetch(get: Callable[[str], Awaitable[Any]], url: str) -> JwksFetch:
    async def fetch() -> dict[str, Any]:
        response = await get(url)
        response.raise_for_status()
        return response.json()

    return fetch
