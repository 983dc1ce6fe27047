"""Wiring for the settlement service."""

from __future__ import annotations

from fastapi import FastAPI

from settlement.config import Settings
from settlement.models import audit, messaging, replicas
from sfms_shared.clock import Clock
from sfms_shared.downstream import create_downstream_app


def create_app(settings: Settings | None = None, clock: Clock | None = None) -> FastAPI:
    return create_downstream_app(
        settings or Settings(),
        messaging,
        replicas,
        audit,
        title="SFMS settlement",
        description="Budgets, mandatory fees, planner payments and settlement (정산).",
        clock=clock,
    )
