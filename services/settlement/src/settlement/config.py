"""Settlement settings (env prefix ``SETTLEMENT_``)."""

from __future__ import annotations

from pydantic_settings import SettingsConfigDict

from sfms_shared.settings import ServiceSettings


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="SETTLEMENT_", extra="ignore")

    service_name: str = "settlement"
    database_url: str = "sqlite+aiosqlite:///./var/settlement.db"
    http_port: int = 8105
