"""The planner pool (기획기관 Pool) and the supplier pool (공급기업 Pool), as matching
reads them: who may be proposed, what each offers, how many projects each can carry.

A planner is in a call's pool once selected through recruitment (requirement review and
the 30/40/30 evaluation, 001 §2 기획기관 선정 및 구성) or designated by default (지역
테크노파크). A supplier is in the pool once its registration is approved (001 §1 지원
대상 *, 004 공급기업 역량진단: "공급기업 Pool 등록 신청-승인 절차").
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Member:
    """A planner or a supplier in its pool.

    ``regions``: the 시·도 it works in (a planner: where it is; a supplier: where it
    builds). ``industries``: the KSIC divisions (two digits, e.g. ``29``) it has served.
    ``technologies``: what it brings (AI, digital twin, AAS, ...). ``records``: relevant
    records in the call's window. ``capacity``: projects at once (from its full-time
    staff, a call parameter); ``load``: projects it holds now (accepted, or proposed and
    awaiting its answer)."""

    id: str
    brn: str
    name: str
    regions: frozenset[str]
    industries: frozenset[str]
    technologies: frozenset[str]
    records: int
    full_time_staff: int
    capacity: int
    load: int = 0

    @property
    def free(self) -> int:
        return max(0, self.capacity - self.load)


@dataclass(frozen=True, slots=True)
class Need:
    """What an application asks of a planner or supplier.

    ``parties``: the BRNs already in the project (the applicant, and the planner once
    chosen): none of them may be proposed, so an organisation never plans and supplies
    one project. ``excluded``: members that declined this application or let a proposal
    lapse, and members in conflict with it."""

    application_id: str
    region: str
    industry: str  # the applicant's KSIC division, two digits
    technologies: frozenset[str]
    parties: frozenset[str]
    excluded: frozenset[str] = field(default_factory=frozenset)

    def admits(self, member: Member) -> bool:
        """Whether ``member`` may be proposed at all (the hard rules, before any fit)."""
        return member.free > 0 and member.brn not in self.parties and member.id not in self.excluded


def ksic_division(code: str) -> str:
    """The two-digit division of a KSIC code as intake stores it (``C29``, ``29199``)."""
    digits = code.lstrip("ABCDEFGHIJKLMNOPQRSTU")
    if len(digits) < 2 or not digits[:2].isdigit():
        raise ValueError(f"not a KSIC code with a division: {code!r}")
    return digits[:2]
