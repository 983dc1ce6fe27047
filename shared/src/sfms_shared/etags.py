"""Optimistic concurrency for updates: an ETag per resource revision, If-Match required.

A stale ETag is 412 and a missing one 428, both naming the ``If-Match`` header, so two
people editing the same thing cannot silently overwrite each other.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Header

from sfms_shared.problems import Problem

IfMatch = Annotated[str | None, Header(alias="If-Match", description="The ETag last read")]


def etag(resource_id: object, revision: int) -> str:
    return f'"{resource_id}-r{revision}"'


def check_if_match(if_match: str | None, resource_id: object, revision: int) -> None:
    if if_match is None:
        raise Problem.for_field(
            428,
            "precondition-required",
            "If-Match",
            "Send If-Match with the ETag you last read, so concurrent edits are not lost",
            "동시 수정으로 내용이 사라지지 않도록 마지막으로 받은 ETag를 If-Match에 담아 보내야 합니다",
        )
    if if_match.strip() not in (etag(resource_id, revision), "*"):
        raise Problem.for_field(
            412,
            "edit-conflict",
            "If-Match",
            "The resource changed since you read it; read it again and reapply your change",
            "읽은 이후 내용이 변경되었습니다. 다시 불러와 변경사항을 적용하세요",
        )
