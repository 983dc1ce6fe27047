"""Application snapshots as intake submits them, for tests of the services downstream:
seeded companies of the 001 call with valid BRNs and declared financials."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

from sfms_shared.contracts.applications import (
    ApplicationSnapshot,
    DocumentRef,
    FinancialYear,
    OrganisationSnapshot,
    SmartFactoryStatus,
)
from sfms_shared.contracts.brn import check_digit

AUTONOMOUS = "2026-autonomous-factory-2"


def brn(n: int) -> str:
    """A 10-digit BRN with a valid check digit."""
    body = f"{120 + n:03d}81{n:04d}"
    return body + str(check_digit(body))


def financials(
    revenues: tuple[int, int, int], profits: tuple[int, int, int]
) -> tuple[FinancialYear, ...]:
    return tuple(
        FinancialYear(
            year=year,
            revenue_krw=revenue,
            operating_profit_krw=profit,
            total_liabilities_krw=revenue // 2,
            total_equity_krw=revenue,
        )
        for year, revenue, profit in zip((2023, 2024, 2025), revenues, profits, strict=True)
    )


def application(
    n: int, *, documents: tuple[DocumentRef, ...] = (), **company: Any
) -> ApplicationSnapshot:
    growth = Decimal(n % 15) / 100  # 0 % .. 14 %: every revenue band appears
    base = 10_000_000_000
    revenues = (base, base, int(base * (1 + growth)))
    values: dict[str, Any] = {
        "id": uuid4(),
        "kind": "company",
        "brn": brn(n),
        "name": f"(주)시험기업{n:02d}",
        "legal_form": "corporation",
        "ksic_code": "C29",
        "size_class": "small",
        "region": "경남",
        "founded_on": date(2012, 3, 1),
        "headcount": 40,
        "smart_factory": SmartFactoryStatus(
            level="중간1", evidence="level-check-certified", certified_on=date(2025, 1, 10)
        ),
        "financials": financials(revenues, (1_000_000_000, 1_000_000_000, 1_100_000_000)),
    }
    return ApplicationSnapshot(
        application_id=UUID(int=n),
        call_id=AUTONOMOUS,
        call_version=1,
        submission_version=1,
        receipt_number=f"AF26-2-{n:06d}",
        received_at=datetime(2026, 6, 10, 1, 0, tzinfo=UTC),
        mode="solo",
        support_type="advanced",
        applicant=OrganisationSnapshot(**{**values, **company}),
        documents=documents,
        project_title="AI 기반 자율 가공 라인 구축",
    )
