"""기업역량 scored from the documents (001 붙임2 도입기업 역량 정량배점 항목기준, §3 제출서류
목록 6–7), against the rubric item of the real seed call, not a copy of it."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from functools import cache
from uuid import UUID, uuid4

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic_core import to_jsonable_python

from intake.seed_calls import load_seed_calls
from scoring.domain.figures import ExportReading, Located, StatementReading, Unreadable
from scoring.domain.quantitative import QuantitativeScore, score_capability
from sfms_shared.contracts.applications import ExportYear, FinancialYear
from sfms_shared.contracts.terms_scoring import Figure, RubricItem

AUTONOMOUS = "2026-autonomous-factory-2"
ESTABLISHED = date(2012, 3, 1)
HUNDRED_MILLION = 100_000_000

Reading = StatementReading | ExportReading | Unreadable


@cache
def capability() -> RubricItem:
    call = next(c for c in load_seed_calls() if c.id == AUTONOMOUS)
    assert call.terms.evaluation is not None
    rubric = call.terms.evaluation.rubric("document-review")
    assert rubric is not None
    item = rubric.item("capability")
    assert item is not None
    return item


def statement(
    year: int,
    *,
    revenue: int | None = None,
    operating_profit: int | None = None,
    liabilities: int | None = None,
    equity: int | None = None,
    document_id: UUID | None = None,
) -> StatementReading:
    """A 표준재무제표증명 for one year: the income statement on page 2, the balance sheet
    on page 1, as the NTS prints them."""
    found: dict[Figure, Located] = {}
    for figure, value, page, label in (
        ("revenue", revenue, 2, "매출액"),
        ("operating-profit", operating_profit, 2, "영업이익(손실)"),
        ("total-liabilities", liabilities, 1, "부채총계"),
        ("total-equity", equity, 1, "자본총계"),
    ):
        if value is not None:
            found[figure] = Located(value, page, label)
    return StatementReading(document_id or uuid4(), year, found)


def statements(
    *,
    revenue: tuple[int, int] = (HUNDRED_MILLION, 112_000_000),
    operating_profit: tuple[int, int] = (HUNDRED_MILLION, 110_000_000),
    liabilities: int = 50_000_000,
    equity: int = HUNDRED_MILLION,
) -> list[Reading]:
    """The 2024 and 2025 statements; by default every financial measure earns 5."""
    return [
        statement(
            2024,
            revenue=revenue[0],
            operating_profit=operating_profit[0],
            liabilities=40_000_000,
            equity=90_000_000,
        ),
        statement(
            2025,
            revenue=revenue[1],
            operating_profit=operating_profit[1],
            liabilities=liabilities,
            equity=equity,
        ),
    ]


def export_record(by_year: dict[int, int], document_id: UUID | None = None) -> ExportReading:
    """A 수출실적증명서 (KITA): direct exports by year, one line per year on page 1."""
    return ExportReading(
        document_id or uuid4(),
        {year: Located(value, 1, f"{year}년 직접수출") for year, value in by_year.items()},
    )


def declared_year(
    year: int,
    revenue: int = HUNDRED_MILLION,
    operating_profit: int = HUNDRED_MILLION,
    liabilities: int = 50_000_000,
    equity: int = HUNDRED_MILLION,
) -> FinancialYear:
    return FinancialYear(
        year=year,
        revenue_krw=revenue,
        operating_profit_krw=operating_profit,
        total_liabilities_krw=liabilities,
        total_equity_krw=equity,
    )


def score(
    readings: Sequence[Reading] = (),
    *,
    founded_on: date = ESTABLISHED,
    declared: Sequence[FinancialYear] = (),
    exports: Sequence[ExportYear] = (),
) -> QuantitativeScore:
    return score_capability(
        capability(),
        founded_on=founded_on,
        declared_financials=declared,
        declared_exports=exports,
        readings=readings,
    )


def flag_codes(result: QuantitativeScore, measure: str) -> list[str]:
    return [f.code for f in result.measure(measure).flags]


# --- the call's item ---------------------------------------------------------------


def test_the_item_is_four_measures_of_five_points() -> None:
    """001 붙임2 서면평가: 기업 역량 (20) = 매출액증가율, 영업이익증가율, 부채비율, 수출실적여부."""
    item = capability()
    assert item.max_points == 20
    assert [m.code for m in item.measures] == [
        "revenue-growth",
        "operating-profit-growth",
        "debt-ratio",
        "direct-exports",
    ]
    assert all(m.max_points == 5 for m in item.measures)


def test_full_marks_are_reachable_and_points_add_up() -> None:
    """001 붙임2: 5점 in every measure gives the item's 20 points."""
    result = score([*statements(), export_record({2023: 250_000_000})])
    assert [m.points for m in result.measures] == [5, 5, 5, 5]
    assert result.points == result.max_points == 20
    assert not result.needs_confirmation
    assert all(not m.flags for m in result.measures)


