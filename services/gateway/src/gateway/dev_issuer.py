"""The built-in development identity provider (embedded mode only).

It stands in for the production OIDC provider: RS256 tokens, a JWKS document, seeded users
for every role, and self-service sign-up for company accounts (applicant, supplier,
planner), as a portal's 회원가입 ties an account to a business registration number.
The gateway verifies its tokens exactly as it verifies a real provider's.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import secrets
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from pydantic import BaseModel, ConfigDict, Field

from gateway.config import Settings
from sfms_shared.identity import ALL_CALLS, ORGANISATION_ROLES
from sfms_shared.problems import Problem

DEV_PASSWORD = "sfms-dev"
CALL_001 = "2026-autonomous-factory-2"
CALL_KAMP = "2021-kamp-ai-smart-factory"


@dataclass(frozen=True)
class DevUser:
    username: str
    name: str
    roles: tuple[str, ...]
    organisation: str | None = None
    calls: tuple[str, ...] = ()


# BRNs carry valid check digits, so these companies can register in intake.
SEEDED_USERS = (
    DevUser("applicant", "김도입 (대한정밀)", ("applicant",), "1234567891"),
    DevUser("applicant2", "이신청 (한빛테크)", ("applicant",), "2148600016"),
    DevUser("supplier", "박공급 (스마트솔루션)", ("supplier",), "6178123455"),
    DevUser("planner", "최기획 (경기테크노파크)", ("planner",), "3058156785"),
    DevUser("evaluator", "정평가", ("evaluator",)),
    # Panels sit several evaluators (001 §4 평가절차: 평가위원회), so there are more of them.
    DevUser("evaluator2", "강심사", ("evaluator",)),
    DevUser("evaluator3", "조검토", ("evaluator",)),
    DevUser("evaluator4", "임평정", ("evaluator",)),
    DevUser("evaluator5", "서채점", ("evaluator",)),
    DevUser("evaluator6", "권현장", ("evaluator",)),
    DevUser("operator", "한운영 (001 담당)", ("operator",), calls=(CALL_001,)),
    DevUser("operator-kamp", "윤운영 (KAMP 담당)", ("operator",), calls=(CALL_KAMP,)),
    DevUser("operator-all", "오총괄 (전체 공고)", ("operator",), calls=(ALL_CALLS,)),
    DevUser("admin", "관리자", ("admin",)),
)


class Credentials(BaseModel):
    model_config = ConfigDict(extra="forbid")

    username: str = Field(min_length=1, max_length=100)
    password: str = Field(min_length=1, max_length=200)


class SignUp(Credentials):
    name: str = Field(min_length=1, max_length=100)
    role: str = Field(
        description="applicant, supplier or planner",
        json_schema_extra={"enum": sorted(ORGANISATION_ROLES)},
    )
    brn: str = Field(description="사업자등록번호 of the organisation the account acts for")


class DevIssuer:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._key = _load_or_create_key(settings.dev_issuer_key_path)
        public = self._key.public_key()
        self.kid = _thumbprint(public)
        self._public_jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(public)) | {
            "kid": self.kid,
            "use": "sig",
            "alg": "RS256",
        }
        self._users: dict[str, tuple[DevUser, bytes, bytes]] = {}
        for user in SEEDED_USERS:
            self._add(user, DEV_PASSWORD)

    async def jwks(self) -> dict[str, Any]:
        return {"keys": [self._public_jwk]}

    def seeded(self) -> list[dict[str, Any]]:
        return [_public(user) for user in SEEDED_USERS]

    def login(self, credentials: Credentials) -> dict[str, Any]:
        entry = self._users.get(credentials.username)
        # Hash even for an unknown user, so timing does not tell which usernames exist.
        salt = entry[1] if entry else b"\0" * 16
        digest = _hash(credentials.password, salt)
        if entry is None or not hmac.compare_digest(digest, entry[2]):
            raise Problem.for_field(
                401,
                "invalid-credentials",
                "password",
                "Wrong username or password",
                "아이디 또는 비밀번호가 올바르지 않습니다",
            )
        return self.token_for(entry[0])

    def sign_up(self, form: SignUp) -> dict[str, Any]:
        if form.role not in ORGANISATION_ROLES:
            raise Problem.for_field(
                422,
                "role-not-self-service",
                "role",
                "Only applicant, supplier and planner accounts can sign up; others are issued",
                "도입기업·공급기업·기획기관 계정만 가입할 수 있습니다. 그 밖의 계정은 발급받아야 합니다",
            )
        brn = re.sub(r"\D", "", form.brn)
        if len(brn) != 10:
            raise Problem.for_field(
                422,
                "invalid-brn",
                "brn",
                "A business registration number has 10 digits",
                "사업자등록번호는 10자리입니다",
            )
        if form.username in self._users:
            raise Problem.for_field(
                409,
                "username-taken",
                "username",
                "That username is taken",
                "이미 사용 중인 아이디입니다",
            )
        user = DevUser(form.username, form.name, (form.role,), brn)
        self._add(user, form.password)
        return _public(user)

    def token_for(self, user: DevUser) -> dict[str, Any]:
        now = int(time.time())
        claims = {
            "iss": self.settings.jwt_issuer,
            "aud": self.settings.jwt_audience,
            "sub": user.username,
            "name": user.name,
            "iat": now,
            "exp": now + self.settings.dev_token_seconds,
            self.settings.jwt_roles_claim: list(user.roles),
        }
        if user.organisation:
            claims[self.settings.jwt_organisation_claim] = user.organisation
        if user.calls:
            claims[self.settings.jwt_calls_claim] = list(user.calls)
        token = jwt.encode(claims, self._key, algorithm="RS256", headers={"kid": self.kid})
        return {
            "access_token": token,
            "token_type": "Bearer",
            "expires_in": self.settings.dev_token_seconds,
        }

    def _add(self, user: DevUser, password: str) -> None:
        salt = secrets.token_bytes(16)
        self._users[user.username] = (user, salt, _hash(password, salt))


def _public(user: DevUser) -> dict[str, Any]:
    return {
        "username": user.username,
        "name": user.name,
        "roles": list(user.roles),
        "organisation": user.organisation,
        "calls": list(user.calls),
    }


def _hash(password: str, salt: bytes) -> bytes:
    return hashlib.scrypt(password.encode(), salt=salt, n=2**14, r=8, p=1)


def _load_or_create_key(path: str | None) -> rsa.RSAPrivateKey:
    """A key file keeps tokens valid across gateway restarts; without one, a fresh key."""
    if path and Path(path).exists():
        key = serialization.load_pem_private_key(Path(path).read_bytes(), password=None)
        assert isinstance(key, rsa.RSAPrivateKey)
        return key
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    if path:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        Path(path).write_bytes(
            key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
        Path(path).chmod(0o600)
    return key


def _thumbprint(public: rsa.RSAPublicKey) -> str:
    der = public.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return base64.urlsafe_b64encode(hashlib.sha256(der).digest()[:12]).decode().rstrip("=")
