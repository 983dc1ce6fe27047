"""Lines the call names: mandatory lines, the planner's management, in-kind, cloud, labour.

- 001 §6 (필수계상): 정산 수수료 (2차년도, fee table), 교육비 100만원 (1차년도), 기술임치비
  45만원 (2차년도); "미편성할 경우, 총사업비와 별개로 도입기업 부담";
- 001 §6 (전주기관리): 기획기관의 관리비용으로 총사업비 5% 이내 (연차별);
- 001 §6 (현물편성): 클라우드 서비스 이용료 (현금·현물), 도입기업 인건비 (현금 불가), AI 제조
  데이터셋 (현금 불가, 2차년도): 기업부담금 중 20% 이내, 연차별 최대 6천만원;
- 001 §6, 붙임6: 클라우드 서비스 이용료 최대 3년, 소기업 최대 5년;
- 003 Ⅲ, Ⅷ: 도입기업 인건비 기업부담금 20% 이내 (고도화1 4천만원, 고도화2 8천만원).
"""

from __future__ import annotations

from settlement.domain.budget import Budget
from settlement.domain.findings import Finding, allowed, at_most, percent, share, won
from settlement.domain.terms import ProjectTerms
from sfms_shared.contracts.call_terms import MandatoryLine
from sfms_shared.small_business import SmallBusinessClassification


def mandatory_line_checks(budget: Budget, terms: ProjectTerms) -> list[Finding]:
    total = budget.figures.total
    return [
        _mandatory(budget, line, terms.budget.mandatory_amount(line.code, total))
        for line in terms.budget.mandatory_lines
    ]


def _mandatory(budget: Budget, line: MandatoryLine, expected: int) -> Finding:
    year = line.project_year
    budgeted = budget.sum_of(line.code, year).total
    elsewhere = sorted({x.year for x in budget.coded(line.code) if x.year != year})
    figures = {"expected_krw": expected, "budgeted_krw": budgeted, "in_other_years": elsewhere}
    pays_ko = (
        " 미편성 시 총사업비와 별개로 도입기업이 부담합니다."
        if line.if_not_budgeted == "applicant-pays-outside-total"
        else ""
    )
    pays_en = (
        " If it is not budgeted, the applicant pays it outside the total project cost."
        if line.if_not_budgeted == "applicant-pays-outside-total"
        else ""
    )
    name_ko, name_en = line.name.ko, line.name.en
    if budgeted == 0:
        moved_ko = f" ({', '.join(map(str, elsewhere))}차년도에 있음)" if elsewhere else ""
        moved_en = f" (found in year {', '.join(map(str, elsewhere))})" if elsewhere else ""
        return Finding(
            f"mandatory-{line.code}",
            "fail",
            f"{line.category.ko} '{name_ko}' {won(expected)}원이 {year}차년도에 편성되지 "
            f"않았습니다{moved_ko}.{pays_ko}",
            f"The mandatory line '{name_en}' ({line.category.en}) of KRW {won(expected)} is "
            f"missing from year {year}{moved_en}.{pays_en}",
            line.source,
            year=year,
            figures=figures,
        )
    if budgeted < expected:
        return Finding(
            f"mandatory-{line.code}",
            "fail",
            f"'{name_ko}'이 {year}차년도에 {won(budgeted)}원으로, 필수 금액 {won(expected)}원보다 "
            f"{won(expected - budgeted)}원 적습니다.{pays_ko}",
            f"'{name_en}' in year {year} is KRW {won(budgeted)}, KRW {won(expected - budgeted)} "
            f"short of the required KRW {won(expected)}.{pays_en}",
            line.source,
            year=year,
            figures=figures,
        )
    over = budgeted > expected
    return Finding(
        f"mandatory-{line.code}",
        "warning" if over else "pass",
        f"'{name_ko}' {year}차년도 {won(budgeted)}원"
        + (f": 필수 금액 {won(expected)}원보다 많습니다." if over else " 편성되었습니다."),
        f"'{name_en}' in year {year}: KRW {won(budgeted)}"
        + (f", above the required KRW {won(expected)}." if over else ", as required."),
        line.source,
        year=year,
        figures=figures,
    )


