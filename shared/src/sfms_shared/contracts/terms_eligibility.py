"""Eligibility terms (요건검토): the rules the eligibility service evaluates.

A rule names a ``check`` from a closed vocabulary (the eligibility service has one
implementation per check), the roles it applies to, its parameters and a reason
template a person can read in Korean and English. Placeholders in the template
(``{min_level}``) are parameter names or one of ``CONTEXT_PLACEHOLDERS``, filled
in by the service from the case at hand.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from sfms_shared.contracts.common import Frozen, Params, Slug, Source, Text, placeholders

Role = Literal["applicant", "supplier", "planner"]

Check = Literal[
    "domestic-company",  # 국내 기업
    "company-size",  # 중소기업기본법 / 중견기업법에 따른 중소·중견기업
    "industry",  # 제조기업: KSIC sections allowed
    "smart-factory-level",  # 구축기업 또는 수준확인기업, level ≥ min_level
    "per-workplace",  # 사업자등록번호로 구분되는 사업장별 신청
    "business-active",  # 휴·폐업중인 기업 제외
    "no-tax-arrears",  # 국세 및 지방세 체납 중인 기업 제외
    "excluded-industry",  # 유흥·향락업, 숙박·음식점, 불건전 오락용품 제조업
    "no-ongoing-restricted-program",  # 스마트공장 구축지원사업 수행 중 (exception in params)
    "concurrency-table",  # 2026 동시 지원·선정 제한 (CallTerms.concurrency)
    "no-participation-restriction",  # '참여제한' 중 (sources in CallTerms.concurrency)
    "no-duplicate-funding",  # 동일·유사한 사업계획서로 정부 지원
    "program-specific-exclusion",  # 개별 사업공고의 '신청 제한'·'지원 제외'
    "supplier-in-pool",  # 공급기업 Pool 등록
    "planner-applied-and-selected",  # 컨소시엄에 포함된 기획기관은 신청·선정 필수
    "planner-not-supplier",  # 기획기관은 공급기업 동시 수행 불가
    "planner-no-subcontracting",  # 단독 신청, 협업체 구성 및 하도급 불가
    "planner-track-record",  # 실적 N건 이상
    "planner-staff",  # 상근 인력 N인 이상
    "documents-valid",  # 발행일로부터 N개월 이내
    "solution-equipment-integration",  # 도입 솔루션과 장비가 연동 (003)
]

# Placeholders a reason template may use besides its own parameter names.
CONTEXT_PLACEHOLDERS: frozenset[str] = frozenset(
    {"deadline", "role", "found", "organisation", "document", "program"}
)


class EligibilityRule(Frozen):
    """One requirement or disqualification, judged per organisation in a role."""

    id: Slug
    check: Check
    applies_to: tuple[Role, ...] = Field(min_length=1)
    description: Text
    parameters: Params = Field(default_factory=dict)
    reason: Text  # shown when the rule fails; ``{name}`` placeholders
    source: Source

    @model_validator(mode="after")
    def _placeholders_known(self) -> EligibilityRule:
        ko, en = placeholders(self.reason.ko), placeholders(self.reason.en)
        if ko != en:
            raise ValueError(
                f"rule {self.id}: ko and en reasons use different placeholders {ko ^ en}"
            )
        unknown = ko - set(self.parameters) - CONTEXT_PLACEHOLDERS
        if unknown:
            raise ValueError(f"rule {self.id}: unknown placeholders {sorted(unknown)}")
        if len(set(self.applies_to)) != len(self.applies_to):
            raise ValueError(f"rule {self.id}: a role is listed twice")
        return self

    def render_reason(self, **context: object) -> Text:
        values = {**{k: _show(v) for k, v in self.parameters.items()}, **context}
        return Text(ko=self.reason.ko.format(**values), en=self.reason.en.format(**values))


def _show(value: object) -> str:
    if isinstance(value, tuple):
        return ", ".join(str(v) for v in value)
    return str(value)


class AnyStageRemoval(Frozen):
    """A disqualification found at any stage removes the application (평가 제외, 협약 해약)."""

    excluded_from_evaluation: bool
    agreement_terminated: bool
    source: Source


class EligibilityTerms(Frozen):
    # 001 §3: 접수 마감일 기준; 003 Ⅸ: 과제 신청일 기준; None: the seed does not say
    # (a catalogue leaves it to each program's own call).
    judged_as_of: Literal["application-deadline", "application-date"] | None = None
    judged_as_of_source: Source | None = None
    rules: tuple[EligibilityRule, ...] = ()
    any_stage_removal: AnyStageRemoval | None = None

    @model_validator(mode="after")
    def _unique_ids(self) -> EligibilityTerms:
        if (self.judged_as_of is None) != (self.judged_as_of_source is None):
            raise ValueError("judged_as_of and judged_as_of_source go together")
        ids = [r.id for r in self.rules]
        if len(ids) != len(set(ids)):
            raise ValueError("eligibility rule ids must be unique")
        return self

    def rule(self, rule_id: str) -> EligibilityRule | None:
        return next((r for r in self.rules if r.id == rule_id), None)

    def rules_for(self, role: Role) -> tuple[EligibilityRule, ...]:
        return tuple(r for r in self.rules if role in r.applies_to)
