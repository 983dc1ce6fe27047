"""The settlement fee at the exact table edges: 001 §6 (정산 수수료, 공급가액 기준, 부가세 제외):
50백만원 이하 455천원; 200백만원 이하 637천원; 400백만원 이하 910천원; 초과 1,182천원."""

from __future__ import annotations

import pytest

from settlement.domain.budget import Figures
from settlement.domain.fees import SettlementFee
from sfms_shared.contracts.calls import CallDocument
from sfms_shared.testing.snapshots import AUTONOMOUS


@pytest.mark.parametrize(
    ("total", "fee", "band_ko"),
    [
        (50_000_000, 455_000, "50,000,000원 이하"),
        (50_000_001, 637_000, "200,000,000원 이하"),
        (200_000_000, 637_000, "200,000,000원 이하"),
        (200_000_001, 910_000, "400,000,000원 이하"),
        (400_000_000, 910_000, "400,000,000원 이하"),
        (400_000_001, 1_182_000, "400,000,000원 초과"),
    ],
)
def test_fee_at_the_table_edges(
    calls: dict[str, CallDocument], total: int, fee: int, band_ko: str
) -> None:
    table = calls[AUTONOMOUS].terms.budget.fee_table("settlement-fee")  # type: ignore[union-attr]
    assert table is not None
    # 총사업비 = 정부출연금 + 민간부담금(현금·현물): split the total three ways
    government = total // 2
    in_kind = total // 10
    figures = Figures(
        government=government, applicant_cash=total - government - in_kind, in_kind=in_kind
    )
    explained = SettlementFee.of(table, figures)
    assert explained.fee_krw == fee
    shown = explained.as_json()
    assert shown["inputs"]["total_project_cost_krw"] == total
    assert shown["band"]["ko"] == band_ko
    assert shown["vat_excluded"] is True
    assert "부가세 제외" in shown["rule"]["ko"]
