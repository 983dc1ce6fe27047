"""The settlement report an accounting firm audits line by line: one sheet of lines
(agreed, executed, recognised, why not), one of years (recognised spending, in-kind not
recognised, the government share due, paid, recovery) with the totals the API gives."""

from __future__ import annotations

from typing import Any

from sfms_shared.exports import workbook

LINE_HEADERS = [
    "번호",
    "연차",
    "비목",
    "세목",
    "구분",
    "협약 현금(원)",
    "협약 현물(원)",
    "집행 현금(원)",
    "집행 현물(원)",
    "인정 현금(원)",
    "인정 현물(원)",
    "불인정(원)",
    "비고",
]
YEAR_HEADERS = [
    "연차",
    "협약 총사업비(원)",
    "협약 정부출연금(원)",
    "협약 정부출연 비율",
    "인정 사업비(원)",
    "현물 불인정(원)",
    "정부출연금 지급액(원)",
    "정부출연금 정산액(원)",
    "환수액(원)",
    "산식",
    "비고",
]


def settlement_report(settled: dict[str, Any]) -> bytes:
    lines = [
        [
            line["line"],
            line["year"],
            line["category"],
            line["item"],
            line["code"] or "",
            line["agreed_cash_krw"],
            line["agreed_in_kind_krw"],
            line["executed_cash_krw"],
            line["executed_in_kind_krw"],
            line["recognised_cash_krw"],
            line["recognised_in_kind_krw"],
            line["executed_cash_krw"]
            + line["executed_in_kind_krw"]
            - line["recognised_cash_krw"]
            - line["recognised_in_kind_krw"],
            " ".join(note["ko"] for note in line["notes"]),
        ]
        for line in settled["lines"]
    ]
    years = [
        [
            y["year"],
            y["agreed_total_krw"],
            y["agreed_government_krw"],
            y["government_ratio_percent"],
            y["recognised_krw"],
            y["in_kind_disallowed_krw"],
            y["government_paid_krw"],
            y["government_due_krw"],
            y["recovery_krw"],
            y["rule"]["ko"],
            " ".join(note["ko"] for note in y["notes"]),
        ]
        for y in settled["years"]
    ]
    years.append(
        [
            "합계",
            sum(y["agreed_total_krw"] for y in settled["years"]),
            sum(y["agreed_government_krw"] for y in settled["years"]),
            "",
            sum(y["recognised_krw"] for y in settled["years"]),
            sum(y["in_kind_disallowed_krw"] for y in settled["years"]),
            settled["government_paid_krw"],
            settled["government_due_krw"],
            settled["recovery_krw"],
            "",
            "",
        ]
    )
    return workbook([("정산 내역", LINE_HEADERS, lines), ("연차별 정산", YEAR_HEADERS, years)])
