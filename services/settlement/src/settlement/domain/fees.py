"""The settlement fee (정산 수수료) with its explanation.

001 §6 (필수계상): 지정 회계법인의 상시모니터링 및 정산 수수료, by 총사업비 = 정부출연금 +
민간부담금(현금·현물 포함), 공급가액 기준 (VAT excluded): 50백만원 이하 455천원, 200백만원
이하 637천원, 400백만원 이하 910천원, 400백만원 초과 1,182천원.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from settlement.domain.budget import Figures
from settlement.domain.findings import won
from sfms_shared.contracts.call_terms import FeeBand, FeeTable


@dataclass(frozen=True)
class SettlementFee:
    table: FeeTable
    figures: Figures
    band: FeeBand

    @classmethod
    def of(cls, table: FeeTable, figures: Figures) -> SettlementFee:
        total = figures.total
        band = next(b for b in table.bands if b.up_to_krw is None or total <= b.up_to_krw)
        return cls(table, figures, band)

    @property
    def fee_krw(self) -> int:
        return self.band.fee_krw

    def band_text(self) -> tuple[str, str]:
        bands = self.table.bands
        index = bands.index(self.band)
        if self.band.up_to_krw is not None:
            return f"{won(self.band.up_to_krw)}원 이하", f"up to KRW {won(self.band.up_to_krw)}"
        above = bands[index - 1].up_to_krw or 0
        return f"{won(above)}원 초과", f"over KRW {won(above)}"

    def as_json(self) -> dict[str, Any]:
        band_ko, band_en = self.band_text()
        total = self.figures.total
        return {
            "fee_krw": self.fee_krw,
            "vat_excluded": self.table.vat_excluded,
            "inputs": {
                "government_krw": self.figures.government,
                "private_cash_krw": self.figures.applicant_cash + self.figures.large_enterprise,
                "private_in_kind_krw": self.figures.in_kind,
                "total_project_cost_krw": total,
            },
            "band": {"up_to_krw": self.band.up_to_krw, "ko": band_ko, "en": band_en},
            "rule": {
                "ko": f"총사업비 {won(total)}원은 '{band_ko}' 구간: 수수료 {won(self.fee_krw)}원"
                + (" (부가세 제외)" if self.table.vat_excluded else ""),
                "en": f"Total project cost KRW {won(total)} falls in '{band_en}': fee "
                f"KRW {won(self.fee_krw)}" + (", VAT excluded" if self.table.vat_excluded else ""),
            },
            "basis": self.table.basis.model_dump(),
            "source": self.table.source.model_dump(),
        }
