"""Who takes part, made up deterministically from a seed: about sixty manufacturers that
apply to the 001 call, planning agencies, suppliers and evaluators.

Most applicants are sound; some are meant to show the rules at work: a few submit late or
leave a document out, and a few are ineligible for reasons the 001 call names (부적격 사항:
level below 중간1, an excluded industry, a participation restriction reported by a partner
agency, national-tax arrears).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date

from sfms_shared.contracts.brn import check_digit

SOUND, LAST_MINUTE, LATE, INCOMPLETE = "sound", "last-minute", "late", "incomplete"
BELOW_LEVEL, EXCLUDED_INDUSTRY, SANCTIONED, TAX_ARREARS = (
    "below-level",
    "excluded-industry",
    "sanctioned",
    "tax-arrears",
)
# How the sixty applicants are meant to fare, in the order they are made.
FATES = (
    [LAST_MINUTE]
    + [LATE] * 3
    + [INCOMPLETE] * 3
    + [BELOW_LEVEL] * 2
    + [EXCLUDED_INDUSTRY]
    + [SANCTIONED] * 2
    + [TAX_ARREARS]
)
APPLICANTS = 60

_FIRST = [
    "한빛",
    "대성",
    "세진",
    "동양",
    "신일",
    "태광",
    "우진",
    "삼화",
    "영진",
    "미래",
    "정우",
    "성원",
    "청솔",
    "가온",
    "누리",
    "다온",
    "보람",
    "새한",
    "아람",
    "해솔",
]
_SECOND = ["정밀", "기계", "테크", "산업", "전자", "금속", "소재", "오토텍", "화성", "플라텍"]
_REGIONS = (
    "경기",
    "경기",
    "경남",
    "경남",
    "경북",
    "충남",
    "충북",
    "인천",
    "대구",
    "부산",
    "울산",
    "전북",
)
_MANUFACTURING = ("C29", "C25", "C30", "C26", "C22", "C24", "C20", "C28")
_TECHNOPARKS = ("경기테크노파크", "경남테크노파크")
_PLANNERS = (
    "한국생산성컨설팅",
    "스마트제조기획원",
    "디지털전환연구소",
    "제조혁신파트너스",
    "미래공장기획",
    "AI팩토리컨설팅",
    "동남권제조지원센터",
    "중부스마트기획",
)
_SUPPLIERS = (
    "(주)오토마타",
    "(주)트윈웍스",
    "(주)에이아이비전",
    "(주)센서링크",
    "(주)로보셀",
    "(주)클라우드팩",
    "(주)데이터마이닝",
    "(주)엠이에스원",
    "(주)스마트컨트롤",
    "(주)공정지능",
)


def brn(rng: random.Random) -> str:
    first_nine = f"{rng.randrange(100, 1000)}{rng.randrange(81, 89)}{rng.randrange(0, 10000):04d}"
    return first_nine + str(check_digit(first_nine))


@dataclass
class Company:
    number: int
    name: str
    brn: str
    region: str
    ksic_code: str
    size_class: str
    founded_on: date
    headcount: int
    level: str
    certified_on: date
    # (year, revenue, operating profit, liabilities, equity), 2023–2025
    statements: list[tuple[int, int, int, int, int]]
    exports: dict[int, int]
    government_per_year: int
    merit: float  # how good the plan is: what evaluators will see in it
    fate: str = SOUND
    ids: dict[str, str] = field(default_factory=dict)


@dataclass
class PoolMember:
    name: str
    brn: str
    region: str
    records: int
    staff: int
    subcontracts: bool = False
    designated: bool = False
    account: str = ""
    member_id: str = ""


@dataclass
class Population:
    companies: list[Company]
    planners: list[PoolMember]
    suppliers: list[PoolMember]

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.companies]


def make_population(seed: int) -> Population:
    rng = random.Random(seed)
    names = rng.sample([f"(주){a}{b}" for a in _FIRST for b in _SECOND], APPLICANTS)
    fates = FATES + [SOUND] * (APPLICANTS - len(FATES))
    rng.shuffle(fates)
    companies = [
        _company(rng, n, name, fate)
        for n, (name, fate) in enumerate(zip(names, fates, strict=True), 1)
    ]
    planners = [
        PoolMember(name, brn(rng), rng.choice(_REGIONS), rng.randrange(12, 40), rng.randrange(5, 9))
        for name in _PLANNERS
    ]
    planners[-2].records = 9  # fewer than the 10 relevant records 001 §2 asks for
    planners[-1].subcontracts = True  # 001 §2: "협업체 구성 및 하도급 불가"
    planners += [
        PoolMember(name, brn(rng), name[:2], 35, 8, designated=True) for name in _TECHNOPARKS
    ]
    suppliers = [
        PoolMember(name, brn(rng), rng.choice(_REGIONS), rng.randrange(5, 30), rng.randrange(6, 16))
        for name in _SUPPLIERS
    ]
    return Population(companies, planners, suppliers)


def _millions(amount: int) -> int:
    return amount // 1_000_000 * 1_000_000


def _company(rng: random.Random, number: int, name: str, fate: str) -> Company:
    """Statements whose growth, margin and debt ratio fall in different bands of 붙임2."""
    revenues = [rng.randrange(30, 300) * 100_000_000]
    for _ in (2024, 2025):
        growth_percent = rng.choice((-2, 1, 4, 7, 10, 13, 16))
        revenues.append(_millions(revenues[-1] * (100 + growth_percent) // 100))
    margin_permille = rng.choice((20, 40, 60, 80, 110))
    statements = []
    for year, revenue in zip((2023, 2024, 2025), revenues, strict=True):
        margin_permille += rng.choice((0, 5, 10))
        equity = _millions(revenue * rng.randrange(30, 70) // 100)
        liabilities = equity * rng.choice((45, 80, 120, 160, 200)) // 100
        profit = _millions(revenue * margin_permille // 1000)
        statements.append((year, revenue, profit, liabilities, equity))
    exports = (
        {y: rng.randrange(1, 50) * 10_000_000 for y in (2023, 2024, 2025)}
        if rng.random() < 0.4
        else {}
    )
    return Company(
        number=number,
        name=name,
        brn=brn(rng),
        region=rng.choice(_REGIONS),
        ksic_code="I56" if fate == EXCLUDED_INDUSTRY else rng.choice(_MANUFACTURING),
        size_class=rng.choice(("small", "small", "medium", "medium", "midsize")),
        founded_on=date(rng.randrange(1985, 2020), rng.randrange(1, 13), rng.randrange(1, 29)),
        headcount=rng.randrange(20, 300),
        level="기초" if fate == BELOW_LEVEL else rng.choice(("중간1", "중간1", "중간2")),
        certified_on=date(rng.choice((2024, 2025)), rng.randrange(1, 13), rng.randrange(1, 29)),
        statements=statements,
        exports=exports,
        government_per_year=rng.choice((45, 90, 150, 200, 250, 300)) * 1_000_000,
        merit=rng.uniform(0.45, 0.95),
        fate=fate,
    )
