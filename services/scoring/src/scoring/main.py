"""Wiring for the scoring service."""

from __future__ import annotations

from fastapi import FastAPI

from scoring.config import Settings
from scoring.models import messaging, replicas
from sfms_shared.clock import Clock
from sfms_shared.downstream import create_downstream_app


def create_app(settings: Settings | None = None, clock: Clock | None = None) -> FastAPI:
    return create_downstream_app(
        settings or Settings(),
        messaging,
        replicas,
        title="SFMS scoring",
        description=" rubrics, evaluators, score sheets, ranking:Evaluation of eligible applications: score sheets, aggregation, ranking.",
        clock=clock,
    )
