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