# --- bands: every boundary at the edge and one won below -------------------------------


@pytest.mark.parametrize(
    ("revenue_2025", "points"),
    [
        (112_000_000, 5),  # 12%이상
        (111_999_999, 4),  # 12%미만~9%이상
        (109_000_000, 4),
        (108_999_999, 3),  # 9%미만~6%이상
        (106_000_000, 3),
        (105_999_999, 2),  # 6%미만~3%이상
        (103_000_000, 2),
        (102_999_999, 1),  # 3%미만
        (80_000_000, 1),
    ],
)
def test_revenue_growth_bands(revenue_2025: int, points: int) -> None:
    """001 붙임2 매출액증가율: '24년 대비 '25년; 12%·9%·6%·3% are the lower bounds, inclusive."""
    result = score(statements(revenue=(HUNDRED_MILLION, revenue_2025)))
    measure = result.measure("revenue-growth")
    assert measure.points == points
    assert measure.value == Decimal(revenue_2025 - HUNDRED_MILLION) / HUNDRED_MILLION
    assert points == capability().measure_points("revenue-growth", measure.value)


def test_twelve_percent_growth_is_exactly_the_bound() -> None:
    """001 붙임2 매출액증가율 "12%이상" = 5점: 100,000,000 → 112,000,000 is exactly 0.12."""
    measure = score(statements()).measure("revenue-growth")
    assert measure.value == Decimal("0.12")
    assert str(measure.value) == "0.12"
    assert measure.rule == "[0.12, ∞) → 5"
    assert (measure.from_year, measure.to_year) == (2024, 2025)
    assert [(u.year, u.value, u.provenance, u.page) for u in measure.inputs] == [
        (2024, HUNDRED_MILLION, "document", 2),
        (2025, 112_000_000, "document", 2),
    ]


@pytest.mark.parametrize(
    ("profit_2025", "points", "rule"),
    [
        (110_000_000, 5, "[0.10, ∞) → 5"),  # 10%이상
        (109_999_999, 4, "[0.075, 0.10) → 4"),  # 10%미만~7.5%이상
        (107_500_000, 4, "[0.075, 0.10) → 4"),
        (107_499_999, 3, "[0.05, 0.075) → 3"),  # 7.5%미만~5%이상
        (105_000_000, 3, "[0.05, 0.075) → 3"),
        (104_999_999, 2, "[0.025, 0.05) → 2"),  # 5%미만~2.5%이상
        (102_500_000, 2, "[0.025, 0.05) → 2"),
        (102_499_999, 1, "(-∞, 0.025) → 1"),  # 2.5%미만
    ],
)
def test_operating_profit_growth_bands(profit_2025: int, points: int, rule: str) -> None:
    """001 붙임2 영업이익증가율: 10%·7.5%·5%·2.5% are the lower bounds, inclusive."""
    measure = score(statements(operating_profit=(HUNDRED_MILLION, profit_2025))).measure(
        "operating-profit-growth"
    )
    assert (measure.points, measure.rule) == (points, rule)
    assert points == capability().measure_points("operating-profit-growth", measure.value)


