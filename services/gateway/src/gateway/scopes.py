"""What a partner API key may reach: each scope is a feed, a set of public read paths.

The gateway refuses a key outside its scopes before forwarding; the services check the
scope again on the objects they own (a key limited to some calls sees only those).
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class FeedScope:
    name: str
    description_en: str
    description_ko: str
    method: str
    path: re.Pattern[str]


SCOPES: tuple[FeedScope, ...] = (
    FeedScope(
        "calls:read",
        "Published calls (공고) and their versions",
        "공고 및 공고 버전 조회",
        "GET",
        re.compile(r"^/api/v1/calls(/.*)?$"),
    ),
    FeedScope(
        "applications:read",
        "Submitted applications of the key's calls, their receipts and status",
        "키에 지정된 공고의 신청서, 접수증, 진행 상태 조회",
        "GET",
        re.compile(r"^/api/v1/applications(/[^/]+(/status|/submissions(/\d+)?)?)?$"),
    ),
    FeedScope(
        "received-applications:read",
        "Submissions as received by requirement review (요건검토)",
        "요건검토 접수 현황 조회",
        "GET",
        re.compile(r"^/api/v1/eligibility/received-applications(/[^/]+)?$"),
    ),
)
# Partner registries feeding requirement review (eligibility): each written and read on its own.
REGISTRIES = {
    "sanctions": ("participation restrictions (참여제한) per source", "참여제한 제재 현황"),
    "closures": ("business closures and suspensions", "휴·폐업 현황"),
    "tax-arrears": ("national and local tax arrears", "국세·지방세 체납 현황"),
    "ongoing-projects": ("government projects applied for, selected or under way", "수행 중 사업"),
    "pools": ("supplier and planner pool membership", "공급기업·기획기관 Pool"),
    "funded-plans": ("plans already funded by government", "정부 지원 이력"),
}
SCOPES += tuple(
    scope
    for name, (en, ko) in REGISTRIES.items()
    for scope in (
        FeedScope(
            f"registries:{name}:write",
            f"Send records to the {en} registry",
            f"{ko} 등록",
            "POST",
            re.compile(rf"^/api/v1/eligibility/registries/{name}/(records|uploads)$"),
        ),
        FeedScope(
            f"registries:{name}:read",
            f"Read the {en} registry",
            f"{ko} 조회",
            "GET",
            re.compile(rf"^/api/v1/eligibility/registries/{name}/records(/.*)?$"),
        ),
    )
)
SCOPE_NAMES = tuple(scope.name for scope in SCOPES)


def scope_for(method: str, path: str, held: frozenset[str]) -> str | None:
    """The held scope that admits this request, if any."""
    for scope in SCOPES:
        if scope.name in held and scope.method == method and scope.path.match(path):
            return scope.name
    return None
