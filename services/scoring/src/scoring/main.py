"""Wiring for the scoring service."""

from __future__ import annotations

from fastapi import FastAPI

from scoring.config import Settings
from scoring.models import audit, messaging, replicas
from sfms_shared.clock import Clock
from sfms_shared.downstream import create_downstream_app


def create_app(settings: Settings | None = None, clock: Clock | None = None) -> FastAPI:
    return create_downstream_app(
        settings or Settings(),
        messaging,
        replicas,
        audit,
        title="SFMS scoring",
        description="Evaluation of eligible applications: rubrics, evaluators, score sheets, aggregation, ranking.",
        clock=clock,
    )
