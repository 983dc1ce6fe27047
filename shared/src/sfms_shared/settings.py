"""The settings base every service's ``Settings`` extends (12-factor, env prefix per service)."""

from __future__ import annotations

from typing import Annotated

from pydantic import AliasChoices, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

CommaSet = Annotated[set[str], NoDecode]


class ServiceSettings(BaseSettings):
    """Defaults serve the embedded mode; production sets every value from the environment."""

    model_config = SettingsConfigDict(extra="ignore")

    service_name: str
    database_url: str
    # Shared by the gateway and every service: signs the identity the gateway forwards.
    # No default: without it a service cannot tell a gateway request from a forged one.
    internal_secret: SecretStr = Field(
        validation_alias=AliasChoices("SFMS_INTERNAL_SECRET", "internal_secret")
    )
    kafka_bootstrap_servers: str = "127.0.0.1:9092"
    # Apache Kafka supports the idempotent producer; the embedded Tansu broker does not.
    kafka_idempotence: bool = False
    http_host: str = "127.0.0.1"
    http_port: int = 8000
    # Which parts run in this process: the API, the outbox relay, the consumers.
    roles: CommaSet = Field(default_factory=lambda: {"api", "relay", "consumers"})
    relay_batch_size: int = 200
    relay_poll_seconds: float = 0.2
    consumer_max_attempts: int = 5
    consumer_backoff_seconds: float = 0.2
    # An ISO instant: stand the whole process on that moment (embedded mode and tests only).
    clock_at: str | None = None
    log_level: str = "INFO"
    # Fault points to trigger for fault-injection tests, e.g. "relay.after-publish".
    faults: CommaSet = Field(default_factory=set)

    @field_validator("roles", "faults", mode="before")
    @classmethod
    def _comma_separated(cls, value: object) -> object:
        if isinstance(value, str):
            return {part.strip() for part in value.split(",") if part.strip()}
        return value
