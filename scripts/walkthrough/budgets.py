"""A two-year budget for the 001 call that keeps every rule of §6 (사업비 편성 관련): the
government half of each year's total (§1: ≤ 50 %, ≤ 300M a year), the mandatory lines in
기타비용 (training 1,000,000 in year 1; the settlement fee by the fee table and escrow
450,000 in year 2), the planner's full-cycle management within 5 % of each year, and cloud
fees in kind within 20 % of the company share."""

from __future__ import annotations

from typing import Any

TRAINING, ESCROW = 1_000_000, 450_000


def settlement_fee(total: int, bands: list[dict[str, Any]]) -> int:
    """The fee of the call's table for a total project cost (VAT excluded)."""
    for band in bands:
        if band["up_to_krw"] is None or total <= band["up_to_krw"]:
            return band["fee_krw"]
    raise ValueError("the fee table has no open band")


def budget(government_per_year: int, fee_bands: list[dict[str, Any]]) -> list[dict[str, Any]]:
    total_per_year = 2 * government_per_year  # government exactly half
    fee = settlement_fee(2 * total_per_year, fee_bands)
    management = total_per_year * 4 // 100 // 10_000 * 10_000
    cloud = min(government_per_year // 10, 20_000_000) // 10_000 * 10_000
    lines = []
    for year, other_cash in ((1, TRAINING), (2, fee + ESCROW)):
        lines += [
            _line(
                year,
                "외주용역비",
                "AI·디지털트윈 자율제어 솔루션 구축" if year == 1 else "AAS 연계 및 고도화",
                government=government_per_year - management,
                cash=government_per_year - other_cash - cloud,
            ),
            _line(year, "기타비용", "전주기관리", "planner-management", government=management),
            _line(
                year, "클라우드", "클라우드 이용료", "cloud-fee", in_kind=cloud, service_years=year
            ),
        ]
        if year == 1:
            lines.append(_line(1, "기타비용", "교육비", "training", cash=TRAINING))
        else:
            lines.append(_line(2, "기타비용", "정산 수수료", "settlement-fee", cash=fee))
            lines.append(_line(2, "기타비용", "기술임치비", "technology-escrow", cash=ESCROW))
    return lines


def _line(
    year: int,
    category: str,
    item: str,
    code: str | None = None,
    *,
    government: int = 0,
    cash: int = 0,
    in_kind: int = 0,
    service_years: int | None = None,
) -> dict[str, Any]:
    return {
        "year": year,
        "category": category,
        "item": item,
        "code": code,
        "government_krw": government,
        "private_cash_krw": cash,
        "private_in_kind_krw": in_kind,
        "service_years": service_years,
    }
