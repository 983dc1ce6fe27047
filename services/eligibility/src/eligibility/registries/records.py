"""What a partner sends to each registry, validated, and how a stored record becomes a fact.

One model per registry; ``record_key`` is the partner's own id for the record (a sanction
number, a project number) and stays the same across its versions. A withdrawal is the
record sent again with ``withdrawn: true``. Errors name the field at fault, so a bulk
upload can say ``rows[12].ends_on``.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
)
from pydantic_core import PydanticCustomError

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
from sfms_shared.contracts.brn import brn_is_valid

# Korean text of the errors these models raise themselves (pydantic's own are in problems.py).
MESSAGES_KO = {
    "brn-check-digit": "사업자등록번호 검증번호가 맞지 않습니다",
    "period-order": "종료일이 시작일보다 앞섭니다",
}


def _check_digit(brn: str) -> str:
    if not brn_is_valid(brn):
        raise PydanticCustomError("brn-check-digit", "the check digit does not match")
    return brn


def _not_before(end: date | None, info: ValidationInfo, start_field: str) -> date | None:
    """The end of a period may not come before its start (when the start itself is valid)."""
    start = info.data.get(start_field)
    if end is not None and start is not None and end < start:
        raise PydanticCustomError(
            "period-order",
            "{end} is before {start_field} ({start})",
            {"end": end.isoformat(), "start_field": start_field, "start": start.isoformat()},
        )
    return end


Brn = Annotated[
    str,
    Field(pattern=r"^[0-9]{10}$", description="사업자등록번호, 10 digits"),
    AfterValidator(_check_digit),
]
Name = Annotated[str, StringConstraints(min_length=1, max_length=200, pattern=r"^[^\x00]+$")]
Note = Annotated[str, StringConstraints(max_length=200, pattern=r"^[^\x00]*$")]
Year = Annotated[int, Field(ge=2000, le=2100)]


class RecordIn(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    record_key: str = Field(min_length=1, max_length=200, pattern=r"^[^\x00-\x1f]+$")
    brn: Brn
    withdrawn: bool = False

    def data(self) -> dict[str, Any]:
        """The fact fields, as stored in ``registry_record.data``."""
        return self.model_dump(mode="json", exclude={"record_key", "brn", "withdrawn"})


class SanctionIn(RecordIn):
    source: SanctionRegistry
    program: Name
    starts_on: date
    ends_on: date | None = None
    reason: Note | None = None

    @field_validator("ends_on")
    @classmethod
    def _ends_after_start(cls, value: date | None, info: ValidationInfo) -> date | None:
        return _not_before(value, info, "starts_on")


class ClosureIn(RecordIn):
    status: Literal["active", "suspended", "closed"]
    effective_on: date


class TaxArrearsIn(RecordIn):
    tax: Literal["national", "local"]
    since: date
    cleared_on: date | None = None

    @field_validator("cleared_on")
    @classmethod
    def _cleared_after_since(cls, value: date | None, info: ValidationInfo) -> date | None:
        return _not_before(value, info, "since")


class OngoingProjectIn(RecordIn):
    program: Name
    year: Year
    concurrency_program: int | None = Field(default=None, ge=1, le=20)
    stage: Literal["applied", "selected", "executing", "completed", "withdrawn"]
    build_ends_on: date | None = None
    under_after_service: bool = False
    project_title: Note | None = None


class PoolIn(RecordIn):
    pool: Literal["supplier", "planner"]
    status: Literal["registered", "selected", "designated", "removed"]
    since: date
    until: date | None = None
    relevant_records: int | None = Field(default=None, ge=0, le=100_000)
    full_time_staff: int | None = Field(default=None, ge=0, le=1_000_000)
    subcontracts: bool | None = None

    @field_validator("until")
    @classmethod
    def _until_after_since(cls, value: date | None, info: ValidationInfo) -> date | None:
        return _not_before(value, info, "since")


class FundedPlanIn(RecordIn):
    program: Name
    year: Year
    project_title: Name


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
# The field of ``OrganisationFacts`` each registry's facts go to.
FACT_FIELD: dict[RegistryName, str] = {
    "sanctions": "sanctions",
    "closures": "statuses",
    "tax-arrears": "tax_arrears",
    "ongoing-projects": "ongoing_projects",
    "pools": "memberships",
    "funded-plans": "funded_plans",
}


def fact_of(registry: RegistryName, record_key: str, version: int, data: dict[str, Any]) -> Any:
    """A stored version as the fact the rules read, naming itself as the evidence."""
    evidence = Evidence(registry=registry, record_key=record_key, version=version)
    return FACTS[registry].model_validate({**data, "evidence": evidence})
