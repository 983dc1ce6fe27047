"""Notices to applicants, planners and suppliers: what each kind says, in Korean, with an
English template for recipients who read English and for any kind without Korean text.

A notice is identified by its kind and what triggered it (``dedupe_key``), so the same
trigger — an event delivered twice, a reminder scan run twice — gives one notice.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Kind = Literal[
    "receipt",
    "reminder-d3",
    "reminder-d1",
    "review-result",
    "proposal",
    "selection-result",
    "payment",
]
Locale = Literal["ko", "en"]


@dataclass(frozen=True)
class Template:
    subject: str
    body: str


TEMPLATES: dict[Kind, dict[Locale, Template]] = {
    "receipt": {
        "ko": Template(
            "[SFMS] 신청서 접수 완료 ({receipt_number})",
            "{company} 담당자님,\n\n'{call_title}' 신청서가 {received_at}(KST)에 제출완료되었습니다.\n"
            "접수번호: {receipt_number} (제출 {version}차)\n\n마감 전까지 수정 후 다시 제출할 수 있으며, "
            "마지막으로 제출한 신청서가 접수됩니다.",
        ),
        "en": Template(
            "[SFMS] Application received ({receipt_number})",
            "Dear {company},\n\nYour application to '{call_title}' was submitted at {received_at} "
            "(KST).\nReceipt number: {receipt_number} (submission {version})\n\nYou may change "
            "and resubmit it until the deadline; the last submission counts.",
        ),
    },
    "reminder-d3": {
        "ko": Template(
            "[SFMS] 접수 마감 3일 전: 신청서가 아직 제출되지 않았습니다",
            "{company} 담당자님,\n\n'{call_title}' 접수가 {deadline}(KST)에 마감됩니다.\n작성 중인 "
            "신청서는 '제출완료' 상태여야 접수됩니다. 마감 전에 최종 제출해 주세요.",
        ),
        "en": Template(
            "[SFMS] 3 days to the deadline: your application is not submitted yet",
            "Dear {company},\n\n'{call_title}' closes at {deadline} (KST).\nOnly a submitted "
            "application is received; please submit your draft before the deadline.",
        ),
    },
    "reminder-d1": {
        "ko": Template(
            "[SFMS] 접수 마감 1일 전: 신청서를 제출해 주세요",
            "{company} 담당자님,\n\n'{call_title}' 접수가 {deadline}(KST)에 마감됩니다.\n작성 중인 "
            "신청서가 아직 제출되지 않았습니다. 마감 시각 이후에는 제출할 수 없습니다.",
        ),
        "en": Template(
            "[SFMS] 1 day to the deadline: please submit your application",
            "Dear {company},\n\n'{call_title}' closes at {deadline} (KST).\nYour draft is not "
            "submitted yet; after the deadline it can no longer be submitted.",
        ),
    },
    "review-result": {
        "ko": Template(
            "[SFMS] 요건검토 결과: {verdict_ko}",
            "{company} 담당자님,\n\n접수번호 {receipt_number}의 요건검토 결과는 '{verdict_ko}'입니다."
            "\n{reasons_ko}\n자세한 내용은 사업관리시스템에서 확인하세요.",
        ),
        "en": Template(
            "[SFMS] Requirement review: {verdict_en}",
            "Dear {company},\n\nThe requirement review of receipt {receipt_number} found the "
            "application {verdict_en}.\n{reasons_en}\nSee the system for the details.",
        ),
    },
    "proposal": {
        "ko": Template(
            "[SFMS] {role_ko} 참여 제안이 도착했습니다",
            "{company} 담당자님,\n\n'{call_title}'의 한 과제에서 귀 기관을 {role_ko}(으)로 "
            "제안했습니다.\n{expires_ko}사업관리시스템에서 수락 또는 거절해 주세요.",
        ),
        "en": Template(
            "[SFMS] You are proposed as a {role_en}",
            "Dear {company},\n\nYou have been proposed as the {role_en} of a project under "
            "'{call_title}'.\n{expires_en}Please accept or decline in the system.",
        ),
    },
    "selection-result": {
        "ko": Template(
            "[SFMS] 현장평가 결과: {outcome_ko}",
            "{company} 담당자님,\n\n접수번호 {receipt_number}의 현장평가 결과는 "
            "'{outcome_ko}'입니다 (순위 {rank}).\n자세한 내용은 사업관리시스템에서 확인하세요.",
        ),
        "en": Template(
            "[SFMS] On-site review result: {outcome_en}",
            "Dear {company},\n\nThe on-site review of receipt {receipt_number} placed the "
            "application {outcome_en} (rank {rank}).\nSee the system for the details.",
        ),
    },
    "payment": {
        "ko": Template(
            "[SFMS] 기획기관 지급 안내: {amount}원",
            "{company} 담당자님,\n\n{milestone_ko}에 따라 기획기관 지급액 {amount}원이 "
            "지급 대상으로 등록되었습니다 (과제 {application_id}).",
        ),
        "en": Template(
            "[SFMS] Planner payment: KRW {amount}",
            "Dear {company},\n\nKRW {amount} is now payable to you as the planner: "
            "{milestone_en} (project {application_id}).",
        ),
    },
}

VERDICTS = {
    "eligible": ("적합", "eligible"),
    "ineligible": ("부적격", "ineligible"),
    "needs-review": ("검토 중", "under review"),
}
OUTCOMES = {
    "selected": ("선정", "selected"),
    "alternate": ("후보", "an alternate"),
    "not-selected": ("미선정", "not selected"),
    "checks-failed": ("현장확인 부적합", "failing the site checks"),
}
ROLES = {"planner": ("기획기관", "planner"), "supplier": ("공급기업", "supplier")}
MILESTONES = {
    "business-plan-submitted": ("사업계획서 제출", "business plan submitted"),
    "agreement-signed": ("협약 체결", "agreement signed"),
}


def render(kind: Kind, locale: Locale, values: dict[str, object]) -> Template:
    """The notice in ``locale``; English when the kind has no template in it."""
    templates = TEMPLATES[kind]
    template = templates.get(locale) or templates["en"]
    return Template(template.subject.format(**values), template.body.format(**values))