@pytest.mark.parametrize(
    ("liabilities", "points"),
    [
        (0, 5),
        (59_999_999, 5),  # 60%미만
        (60_000_000, 4),  # 100%미만~60%이상
        (99_999_999, 4),
        (100_000_000, 3),  # 140%미만~100%이상
        (139_999_999, 3),
        (140_000_000, 2),  # 180%미만~140%이상
        (179_999_999, 2),
        (180_000_000, 1),  # 180%이상
        (900_000_000, 1),
    ],
)
def test_debt_ratio_bands_are_reversed(liabilities: int, points: int) -> None:
    """001 붙임2 부채비율 ('25년): lower debt scores higher; 60%·100%·140%·180% start the
    worse band."""
    measure = score(statements(liabilities=liabilities)).measure("debt-ratio")
    assert measure.points == points
    assert measure.value == Decimal(liabilities) / HUNDRED_MILLION
    assert measure.to_year == 2025 and measure.from_year is None
    assert {u.figure for u in measure.inputs} == {"total-liabilities", "total-equity"}


def test_an_unending_quotient_is_not_rounded_into_a_better_band() -> None:
    """001 붙임2 "12%미만~9%이상": growth a hair under 12% (36,000,000 / 300,000,001) is 4."""
    measure = score(statements(revenue=(300_000_001, 336_000_001))).measure("revenue-growth")
    assert measure.value is not None and measure.value < Decimal("0.12")
    assert measure.points == 4


# --- special cases (001 붙임2 **) -------------------------------------------------------


def test_financials_unavailable_give_one_point_each() -> None:
    """001 붙임2 ** "재무 현황을 확인할 수 없는 경우(1점)"; 수출 실적이 없는 경우 1점 (***)."""
    result = score()
    assert [m.points for m in result.measures] == [1, 1, 1, 1]
    assert result.points == 4
    for code in ("revenue-growth", "operating-profit-growth", "debt-ratio"):
        measure = result.measure(code)
        assert measure.value is None
        assert measure.rule == "financials-unavailable → 1"
        assert measure.source.section.endswith("**")
        assert set(flag_codes(result, code)) == {"document-missing"}
    assert result.measure("direct-exports").rule == "false → 1"
    assert not result.needs_confirmation  # nothing could be read: the seed's rule decides


def test_founded_on_2024_01_01_gets_three_for_growth_but_not_debt() -> None:
    """001 붙임2 ** "단, 매출액 증가율 및 영업이익 증가율은 '24년1월1일 이후 창업기업을
    중간점수로 부여(3점)": on the day counts; the debt ratio still goes by the bands."""
    result = score(
        statements(revenue=(HUNDRED_MILLION, 150_000_000), liabilities=150_000_000),
        founded_on=date(2024, 1, 1),
    )
    growth = result.measure("revenue-growth")
    assert growth.points == 3
    assert growth.value == Decimal("0.5")  # still computed and shown
    assert growth.rule == "founded-on-or-after 2024-01-01 (founded 2024-01-01) → 3"
    assert result.measure("operating-profit-growth").points == 3
    assert result.measure("debt-ratio").points == 2
    assert score(founded_on=date(2024, 1, 1)).measure("debt-ratio").points == 1


def test_founded_the_day_before_goes_by_the_bands() -> None:
    """001 붙임2 **: founded 2023-12-31 is not a '24년 창업기업; bands and "unavailable" apply."""
    banded = score(statements(), founded_on=date(2023, 12, 31))
    assert [m.points for m in banded.measures] == [5, 5, 5, 1]
    result = score(founded_on=date(2023, 12, 31))
    assert [m.points for m in result.measures] == [1, 1, 1, 1]


def test_founded_on_2025_01_01_gets_three_for_the_debt_ratio_too() -> None:
    """001 붙임2 ** "부채비율은 '25년1월1일 이후 창업기업을 중간 점수로 부여(3점)"."""
    result = score(statements(liabilities=10_000_000), founded_on=date(2025, 1, 1))
    assert [m.points for m in result.measures][:3] == [3, 3, 3]
    assert result.measure("debt-ratio").value == Decimal("0.1")
    assert score(founded_on=date(2025, 1, 1)).measure("debt-ratio").points == 3
    assert score(founded_on=date(2024, 12, 31)).measure("debt-ratio").points == 1


