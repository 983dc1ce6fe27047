"""Request bodies of scoring's API, bounded so that bad input is refused with the field."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Literal
from uuid import UUID

from fastapi import Path
from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from sfms_shared.contracts.terms_scoring import Stage

Code = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=80)]
Brn = Annotated[str, StringConstraints(pattern=r"^\d{10}$")]
Points = Annotated[
    Decimal, Field(ge=0, le=1000, max_digits=7, decimal_places=2, allow_inf_nan=False)
]
Comment = Annotated[str, StringConstraints(max_length=2000)]
CallId = Annotated[str, Path(max_length=100, pattern=r"^[a-z0-9][a-z0-9-]*$")]
StageName = Annotated[Stage, Path(description="document-review, on-site-review, ...")]


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class DeclarationIn(Body):
    brn: Brn
    relation: Literal["business-relationship", "former-employee", "relative", "advisory", "other"]
    note: Comment = ""


class EvaluatorIn(Body):
    subject: Annotated[str, StringConstraints(min_length=1, max_length=200)]
    name: Annotated[str, StringConstraints(min_length=1, max_length=100)]
    affiliation: Annotated[str, StringConstraints(min_length=1, max_length=200)]
    organisation_brn: Brn | None = None
    declarations: Annotated[list[DeclarationIn], Field(max_length=100)] = []


class PanelIn(Body):
    name: Annotated[str, StringConstraints(min_length=1, max_length=100)]
    evaluator_ids: Annotated[list[UUID], Field(min_length=1, max_length=30)]


class AssignmentIn(Body):
    seed: Annotated[int, Field(ge=0, le=2**31 - 1)] = 0


class SheetIn(Body):
    items: Annotated[dict[Code, Points], Field(max_length=50)] = {}
    checks: Annotated[dict[Code, Literal["pass", "fail"]], Field(max_length=50)] = {}
    comments: Annotated[dict[Code, Comment], Field(max_length=100)] = {}
    comment: Comment = ""


class ReopenIn(Body):
    reason: Annotated[str, StringConstraints(min_length=1, max_length=1000)]


class RevokedBonus(Body):
    item: Code
    reason: Annotated[str, StringConstraints(min_length=5, max_length=1000)]


class BonusIn(Body):
    revoked: Annotated[list[RevokedBonus], Field(max_length=20)] = []


class ComponentIn(Body):
    score: Annotated[
        Decimal, Field(ge=0, le=100, max_digits=5, decimal_places=2, allow_inf_nan=False)
    ]


class ConfirmationIn(Body):
    points: Annotated[int, Field(ge=0, le=100)]
    reason: Annotated[str, StringConstraints(min_length=5, max_length=1000)]
