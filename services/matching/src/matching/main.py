"""Wiring for the matching service."""

from __future__ import annotations

from fastapi import FastAPI

from matching.config import Settings
from matching.models import audit, messaging, replicas
from sfms_shared.clock import Clock
from sfms_shared.downstream import create_downstream_app


def create_app(settings: Settings | None = None, clock: Clock | None = None) -> FastAPI:
    return create_downstream_app(
        settings or Settings(),
        messaging,
        replicas,
        audit,
        title="SFMS matching",
        description="Planner and supplier matching with mutual consent.",
        clock=clock,
    )
