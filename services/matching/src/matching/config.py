"""Matching settings (env prefix ``MATCHING_``)."""

from __future__ import annotations

from pydantic_settings import SettingsConfigDict

from sfms_shared.settings import ServiceSettings


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="MATCHING_", extra="ignore")

    service_name: str = "matching"
    database_url: str = "sqlite+aiosqlite:///./var/matching.db"
    http_port: int = 8104
