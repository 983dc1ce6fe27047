"""What settlement announces: an agreement (협약) signed after final selection
(``settlement.agreement-signed.v1``), which pays the planner its second milestone
(001 §2 기획기관 역할: "최종선정 후 지원과제 협약체결 완료 시 과제당 10백만원 추가 지급")."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from pydantic import BaseModel, ConfigDict

from sfms_shared.contracts.scores import ConsortiumParty


class SignedAgreement(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    agreement_id: UUID
    application_id: UUID
    call_id: str
    call_version: int
    applicant_brn: str
    applicant_name: str
    planner: ConsortiumParty | None
    suppliers: tuple[ConsortiumParty, ...]
    starts_on: date
    ends_on: date
    government_krw: int
    total_krw: int
    signed_at: datetime


class PlannerPaymentRecorded(BaseModel):
    """A milestone payment owed to a planner entered the payables ledger (001 §2 기획기관
    역할): ``milestone`` business-plan-submitted or agreement-signed."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    entry_id: UUID
    call_id: str
    application_id: UUID
    planner: ConsortiumParty
    milestone: str
    amount_krw: int
    recorded_at: datetime
