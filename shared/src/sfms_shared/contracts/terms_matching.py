"""How a call matches applicants with a planning agency (기획기관) and suppliers (공급기업).

001 fixes the frame: after document review every passing applicant is matched with a
planner from the pool, by mutual agreement (상호협의), and through the planner with
suppliers (§2 기획기관 역할 (컨소시엄 구성)); the project must apply AI, DT and AAS (§1
지원 규모 및 조건 **). How capacity follows from staff, how long a proposal stays open and
how the signals are weighed are the agency's parameters: the seed names the signals
("실적 및 인력 현황 등을 고려하여") but no numbers, so each carries its source with a note.
"""

from __future__ import annotations

from decimal import ROUND_FLOOR
from typing import Literal

from pydantic import Field, model_validator

from sfms_shared.contracts.common import Count, Dec, Frozen, Source, Text

Technology = Literal["ai", "digital-twin", "aas", "opc-ua", "robotics", "sensors", "cloud"]
TECHNOLOGIES: dict[str, Text] = {
    "ai": Text(ko="AI(인공지능)", en="AI"),
    "digital-twin": Text(ko="DT(디지털 트윈)", en="Digital twin"),
    "aas": Text(ko="AAS(제조데이터 표준)", en="AAS (asset administration shell)"),
    "opc-ua": Text(ko="OPC-UA", en="OPC UA"),
    "robotics": Text(ko="로봇", en="Robotics"),
    "sensors": Text(ko="센서", en="Sensors"),
    "cloud": Text(ko="클라우드", en="Cloud"),
}


class RequiredTechnologies(Frozen):
    """Technologies the project must apply (001: "AI, DT, AAS 적용 필수")."""

    items: tuple[Technology, ...] = Field(min_length=1)
    source: Source


class FitWeights(Frozen):
    """Points out of 100 for each signal of a recommendation: same region, served
    industry (KSIC), required technologies covered, relevant records, free capacity."""

    region: Count
    industry: Count
    technologies: Count
    records: Count
    load: Count
    source: Source

    @model_validator(mode="after")
    def _hundred(self) -> FitWeights:
        if sum(self.points().values()) != 100:
            raise ValueError("fit weights must add up to 100 points")
        return self

    def points(self) -> dict[str, int]:
        return {
            "region": self.region,
            "industry": self.industry,
            "technologies": self.technologies,
            "records": self.records,
            "load": self.load,
        }


class Capacity(Frozen):
    """Concurrent projects an organisation may take: ⌊full-time staff × per_staff⌋."""

    per_staff: Dec = Field(gt=0)
    source: Source

    def of(self, full_time_staff: int) -> int:
        return int((self.per_staff * full_time_staff).to_integral_value(rounding=ROUND_FLOOR))


class MatchingTerms(Frozen):
    required_technologies: RequiredTechnologies
    planner_capacity: Capacity
    supplier_capacity: Capacity
    # Relevant records at which the records signal is full (the planner minimum is 10).
    records_for_full_marks: Count = Field(gt=0)
    # Days a planner or supplier has to answer a proposal; unanswered, it lapses.
    answer_days: Count = Field(gt=0)
    fit: FitWeights
    # The optimiser's price, in fit points, of each project a planner already has: it
    # spreads the load (the k-th project costs k × balance_points).
    balance_points: Dec = Field(ge=0)
    source: Source
