"""The call (공고) document: the contract every service reads its part of.

A call is data, never code. Intake owns it, versions it and publishes the whole
document in ``intake.call-published.v1``; the other services keep what they need.
Every rule and number carries the seed section it comes from (``Source``).

The parts intake enforces itself (schedule, required documents, consortium roles)
are typed here in detail; the parts other services interpret (eligibility rules,
rubrics, bonus items, fee tables, concurrency, budget rules, size tables) are typed
in ``call_terms`` and referenced from ``CallDocument.terms``.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import Field, model_validator

from sfms_shared.contracts.call_terms import CallTerms, ProgramRow
from sfms_shared.contracts.common import Frozen, Ratio, SmartFactoryLevel, Source, Text


class Window(Frozen):
    """A half-open interval ``[opens_at, closes_at)`` defined in Korea time.

    Both instants carry their offset (``+09:00``); a submission is on time when
    ``opens_at <= received_at < closes_at``. ``closes_at`` is absent when a call runs
    until its budget is spent (003 Ⅴ: 예산 소진시 까지); an operator closes it then.
    """

    opens_at: datetime
    closes_at: datetime | None
    source: Source

    @model_validator(mode="after")
    def _aware_and_ordered(self) -> Window:
        for instant in (self.opens_at, self.closes_at):
            if instant is not None and instant.tzinfo is None:
                raise ValueError("window instants must carry a UTC offset (KST is +09:00)")
        if self.closes_at is not None and not self.opens_at < self.closes_at:
            raise ValueError("opens_at must be before closes_at")
        return self

    def contains(self, instant: datetime) -> bool:
        return self.opens_at <= instant and (self.closes_at is None or instant < self.closes_at)


class MonthSpan(Frozen):
    """A period announced only by month (e.g. 선정평가 '26년 6~8월)."""

    from_month: str = Field(pattern=r"^\d{4}-\d{2}$")
    to_month: str = Field(pattern=r"^\d{4}-\d{2}$")
    source: Source


class Schedule(Frozen):
    timezone: Literal["Asia/Seoul"] = "Asia/Seoul"
    application: Window
    planner_recruitment: Window | None = None
    selection_evaluation: MonthSpan | None = None
    agreement: MonthSpan | None = None


class SupportType(Frozen):
    """One support type of a call (지원유형) with its maxima."""

    code: str
    name: Text
    duration_months: int
    government_limit_total_krw: int
    government_limit_per_year_krw: int | None = None
    government_ratio_max: Ratio
    target_level_min: SmartFactoryLevel | None = None
    applicant_level_min: SmartFactoryLevel | None = None
    mandatory_technologies: tuple[str, ...] = ()
    extension_months_max: int | None = None
    source: Source


class TargetCount(Frozen):
    value: int
    approximate: bool = True  # "15개 내외"
    source: Source


class DocumentValidity(Frozen):
    """When a document counts as valid.

    ``max_age_months``: issued at most this many months before the reference date
    (발행일로부터 3개월 이내). ``reference``: the submission instant or the call's
    deadline (가점 증빙: 접수 마감일을 기준으로 유효한 서류).
    """

    max_age_months: int | None = None
    reference: Literal["submission", "deadline"] = "submission"
    source: Source


class FiscalYearCoverage(Frozen):
    """A per-year document: one for each year, or the alternative years.

    001 §3: statements for '23–'25; a company whose 2025 statements are not closed
    submits 2022–2024 instead.
    """

    years: tuple[int, ...]
    alternative_years: tuple[int, ...] = ()
    source: Source


class DocumentRequirement(Frozen):
    kind: str = Field(pattern=r"^[a-z0-9-]+$")
    name: Text
    # always: must be present; when-applicable: only if the condition holds;
    # optional: never required (e.g. export record, 해당시).
    required: Literal["always", "when-applicable", "optional"] = "always"
    condition: (
        Literal[
            "corporation",  # 법인만 해당 (등기부등본, 법인인감)
            "bonus-claimed",  # 가점 신청 시
            "branch-workplace",  # 종된 사업장에 구축 시
        ]
        | None
    ) = None
    validity: DocumentValidity | None = None
    fiscal_years: FiscalYearCoverage | None = None
    source: Source

    @model_validator(mode="after")
    def _condition_matches_requirement(self) -> DocumentRequirement:
        if (self.required == "when-applicable") != (self.condition is not None):
            raise ValueError("a condition goes with required=when-applicable, and only with it")
        return self


class ConsortiumRole(Frozen):
    role: Literal["applicant", "supplier", "planner"]
    min_count: int
    max_count: int | None = None
    source: Source


class ConsortiumRules(Frozen):
    """Who may form an application (001 §1 지원 대상, §2 컨소시엄 구성)."""

    modes: tuple[Literal["solo", "consortium"], ...]
    roles: tuple[ConsortiumRole, ...]
    planner_may_not_supply: bool = True
    source: Source

    def role(self, name: str) -> ConsortiumRole | None:
        return next((r for r in self.roles if r.role == name), None)


class CallDocument(Frozen):
    """One version of a call. ``id`` is stable across versions; ``version`` grows."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{2,80}$")
    version: int = 1
    kind: Literal["call", "catalogue"] = "call"
    receipt_prefix: str = Field(pattern=r"^[A-Z0-9-]{2,16}$")
    title: Text
    ministry: Text
    agency: Text | None = None
    announced_on: date
    year: int
    source: Source
    schedule: Schedule | None = None
    target: TargetCount | None = None
    support_types: tuple[SupportType, ...] = ()
    required_documents: tuple[DocumentRequirement, ...] = ()
    planner_required_documents: tuple[DocumentRequirement, ...] = ()
    consortium: ConsortiumRules | None = None
    programs: tuple[ProgramRow, ...] = ()
    terms: CallTerms = CallTerms()

    @model_validator(mode="after")
    def _a_call_can_take_applications(self) -> CallDocument:
        if self.kind == "call" and (self.schedule is None or self.consortium is None):
            raise ValueError("a call that takes applications needs a schedule and consortium rules")
        kinds = [d.kind for d in self.required_documents]
        if len(kinds) != len(set(kinds)):
            raise ValueError("required document kinds must be unique")
        return self

    def document_requirement(self, kind: str) -> DocumentRequirement | None:
        return next((d for d in self.required_documents if d.kind == kind), None)
