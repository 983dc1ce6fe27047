"""What scoring decides, as carried in ``scoring.application-scored.v1`` and
``scoring.stage-completed.v1``; and what matching announces: the consortium it formed,
which opens the on-site review (``matching.consortium-formed.v1``), and a planner's
recruitment application, which scoring evaluates (``matching.planner-applied.v1``).

Scores are ``Decimal`` (carried as strings in JSON), rounded as the call says.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict

from sfms_shared.contracts.terms_scoring import Stage

Outcome = Literal[
    "shortlisted",  # 서면평가: within the 1.5× cut
    "not-shortlisted",
    "selected",  # 현장평가: 선정
    "alternate",  # 현장평가: 후보
    "not-selected",
    "supported",  # KAMP: final ≥ threshold
    "below-threshold",
    "checks-failed",  # a pass/fail site check failed
]
Why = Literal["completed", "disqualification"]


class _Contract(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ItemScore(_Contract):
    code: str
    max_points: int
    points: Decimal  # the panel's average (or the computed points of a quantitative item)


class ApplicationScore(_Contract):
    """One application's result at one stage."""

    application_id: UUID
    call_id: str
    call_version: int
    stage: Stage
    items: tuple[ItemScore, ...]
    total_without_bonus: Decimal
    bonus: int
    final: Decimal
    evaluators: int
    checks_passed: bool | None = None  # None: the stage has no pass/fail checks
    scored_at: datetime


class RankedEntry(_Contract):
    rank: int
    application_id: UUID
    final: Decimal
    total_without_bonus: Decimal
    bonus: int
    outcome: Outcome
    tie_break: str | None = None  # which step of the chain placed it against its neighbour


class StageResult(_Contract):
    """A stage's ranked list with its cut-off. ``sequence`` 1 is the completion; a later
    one follows a disqualification (the application leaves, the next moves up)."""

    call_id: str
    call_version: int
    stage: Stage
    sequence: int
    why: Why
    target: int | None
    passing: int  # how many rows pass the cut (shortlisted, selected, supported)
    entries: tuple[RankedEntry, ...]
    removed: tuple[UUID, ...] = ()  # disqualified since the previous sequence
    completed_at: datetime


class ConsortiumParty(_Contract):
    """A planner or supplier of a formed consortium: its pool membership, BRN and name."""

    member_id: UUID
    brn: str
    name: str


class FormedConsortium(_Contract):
    application_id: UUID
    call_id: str
    planner: ConsortiumParty | None
    suppliers: tuple[ConsortiumParty, ...]
    formed_at: datetime


class PlannerApplication(_Contract):
    """A planner that applied in a call's recruitment and passed the requirement review
    (001 §2 기획기관 선정): it goes to the capability evaluation (기획기관평가)."""

    application_id: UUID  # the planner's membership in the call's pool
    call_id: str
    call_version: int
    brn: str
    name: str
    applied_at: datetime


class BusinessPlan(_Contract):
    """The business plan a consortium's planner submits after planning support (기획지원):
    001 §2 기획기관 역할 "기획지원 후 사업계획서 제출 시 기획기관에 과제당 10백만원 지급"."""

    application_id: UUID
    call_id: str
    planner: ConsortiumParty
    version: int  # 1, then 2, ... when the planner revises it
    title: str
    submitted_at: datetime


class ProposalMade(_Contract):
    """A planner or supplier was proposed for an application's consortium and is asked to
    answer by ``expires_at`` (001 §2 컨소시엄 구성: 상호협의)."""

    proposal_id: UUID
    application_id: UUID
    call_id: str
    role: Literal["planner", "supplier"]
    member: ConsortiumParty
    proposed_by: str  # applicant, planner, operator
    proposed_at: datetime
    expires_at: datetime | None
