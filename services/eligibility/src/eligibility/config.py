"""Eligibility settings (env prefix ``ELIGIBILITY_``)."""

from __future__ import annotations

from pydantic_settings import SettingsConfigDict

from sfms_shared.settings import ServiceSettings


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="ELIGIBILITY_", extra="ignore")

    service_name: str = "eligibility"
    database_url: str = "sqlite+aiosqlite:///./var/eligibility.db"
    http_port: int = 8102
