"""Mutual consent (상호협의, 001 §2 컨소시엄 구성): who proposes whom, who answers, when
a consortium is formed.

The applicant (or the operators' optimiser) proposes a planner; the planner accepts or
declines before the deadline, or the proposal lapses. With a planner, the planner (or
the optimiser) proposes suppliers; each accepts or declines. The consortium is formed
when the planner has accepted, at least one supplier has accepted and no proposal is
still open (001 §1 지원 대상: 도입-공급-기획기관 컨소시엄).

Hard rules, whoever proposes: one planner per project; an organisation already in the
project (the applicant, the planner, a supplier) is never proposed again, so no
organisation both plans and supplies one project (§2 "기획기관(공급기업 동시 수행 불가)");
a member that declined, or let a proposal lapse, is not proposed again for the project.
Pool membership, capacity and conflicts are the caller's to check (they need the pools).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Literal

Role = Literal["planner", "supplier"]
ProposalState = Literal["proposed", "accepted", "declined", "lapsed"]
Proposer = Literal["applicant", "planner", "optimiser", "operator", "submission"]
MatchState = Literal["awaiting-planner", "planner-proposed", "awaiting-suppliers", "formed"]


class ConsentError(Exception):
    def __init__(self, code: str, field: str, en: str, ko: str) -> None:
        super().__init__(en)
        self.code, self.field, self.message_en, self.message_ko = code, field, en, ko


@dataclass(frozen=True)
class Proposal:
    id: str
    role: Role
    member_id: str
    member_brn: str
    member_name: str
    state: ProposalState
    proposed_by: Proposer
    proposed_at: datetime
    expires_at: datetime | None  # None: no answer needed (named at submission)
    answered_at: datetime | None = None
    reason: str | None = None

    @property
    def open(self) -> bool:
        return self.state == "proposed"


@dataclass(frozen=True)
class Match:
    application_id: str
    applicant_brn: str
    proposals: tuple[Proposal, ...] = ()
    formed_at: datetime | None = None
    # The proposals added or changed since the match was loaded: what a save writes.
    changed: tuple[Proposal, ...] = field(default=(), compare=False)

    @property
    def planner(self) -> Proposal | None:
        return next((p for p in self._of("planner") if p.state == "accepted"), None)

    @property
    def suppliers(self) -> tuple[Proposal, ...]:
        return tuple(p for p in self._of("supplier") if p.state == "accepted")

    @property
    def state(self) -> MatchState:
        if self.formed_at is not None:
            return "formed"
        if self.planner is not None:
            return "awaiting-suppliers"
        if any(p.open for p in self._of("planner")):
            return "planner-proposed"
        return "awaiting-planner"

    def refused(self) -> frozenset[str]:
        """Members that declined or let a proposal lapse: not proposed again."""
        return frozenset(p.member_id for p in self.proposals if p.state in ("declined", "lapsed"))

    def parties(self) -> frozenset[str]:
        """BRNs in the project now or awaiting an answer: never proposed again."""
        held = {p.member_brn for p in self.proposals if p.state in ("proposed", "accepted")}
        return frozenset({self.applicant_brn, *held})

    def lapse(self, now: datetime) -> Match:
        """Open proposals past their deadline lapse."""
        lapsed = tuple(
            replace(p, state="lapsed", answered_at=p.expires_at)
            for p in self.proposals
            if p.open and p.expires_at is not None and p.expires_at <= now
        )
        return self._with(lapsed) if lapsed else self

    def propose(
        self,
        role: Role,
        candidates: list[tuple[str, str, str]],
        *,
        by: Proposer,
        now: datetime,
        answer_days: int,
        ids: list[str],
    ) -> Match:
        """Propose ``candidates`` (member id, BRN, name) for ``role``; ``ids`` name the
        new proposals."""
        if self.formed_at is not None:
            raise _error(
                "consortium-formed",
                "application_id",
                "The consortium is formed",
                "컨소시엄 구성이 완료되었습니다",
            )
        if role == "planner":
            if len(candidates) != 1:
                raise _error(
                    "one-planner",
                    "member_ids",
                    "Propose exactly one planner",
                    "기획기관은 한 곳만 제안할 수 있습니다",
                )
            if self.state != "awaiting-planner":
                raise _error(
                    "planner-pending",
                    "member_ids",
                    "A planner is already proposed or has accepted",
                    "이미 제안 중이거나 수락한 기획기관이 있습니다",
                )
        elif self.planner is None:
            raise _error(
                "planner-first",
                "member_ids",
                "Suppliers are proposed once a planner has accepted",
                "기획기관이 수락한 후에 공급기업을 제안할 수 있습니다",
            )
        if not candidates:
            raise _error(
                "nobody-proposed", "member_ids", "Propose at least one", "한 곳 이상 제안하세요"
            )
        seen: set[str] = set()
        for member_id, brn, _ in candidates:
            if member_id in self.refused():
                raise _error(
                    "declined-before",
                    "member_ids",
                    f"{member_id} declined this project or let a proposal lapse",
                    f"{member_id}은(는) 이 과제의 제안을 거절했거나 기한 내 답하지 않았습니다",
                )
            if brn in self.parties() or brn in seen:
                raise _error(
                    "already-in-project",
                    "member_ids",
                    f"The organisation {brn} is already in this project",
                    f"기관({brn})은 이미 이 과제에 참여하고 있습니다",
                )
            seen.add(brn)
        deadline = now + timedelta(days=answer_days)
        new = tuple(
            Proposal(pid, role, member_id, brn, name, "proposed", by, now, deadline)
            for pid, (member_id, brn, name) in zip(ids, candidates, strict=True)
        )
        return replace(self, proposals=self.proposals + new, changed=_merge(self.changed, new))

    def named(self, role: Role, member: tuple[str, str, str], *, pid: str, now: datetime) -> Match:
        """A member named in the consortium at submission: accepted as it stands."""
        member_id, brn, name = member
        taken = Proposal(pid, role, member_id, brn, name, "accepted", "submission", now, None, now)
        changed = _merge(self.changed, (taken,))
        return replace(self, proposals=self.proposals + (taken,), changed=changed).formed(now)

    def answer(
        self, proposal_id: str, *, accept: bool, now: datetime, reason: str | None = None
    ) -> Match:
        proposal = next((p for p in self.proposals if p.id == proposal_id), None)
        if proposal is None:
            raise _error("no-proposal", "proposal_id", "No such proposal", "해당 제안이 없습니다")
        if not proposal.open:
            raise _error(
                "proposal-closed",
                "proposal_id",
                f"The proposal is {proposal.state}",
                {"accepted": "이미 수락한 제안입니다", "declined": "이미 거절한 제안입니다"}.get(
                    proposal.state, "답변 기한이 지난 제안입니다"
                ),
            )
        answered = replace(
            proposal, state="accepted" if accept else "declined", answered_at=now, reason=reason
        )
        return self._with((answered,)).formed(now)

    def formed(self, now: datetime) -> Match:
        """Formed when the planner and at least one supplier accepted and nothing is open."""
        if self.formed_at is not None or self.planner is None or not self.suppliers:
            return self
        if any(p.open for p in self.proposals):
            return self
        return replace(self, formed_at=now)

    def _of(self, role: Role) -> tuple[Proposal, ...]:
        return tuple(p for p in self.proposals if p.role == role)

    def _with(self, updated: tuple[Proposal, ...]) -> Match:
        by_id = {p.id: p for p in updated}
        proposals = tuple(by_id.get(p.id, p) for p in self.proposals)
        return replace(self, proposals=proposals, changed=_merge(self.changed, updated))


def _merge(earlier: tuple[Proposal, ...], later: tuple[Proposal, ...]) -> tuple[Proposal, ...]:
    by_id = {p.id: p for p in earlier} | {p.id: p for p in later}
    return tuple(by_id.values())


def _error(code: str, field: str, en: str, ko: str) -> ConsentError:
    return ConsentError(code, field, en, ko)