def test_fallbacks_win_as_the_call_orders_them() -> None:
    """001 붙임2 ** "단,": the founding cases come before "unavailable", as
    ``RubricItem.measure_points`` applies them."""
    item = capability()
    for founded_on in (date(2023, 12, 31), date(2024, 1, 1), date(2025, 1, 1)):
        result = score(founded_on=founded_on)
        for measure in result.measures[:3]:
            assert measure.points == item.measure_points(
                measure.code, measure.value, founded_on=founded_on
            )


# --- documents and declarations ---------------------------------------------------------


def test_the_document_wins_over_a_differing_declaration() -> None:
    """001 §3 제출서류 목록 6: the statement is the evidence; the declared figure that
    disagrees is shown beside it."""
    declared = [declared_year(2024), declared_year(2025, revenue=130_000_000)]
    result = score(statements(), declared=declared)
    measure = result.measure("revenue-growth")
    assert measure.points == 5
    assert all(u.provenance == "document" for u in measure.inputs)
    (flag,) = measure.flags
    assert flag.code == "declared-differs"
    assert [(f.provenance, f.value) for f in flag.figures] == [
        ("document", 112_000_000),
        ("declared", 130_000_000),
    ]
    assert "112,000,000" in flag.message_ko and "130,000,000" in flag.message_en
    assert not measure.needs_confirmation


def test_an_agreeing_declaration_raises_nothing() -> None:
    """001 §3 제출서류 목록 6: figures that agree need no remark."""
    declared = [
        declared_year(2024, liabilities=40_000_000, equity=90_000_000),
        declared_year(2025, 112_000_000, 110_000_000),
    ]
    result = score(statements(), declared=declared)
    assert all(not m.flags for m in result.measures[:3])


def test_declared_figures_stand_in_for_missing_statements() -> None:
    """001 §3 제출서류 목록 6: without the statement the declared figure is used and an
    evaluator confirms it."""
    declared = [declared_year(2024), declared_year(2025, 109_000_000, 105_000_000, 60_000_000)]
    result = score(declared=declared)
    assert [m.points for m in result.measures][:3] == [4, 3, 4]
    for measure in result.measures[:3]:
        assert measure.needs_confirmation
        assert {u.provenance for u in measure.inputs} == {"declared"}
        assert {f.code for f in measure.flags} == {"document-missing"}
    assert result.needs_confirmation


def test_an_unreadable_statement_leaves_the_declared_figure_to_confirm() -> None:
    """001 §3 제출서류 목록 6: a statement that cannot be read is replaced by the declaration,
    marked for an evaluator."""
    unreadable = Unreadable(uuid4(), "스캔 이미지입니다", "The PDF is a scanned image")
    declared = [declared_year(2024), declared_year(2025, revenue=112_000_000)]
    result = score([statements()[0], unreadable], declared=declared)
    measure = result.measure("revenue-growth")
    assert measure.points == 5
    assert measure.needs_confirmation
    assert [(u.year, u.provenance) for u in measure.inputs] == [
        (2024, "document"),
        (2025, "declared"),
    ]
    (flag,) = measure.flags
    assert flag.code == "document-unreadable"
    assert flag.document_ids == (unreadable.document_id,)
    assert "스캔 이미지" in flag.message_ko


def test_an_unreadable_statement_and_no_declaration_is_provisionally_unavailable() -> None:
    """001 붙임2 ** "재무 현황을 확인할 수 없는 경우(1점)", but an evaluator may read it."""
    result = score([Unreadable(uuid4(), "암호가 걸린 PDF", "Encrypted PDF")])
    assert [m.points for m in result.measures] == [1, 1, 1, 1]
    assert all(m.needs_confirmation for m in result.measures)


