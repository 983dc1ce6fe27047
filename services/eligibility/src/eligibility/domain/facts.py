"""What the partner registries say about an organisation, as the rules read it.

Each fact is one current record of a registry (sanctions, closures, tax arrears, ongoing
projects, pool memberships, funded plans), carrying the id and version of the record it
came from so a decision can name its evidence. ``OrganisationFacts`` gathers them per
business registration number as known at one instant; a decision stores them with the
application, so it can be replayed without the registries.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import Field

from sfms_shared.contracts.common import Frozen

# Where a participation restriction is recorded (001 붙임1 '참여제한' 제재 여부 확인처).
SanctionRegistry = Literal["smart-factory-sanctions", "kiria", "kpic"]
RegistryName = Literal[
    "sanctions", "closures", "tax-arrears", "ongoing-projects", "pools", "funded-plans"
]
REGISTRIES: tuple[RegistryName, ...] = (
    "sanctions",
    "closures",
    "tax-arrears",
    "ongoing-projects",
    "pools",
    "funded-plans",
)


class Evidence(Frozen):
    """The registry record a fact comes from."""

    registry: RegistryName
    record_key: str  # the partner's own id for the record, stable across its versions
    version: int = Field(ge=1)


class Sanction(Frozen):
    """A participation restriction (참여제한) in a listed program, for a period."""

    evidence: Evidence
    source: SanctionRegistry
    program: str
    starts_on: date
    ends_on: date | None = None  # None: until lifted
    reason: str | None = None

    def in_force_on(self, day: date) -> bool:
        return self.starts_on <= day and (self.ends_on is None or day <= self.ends_on)


class BusinessStatus(Frozen):
    """휴·폐업: the status a registry reports from ``effective_on``."""

    evidence: Evidence
    status: Literal["active", "suspended", "closed"]
    effective_on: date


class TaxArrears(Frozen):
    """국세·지방세 체납 from ``since`` until ``cleared_on`` (None: still owed)."""

    evidence: Evidence
    tax: Literal["national", "local"]
    since: date
    cleared_on: date | None = None

    def owed_on(self, day: date) -> bool:
        return self.since <= day and (self.cleared_on is None or day < self.cleared_on)


class OngoingProject(Frozen):
    """A government smart-factory project of the organisation (applied, selected or built).

    ``program`` names the program as the restricted-programs table does (001 붙임1), and
    ``concurrency_program`` is its number in the year's concurrency table (①–⑩ → 1–10),
    when it is a program of that year.
    """

    evidence: Evidence
    program: str
    year: int
    concurrency_program: int | None = Field(default=None, ge=1)
    stage: Literal["applied", "selected", "executing", "completed", "withdrawn"]
    build_ends_on: date | None = None  # 협약서 상 구축기간 종료일
    under_after_service: bool = False  # 유무상 AS 진행 중
    project_title: str | None = None


class PoolMembership(Frozen):
    """Membership of the supplier pool (공급기업 Pool) or the planner pool (기획기관).

    A planner is ``selected`` after the planner evaluation or ``designated`` by default
    (지역테크노파크); its records and staff are what the planner requirements read.
    """

    evidence: Evidence
    pool: Literal["supplier", "planner"]
    status: Literal["registered", "selected", "designated", "removed"]
    since: date
    until: date | None = None
    relevant_records: int | None = Field(default=None, ge=0)  # 실적 건수 ('23~'25)
    full_time_staff: int | None = Field(default=None, ge=0)  # 상근 인력 (4대보험 명부)
    subcontracts: bool | None = None  # 협업체 구성·하도급

    def member_on(self, day: date) -> bool:
        current = self.since <= day and (self.until is None or day <= self.until)
        return current and self.status != "removed"


class FundedPlan(Frozen):
    """Government funding received for a plan (중복지원 확인)."""

    evidence: Evidence
    program: str
    year: int
    project_title: str


class OrganisationFacts(Frozen):
    brn: str
    sanctions: tuple[Sanction, ...] = ()
    statuses: tuple[BusinessStatus, ...] = ()
    tax_arrears: tuple[TaxArrears, ...] = ()
    ongoing_projects: tuple[OngoingProject, ...] = ()
    memberships: tuple[PoolMembership, ...] = ()
    funded_plans: tuple[FundedPlan, ...] = ()

    def status_on(self, day: date) -> BusinessStatus | None:
        """The latest status in effect on ``day``."""
        current = [s for s in self.statuses if s.effective_on <= day]
        return max(current, key=lambda s: s.effective_on, default=None)

    def member_of(self, pool: str, day: date) -> PoolMembership | None:
        return next((m for m in self.memberships if m.pool == pool and m.member_on(day)), None)