def planner_management_checks(budget: Budget, terms: ProjectTerms) -> list[Finding]:
    cap = terms.budget.planner_management
    if cap is None:
        return []
    periods = (
        [(y, budget.year(y)) for y in budget.years]
        if cap.per_project_year
        else [(None, budget.figures)]
    )
    found = []
    for year, figures in periods:
        amount = budget.sum_of(cap.line, year).total
        ok = at_most(amount, cap.max_ratio, figures.total)
        when_ko, when_en = (f"{year}차년도 ", f"Year {year}: ") if year else ("", "")
        found.append(
            Finding(
                "planner-management",
                "pass" if ok else "fail",
                f"{when_ko}기획기관 전주기관리비 {won(amount)}원은 총사업비 {won(figures.total)}원의 "
                f"{percent(share(amount, figures.total))}로, {percent(cap.max_ratio)}"
                f"({won(allowed(cap.max_ratio, figures.total))}원) "
                + ("이내입니다." if ok else "를 넘습니다."),
                f"{when_en}the planner's full-cycle management of KRW {won(amount)} is "
                f"{percent(share(amount, figures.total))} of the total of KRW {won(figures.total)}; "
                f"at most {percent(cap.max_ratio)} (KRW {won(allowed(cap.max_ratio, figures.total))}).",
                cap.source,
                year=year,
                figures={
                    "amount_krw": amount,
                    "total_krw": figures.total,
                    "max_ratio": str(cap.max_ratio),
                    "allowed_krw": allowed(cap.max_ratio, figures.total),
                },
            )
        )
    return found


def in_kind_checks(budget: Budget, terms: ProjectTerms) -> list[Finding]:
    rules = terms.budget.in_kind
    if rules is None:
        return []
    kinds = {k.code: k for k in rules.kinds}
    names = ", ".join(k.name.ko for k in rules.kinds)
    names_en = ", ".join(k.name.en for k in rules.kinds)
    found = []
    for index, line in enumerate(budget.lines):
        kind = kinds.get(line.code or "")
        cash = line.government_krw + line.private_cash_krw + line.large_enterprise_krw
        where = {"line": index, "item": line.item, "year": line.year}
        if line.private_in_kind_krw and (kind is None or not kind.in_kind_allowed):
            found.append(
                Finding(
                    "in-kind-kind",
                    "fail",
                    f"'{line.item}'의 현물 {won(line.private_in_kind_krw)}원: 현물은 {names}만 "
                    "편성할 수 있습니다.",
                    f"'{line.item}' has KRW {won(line.private_in_kind_krw)} in kind; only these "
                    f"may be in kind: {names_en}.",
                    rules.source,
                    year=line.year,
                    figures=where,
                )
            )
        elif kind is not None and cash and not kind.cash_allowed:
            found.append(
                Finding(
                    "in-kind-only",
                    "fail",
                    f"'{kind.name.ko}'은 현금으로 편성할 수 없습니다(현금 {won(cash)}원).",
                    f"'{kind.name.en}' cannot be paid in cash (KRW {won(cash)} in cash).",
                    kind.source,
                    year=line.year,
                    figures=where,
                )
            )
        elif kind is not None and kind.project_year and line.year != kind.project_year:
            found.append(
                Finding(
                    "in-kind-year",
                    "fail",
                    f"'{kind.name.ko}'은 {kind.project_year}차년도에만 편성할 수 있습니다"
                    f"({line.year}차년도에 있음).",
                    f"'{kind.name.en}' may only be budgeted in year {kind.project_year} "
                    f"(found in year {line.year}).",
                    kind.source,
                    year=line.year,
                    figures=where,
                )
            )
    for year in budget.years:
        figures = budget.year(year)
        cap = rules.max_per_year_krw
        ratio_ok = at_most(figures.in_kind, rules.max_ratio_of_company_share, figures.company_share)
        cap_ok = cap is None or figures.in_kind <= cap
        limit = allowed(rules.max_ratio_of_company_share, figures.company_share)
        if cap is not None:
            limit = min(limit, cap)
        found.append(
            Finding(
                "in-kind-limit",
                "pass" if ratio_ok and cap_ok else "fail",
                f"{year}차년도 현물 {won(figures.in_kind)}원: 기업부담금 {won(figures.company_share)}원의 "
                f"{percent(share(figures.in_kind, figures.company_share))}"
                f" (한도: {percent(rules.max_ratio_of_company_share)}"
                + (f", 연 {won(cap)}원" if cap is not None else "")
                + f" → {won(limit)}원)",
                f"Year {year}: in kind KRW {won(figures.in_kind)} is "
                f"{percent(share(figures.in_kind, figures.company_share))} of the company share of "
                f"KRW {won(figures.company_share)} (limit {percent(rules.max_ratio_of_company_share)}"
                + (f" and KRW {won(cap)} a year" if cap is not None else "")
                + f" → KRW {won(limit)})",
                rules.source,
                year=year,
                figures={
                    "in_kind_krw": figures.in_kind,
                    "company_share_krw": figures.company_share,
                    "max_ratio": str(rules.max_ratio_of_company_share),
                    "max_per_year_krw": cap,
                    "allowed_krw": limit,
                },
            )
        )
    return found


