"""Scoring settings (env prefix ``SCORING_``)."""

from __future__ import annotations

from pydantic_settings import SettingsConfigDict

from sfms_shared.settings import ServiceSettings


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="SCORING_", extra="ignore")

    service_name: str = "scoring"
    database_url: str = "sqlite+aiosqlite:///./var/scoring.db"
    http_port: int = 8103
