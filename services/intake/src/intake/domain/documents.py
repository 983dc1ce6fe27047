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


# What a client may claim about a file, besides its bytes. A claim is not trusted, but one
# that contradicts the bytes (a PNG sent as application/pdf, a PDF named .png, a PDF named
# .exe) is refused: the file is not what its sender says it is.
_EXTENSIONS: dict[str, tuple[str, ...]] = {
    "application/pdf": (".pdf",),
    "image/png": (".png",),
    "image/jpeg": (".jpg", ".jpeg", ".jpe", ".jfif"),
}
_DECLARED_ALIASES: dict[str, tuple[str, ...]] = {
    "application/pdf": ("application/pdf", "application/x-pdf"),
    "image/png": ("image/png", "image/x-png"),
    "image/jpeg": ("image/jpeg", "image/jpg", "image/pjpeg"),
}
# Declared types that say nothing about the content.
_GENERIC_TYPES = ("", "application/octet-stream", "binary/octet-stream")
MEDIA_TYPE_NAMES = {"application/pdf": "PDF", "image/png": "PNG", "image/jpeg": "JPEG"}


def contradicting_claim(
    media_type: str, file_name: str | None, declared_type: str | None
) -> str | None:
    """The extension or declared type that contradicts ``media_type`` (what the bytes
    proved), or None. A name without an extension and a generic declared type
    (``application/octet-stream``, none) claim nothing."""
    _, dot, extension = (file_name or "").rstrip(". ").rpartition(".")
    if dot and extension and f".{extension.lower()}" not in _EXTENSIONS[media_type]:
        return f".{extension.lower()}"
    declared = (declared_type or "").split(";", 1)[0].strip().lower()
    if declared not in _GENERIC_TYPES and declared not in _DECLARED_ALIASES[media_type]:
        return declared
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