def test_two_statements_for_a_year_that_disagree_use_the_latest() -> None:
    """001 §3 제출서류 목록 6 ("각 1부"): a second upload for the same year that disagrees
    is flagged; the later one is used until an evaluator confirms."""
    first, second = uuid4(), uuid4()
    readings = [
        statement(2024, revenue=HUNDRED_MILLION, document_id=first),
        statement(2025, revenue=103_000_000, document_id=first),
        statement(2025, revenue=112_000_000, document_id=second),
    ]
    measure = score(readings).measure("revenue-growth")
    assert measure.points == 5
    assert measure.inputs[-1].document_id == second
    (flag,) = measure.flags
    assert flag.code == "documents-differ"
    assert [f.value for f in flag.figures] == [103_000_000, 112_000_000]
    assert measure.needs_confirmation


def test_two_statements_for_a_year_that_agree_raise_nothing() -> None:
    """001 §3 제출서류 목록 6: the same statement uploaded twice is no disagreement."""
    readings = [*statements(), statements()[1]]
    result = score(readings)
    assert not result.measure("revenue-growth").flags
    assert not result.needs_confirmation


# --- growth from zero or from a loss; impaired capital ----------------------------------


def test_growth_from_zero_is_not_computable() -> None:
    """001 붙임2 *: growth from a base of 0 has no value; "확인할 수 없는 경우(1점)" is given
    provisionally and flagged."""
    result = score(statements(revenue=(0, 50_000_000)))
    measure = result.measure("revenue-growth")
    assert measure.value is None
    assert measure.points == 1
    assert "not-computable" in flag_codes(result, "revenue-growth")
    assert measure.needs_confirmation


def test_growth_from_zero_of_a_2024_start_up_is_three_without_confirmation() -> None:
    """001 붙임2 ** "'24년1월1일 이후 창업기업 ... (3점)": the figures cannot change the points."""
    measure = score(statements(revenue=(0, 50_000_000)), founded_on=date(2024, 3, 1)).measure(
        "revenue-growth"
    )
    assert measure.points == 3
    assert "not-computable" in [f.code for f in measure.flags]
    assert not measure.needs_confirmation


@pytest.mark.parametrize(
    ("profit_2024", "profit_2025", "value", "points"),
    [
        (-HUNDRED_MILLION, 50_000_000, Decimal("1.5"), 5),  # loss turned to profit
        (-HUNDRED_MILLION, -95_000_000, Decimal("0.05"), 3),  # loss shrank by 5%
        (-HUNDRED_MILLION, -150_000_000, Decimal("-0.5"), 1),  # loss grew
        (HUNDRED_MILLION, -50_000_000, Decimal("-1.5"), 1),  # profit turned to loss
    ],
)
def test_growth_from_a_loss_is_measured_against_its_size(
    profit_2024: int, profit_2025: int, value: Decimal, points: int
) -> None:
    """001 붙임2 영업이익증가율 does not define growth from a loss; (to − from) / |from|
    makes the sign say whether the result improved."""
    measure = score(statements(operating_profit=(profit_2024, profit_2025))).measure(
        "operating-profit-growth"
    )
    assert (measure.value, measure.points) == (value, points)


@pytest.mark.parametrize("equity", [0, -1, -30_000_000])
def test_impaired_capital_scores_in_the_highest_debt_band(equity: int) -> None:
    """001 붙임2 부채비율: with total equity ≤ 0 (자본잠식) there is no finite ratio; it is
    worse than any ratio, so "180%이상" (1점)."""
    result = score(statements(equity=equity))
    measure = result.measure("debt-ratio")
    assert measure.value is None
    assert measure.points == 1
    assert measure.rule == "no finite ratio: [1.80, ∞) → 1"
    assert flag_codes(result, "debt-ratio") == ["impaired-capital"]
    assert not measure.needs_confirmation


def test_impaired_capital_of_a_2025_start_up_is_three() -> None:
    """001 붙임2 ** "부채비율은 '25년1월1일 이후 창업기업을 중간 점수로 부여(3점)" comes first."""
    measure = score(statements(equity=-1), founded_on=date(2025, 2, 1)).measure("debt-ratio")
    assert measure.points == 3


# --- direct exports (001 붙임2 ***, §3 목록 7) ------------------------------------------


