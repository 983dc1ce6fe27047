"""Who pays how much: the government ratio and limits, cost shares, level-dependent limits.

- 001 §1 지원 규모 및 조건: "총 사업비의 50%(6억원) 이내(최대 2년, 연 3억원 이내)";
- 003 Ⅲ 지원조건: 고도화1 2억원, 고도화2 4억원, 총사업비의 50% 이내;
- 004 2. ⑧ ⑨: 정부 30% / 대기업 30% 이상 / 도입기업 40% 이내 (AI트랙 50 / 20 이상 / 30 이내);
  제조데이터 가공: 정부 80% 이내, 기업 20% 이상 (기업부담금의 10% 이상 현금);
- 004 2. ④ 레전드50+: 현재-목표 수준별 지원한도금액.
"""

from __future__ import annotations

from settlement.domain.budget import Budget, Figures
from settlement.domain.findings import Finding, allowed, at_least, at_most, percent, share, won
from settlement.domain.terms import ProjectTerms
from sfms_shared.contracts.call_terms import CostShare
from sfms_shared.contracts.calls import SmartFactoryLevel
from sfms_shared.contracts.common import Source

PARTIES = {
    "government": ("정부출연금", "government grant"),
    "large-enterprise": ("대기업 부담금", "large enterprise's share"),
    "applicant": ("도입기업 부담금", "applicant's share"),
    "company": ("기업부담금", "company share"),
    "company-cash": ("기업부담금 중 현금", "company share in cash"),
    "local-government": ("지자체 부담금", "local government's share"),
}


def government_checks(budget: Budget, terms: ProjectTerms) -> list[Finding]:
    limits, source = terms.government, terms.government.source
    figures = budget.figures
    found: list[Finding] = []
    if limits.ratio_max is not None:
        ok = at_most(figures.government, limits.ratio_max, figures.total)
        found.append(
            Finding(
                "government-ratio",
                "pass" if ok else "fail",
                f"정부출연금 {won(figures.government)}원은 총사업비 {won(figures.total)}원의 "
                f"{percent(share(figures.government, figures.total))}로, "
                f"{percent(limits.ratio_max)} 이내" + ("입니다." if ok else "를 넘습니다."),
                f"The government grant of KRW {won(figures.government)} is "
                f"{percent(share(figures.government, figures.total))} of the total project cost "
                f"of KRW {won(figures.total)}; at most {percent(limits.ratio_max)} is allowed.",
                source,
                figures={
                    "government_krw": figures.government,
                    "total_krw": figures.total,
                    "max_ratio": str(limits.ratio_max),
                    "allowed_krw": allowed(limits.ratio_max, figures.total),
                },
            )
        )
    if limits.total_max_krw is not None:
        found.append(_cap("government-limit", figures.government, limits.total_max_krw, source))
    if limits.per_year_max_krw is not None:
        found.extend(
            _cap(
                "government-limit-per-year",
                budget.year(y).government,
                limits.per_year_max_krw,
                source,
                year=y,
            )
            for y in budget.years
        )
    return found


def _cap(rule: str, government: int, cap: int, source: Source, year: int | None = None) -> Finding:
    ok = government <= cap
    when_ko, when_en = (f"{year}차년도 ", f"Year {year}: ") if year else ("", "")
    return Finding(
        rule,
        "pass" if ok else "fail",
        f"{when_ko}정부출연금 {won(government)}원, 지원한도 {won(cap)}원"
        + (" 이내입니다." if ok else f"을 {won(government - cap)}원 초과합니다."),
        f"{when_en}government grant KRW {won(government)}, limit KRW {won(cap)}"
        + ("." if ok else f": KRW {won(government - cap)} over."),
        source,
        year=year,
        figures={"government_krw": government, "limit_krw": cap},
    )


def cost_share_checks(budget: Budget, terms: ProjectTerms) -> list[Finding]:
    figures = budget.figures
    return [_cost_share(rule, figures) for rule in terms.cost_shares]


def _party_amount(party: str, figures: Figures) -> int | None:
    return {
        "government": figures.government,
        "large-enterprise": figures.large_enterprise,
        "applicant": figures.company_share,
        "company": figures.company_share,
        "company-cash": figures.applicant_cash,
    }.get(party)


def _cost_share(rule: CostShare, figures: Figures) -> Finding:
    name_ko, name_en = PARTIES[rule.party]
    amount = _party_amount(rule.party, figures)
    if amount is None:
        return Finding(
            f"cost-share-{rule.party}",
            "not-assessed",
            f"{name_ko}은 예산에 따로 적히지 않아 분담비율을 확인하지 않았습니다.",
            f"The budget does not carry the {name_en}, so its share was not checked.",
            rule.source,
        )
    base = figures.company_share if rule.of == "company-share" else figures.total
    base_ko, base_en = (
        ("기업부담금", "company share") if rule.of == "company-share" else ("총사업비", "total")
    )
    low_ok = rule.min_ratio is None or at_least(amount, rule.min_ratio, base)
    high_ok = rule.max_ratio is None or at_most(amount, rule.max_ratio, base)
    bounds_ko = " ".join(
        part
        for part in (
            f"{percent(rule.min_ratio)} 이상" if rule.min_ratio is not None else "",
            f"{percent(rule.max_ratio)} 이내" if rule.max_ratio is not None else "",
        )
        if part
    )
    bounds_en = " and ".join(
        part
        for part in (
            f"at least {percent(rule.min_ratio)}" if rule.min_ratio is not None else "",
            f"at most {percent(rule.max_ratio)}" if rule.max_ratio is not None else "",
        )
        if part
    )
    ok = low_ok and high_ok
    return Finding(
        f"cost-share-{rule.party}",
        "pass" if ok else "fail",
        f"{name_ko} {won(amount)}원은 {base_ko} {won(base)}원의 {percent(share(amount, base))}"
        f"입니다(기준: {bounds_ko}).",
        f"The {name_en} of KRW {won(amount)} is {percent(share(amount, base))} of the "
        f"{base_en} of KRW {won(base)}; it must be {bounds_en}.",
        rule.source,
        figures={
            "amount_krw": amount,
            "base_krw": base,
            "min_ratio": None if rule.min_ratio is None else str(rule.min_ratio),
            "max_ratio": None if rule.max_ratio is None else str(rule.max_ratio),
        },
    )


def level_limit_checks(
    budget: Budget,
    terms: ProjectTerms,
    current: SmartFactoryLevel | None,
    target: SmartFactoryLevel | None,
) -> list[Finding]:
    if not terms.level_limits:
        return []
    limit = terms.level_limit(current, target)
    source = terms.level_limits[0].source
    if limit is None:
        pairs = ", ".join(f"{lim.current}→{lim.target}" for lim in terms.level_limits)
        return [
            Finding(
                "level-limit",
                "fail",
                f"현재-목표 수준 {current}→{target}에 대한 지원한도가 없습니다(가능: {pairs}).",
                f"No limit for current → target level {current} → {target} (possible: {pairs}).",
                source,
                figures={"current_level": current, "target_level": target},
            )
        ]
    government = budget.figures.government
    found = _cap("level-limit", government, limit.government_limit_krw, limit.source)
    return [
        Finding(
            found.rule,
            found.outcome,
            f"{current}→{target}: {found.message_ko}",
            f"{current} → {target}: {found.message_en}",
            found.source,
            figures={**found.figures, "current_level": current, "target_level": target},
        )
    ]
