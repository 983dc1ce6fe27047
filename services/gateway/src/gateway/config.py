"""Gateway settings (env prefix ``GATEWAY_``)."""

from __future__ import annotations

from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="GATEWAY_", extra="ignore")

    service_name: str = "gateway"
    http_host: str = "127.0.0.1"
    http_port: int = 8000
    log_level: str = "INFO"
    # API keys and the gateway's own audit entries.
    database_url: str = "sqlite+aiosqlite:///var/gateway.db"
    intake_url: str = "http://127.0.0.1:8101"
    eligibility_url: str = "http://127.0.0.1:8102"
    scoring_url: str = "http://127.0.0.1:8103"
    matching_url: str = "http://127.0.0.1:8104"
    settlement_url: str = "http://127.0.0.1:8105"
    upstream_timeout_seconds: float = 30.0
    upstream_connect_timeout_seconds: float = 3.0
    max_connections: int = 200

    # Limits (gateway/limits.py, gateway/admission.py). Request bodies: JSON and others, and
    # uploads (multipart, which must stay above intake's INTAKE_MAX_UPLOAD_BYTES (20 MiB), and
    # the eligibility registries' bulk files).
    max_body_bytes: int = Field(default=1024 * 1024, ge=1)
    max_upload_bytes: int = Field(default=25 * 1024 * 1024, ge=1)
    # Token buckets per caller: a signed-in user (by subject), an anonymous caller (by client
    # IP), sign-in and sign-up attempts (by client IP). Partner keys carry their own limit.
    # A user's limit is far above what a person does; it stops one account flooding.
    user_rate_per_second: float = Field(default=50.0, gt=0)
    user_burst: int = Field(default=1000, ge=1)
    anonymous_rate_per_second: float = Field(default=10.0, gt=0)
    anonymous_burst: int = Field(default=100, ge=1)
    login_rate_per_second: float = Field(default=0.5, gt=0)
    login_burst: int = Field(default=30, ge=1)
    # Requests in flight to each service; a request waits this long for a slot, then 503.
    # 16 is about what one service process works on at once (its pool has 10 + 10
    # connections): beyond it requests queue inside the service, where they starve its
    # outbox relay and consumers; at the gateway they wait cheaply (docs/benchmarks.md).
    max_in_flight_per_service: int = Field(default=16, ge=1)
    admission_wait_seconds: float = Field(default=3.0, ge=0)
    # An ISO instant to stand the clock on (embedded mode and tests only), as for services.
    clock_at: str | None = None

    # Signs the identity forwarded to the services (shared with them; no default).
    internal_secret: SecretStr = Field(
        validation_alias=AliasChoices("SFMS_INTERNAL_SECRET", "internal_secret")
    )

    # Bearer tokens (RS256). A production identity provider (OIDC) plugs in here.
    jwks_url: str | None = None
    jwt_issuer: str = "sfms-dev-issuer"
    jwt_audience: str = "sfms-api"
    jwt_roles_claim: str = "roles"
    jwt_organisation_claim: str = "org"
    jwt_calls_claim: str = "calls"
    jwks_refresh_seconds: float = 300.0

    # The built-in development issuer (embedded mode only): seeded users, login, JWKS.
    dev_issuer: bool = False
    dev_issuer_key_path: str | None = None
    dev_token_seconds: int = 3600
