"""Gateway settings (env prefix ``GATEWAY_``). The gateway owns no database."""

from __future__ import annotations

from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="GATEWAY_", extra="ignore")

    service_name: str = "gateway"
    http_host: str = "127.0.0.1"
    http_port: int = 8000
    log_level: str = "INFO"
    intake_url: str = "http://127.0.0.1:8101"
    eligibility_url: str = "http://127.0.0.1:8102"
    scoring_url: str = "http://127.0.0.1:8103"
    matching_url: str = "http://127.0.0.1:8104"
    settlement_url: str = "http://127.0.0.1:8105"
    upstream_timeout_seconds: float = 30.0
    upstream_connect_timeout_seconds: float = 3.0
    max_connections: int = 200
