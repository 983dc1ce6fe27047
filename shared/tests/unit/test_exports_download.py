"""A download's file name stays a valid header whatever the name it is given."""

from __future__ import annotations

from sfms_shared.exports import download


def test_a_file_name_with_control_or_korean_characters_is_made_header_safe() -> None:
    response = download("csv", "신청 목록", "\x17공고\u00e9-applications", ["a"], [[1]])
    disposition = response.headers["content-disposition"]
    disposition.encode("latin-1")  # would raise for the raw name
    assert disposition == 'attachment; filename="____-applications.csv"'
    assert response.body.decode("utf-8-sig").splitlines() == ["a", "1"]
