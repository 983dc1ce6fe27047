"""Evaluators (평가위원), conflicts of interest, panels, and the assignment of a stage's
applications to panels.

An evaluator has a conflict with an application when a party to it (the applicant, the
planner or a supplier) is the evaluator's own organisation (detected: same business
registration number), or one the evaluator declared a relationship with (declared:
business relationship, former employment, family, advisory contract, other). Conflicts
are hard: an application never goes to a panel with a conflicted evaluator; one that
every panel conflicts with (or whose every conflict-free panel is full) is left
unplaced with the reason. Within that, panel loads are as even as the conflicts and the
capacities allow (``balancing``), and the same seed gives the same assignment.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import KW_ONLY, dataclass
from functools import cached_property
from types import MappingProxyType
from typing import Literal

from scoring.domain.balancing import place

Relation = Literal["business-relationship", "former-employee", "relative", "advisory", "other"]
ConflictKind = Literal["same-organisation", "declared"]
UnplacedCode = Literal["every-panel-conflicts", "allowed-panels-full", "no-panels"]

RELATIONS: Mapping[str, tuple[str, str]] = {
    "business-relationship": ("거래 관계", "business relationship"),
    "former-employee": ("전 소속(퇴직) 관계", "former employment"),
    "relative": ("친족 관계", "family relationship"),
    "advisory": ("자문·용역 계약 관계", "advisory contract"),
    "other": ("기타 이해관계", "other interest"),
}
ROLES: Mapping[str, tuple[str, str]] = {
    "applicant": ("도입기업", "applicant"),
    "planner": ("기획기관", "planner"),
    "supplier": ("공급기업", "supplier"),
}
_BRN = re.compile(r"(\d{3})-?(\d{2})-?(\d{5})", re.ASCII)


def normalise_brn(value: str) -> str:
    """A business registration number as its 10 digits: ``123-45-67890`` and
    ``1234567890`` are the same number. Anything else is refused (ValueError)."""
    found = _BRN.fullmatch(value.strip())
    if found is None:
        raise ValueError(f"not a business registration number: {value!r}")
    return "".join(found.groups())


@dataclass(frozen=True)
class Declaration:
    """A relationship the evaluator declared with an organisation, by its BRN."""

    brn: str
    relation: Relation = "business-relationship"
    note: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "brn", normalise_brn(self.brn))
        if self.relation not in RELATIONS:
            raise ValueError(f"unknown relation {self.relation!r}")


@dataclass(frozen=True)
class Evaluator:
    id: str
    name: str
    organisation_brn: str | None = None  # the organisation the evaluator works for
    _: KW_ONLY
    affiliation: str = ""  # that organisation's name (소속)
    declarations: tuple[Declaration, ...] = ()

    def __post_init__(self) -> None:
        if self.organisation_brn is not None:
            object.__setattr__(self, "organisation_brn", normalise_brn(self.organisation_brn))
        object.__setattr__(self, "declarations", tuple(self.declarations))

    @cached_property
    def conflicting_brns(self) -> frozenset[str]:
        """Every BRN that puts this evaluator in conflict (what ``conflicts`` looks for)."""
        own = {self.organisation_brn} if self.organisation_brn else set()
        return frozenset(own | {d.brn for d in self.declarations})


@dataclass(frozen=True)
class Party:
    """An organisation in an application: the applicant or a consortium member."""

    role: str  # applicant, planner, supplier
    brn: str
    name: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "brn", normalise_brn(self.brn))


@dataclass(frozen=True)
class Subject:
    """One application to evaluate, with every organisation it involves."""

    application_id: str
    parties: tuple[Party, ...]

    @classmethod
    def consortium(
        cls,
        application_id: str,
        applicant: str,
        *,
        planner: str | None = None,
        suppliers: Sequence[str] = (),
    ) -> Subject:
        """The subject of an application by BRNs: the applicant, its planner, suppliers."""
        parties = [Party("applicant", applicant)]
        parties += [Party("planner", planner)] if planner else []
        parties += [Party("supplier", s) for s in suppliers]
        return cls(application_id, tuple(parties))

    @cached_property
    def brns(self) -> frozenset[str]:
        return frozenset(p.brn for p in self.parties)


@dataclass(frozen=True)
class Conflict:
    """Why an evaluator may not evaluate an application: which party, which BRN."""

    evaluator_id: str
    brn: str
    role: str
    kind: ConflictKind
    relation: Relation | None
    message_ko: str
    message_en: str


def conflicts(evaluator: Evaluator, subject: Subject) -> tuple[Conflict, ...]:
    """Every conflict of ``evaluator`` with a party of ``subject``, party by party: the
    detected one (same organisation) first, then each declared relation once."""
    found: list[Conflict] = []
    if not evaluator.conflicting_brns & subject.brns:
        return ()
    who_ko = evaluator.name + (f"({evaluator.affiliation})" if evaluator.affiliation else "")
    who_en = evaluator.name + (f" ({evaluator.affiliation})" if evaluator.affiliation else "")
    for party in subject.parties:
        role_ko, role_en = ROLES.get(party.role, (party.role, party.role))
        if party.brn == evaluator.organisation_brn:
            found.append(
                Conflict(
                    evaluator.id,
                    party.brn,
                    party.role,
                    "same-organisation",
                    None,
                    f"평가위원 {who_ko}은(는) 평가 대상 {role_ko}({party.brn}) 소속입니다",
                    f"Evaluator {who_en} works for the {role_en} ({party.brn})",
                )
            )
        relations = dict.fromkeys(d.relation for d in evaluator.declarations if d.brn == party.brn)
        for relation in relations:
            relation_ko, relation_en = RELATIONS[relation]
            found.append(
                Conflict(
                    evaluator.id,
                    party.brn,
                    party.role,
                    "declared",
                    relation,
                    f"평가위원 {who_ko}이(가) {role_ko}({party.brn})와(과)의 {relation_ko}를 "
                    "신고했습니다",
                    f"Evaluator {who_en} declared a {relation_en} with the {role_en} ({party.brn})",
                )
            )
    return tuple(found)


@dataclass(frozen=True)
class Panel:
    """A set of evaluators for one stage; ``capacity``: at most that many applications."""

    id: str
    evaluators: tuple[Evaluator, ...]
    stage: str | None = None  # document-review, on-site-review, ...
    capacity: int | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "evaluators", tuple(self.evaluators))
        if self.capacity is not None and (
            isinstance(self.capacity, bool) or not isinstance(self.capacity, int)
        ):
            raise ValueError(f"panel {self.id}: capacity must be a whole number")
        if self.capacity is not None and self.capacity < 0:
            raise ValueError(f"panel {self.id}: capacity cannot be negative")

    @cached_property
    def conflicting_brns(self) -> frozenset[str]:
        """The BRNs any of the panel's evaluators is in conflict with."""
        return frozenset().union(*(e.conflicting_brns for e in self.evaluators))

    def conflicts(self, subject: Subject) -> tuple[Conflict, ...]:
        if not self.conflicting_brns & subject.brns:
            return ()
        return tuple(c for e in self.evaluators for c in conflicts(e, subject))


