"""An application's editable content, as the applicant writes it before submitting."""

from __future__ import annotations

from typing import Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from sfms_shared.contracts.applications import BonusClaim, BudgetLine, ConsortiumRoleName, KpiTarget


class ConsortiumSeat(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    role: ConsortiumRoleName
    organisation_id: UUID


class ApplicationDraft(BaseModel):
    """What an applicant may set. Status, versions, owner and review results are not here,
    so a client cannot set them (unknown fields are rejected)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    mode: Literal["solo", "consortium"] = "solo"
    support_type: str = Field(min_length=1, max_length=40)
    project_title: str = Field(default="", max_length=300)
    consortium: tuple[ConsortiumSeat, ...] = Field(default=(), max_length=20)
    budget: tuple[BudgetLine, ...] = Field(default=(), max_length=500)
    kpis: tuple[KpiTarget, ...] = Field(default=(), max_length=50)
    bonus_claims: tuple[BonusClaim, ...] = Field(default=(), max_length=10)


def merge_patch(target: object, patch: object) -> object:
    """RFC 7396 JSON Merge Patch: objects merge, ``null`` removes, anything else replaces."""
    if not isinstance(patch, dict):
        return patch
    result = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = merge_patch(result.get(key), value)
    return result
