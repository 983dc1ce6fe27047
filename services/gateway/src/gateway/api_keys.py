"""Partner API keys: issued and revoked by operators, scoped to feeds, each with its own
rate limit, stored only as a SHA-256 digest.

A key reads ``sfms_<id>_<secret>``: the id finds the row, the digest of the whole key is
compared in constant time. The key is shown once, in the answer that creates it. Verified
keys are cached for a few seconds; a revocation through this gateway clears the cache at
once (another gateway replica honours it within ``CACHE_SECONDS``).
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import time
from typing import Any

from fastapi.encoders import jsonable_encoder
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from gateway.models import api_key
from gateway.scopes import SCOPE_NAMES
from sfms_shared.audit import AuditLog
from sfms_shared.clock import Clock
from sfms_shared.identity import Identity
from sfms_shared.problems import Problem, not_found

KEY_PATTERN = re.compile(r"^sfms_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$")
CACHE_SECONDS = 5.0
DEFAULT_RATE_PER_MINUTE = 600


class NewApiKey(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = Field(
        min_length=1, max_length=200, description="The partner system, e.g. 경기TP 연계"
    )
    organisation: str | None = Field(
        default=None, pattern=r"^\d{10}$", description="The partner's BRN (10 digits)"
    )
    scopes: tuple[str, ...] = Field(
        min_length=1,
        max_length=len(SCOPE_NAMES),
        json_schema_extra={"items": {"type": "string", "enum": list(SCOPE_NAMES)}},
    )
    calls: tuple[str, ...] = Field(
        default=(), max_length=50, description="Calls the key may read; empty: every call"
    )
    rate_limit_per_minute: int = Field(default=DEFAULT_RATE_PER_MINUTE, ge=1, le=60_000)


def key_problem(slug: str, en: str, ko: str) -> Problem:
    problem = Problem(
        status=401,
        slug=slug,
        title_en=en,
        title_ko=ko,
        detail_en=(
            "Partner systems send 'X-API-Key: sfms_...'. To obtain a key, ask an SFMS operator "
            "(operators issue keys with POST /api/v1/api-keys)."
        ),
        detail_ko=(
            "연계기관 시스템은 'X-API-Key: sfms_...' 헤더를 보냅니다. 키는 SFMS 운영자에게 "
            "요청하여 발급받으세요(운영자: POST /api/v1/api-keys)."
        ),
        field="X-API-Key",
    )
    problem.headers["WWW-Authenticate"] = 'ApiKey realm="sfms", header="X-API-Key"'
    return problem


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiKeyStore:
    def __init__(
        self, sessions: async_sessionmaker[AsyncSession], clock: Clock, audit: AuditLog
    ) -> None:
        self.sessions = sessions
        self.clock = clock
        self.audit = audit
        self._cache: dict[str, tuple[float, Any]] = {}

    async def identify(self, raw: str) -> Identity:
        match = KEY_PATTERN.match(raw.strip())
        if not match:
            raise key_problem(
                "invalid-api-key", "The API key is not valid", "API 키가 올바르지 않습니다"
            )
        row = await self._row(match.group(1))
        if row is None or not hmac.compare_digest(row.key_hash, _digest(raw.strip())):
            raise key_problem(
                "invalid-api-key", "The API key is not valid", "API 키가 올바르지 않습니다"
            )
        if row.revoked_at is not None:
            raise key_problem("api-key-revoked", "The API key was revoked", "폐기된 API 키입니다")
        return Identity(
            subject=f"api-key:{row.id}",
            kind="api-key",
            roles=frozenset({"partner"}),
            organisation=row.organisation,
            scopes=frozenset(row.scopes),
            calls=frozenset(row.calls),
            name=row.name,
        )

    async def rate_per_minute(self, key_id: str) -> int:
        row = await self._row(key_id)
        return row.rate_limit_per_minute if row else DEFAULT_RATE_PER_MINUTE

    async def _row(self, key_id: str) -> Any:
        cached = self._cache.get(key_id)
        if cached and time.monotonic() - cached[0] < CACHE_SECONDS:
            return cached[1]
        async with self.sessions() as session:
            row = (await session.execute(select(api_key).where(api_key.c.id == key_id))).first()
        self._cache[key_id] = (time.monotonic(), row)
        return row

    async def create(self, issuer: Identity, form: NewApiKey) -> dict[str, Any]:
        _check_issuer_covers(issuer, form)
        key_id = secrets.token_hex(6)
        raw = f"sfms_{key_id}_{secrets.token_urlsafe(32)}"
        values = {
            "id": key_id,
            "name": form.name,
            "organisation": form.organisation,
            "scopes": sorted(set(form.scopes)),
            "calls": sorted(set(form.calls)),
            "rate_limit_per_minute": form.rate_limit_per_minute,
            "key_hash": _digest(raw),
            "created_by": issuer.subject,
            "created_at": self.clock.now(),
        }
        async with self.sessions.begin() as session:
            await session.execute(api_key.insert().values(**values))
            await self.audit.record(
                session, "api-key.create", "api_key", key_id, {"after": _public(values)}
            )
        return {**_public(values), "key": raw}

    async def revoke(self, operator: Identity, key_id: str) -> dict[str, Any]:
        async with self.sessions.begin() as session:
            row = await self._visible(session, operator, key_id)
            if row.revoked_at is None:
                now = self.clock.now()
                await session.execute(
                    update(api_key)
                    .where(api_key.c.id == key_id)
                    .values(revoked_at=now, revoked_by=operator.subject)
                )
                await self.audit.record(
                    session, "api-key.revoke", "api_key", key_id, {"revoked_at": now}
                )
        self._cache.pop(key_id, None)
        return await self.get(operator, key_id)

    async def get(self, reader: Identity, key_id: str) -> dict[str, Any]:
        async with self.sessions() as session:
            return _public((await self._visible(session, reader, key_id))._asdict())

    async def list(self, reader: Identity, limit: int, after: str | None) -> list[dict[str, Any]]:
        query = select(api_key).order_by(api_key.c.id).limit(limit)
        if after:
            query = query.where(api_key.c.id > after)
        if not reader.is_admin:
            query = query.where(api_key.c.created_by == reader.subject)
        async with self.sessions() as session:
            rows = (await session.execute(query)).all()
        return [_public(row._asdict()) for row in rows]

    async def _visible(self, session: AsyncSession, reader: Identity, key_id: str) -> Any:
        """An operator manages the keys they issued; an admin every key."""
        row = (await session.execute(select(api_key).where(api_key.c.id == key_id))).first()
        if row is None or not (reader.is_admin or row.created_by == reader.subject):
            raise not_found("API key", "API 키", "key_id")
        return row


def _check_issuer_covers(issuer: Identity, form: NewApiKey) -> None:
    unknown = sorted(set(form.scopes) - set(SCOPE_NAMES))
    if unknown:
        raise Problem.for_field(
            422,
            "unknown-scope",
            "scopes",
            f"Unknown scopes {unknown}; known: {list(SCOPE_NAMES)}",
            f"알 수 없는 범위입니다: {unknown}. 가능한 범위: {list(SCOPE_NAMES)}",
        )
    if issuer.is_admin:
        return
    outside = [call for call in form.calls if not issuer.covers_call(call)]
    if outside or (not form.calls and not issuer.covers_call("*")):
        raise Problem.for_field(
            403,
            "call-outside-scope",
            "calls",
            "A key may cover only calls you operate; name them in 'calls'",
            "담당하는 공고만 키에 지정할 수 있습니다. 'calls'에 공고를 지정하세요",
        )


def _public(row: dict[str, Any]) -> dict[str, Any]:
    return jsonable_encoder({k: v for k, v in row.items() if k != "key_hash"})
