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
SCOPE_NAMES = tuple(scope.name for scope in SCOPES)


def scope_for(method: str, path: str, held: frozenset[str]) -> str | None:
    """The held scope that admits this request, if any."""
    for scope in SCOPES:
        if scope.name in held and scope.method == method and scope.path.match(path):
            return scope.name
    return None
