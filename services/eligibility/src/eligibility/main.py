"""Wiring for the eligibility service."""

from __future__ import annotations

from fastapi import FastAPI

from eligibility.config import Settings
from eligibility.models import audit, messaging, replicas
from sfms_shared.clock import Clock
from sfms_shared.downstream import create_downstream_app


def create_app(settings: Settings | None = None, clock: Clock | None = None) -> FastAPI:
    return create_downstream_app(
        settings or Settings(),
        messaging,
        replicas,
        audit,
        title="SFMS eligibility",
        description="Requirement review (요건검토) of submitted applications.",
        clock=clock,
    )
