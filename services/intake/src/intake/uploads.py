"""Streamed multipart upload of one document: the bytes go to the store as they
arrive, hashed and counted; nothing is kept if the file is too large, its first bytes
are not a PDF, PNG or JPEG, its name or declared type says it is something else, or
the body ends before its closing boundary.

The client's file name never reaches a path: the store makes its own names. The name
is kept for display only, reduced to its last segment without control or formatting
characters (a right-to-left override cannot disguise ``fdp.exe`` as ``exe.pdf``).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from python_multipart.exceptions import FormParserError
from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.requests import ClientDisconnect, Request

from intake.domain.documents import (
    MEDIA_TYPE_NAMES,
    SNIFF_BYTES,
    contradicting_claim,
    sniff_media_type,
)
from sfms_shared.document_store import DocumentStore, PendingObject
from sfms_shared.inputs import NUL, nul_character
from sfms_shared.problems import Problem

FIELD_LIMIT = 1024
MAX_FIELDS = 16
HEADERS_LIMIT = 8 * 1024
MULTIPART_OVERHEAD = 64 * 1024
NAME_LIMIT = 255


@dataclass
class StoredUpload:
    fields: dict[str, str]
    storage_name: str
    size_bytes: int
    sha256: str
    media_type: str
    original_name: str | None


@dataclass
class _Part:
    name: str = ""
    filename: str | None = None
    headers: dict[bytes, bytes] = field(default_factory=dict)
    data: bytearray = field(default_factory=bytearray)


def too_large(limit: int, field_name: str = "file") -> Problem:
    return Problem.for_field(
        413,
        "upload-too-large",
        field_name,
        f"The file is larger than the limit of {limit} bytes",
        f"파일이 허용 크기({limit:,} 바이트)를 넘습니다",
    )


def _not_a_document() -> Problem:
    return Problem.for_field(
        415,
        "file-type-not-allowed",
        "file",
        "The file's content is not a PDF, PNG or JPEG (the name and declared type are not trusted)",
        "파일 내용이 PDF, PNG, JPEG가 아닙니다(파일명과 선언된 형식은 신뢰하지 않습니다)",
    )


def _not_what_it_claims(media_type: str, claim: str) -> Problem:
    proved = MEDIA_TYPE_NAMES[media_type]
    return Problem.for_field(
        415,
        "file-type-mismatch",
        "file",
        f"The file says it is '{claim}' but its content is a {proved}: send it under a name "
        "and type that match its content",
        f"파일은 '{claim}'(이)라고 되어 있지만 내용은 {proved}입니다. 내용과 맞는 파일명과 "
        "형식으로 보내야 합니다",
    )


def _nul_in_name() -> Problem:
    return Problem.for_field(
        422,
        "nul-character",
        "file",
        "The file name contains a NUL character (U+0000)",
        "파일명에 NUL 문자(U+0000)가 있습니다",
    )


def _malformed(en: str, ko: str, field_name: str = "file") -> Problem:
    return Problem.for_field(400, "malformed-upload", field_name, en, ko)


class _UploadReceiver:
    """Collects form fields in memory (small) and streams the ``file`` part to the store."""

    def __init__(self, store: DocumentStore, max_bytes: int) -> None:
        self.store = store
        self.max_bytes = max_bytes
        self.fields: dict[str, str] = {}
        self.part = _Part()
        self.header_field = bytearray()
        self.header_value = bytearray()
        self.pending: PendingObject | None = None
        self.file_chunks: list[bytes] = []
        self.head = bytearray()
        self.size = 0
        self.digest = hashlib.sha256()
        self.media_type: str | None = None
        self.original_name: str | None = None
        self.declared_type: str | None = None
        self.problem: Problem | None = None
        self.file_seen = False
        self.file_ended = False
        self.body_ended = False
        self.header_bytes = 0

    def callbacks(self) -> dict:
        return {
            "on_part_begin": self._part_begin,
            "on_header_field": lambda d, s, e: self._header_bytes(self.header_field, d[s:e]),
            "on_header_value": lambda d, s, e: self._header_bytes(self.header_value, d[s:e]),
            "on_header_end": self._header_end,
            "on_headers_finished": self._headers_finished,
            "on_part_data": self._part_data,
            "on_part_end": self._part_end,
            "on_end": self._end,
        }

    def _part_begin(self) -> None:
        self.part = _Part()
        self.header_bytes = 0
        if len(self.fields) >= MAX_FIELDS:
            self.problem = self.problem or _malformed(
                "The form has too many parts", "입력 항목이 너무 많습니다", "body"
            )

    def _header_bytes(self, into: bytearray, data: bytes) -> None:
        self.header_bytes += len(data)
        if self.header_bytes > HEADERS_LIMIT:
            self.problem = self.problem or _malformed(
                "A part's headers are too long", "항목의 헤더가 너무 깁니다", "body"
            )
            return
        into.extend(data)

    def _header_end(self) -> None:
        self.part.headers[bytes(self.header_field).lower()] = bytes(self.header_value)
        self.header_field.clear()
        self.header_value.clear()

    def _headers_finished(self) -> None:
        _, options = parse_options_header(self.part.headers.get(b"content-disposition", b""))
        self.part.name = options.get(b"name", b"").decode(errors="replace")
        filename = options.get(b"filename")
        self.part.filename = filename.decode(errors="replace") if filename is not None else None
        if self.part.name == "file":
            if self.file_seen:
                self.problem = self.problem or _malformed(
                    "Send exactly one file", "파일은 하나만 보내야 합니다"
                )
            self.file_seen = True
            if self.part.filename and NUL in self.part.filename:
                self.problem = self.problem or _nul_in_name()
            self.original_name = _display_name(self.part.filename)
            declared = self.part.headers.get(b"content-type")
            self.declared_type = declared.decode(errors="replace") if declared else None

    def _part_data(self, data: bytes, start: int, end: int) -> None:
        if self.problem:
            return
        chunk = data[start:end]
        if self.part.name != "file":
            self.part.data.extend(chunk)
            if len(self.part.data) > FIELD_LIMIT:
                self.problem = _malformed(
                    "A form field is too long", "입력 항목이 너무 깁니다", self.part.name
                )
            return
        self.size += len(chunk)
        if self.size > self.max_bytes:
            self.problem = too_large(self.max_bytes)
            return
        if self.media_type is None:
            self.head.extend(chunk[: SNIFF_BYTES - len(self.head)])
            if len(self.head) >= SNIFF_BYTES:
                self._sniff()
                if self.problem:
                    return
        self.digest.update(chunk)
        self.file_chunks.append(bytes(chunk))

    def _part_end(self) -> None:
        if self.part.name != "file" and self.part.name:
            value = self.fields[self.part.name] = self.part.data.decode(errors="replace")
            if NUL in value:
                self.problem = self.problem or nul_character(self.part.name)
        elif self.part.name == "file":
            self.file_ended = True
            if self.media_type is None and not self.problem:
                # Shorter than the longest signature: sniff what there is.
                self._sniff()

    def _end(self) -> None:
        self.body_ended = True

    def _sniff(self) -> None:
        self.media_type = sniff_media_type(bytes(self.head))
        if self.media_type is None:
            self.problem = _not_a_document()
        elif claim := contradicting_claim(self.media_type, self.original_name, self.declared_type):
            self.problem = _not_what_it_claims(self.media_type, claim)

    async def flush(self) -> None:
        if self.problem or not self.file_chunks:
            self.file_chunks.clear()
            return
        if self.pending is None:
            self.pending = self.store.begin()
        for chunk in self.file_chunks:
            await self.pending.write(chunk)
        self.file_chunks.clear()


async def receive_document(request: Request, store: DocumentStore, max_bytes: int) -> StoredUpload:
    """Parse a ``multipart/form-data`` body with one ``file`` part and small text fields."""
    content_type, params = parse_options_header(request.headers.get("content-type", ""))
    if content_type != b"multipart/form-data" or b"boundary" not in params:
        raise _malformed(
            "Send the document as multipart/form-data", "multipart/form-data 형식으로 보내야 합니다"
        )
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > max_bytes + MULTIPART_OVERHEAD:
        raise too_large(max_bytes)
    receiver = _UploadReceiver(store, max_bytes)
    parser = MultipartParser(params[b"boundary"], receiver.callbacks())
    received = 0
    try:
        async for chunk in request.stream():
            # Counted whatever the body declares: a chunked body has no Content-Length.
            received += len(chunk)
            if received > max_bytes + MULTIPART_OVERHEAD:
                receiver.problem = receiver.problem or too_large(max_bytes, "body")
                break
            parser.write(chunk)
            await receiver.flush()
            if receiver.problem:
                break
        else:
            parser.finalize()
    except ClientDisconnect as exc:
        # The client went away: nobody reads the answer, but it is the client's doing (a
        # 4xx in the logs and metrics, not a server error).
        if receiver.pending:
            await receiver.pending.discard()
        raise Problem.for_field(
            400,
            "upload-interrupted",
            "body",
            "The upload was interrupted before the body was complete",
            "본문을 다 받기 전에 업로드가 중단되었습니다",
        ) from exc
    except FormParserError as exc:
        if receiver.pending:
            await receiver.pending.discard()
        raise _malformed(
            "The multipart body is malformed", "multipart 본문 형식이 올바르지 않습니다", "body"
        ) from exc
    except BaseException:
        if receiver.pending:
            await receiver.pending.discard()
        raise
    if receiver.problem is None and receiver.file_seen and not receiver.body_ended:
        receiver.problem = _malformed(
            "The multipart body ended before its closing boundary: the upload is incomplete",
            "multipart 본문이 마지막 경계 전에 끝났습니다. 업로드가 완료되지 않았습니다",
            "body",
        )
    if receiver.problem or not receiver.file_seen or receiver.size == 0:
        if receiver.pending:
            await receiver.pending.discard()
        raise receiver.problem or _malformed(
            "A non-empty file part named 'file' is required",
            "'file' 항목에 비어 있지 않은 파일이 필요합니다",
        )
    storage_name = await receiver.pending.commit()
    return StoredUpload(
        fields=receiver.fields,
        storage_name=storage_name,
        size_bytes=receiver.size,
        sha256=receiver.digest.hexdigest(),
        media_type=receiver.media_type,
        original_name=receiver.original_name,
    )


def _display_name(filename: str | None) -> str | None:
    """Kept for display only: the last path segment without control or formatting
    characters (``isprintable``: no C0/C1 controls, no bidirectional overrides, no
    zero-width characters), at most 255 characters with its extension kept. A name that
    is only dots (``..``) is no name."""
    if not filename:
        return None
    name = filename.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable()).strip()
    if not name.strip("."):
        return None
    if len(name) > NAME_LIMIT:
        stem, dot, extension = name.rpartition(".")
        if dot and 0 < len(extension) < 16:
            name = stem[: NAME_LIMIT - len(extension) - 1] + "." + extension
        else:
            name = name[:NAME_LIMIT]
    return name
