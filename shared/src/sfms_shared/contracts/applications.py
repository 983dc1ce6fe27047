"""What an application is made of, as carried in intake's events.

These shapes are the contract: intake validates input against them and every
downstream service reads the snapshot in ``intake.application-submitted.v1``.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from sfms_shared.contracts.calls import SmartFactoryLevel

OrganisationKind = Literal["company", "supplier", "planner"]
SizeClass = Literal["small", "medium", "midsize", "large"]  # 소기업, 중기업, 중견기업, 대기업
LegalForm = Literal["corporation", "sole-proprietor"]
LevelEvidence = Literal["government-support-verified", "level-check-certified"]
ConsortiumRoleName = Literal["supplier", "planner"]


class Contract(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class SmartFactoryStatus(Contract):
    """Level and how it was established (001 §3: built under government support and
    verified, or certified by the level-check program 수준확인)."""

    level: SmartFactoryLevel
    evidence: LevelEvidence
    certified_on: date


class FinancialYear(Contract):
    year: int = Field(ge=1990, le=2100)
    revenue_krw: int
    operating_profit_krw: int
    total_liabilities_krw: int = Field(ge=0)
    total_equity_krw: int


class ExportYear(Contract):
    year: int = Field(ge=1990, le=2100)
    direct_export_krw: int = Field(ge=0)


class OrganisationSnapshot(Contract):
    id: UUID
    kind: OrganisationKind
    brn: str
    name: str
    legal_form: LegalForm
    ksic_code: str
    size_class: SizeClass
    region: str
    founded_on: date
    headcount: int
    smart_factory: SmartFactoryStatus | None = None
    financials: tuple[FinancialYear, ...] = ()
    exports: tuple[ExportYear, ...] = ()
    branch_workplace: bool = False


class ConsortiumMember(Contract):
    role: ConsortiumRoleName
    organisation_id: UUID
    brn: str
    name: str


class BudgetLine(Contract):
    """One line of the budget plan, integer KRW. ``year`` is the project year (1차년도 = 1).

    ``code`` says what the line is when the call names it: one of its mandatory lines
    (``settlement-fee``, ``training``, ``technology-escrow``), the planner's full-cycle
    management (``planner-management``) or a cost that may be in kind (``cloud-fee``,
    ``applicant-staff-labour``, ``ai-dataset``); the call's budget terms decide what
    each code allows. ``private_cash_krw`` and ``private_in_kind_krw`` are the
    applicant's share (기업부담금); ``large_enterprise_krw`` is a co-funding large
    enterprise's (대중소상생형). ``service_years``: the years of cloud service a
    ``cloud-fee`` line pays for.
    """

    year: int = Field(ge=1, le=5)
    category: str = Field(min_length=1, max_length=60)
    item: str = Field(min_length=1, max_length=120)
    code: str | None = Field(default=None, pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=60)
    government_krw: int = Field(ge=0)
    private_cash_krw: int = Field(ge=0)
    private_in_kind_krw: int = Field(ge=0)
    large_enterprise_krw: int = Field(default=0, ge=0)
    service_years: int | None = Field(default=None, ge=1, le=10)


class KpiTarget(Contract):
    code: str = Field(min_length=1, max_length=60)
    name: str = Field(min_length=1, max_length=200)
    unit: str = Field(min_length=1, max_length=30)
    baseline: str = Field(max_length=60)
    target: str = Field(max_length=60)


class BonusClaim(Contract):
    item: str = Field(min_length=1, max_length=60)
    evidence_document_id: UUID | None = None


class DocumentRef(Contract):
    id: UUID
    kind: str
    sha256: str
    media_type: str
    size_bytes: int
    issuer: str | None
    issued_on: date | None
    fiscal_year: int | None = None
    uploaded_at: datetime
    # Where the bytes are in the document store: the reference downstream services read
    # them by (scoring reads the financial statements). Intake's API does not show it.
    storage_name: str | None = None


class ApplicationSnapshot(Contract):
    """An application exactly as submitted (one submission version)."""

    application_id: UUID
    call_id: str
    call_version: int
    submission_version: int
    receipt_number: str
    received_at: datetime
    mode: Literal["solo", "consortium"]
    support_type: str
    applicant: OrganisationSnapshot
    consortium: tuple[ConsortiumMember, ...] = ()
    budget: tuple[BudgetLine, ...] = ()
    kpis: tuple[KpiTarget, ...] = ()
    bonus_claims: tuple[BonusClaim, ...] = ()
    documents: tuple[DocumentRef, ...] = ()
    project_title: str
