"""Bearer tokens: RS256 from the identity provider's JWKS, nothing else."""

from __future__ import annotations

import time

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from gateway.authn import Authenticator
from gateway.config import Settings
from gateway.dev_issuer import DevIssuer, DevUser
from gateway.jwks import JwksKeySet
from sfms_shared.problems import Problem

SETTINGS = Settings(internal_secret="x" * 40, dev_issuer=True)
OPERATOR = DevUser("op", "운영", ("operator", "partner", "nonsense"), calls=("c1",))


class Provider:
    """A JWKS endpoint stand-in that counts fetches and can rotate its key."""

    def __init__(self) -> None:
        self.issuer = DevIssuer(SETTINGS)
        self.fetches = 0

    async def fetch(self) -> dict:
        self.fetches += 1
        return await self.issuer.jwks()


@pytest.fixture
def provider() -> Provider:
    return Provider()


def authenticator(provider: Provider, min_refetch: float = 0.0) -> Authenticator:
    keys = JwksKeySet(provider.fetch, max_age_seconds=300, min_refetch_seconds=min_refetch)
    return Authenticator(SETTINGS, keys, api_keys=None)  # type: ignore[arg-type]


def claims(**overrides: object) -> dict:
    now = int(time.time())
    return {
        "iss": SETTINGS.jwt_issuer,
        "aud": SETTINGS.jwt_audience,
        "sub": "kim",
        "iat": now,
        "exp": now + 600,
        "roles": ["applicant"],
        "org": "1234567891",
    } | overrides


def sign(
    provider: Provider, payload: dict, key: object | None = None, kid: str | None = None
) -> str:
    return jwt.encode(
        payload,
        key or provider.issuer._key,
        algorithm="RS256",
        headers={"kid": kid or provider.issuer.kid},
    )


async def test_the_issuers_token_gives_the_identity_with_known_roles_only(provider) -> None:
    token = provider.issuer.token_for(OPERATOR)["access_token"]
    identity = await authenticator(provider).from_bearer(token)
    assert identity.subject == "op"
    assert identity.roles == {"operator"}  # "partner" comes only from API keys; unknown dropped
    assert identity.calls == {"c1"}


@pytest.mark.parametrize(
    "payload",
    [
        claims(exp=int(time.time()) - 3600),
        claims(aud="another-api"),
        claims(iss="https://elsewhere.example"),
    ],
    ids=["expired", "another audience", "another issuer"],
)
async def test_tokens_that_fail_verification_are_401(provider, payload) -> None:
    with pytest.raises(Problem) as refused:
        await authenticator(provider).from_bearer(sign(provider, payload))
    assert refused.value.status == 401
    assert refused.value.headers["WWW-Authenticate"].startswith("Bearer")


async def test_a_token_signed_by_an_unknown_key_or_algorithm_is_401(provider) -> None:
    stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    for token in (
        sign(provider, claims(), key=stranger),  # right kid, wrong key
        sign(provider, claims(), key=stranger, kid="unknown"),
        jwt.encode(claims(), "x" * 40, algorithm="HS256"),
        jwt.encode(claims(), key=None, algorithm="none"),
        "not.a.token",
    ):
        with pytest.raises(Problem) as refused:
            await authenticator(provider).from_bearer(token)
        assert refused.value.status == 401


async def test_an_unknown_kid_refetches_the_jwks_once_so_rotated_keys_work(provider) -> None:
    auth = authenticator(provider, min_refetch=0.0)
    await auth.from_bearer(sign(provider, claims()))
    assert provider.fetches == 1
    provider.issuer = DevIssuer(SETTINGS)  # the provider rotates its signing key
    identity = await auth.from_bearer(sign(provider, claims(sub="lee")))
    assert identity.subject == "lee"
    assert provider.fetches == 2


async def test_a_flood_of_unknown_kids_does_not_flood_the_provider(provider) -> None:
    auth = authenticator(provider, min_refetch=60.0)
    await auth.from_bearer(sign(provider, claims()))
    for _ in range(20):
        with pytest.raises(Problem):
            await auth.from_bearer(sign(provider, claims(), kid="forged-kid"))
    assert provider.fetches == 1
