"""What a partner sends to each registry, validated, and how a stored record becomes a fact.

One model per registry; ``record_key`` is the partner's own id for the record (a sanction
number, a project number) and stays the same across its versions.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from eligibility.domain.facts import (
    BusinessStatus,
    Evidence,
    FundedPlan,
    OngoingProject,
    PoolMembership,
    RegistryName,
    Sanction,
    SanctionRegistry,
    TaxArrears,
)

Name = Field(min_length=1, max_length=200)
Year = Field(ge=2000, le=2100)


def brn_is_valid(brn: str) -> bool:
    """사업자등록번호 check digit (weights 1,3,7,1,3,7,1,3,5)."""
    if len(brn) != 10 or not brn.isdigit():
        return False
    digits = [int(c) for c in brn]
    weights = (1, 3, 7, 1, 3, 7, 1, 3, 5)
    total = sum(d * w for d, w in zip(digits, weights, strict=False)) + digits[8] * 5 // 10
    return (10 - total % 10) % 10 == digits[9]


class RecordIn(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    record_key: str = Field(min_length=1, max_length=200, pattern=r"^[^\x00-\x1f]+$")
    brn: str = Field(pattern=r"^\d{10}$", description="사업자등록번호 (10 digits)")
    withdrawn: bool = False

    @model_validator(mode="after")
    def _brn_check_digit(self) -> RecordIn:
        if not brn_is_valid(self.brn):
            raise ValueError("brn: the check digit does not match (사업자등록번호 검증번호 오류)")
        return self

    def data(self) -> dict[str, Any]:
        return self.model_dump(mode="json", exclude={"record_key", "brn", "withdrawn"})


def _ordered(start: date | None, end: date | None, names: str) -> None:
    if start is not None and end is not None and end < start:
        raise ValueError(f"{names}: the end is before the start")


class SanctionIn(RecordIn):
    source: SanctionRegistry
    program: str = Name
    starts_on: date
    ends_on: date | None = None
    reason: str | None = Field(default=None, max_length=200)

    @model_validator(mode="after")
    def _period(self) -> SanctionIn:
        _ordered(self.starts_on, self.ends_on, "ends_on")
        return self


class ClosureIn(RecordIn):
    status: Literal["active", "suspended", "closed"]
    effective_on: date


class TaxArrearsIn(RecordIn):
    tax: Literal["national", "local"]
    since: date
    cleared_on: date | None = None

    @model_validator(mode="after")
    def _period(self) -> TaxArrearsIn:
        _ordered(self.since, self.cleared_on, "cleared_on")
        return self


class OngoingProjectIn(RecordIn):
    program: str = Name
    year: int = Year
    concurrency_program: int | None = Field(default=None, ge=1, le=20)
    stage: Literal["applied", "selected", "executing", "completed", "withdrawn"]
    build_ends_on: date | None = None
    under_after_service: bool = False
    project_title: str | None = Field(default=None, max_length=200)


class PoolIn(RecordIn):
    pool: Literal["supplier", "planner"]
    status: Literal["registered", "selected", "designated", "removed"]
    since: date
    until: date | None = None
    relevant_records: int | None = Field(default=None, ge=0, le=100_000)
    full_time_staff: int | None = Field(default=None, ge=0, le=1_000_000)
    subcontracts: bool | None = None

    @model_validator(mode="after")
    def _period(self) -> PoolIn:
        _ordered(self.since, self.until, "until")
        return self


class FundedPlanIn(RecordIn):
    program: str = Name
    year: int = Year
    project_title: str = Name


INPUTS: dict[RegistryName, type[RecordIn]] = {
    "sanctions": SanctionIn,
    "closures": ClosureIn,
    "tax-arrears": TaxArrearsIn,
    "ongoing-projects": OngoingProjectIn,
    "pools": PoolIn,
    "funded-plans": FundedPlanIn,
}
FACTS: dict[RegistryName, type[BaseModel]] = {
    "sanctions": Sanction,
    "closures": BusinessStatus,
    "tax-arrears": TaxArrears,
    "ongoing-projects": OngoingProject,
    "pools": PoolMembership,
    "funded-plans": FundedPlan,
}
FACT_FIELD: dict[RegistryName, str] = {
    "sanctions": "sanctions",
    "closures": "statuses",
    "tax-arrears": "tax_arrears",
    "ongoing-projects": "ongoing_projects",
    "pools": "memberships",
    "funded-plans": "funded_plans",
}


def fact_of(registry: RegistryName, record_key: str, version: int, data: dict[str, Any]) -> Any:
    evidence = Evidence(registry=registry, record_key=record_key, version=version)
    return FACTS[registry].model_validate({**data, "evidence": evidence})