def cloud_fee_checks(
    budget: Budget, terms: ProjectTerms, small: SmallBusinessClassification | None
) -> list[Finding]:
    rules = terms.budget.cloud_fees
    lines = budget.coded("cloud-fee")
    if rules is None or not lines:
        return []
    unstated = [x.item for x in lines if x.service_years is None]
    if unstated:
        return [
            Finding(
                "cloud-fee-years",
                "fail",
                f"클라우드 서비스 이용료 '{unstated[0]}'에 이용 연수(service_years)가 없습니다.",
                f"The cloud-fee line '{unstated[0]}' does not say how many years of service it "
                "pays for (service_years).",
                rules.source,
            )
        ]
    years = sum(x.service_years or 0 for x in lines)
    is_small = small.small if small else None
    limit = rules.small_business_max_years if is_small else rules.max_years
    evidence = small.as_json() if small else None
    figures = {"service_years": years, "max_years": limit, "small_business": evidence}
    if years > rules.max_years and is_small is None:
        return [
            Finding(
                "cloud-fee-years",
                "not-assessed",
                f"클라우드 이용료 {years}년분: {rules.max_years}년을 넘으면 소기업이어야 하는데 "
                "소기업 여부를 판단할 수 없습니다(업종 또는 매출액 정보 없음).",
                f"{years} years of cloud fees: more than {rules.max_years} needs a small "
                "business, and the size could not be judged (industry or revenue unknown).",
                rules.source,
                figures=figures,
            )
        ]
    ok = years <= limit
    who_ko, who_en = {
        True: ("소기업은", "a small business"),
        False: ("소기업이 아닌 기업은", "a business that is not small"),
        None: ("기업 규모와 관계없이", "any business"),
    }[is_small]
    return [
        Finding(
            "cloud-fee-years",
            "pass" if ok else "fail",
            f"클라우드 서비스 이용료 {years}년분: {who_ko} 최대 {limit}년"
            + (" 이내입니다." if ok else "을 넘습니다."),
            f"Cloud service fees for {years} years: {who_en} may budget at most {limit}.",
            rules.source,
            figures=figures,
        )
    ]


def staff_labour_checks(budget: Budget, terms: ProjectTerms) -> list[Finding]:
    rules = terms.budget.staff_labour
    if rules is None:
        return []
    amount = budget.sum_of(rules.line).total
    company = budget.figures.company_share
    limit = allowed(rules.max_ratio_of_company_share, company)
    cap = terms.staff_labour_cap_krw
    if cap is not None:
        limit = min(limit, cap)
    ok = amount <= limit
    return [
        Finding(
            "staff-labour",
            "pass" if ok else "fail",
            f"도입기업 인건비 {won(amount)}원: 기업부담금 {won(company)}원의 "
            f"{percent(rules.max_ratio_of_company_share)} 이내"
            + (f", 최대 {won(cap)}원" if cap is not None else "")
            + f" → 한도 {won(limit)}원"
            + ("" if ok else f", {won(amount - limit)}원 초과"),
            f"Applicant staff labour KRW {won(amount)}: at most "
            f"{percent(rules.max_ratio_of_company_share)} of the company share of KRW {won(company)}"
            + (f" and at most KRW {won(cap)}" if cap is not None else "")
            + f" → limit KRW {won(limit)}"
            + ("" if ok else f", KRW {won(amount - limit)} over"),
            rules.source,
            figures={
                "amount_krw": amount,
                "company_share_krw": company,
                "max_ratio": str(rules.max_ratio_of_company_share),
                "cap_krw": cap,
                "allowed_krw": limit,
            },
        )
    ]