def test_exports_on_the_record_give_five() -> None:
    """001 붙임2 *** "최근 5년('21~'25년) 직접 수출이 확인된 경우 5점"."""
    record = export_record({2020: 0, 2021: 0, 2022: 35_000_000, 2023: 0})
    measure = score([*statements(), record]).measure("direct-exports")
    assert (measure.value, measure.points, measure.rule) == (True, 5, "true → 5")
    assert not measure.needs_confirmation
    assert [u.year for u in measure.inputs] == [2021, 2022, 2023]  # 2020 is outside '21~'25


def test_a_record_of_zeros_gives_one() -> None:
    """001 붙임2 *** "실적이 없는 경우 1점"."""
    measure = score([export_record({2021: 0, 2025: 0})]).measure("direct-exports")
    assert (measure.value, measure.points) == (False, 1)


def test_no_record_and_nothing_declared_is_no_exports_not_unavailable() -> None:
    """001 §3 제출서류 목록 7 is "해당시": no record means no direct exports (1점)."""
    measure = score(statements()).measure("direct-exports")
    assert (measure.value, measure.points, measure.rule) == (False, 1, "false → 1")
    assert not measure.flags and not measure.needs_confirmation


def test_declared_exports_without_a_record_need_confirmation() -> None:
    """001 §3 제출서류 목록 7: exports must be 확인된; on the applicant's word alone they
    score 5 provisionally, for an evaluator to confirm."""
    exports = [ExportYear(year=2023, direct_export_krw=80_000_000)]
    measure = score(statements(), exports=exports).measure("direct-exports")
    assert (measure.value, measure.points) == (True, 5)
    assert measure.needs_confirmation
    assert [f.code for f in measure.flags] == ["document-missing"]
    assert measure.inputs[0].provenance == "declared"


def test_declared_exports_outside_the_window_do_not_count() -> None:
    """001 붙임2 *** "최근 5년('21~'25년)": 2020 is outside."""
    exports = [ExportYear(year=2020, direct_export_krw=80_000_000)]
    assert score(exports=exports).measure("direct-exports").points == 1


def test_the_record_wins_over_declared_exports_for_the_same_year() -> None:
    """001 §3 제출서류 목록 7: the KITA record decides a year it shows."""
    exports = [ExportYear(year=2023, direct_export_krw=80_000_000)]
    measure = score([export_record({2023: 0})], exports=exports).measure("direct-exports")
    assert (measure.value, measure.points) == (False, 1)
    assert [f.code for f in measure.flags] == ["declared-differs"]


def test_an_unreadable_document_may_hide_exports() -> None:
    """001 붙임2 ***: with no record read and a document unread, "no exports" is confirmed
    by an evaluator."""
    unreadable = Unreadable(uuid4(), "페이지가 비어 있습니다", "The pages are empty")
    measure = score([*statements(), unreadable]).measure("direct-exports")
    assert (measure.value, measure.points) == (False, 1)
    assert measure.needs_confirmation
    assert measure.flags[0].document_ids == (unreadable.document_id,)


# --- alternative years (001 §3 제출서류 목록 6 *) ----------------------------------------


def test_without_2025_statements_the_years_move_back_one() -> None:
    """001 §3 제출서류 목록 6 * "2025년 재무제표 미확정 기업은 2022~2024년 재무제표 제출":
    growth 2023→2024 and the 2024 debt ratio, for an evaluator to confirm."""
    readings: list[Reading] = [
        statement(2022, revenue=90_000_000, operating_profit=9_000_000),
        statement(2023, revenue=HUNDRED_MILLION, operating_profit=10_000_000),
        statement(
            2024,
            revenue=109_000_000,
            operating_profit=10_250_000,
            liabilities=140_000_000,
            equity=HUNDRED_MILLION,
        ),
    ]
    result = score(readings)
    revenue = result.measure("revenue-growth")
    assert (revenue.from_year, revenue.to_year, revenue.points) == (2023, 2024, 4)
    assert result.measure("operating-profit-growth").points == 2
    debt = result.measure("debt-ratio")
    assert (debt.to_year, debt.value, debt.points) == (2024, Decimal("1.4"), 2)
    for measure in result.measures[:3]:
        assert "alternative-years" in [f.code for f in measure.flags]
        assert measure.needs_confirmation
    exports = result.measure("direct-exports")
    assert (exports.from_year, exports.to_year) == (2021, 2025)


