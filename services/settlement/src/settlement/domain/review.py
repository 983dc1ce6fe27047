"""A budget review: every rule of the project's terms checked against its budget.

The same review is advice while an applicant drafts and a binding finding when intake
receives the submission; it names the call version it read, so it can be replayed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from settlement.domain.budget import Budget
from settlement.domain.checks_lines import (
    cloud_fee_checks,
    in_kind_checks,
    mandatory_line_checks,
    planner_management_checks,
    staff_labour_checks,
)
from settlement.domain.checks_shares import (
    cost_share_checks,
    government_checks,
    level_limit_checks,
)
from settlement.domain.fees import SettlementFee
from settlement.domain.findings import Finding
from settlement.domain.terms import ProjectTerms
from sfms_shared.contracts.call_terms import BudgetTerms, FeeTable
from sfms_shared.contracts.calls import SmartFactoryLevel
from sfms_shared.small_business import SmallBusinessClassification


@dataclass(frozen=True)
class Circumstances:
    """What some rules read besides the budget: the levels (레전드50+ limits) and whether
    the applicant is a small business by the call's size table (cloud-fee years)."""

    current_level: SmartFactoryLevel | None = None
    target_level: SmartFactoryLevel | None = None
    small_business: SmallBusinessClassification | None = None


@dataclass(frozen=True)
class BudgetReview:
    terms: ProjectTerms
    budget: Budget
    findings: tuple[Finding, ...]
    settlement_fee: SettlementFee | None

    @property
    def verdict(self) -> str:
        return "fail" if any(f.outcome == "fail" for f in self.findings) else "pass"

    def as_json(self) -> dict[str, Any]:
        return {
            "call_id": self.terms.call_id,
            "call_version": self.terms.call_version,
            "subject": self.terms.subject,
            "verdict": self.verdict,
            "figures": self.budget.figures.as_json(),
            "years": {str(y): self.budget.year(y).as_json() for y in self.budget.years},
            "settlement_fee": self.settlement_fee.as_json() if self.settlement_fee else None,
            "findings": [f.as_json() for f in self.findings],
        }


def fee_table(budget: BudgetTerms) -> FeeTable | None:
    """The fee table a mandatory line is read from (001: the settlement fee's)."""
    codes = [line.fee_table for line in budget.mandatory_lines if line.fee_table]
    return budget.fee_table(codes[0]) if codes else None


def review(budget: Budget, terms: ProjectTerms, circumstances: Circumstances) -> BudgetReview:
    findings = [
        *government_checks(budget, terms),
        *cost_share_checks(budget, terms),
        *level_limit_checks(budget, terms, circumstances.current_level, circumstances.target_level),
        *mandatory_line_checks(budget, terms),
        *planner_management_checks(budget, terms),
        *in_kind_checks(budget, terms),
        *cloud_fee_checks(budget, terms, circumstances.small_business),
        *staff_labour_checks(budget, terms),
    ]
    fee = SettlementFee.of(table, budget.figures) if (table := fee_table(terms.budget)) else None
    return BudgetReview(terms, budget, tuple(findings), fee)
