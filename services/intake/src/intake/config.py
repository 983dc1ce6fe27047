"""Intake settings (env prefix ``INTAKE_``)."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic_settings import SettingsConfigDict

from sfms_shared.settings import ServiceSettings


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="INTAKE_", extra="ignore")

    service_name: str = "intake"
    database_url: str = "sqlite+aiosqlite:///./var/intake.db"
    http_port: int = 8101
    document_store_path: Path = Path("./var/documents")
    max_upload_bytes: int = 20 * 1024 * 1024
    # Load the seed calls (services/intake/src/intake/seed_calls) at start-up and publish them.
    load_seed_calls: bool = True
    # Notices (receipts, reminders, results, proposals, payments): written as .eml files to
    # ``mailbox_path`` (embedded mode, an operator reads them there) or sent by SMTP.
    mail_transport: Literal["mailbox", "smtp"] = "mailbox"
    mailbox_path: Path = Path("./var/mailbox")
    smtp_host: str = "127.0.0.1"
    smtp_port: int = 25
    mail_from: str = "SFMS <noreply@sfms.local>"
    notice_scan_seconds: float = 30.0