def test_declared_years_move_back_the_same_way() -> None:
    """001 §3 제출서류 목록 6 *: the declaration alone also shows which years exist."""
    result = score(declared=[declared_year(2023), declared_year(2024, revenue=112_000_000)])
    revenue = result.measure("revenue-growth")
    assert (revenue.from_year, revenue.to_year, revenue.points) == (2023, 2024, 5)


def test_a_2025_statement_without_the_figure_does_not_move_the_years() -> None:
    """001 §3 제출서류 목록 6: the 2025 statement was submitted; a figure it lacks is
    missing, not a reason to use other years."""
    readings: list[Reading] = [
        statement(2024, revenue=HUNDRED_MILLION),
        statement(2025, liabilities=10, equity=100),
    ]
    result = score(readings)
    revenue = result.measure("revenue-growth")
    assert (revenue.to_year, revenue.points) == (2025, 1)
    assert flag_codes(result, "revenue-growth") == ["document-missing"]


# --- shape ---------------------------------------------------------------------------


def test_the_score_serialises_with_decimals_as_strings() -> None:
    """The score is stored and sent as JSON: values stay exact (Decimal as a string)."""
    document = to_jsonable_python(score(statements()))
    revenue = document["measures"][0]
    assert revenue["value"] == "0.12"
    assert revenue["inputs"][0]["provenance"] == "document"
    assert document["points"] == 16


# --- property ------------------------------------------------------------------------

amounts = st.integers(min_value=-5 * HUNDRED_MILLION, max_value=5 * HUNDRED_MILLION)
years = st.integers(min_value=2021, max_value=2025)


@st.composite
def statement_readings(draw: st.DrawFn) -> StatementReading:
    optional = st.none() | amounts
    return statement(
        draw(years),
        revenue=draw(optional),
        operating_profit=draw(optional),
        liabilities=draw(st.none() | st.integers(min_value=0, max_value=5 * HUNDRED_MILLION)),
        equity=draw(optional),
    )


readings_strategy = st.lists(
    st.one_of(
        statement_readings(),
        st.dictionaries(years, st.integers(0, HUNDRED_MILLION), max_size=3).map(export_record),
        st.builds(lambda: Unreadable(uuid4(), "읽을 수 없음", "unreadable")),
    ),
    max_size=6,
)
declared_strategy = st.lists(
    st.builds(
        declared_year,
        years,
        amounts,
        amounts,
        st.integers(min_value=0, max_value=5 * HUNDRED_MILLION),
        amounts,
    ),
    max_size=4,
)
exports_strategy = st.lists(
    st.builds(
        ExportYear,
        year=st.integers(2019, 2026),
        direct_export_krw=st.integers(0, HUNDRED_MILLION),
    ),
    max_size=3,
)


@settings(max_examples=300, deadline=None)
@given(
    readings=readings_strategy,
    declared=declared_strategy,
    exports=exports_strategy,
    founded_on=st.dates(min_value=date(2000, 1, 1), max_value=date(2025, 12, 31)),
)
def test_points_stay_between_one_a_measure_and_the_maximum(
    readings: list[Reading],
    declared: list[FinancialYear],
    exports: list[ExportYear],
    founded_on: date,
) -> None:
    """001 붙임2: every measure scores 1 to 5 whatever the documents say, and the item's
    points are their sum; where a value exists the call's own rule gives the same points."""
    result = score(readings, founded_on=founded_on, declared=declared, exports=exports)
    assert len(result.measures) <= result.points <= result.max_points
    assert result.points == sum(m.points for m in result.measures)
    assert result.needs_confirmation == any(m.needs_confirmation for m in result.measures)
    item = capability()
    for measure in result.measures:
        assert 1 <= measure.points <= measure.max_points
        impaired = "impaired-capital" in [f.code for f in measure.flags]
        if not impaired:
            assert measure.points == item.measure_points(
                measure.code, measure.value, founded_on=founded_on
            )
