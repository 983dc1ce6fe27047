"""How well a planner or supplier fits an application, and why, in words.

Five signals, each a share between 0 and 1 weighed by the call's points out of 100
(``FitWeights``): the same region (시·도), the applicant's industry (KSIC division)
served before, the needed technologies covered, relevant records (실적, full at the
call's ``records_for_full_marks``), and free capacity (인력 현황 against the projects
held). The fit is their sum, exact, shown to 0.01. Ranking is by fit, then by more
records, then by id, so equal fits always come out in the same order.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from matching.domain.pools import Member, Need
from sfms_shared.contracts.terms_matching import TECHNOLOGIES, MatchingTerms

HUNDREDTH = Decimal("0.01")


@dataclass(frozen=True, slots=True)
class Factor:
    """One signal: its weight (points), the share earned, the points, and the reason."""

    code: str
    weight: int
    share: Decimal
    points: Decimal
    reason_ko: str
    reason_en: str


@dataclass(frozen=True, slots=True)
class Recommendation:
    member_id: str
    name: str
    fit: Decimal  # exact; shown rounded
    factors: tuple[Factor, ...]

    @property
    def shown(self) -> Decimal:
        return self.fit.quantize(HUNDREDTH, rounding=ROUND_HALF_UP)

    @property
    def hundredths(self) -> int:
        """The fit in whole hundredths of a point (what the optimiser weighs)."""
        return int(self.shown * 100)


def fit(terms: MatchingTerms, need: Need, member: Member) -> Recommendation:
    weights = terms.fit
    covered = need.technologies & member.technologies
    missing = sorted(need.technologies - member.technologies)
    records = min(member.records, terms.records_for_full_marks)
    factors = (
        _factor(
            "region",
            weights.region,
            (int(need.region in member.regions), 1),
            f"소재지 일치({need.region})"
            if need.region in member.regions
            else f"소재지 불일치(신청기업 {need.region})",
            f"same region ({need.region})"
            if need.region in member.regions
            else f"another region (applicant in {need.region})",
        ),
        _factor(
            "industry",
            weights.industry,
            (int(need.industry in member.industries), 1),
            f"업종(KSIC {need.industry}) 수행 경험 "
            + ("있음" if need.industry in member.industries else "없음"),
            f"{'has' if need.industry in member.industries else 'no'} experience "
            f"in the applicant's industry (KSIC {need.industry})",
        ),
        _factor(
            "technologies",
            weights.technologies,
            (len(covered), len(need.technologies)) if need.technologies else (1, 1),
            f"필요 기술 {len(covered)}/{len(need.technologies)} 보유"
            + (f"(미보유: {', '.join(TECHNOLOGIES[t].ko for t in missing)})" if missing else ""),
            f"covers {len(covered)} of {len(need.technologies)} needed technologies"
            + (f" (missing: {', '.join(TECHNOLOGIES[t].en for t in missing)})" if missing else ""),
        ),
        _factor(
            "records",
            weights.records,
            (records, terms.records_for_full_marks),
            f"관련 실적 {member.records}건(만점 기준 {terms.records_for_full_marks}건)",
            f"{member.records} relevant records (full marks at {terms.records_for_full_marks})",
        ),
        _factor(
            "load",
            weights.load,
            (member.free, member.capacity) if member.capacity else (0, 1),
            f"수행 여력 {member.free}/{member.capacity}건",
            f"room for {member.free} more of {member.capacity} projects",
        ),
    )
    return Recommendation(
        member.id, member.name, sum((f.points for f in factors), Decimal(0)), factors
    )


def recommend(
    terms: MatchingTerms, need: Need, members: Iterable[Member], limit: int
) -> list[Recommendation]:
    """The ``limit`` best-fitting members that may be proposed for ``need``."""
    scored = [(fit(terms, need, m), m) for m in members if need.admits(m)]
    scored.sort(key=lambda pair: (-pair[0].fit, -pair[1].records, pair[1].id))
    return [recommendation for recommendation, _ in scored[:limit]]


def _factor(code: str, weight: int, share: tuple[int, int], ko: str, en: str) -> Factor:
    """``share``: earned out of possible; the points are one exact division of both."""
    earned, possible = share
    return Factor(
        code, weight, Decimal(earned) / possible, Decimal(weight * earned) / possible, ko, en
    )
