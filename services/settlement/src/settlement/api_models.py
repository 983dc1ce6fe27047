"""Request bodies of settlement's API, bounded so that bad input is refused with the field."""

from __future__ import annotations

from datetime import date
from typing import Annotated
from uuid import UUID

from fastapi import Path
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from sfms_shared.contracts.applications import BudgetLine
from sfms_shared.contracts.calls import SmartFactoryLevel

CallId = Annotated[str, Path(max_length=100, pattern=r"^[a-z0-9][a-z0-9-]*$")]
Krw = Annotated[int, Field(ge=0, le=10**13)]
Code = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=80)]
Reason = Annotated[str, StringConstraints(min_length=1, max_length=1000)]


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Revenue(Body):
    year: Annotated[int, Field(ge=1990, le=2100)]
    revenue_krw: Krw


class ApplicantSize(Body):
    """For the size table (소기업: cloud-fee years): the main industry and recent revenue."""

    ksic_code: Annotated[str, StringConstraints(pattern=r"^[A-U](\d{2,5})?$")]
    revenues: Annotated[list[Revenue], Field(min_length=1, max_length=5)]


class BudgetCheckIn(Body):
    """A budget to check against a call: give ``support_type`` for a call that takes
    applications (001, 003), or ``program`` (and ``variant``) for a catalogue (002, 004)."""

    support_type: Code | None = None
    program: Code | None = None
    variant: Code | None = None
    current_level: SmartFactoryLevel | None = None
    target_level: SmartFactoryLevel | None = None
    applicant: ApplicantSize | None = None
    lines: Annotated[list[BudgetLine], Field(min_length=1, max_length=500)]

    @model_validator(mode="after")
    def _one_subject(self) -> BudgetCheckIn:
        if (self.support_type is None) == (self.program is None):
            raise ValueError("give support_type (a call) or program (a catalogue), not both")
        if self.variant is not None and self.program is None:
            raise ValueError("a variant belongs to a program: give program too")
        return self


class AgreementIn(Body):
    application_id: UUID
    starts_on: date


class CutIn(Body):
    """A cut by the on-site cost review: the line's new amounts (only lower) and why."""

    line: Annotated[int, Field(ge=0, le=499)]
    government_krw: Krw | None = None
    private_cash_krw: Krw | None = None
    private_in_kind_krw: Krw | None = None
    large_enterprise_krw: Krw | None = None
    reason: Reason


class ExecutedLine(Body):
    line: Annotated[int, Field(ge=0, le=499)]
    cash_krw: Krw
    in_kind_krw: Krw = 0


class GrantPaid(Body):
    year: Annotated[int, Field(ge=1, le=5)]
    government_krw: Krw


class SettlementIn(Body):
    executed: Annotated[list[ExecutedLine], Field(max_length=500)]
    paid: Annotated[list[GrantPaid], Field(max_length=5)] = Field(
        default=[], description="The grant paid per project year, when not the agreed one"
    )


class ReversalIn(Body):
    reason: Reason
