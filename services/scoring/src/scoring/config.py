"""Scoring settings (env prefix ``SCORING_``)."""

from __future__ import annotations

from pathlib import Path

from pydantic_settings import SettingsConfigDict

from sfms_shared.settings import ServiceSettings


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="SCORING_", extra="ignore")

    service_name: str = "scoring"
    database_url: str = "sqlite+aiosqlite:///./var/scoring.db"
    http_port: int = 8103
    # Intake's document store, read-only: the financial statements and export records.
    document_store_path: Path = Path("./var/documents")
    # A statement larger than this is not read (the upload limit is intake's).
    max_statement_bytes: int = 20 * 1024 * 1024
