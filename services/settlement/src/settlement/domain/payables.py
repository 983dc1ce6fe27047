"""The planners' payables ledger (001 §2 기획기관 역할; §5 주요 사항 기획지원): "기획지원 후
사업계획서 제출 시 기획기관에 과제당 10백만원 지급; 최종선정 후 지원과제 협약체결 완료 시
과제당 10백만원 추가 지급".

Entries are never changed or deleted. A milestone pays once per project (its payment key);
a correction is a reversing entry for the whole amount, naming the entry it reverses.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from sfms_shared.contracts.call_terms import BudgetTerms, PlannerPayment

MILESTONES = {
    "business-plan-submitted": ("사업계획서 제출", "business plan submitted"),
    "agreement-signed": ("협약 체결", "agreement signed"),
}


def payment_for(terms: BudgetTerms, milestone: str) -> PlannerPayment | None:
    return next((p for p in terms.planner_payments if p.milestone == milestone), None)


def payment_key(application_id: UUID, milestone: str) -> str:
    return f"{application_id}:{milestone}"


@dataclass(frozen=True)
class Entry:
    id: UUID
    call_id: str
    application_id: UUID
    planner_member_id: UUID
    planner_brn: str
    planner_name: str
    milestone: str
    amount_krw: int
    payment_key: str | None
    reverses: UUID | None
    reason: str | None
    cause: str
    source: dict[str, str]
    recorded_by: str
    recorded_at: datetime

    def reversal(self, new_id: UUID, reason: str, by: str, at: datetime) -> Entry:
        return Entry(
            id=new_id,
            call_id=self.call_id,
            application_id=self.application_id,
            planner_member_id=self.planner_member_id,
            planner_brn=self.planner_brn,
            planner_name=self.planner_name,
            milestone=self.milestone,
            amount_krw=-self.amount_krw,
            payment_key=None,
            reverses=self.id,
            reason=reason,
            cause=f"reversal of {self.id}",
            source=self.source,
            recorded_by=by,
            recorded_at=at,
        )

    def as_json(self) -> dict[str, Any]:
        ko, en = MILESTONES[self.milestone]
        return {
            "id": str(self.id),
            "call_id": self.call_id,
            "application_id": str(self.application_id),
            "planner": {
                "member_id": str(self.planner_member_id),
                "brn": self.planner_brn,
                "name": self.planner_name,
            },
            "milestone": self.milestone,
            "milestone_name": {"ko": ko, "en": en},
            "kind": "reversal" if self.reverses else "payment",
            "amount_krw": self.amount_krw,
            "reverses": str(self.reverses) if self.reverses else None,
            "reason": self.reason,
            "cause": self.cause,
            "source": self.source,
            "recorded_by": self.recorded_by,
            "recorded_at": self.recorded_at.isoformat(),
        }


def totals(entries: Iterable[Entry]) -> dict[str, Any]:
    """A statement's sums: per milestone, reversed, and the balance payable."""
    by_milestone = dict.fromkeys(MILESTONES, 0)
    reversed_krw = 0
    for entry in entries:
        by_milestone[entry.milestone] += entry.amount_krw
        if entry.reverses:
            reversed_krw += -entry.amount_krw
    return {
        "by_milestone_krw": by_milestone,
        "reversed_krw": reversed_krw,
        "payable_krw": sum(by_milestone.values()),
    }
