"""Uploaded documents: what a file is (by its bytes, never its name) and when it is valid."""

from __future__ import annotations

from datetime import date

from sfms_shared.clock import add_months
from sfms_shared.contracts.calls import DocumentValidity

# The signatures we accept. A file whose first bytes match none of them is refused,
# whatever its name or declared content type says.
_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
)
SNIFF_BYTES = 8
ACCEPTED_MEDIA_TYPES = tuple(media_type for _, media_type in _SIGNATURES)


def sniff_media_type(head: bytes) -> str | None:
    """The media type the leading bytes prove, or None."""
    for signature, media_type in _SIGNATURES:
        if head.startswith(signature):
            return media_type
    return None


def valid_on(validity: DocumentValidity, issued_on: date, reference: date) -> bool:
    """발행일로부터 N개월 이내: valid through the same calendar day N months after issue.

    A document issued 2026-03-16 with a 3-month limit is valid for a reference date up
    to and including 2026-06-16, and not on 2026-06-17. A document dated after the
    reference date is not valid either.
    """
    if issued_on > reference:
        return False
    if validity.max_age_months is None:
        return True
    return reference <= add_months(issued_on, validity.max_age_months)