@dataclass(frozen=True)
class Unplaced:
    """An application no panel could take, and why: every panel has a conflicted
    evaluator (``conflicts`` lists them all), or every panel without one is full."""

    application_id: str
    code: UnplacedCode
    conflicts: tuple[Conflict, ...]
    full_panels: tuple[str, ...]  # the conflict-free panels, all at capacity
    message_ko: str
    message_en: str


@dataclass(frozen=True)
class Assignment:
    placements: Mapping[str, str]  # application id → panel id
    unplaced: tuple[Unplaced, ...]
    panel_ids: tuple[str, ...]

    def loads(self) -> dict[str, int]:
        """Applications per panel, every panel listed (0 for an empty one)."""
        counts = dict.fromkeys(self.panel_ids, 0)
        for panel_id in self.placements.values():
            counts[panel_id] += 1
        return counts

    def spread(self) -> int:
        """The largest load minus the smallest (0 without panels)."""
        loads = self.loads().values()
        return max(loads) - min(loads) if loads else 0

    def members(self, panel_id: str) -> tuple[str, ...]:
        return tuple(a for a, p in self.placements.items() if p == panel_id)


def assign(subjects: Sequence[Subject], panels: Sequence[Panel], *, seed: int) -> Assignment:
    """Each application into exactly one panel without a conflicted evaluator, loads as
    even as the conflicts and capacities allow, as many placed as capacities allow.

    The result depends on the applications and panels and the seed only, not on the
    order the applications come in. Refuses (ValueError) repeated application or panel
    ids and panels of different stages.
    """
    _distinct([s.application_id for s in subjects], "application")
    _distinct([p.id for p in panels], "panel")
    if len({p.stage for p in panels if p.stage is not None}) > 1:
        raise ValueError("panels of different stages cannot share an assignment")
    ordered = sorted(subjects, key=lambda s: s.application_id)
    barring: dict[str, int] = {}  # BRN → the panels (bits) it is barred from
    for index, panel in enumerate(panels):
        for brn in panel.conflicting_brns:
            barring[brn] = barring.get(brn, 0) | 1 << index
    every = (1 << len(panels)) - 1
    allowed = []
    for subject in ordered:
        barred = 0
        for brn in subject.brns:
            barred |= barring.get(brn, 0)
        allowed.append(every & ~barred)
    chosen = place(allowed, [p.capacity for p in panels], random.Random(seed))
    placed = {s.application_id: i for s, i in zip(ordered, chosen, strict=True) if i is not None}
    placements = {
        s.application_id: panels[placed[s.application_id]].id
        for s in subjects
        if s.application_id in placed
    }
    reasons: dict[tuple[Party, ...], _Reason] = {}  # applications with the same parties
    unplaced = []
    for subject, index in zip(ordered, chosen, strict=True):
        if index is None:
            if subject.parties not in reasons:
                reasons[subject.parties] = _reason(subject, panels)
            unplaced.append(Unplaced(subject.application_id, *reasons[subject.parties]))
    return Assignment(MappingProxyType(placements), tuple(unplaced), tuple(p.id for p in panels))


