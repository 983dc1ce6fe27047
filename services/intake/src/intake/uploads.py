"""Streamed multipart upload of one document: the bytes go to the store as they
arrive, hashed and counted; nothing is kept if the file is too large or its first
bytes are not a PDF, PNG or JPEG.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from python_multipart.exceptions import FormParserError
from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.requests import Request

from intake.domain.documents import SNIFF_BYTES, sniff_media_type
from sfms_shared.document_store import DocumentStore, PendingObject
from sfms_shared.inputs import NUL, nul_character
from sfms_shared.problems import Problem

FIELD_LIMIT = 1024
MULTIPART_OVERHEAD = 64 * 1024


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


def too_large(limit: int) -> Problem:
    return Problem.for_field(
        413,
        "upload-too-large",
        "file",
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
        self.problem: Problem | None = None
        self.file_seen = False

    def callbacks(self) -> dict:
        return {
            "on_part_begin": self._part_begin,
            "on_header_field": lambda d, s, e: self.header_field.extend(d[s:e]),
            "on_header_value": lambda d, s, e: self.header_value.extend(d[s:e]),
            "on_header_end": self._header_end,
            "on_headers_finished": self._headers_finished,
            "on_part_data": self._part_data,
            "on_part_end": self._part_end,
        }

    def _part_begin(self) -> None:
        self.part = _Part()

    def _header_end(self) -> None:
        self.part.headers[bytes(self.header_field).lower()] = bytes(self.header_value)
        self.header_field.clear()
        self.header_value.clear()

    def _headers_finished(self) -> None:
        _, options = parse_options_header(self.part.headers.get(b"content-disposition", b""))
        self.part.name = options.get(b"name", b"").decode()
        filename = options.get(b"filename")
        self.part.filename = filename.decode(errors="replace") if filename is not None else None
        if self.part.name == "file":
            if self.file_seen:
                self.problem = self.problem or _malformed(
                    "Send exactly one file", "파일은 하나만 보내야 합니다"
                )
            self.file_seen = True
            self.original_name = _display_name(self.part.filename)

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
                self.media_type = sniff_media_type(bytes(self.head))
                if self.media_type is None:
                    self.problem = _not_a_document()
                    return
        self.digest.update(chunk)
        self.file_chunks.append(bytes(chunk))

    def _part_end(self) -> None:
        if self.part.name != "file" and self.part.name:
            value = self.fields[self.part.name] = self.part.data.decode(errors="replace")
            if NUL in value:
                self.problem = self.problem or nul_character(self.part.name)
        elif self.part.name == "file" and self.media_type is None and not self.problem:
            # Shorter than the longest signature: sniff what there is.
            self.media_type = sniff_media_type(bytes(self.head))
            if self.media_type is None:
                self.problem = _not_a_document()

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
    try:
        async for chunk in request.stream():
            parser.write(chunk)
            await receiver.flush()
            if receiver.problem:
                break
        else:
            parser.finalize()
    except FormParserError as exc:
        if receiver.pending:
            await receiver.pending.discard()
        raise _malformed(
            "The multipart body is malformed", "multipart 본문 형식이 올바르지 않습니다"
        ) from exc
    except BaseException:
        if receiver.pending:
            await receiver.pending.discard()
        raise
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
    """Kept for display only: the last path segment, printable, at most 255 characters."""
    if not filename:
        return None
    name = filename.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable()).strip()
    return name[:255] or None
