"""Request bodies of matching's API, bounded so that bad input is refused with the field."""

from __future__ import annotations

from typing import Annotated, Literal
from uuid import UUID

from fastapi import Path
from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from sfms_shared.contracts.common import Region
from sfms_shared.contracts.terms_matching import Technology

CallId = Annotated[str, Path(max_length=100, pattern=r"^[a-z0-9][a-z0-9-]*$")]
Brn = Annotated[str, StringConstraints(pattern=r"^\d{10}$")]
Division = Annotated[str, StringConstraints(pattern=r"^(1\d|2\d|3[0-4])$")]  # KSIC C 10–34
Role = Literal["planner", "supplier"]


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Profile(Body):
    """What a planner or supplier offers, as the pool publishes it."""

    name: Annotated[str, StringConstraints(min_length=1, max_length=200)]
    regions: Annotated[list[Region], Field(min_length=1, max_length=17)]
    industries: Annotated[list[Division], Field(max_length=25)] = []
    technologies: Annotated[list[Technology], Field(max_length=7)] = []
    records: Annotated[int, Field(ge=0, le=100_000, description="relevant records in the window")]
    full_time_staff: Annotated[int, Field(ge=0, le=100_000)]


class PlannerApplicationIn(Profile):
    subcontracts: bool = Field(
        description="forms a partnership or subcontracts (001 §2: not allowed)"
    )


class DesignationIn(Profile):
    brn: Brn


class ProposalIn(Body):
    role: Role
    member_ids: Annotated[list[UUID], Field(min_length=1, max_length=10)]


class AnswerIn(Body):
    accept: bool
    reason: Annotated[str, StringConstraints(max_length=1000)] | None = None


class OptimiserIn(Body):
    role: Role
    seed: Annotated[int, Field(ge=0, le=2**31 - 1)] = 0


class BusinessPlanIn(Body):
    title: Annotated[str, StringConstraints(min_length=1, max_length=200)]