_Reason = tuple[UnplacedCode, tuple[Conflict, ...], tuple[str, ...], str, str]


def _reason(subject: Subject, panels: Sequence[Panel]) -> _Reason:
    """Why no panel took ``subject``: the code, the conflicts, the full panels, messages."""
    if not panels:
        return (
            "no-panels",
            (),
            (),
            "이 단계에 구성된 평가위원회가 없습니다",
            "No panel has been formed for this stage",
        )
    found = tuple(c for p in panels for c in p.conflicts(subject))
    free = tuple(p.id for p in panels if not p.conflicting_brns & subject.brns)
    if not free:
        return (
            "every-panel-conflicts",
            found,
            (),
            "모든 평가위원회에 이해충돌이 있는 평가위원이 있어 배정할 수 없습니다",
            "Every panel has an evaluator with a conflict of interest",
        )
    names = ", ".join(free)
    return (
        "allowed-panels-full",
        found,
        free,
        f"이해충돌이 없는 평가위원회({names})가 모두 정원에 찼습니다",
        f"Every panel without a conflict of interest ({names}) is at capacity",
    )


def _distinct(ids: list[str], what: str) -> None:
    repeated = sorted(i for i, n in Counter(ids).items() if n > 1)
    if repeated:
        raise ValueError(f"{what} ids must be distinct: {', '.join(repeated[:5])}")
