"""Budget terms (사업비 편성): fee tables, mandatory lines, shares and payments.

All amounts are integer KRW; all shares are ``Ratio`` (Decimal, 0..1).
Fee bands are closed above: a band applies to totals ``<= up_to_krw``
(001 §6: "50백만원 이하"); the last band is open (``up_to_krw: null``, "초과").
"""

from __future__ import annotations

from itertools import pairwise
from typing import Literal

from pydantic import Field, model_validator

from sfms_shared.contracts.common import Count, Frozen, Krw, Params, Ratio, Slug, Source, Text


class FeeBand(Frozen):
    up_to_krw: Krw | None  # inclusive upper bound; None: everything above the previous band
    fee_krw: Krw


class FeeTable(Frozen):
    code: Slug
    name: Text
    basis: Text  # what the bands are read against (정산대상 사업비 = 총사업비)
    vat_excluded: bool
    bands: tuple[FeeBand, ...] = Field(min_length=1)
    source: Source

    @model_validator(mode="after")
    def _ascending_and_closed(self) -> FeeTable:
        bounds = [b.up_to_krw for b in self.bands]
        if bounds[-1] is not None or None in bounds[:-1]:
            raise ValueError(f"{self.code}: only the last band is open (up_to_krw: null)")
        finite = [b for b in bounds if b is not None]
        if any(lo >= hi for lo, hi in pairwise(finite)):
            raise ValueError(f"{self.code}: band bounds must strictly increase")
        return self

    def fee_for(self, total_krw: int) -> int:
        if isinstance(total_krw, bool) or not isinstance(total_krw, int):
            raise TypeError("a total is integer KRW")
        return next(
            b.fee_krw for b in self.bands if b.up_to_krw is None or total_krw <= b.up_to_krw
        )


class MandatoryLine(Frozen):
    """A line that must be budgeted (필수계상); its amount is fixed or read from a fee table."""

    code: Slug
    name: Text
    category: Text  # 기타비용
    project_year: Count  # 1차년도 = 1
    amount_krw: Krw | None = None
    fee_table: Slug | None = None
    # 미편성할 경우, 총사업비와 별개로 도입기업 부담
    if_not_budgeted: Literal["applicant-pays-outside-total"] | None = None
    parameters: Params = Field(default_factory=dict)
    source: Source

    @model_validator(mode="after")
    def _one_amount(self) -> MandatoryLine:
        if (self.amount_krw is None) == (self.fee_table is None):
            raise ValueError(f"{self.code}: give amount_krw or fee_table, exactly one")
        return self


class ShareCap(Frozen):
    """A cost capped at a share of a base, per project year where stated; ``line``: the
    code of the budget lines that carry the cost."""

    line: Slug
    max_ratio: Ratio
    of: Literal["total-project-cost", "company-share", "government-grant"]
    per_project_year: bool = False
    source: Source


class InKindKind(Frozen):
    code: Slug
    name: Text
    cash_allowed: bool
    in_kind_allowed: bool
    project_year: Count | None = None  # e.g. AI 제조 데이터셋: 2차년도 only
    source: Source


class InKindRules(Frozen):
    """현물편성: which costs may be in kind, and how much."""

    kinds: tuple[InKindKind, ...] = Field(min_length=1)
    max_ratio_of_company_share: Ratio
    max_per_year_krw: Krw | None = None
    source: Source


class CloudFees(Frozen):
    """클라우드 서비스 이용료: years from first use; more for a small business."""

    max_years: Count
    small_business_max_years: Count
    size_table: Slug  # code of a CallTerms.size_tables entry
    must_start_within_agreement: bool = False
    source: Source


class PlannerPayment(Frozen):
    milestone: Literal["business-plan-submitted", "agreement-signed"]
    amount_krw: Krw
    source: Source


class SupportTypeCap(Frozen):
    support_type: str  # SupportType.code
    max_krw: Krw


class StaffLabour(Frozen):
    """도입기업 인건비 in the budget: a share of the company share, capped per support type;
    ``line``: the code of the budget lines that carry it."""

    line: Slug
    max_ratio_of_company_share: Ratio
    caps: tuple[SupportTypeCap, ...] = ()
    in_kind_only: bool = False
    source: Source


class BudgetTerms(Frozen):
    fee_tables: tuple[FeeTable, ...] = ()
    mandatory_lines: tuple[MandatoryLine, ...] = ()
    planner_management: ShareCap | None = None  # 전주기관리: ≤ 5 % of total, per year
    in_kind: InKindRules | None = None
    cloud_fees: CloudFees | None = None
    planner_payments: tuple[PlannerPayment, ...] = ()
    staff_labour: StaffLabour | None = None

    @model_validator(mode="after")
    def _references(self) -> BudgetTerms:
        codes = [t.code for t in self.fee_tables]
        if len(codes) != len(set(codes)):
            raise ValueError("fee table codes must be unique")
        for line in self.mandatory_lines:
            if line.fee_table is not None and line.fee_table not in codes:
                raise ValueError(f"{line.code}: unknown fee table {line.fee_table}")
        lines = [m.code for m in self.mandatory_lines]
        if len(lines) != len(set(lines)):
            raise ValueError("mandatory line codes must be unique")
        return self

    def fee_table(self, code: str) -> FeeTable | None:
        return next((t for t in self.fee_tables if t.code == code), None)

    def mandatory_amount(self, code: str, total_project_cost_krw: int) -> int:
        line = next(m for m in self.mandatory_lines if m.code == code)
        if line.amount_krw is not None:
            return line.amount_krw
        table = self.fee_table(line.fee_table)  # type: ignore[arg-type]
        assert table is not None
        return table.fee_for(total_project_cost_krw)
