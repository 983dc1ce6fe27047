"""A review case: everything a decision is made from, stored with it so it can be replayed.

The rule set is the call version (``CallDocument``, its ``terms.eligibility`` above all);
the case holds the application as submitted, what the registries said about every
organisation in it when they were read (``known_at``), and the instant eligibility is
judged at: the application deadline for 001 (§3 "접수 마감일 기준"), the application
date for 003 (Ⅸ "과제 신청일 기준").
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

from eligibility.domain.facts import OrganisationFacts
from sfms_shared.clock import KST
from sfms_shared.contracts.applications import ApplicationSnapshot, OrganisationSnapshot
from sfms_shared.contracts.calls import CallDocument, DocumentRequirement
from sfms_shared.contracts.common import Frozen
from sfms_shared.contracts.terms_eligibility import Role


class ReviewCase(Frozen):
    application: ApplicationSnapshot
    judged_as_of: datetime
    known_at: datetime  # when the registries were read
    facts: dict[str, OrganisationFacts]  # by BRN, one for every organisation in the case
    # 최종선정일, once the agency has set it; until then the announced evaluation months.
    final_selection_on: date | None = None

    @property
    def as_of_day(self) -> date:
        """The judgment day in Korea time (a deadline of 17:00 KST falls on its own day)."""
        return self.judged_as_of.astimezone(KST).date()

    @property
    def brns(self) -> tuple[str, ...]:
        snapshot = self.application
        return (snapshot.applicant.brn, *(m.brn for m in snapshot.consortium))


@dataclass(frozen=True, slots=True)
class Subject:
    """One organisation of the application in one role, with what the registries say."""

    role: Role
    brn: str
    name: str
    facts: OrganisationFacts
    organisation: OrganisationSnapshot | None = None  # the applicant's full record


def subjects(case: ReviewCase) -> list[Subject]:
    snapshot = case.application
    applicant = snapshot.applicant
    found = [
        Subject("applicant", applicant.brn, applicant.name, _facts(case, applicant.brn), applicant)
    ]
    for member in snapshot.consortium:
        found.append(Subject(member.role, member.brn, member.name, _facts(case, member.brn)))
    return found


def _facts(case: ReviewCase, brn: str) -> OrganisationFacts:
    return case.facts.get(brn) or OrganisationFacts(brn=brn)


def judgment_instant(call: CallDocument, snapshot: ApplicationSnapshot) -> datetime:
    """When eligibility is judged: the deadline, or the application date (see module doc).

    A call that does not say (a catalogue), or runs without a deadline, is judged on the
    application date.
    """
    terms = call.terms.eligibility
    window = call.schedule.application if call.schedule else None
    if terms and terms.judged_as_of == "application-deadline" and window and window.closes_at:
        return window.closes_at
    return snapshot.received_at


def month_end(year_month: str) -> date:
    year, month = (int(part) for part in year_month.split("-"))
    return date(year, month, calendar.monthrange(year, month)[1])


@dataclass(frozen=True, slots=True)
class Context:
    """What every check reads besides its rule and organisation."""

    call: CallDocument
    case: ReviewCase
    as_of_day: date
    submitted_day: date  # in Korea time
    deadline_day: date | None
    requirements: Mapping[str, DocumentRequirement]  # the call's documents by kind
