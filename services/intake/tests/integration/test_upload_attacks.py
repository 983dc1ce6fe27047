"""Hostile uploads: each is refused with a problem+json naming the field, in Korean and
English, and leaves nothing behind (no row, no file in the store, its ``incoming`` folder
or the temporary directory, nothing anywhere else in the test's directory), or, for a
hostile name on a genuine document, is stored under the store's own name with the
client's name kept, sanitised, for display only.

Bodies are built by hand (``form``) where a client library would tidy them up: raw bytes
in file names, declared part types, truncation, chunked streams without a length.
"""

from __future__ import annotations

import hashlib
import json
import re
import tempfile
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from intake_api_support import PDF, assert_problem, register, start_application
from sqlalchemy import select

from intake import models
from sfms_shared.identity import IDENTITY_HEADER, sign_internal_token
from sfms_shared.testing.hostile_files import pdf_bomb, zip_bomb
from sfms_shared.testing.identity import ADMIN, TEST_INTERNAL_SECRET

pytestmark = pytest.mark.integration

LIMIT = 256 * 1024  # the harness's INTAKE_MAX_UPLOAD_BYTES
BOUNDARY = "sfms-attack-boundary"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 120
WINDOWS_EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 118 + b"PE\x00\x00"
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg">'
    b"<script>alert(document.cookie)</script></svg>"
)
POLYGLOT = b"<html><script>alert(1)</script><!--\n" + PDF + b"-->"


def part(
    name: str,
    content: bytes,
    filename: bytes | None = None,
    content_type: bytes | None = None,
) -> bytes:
    disposition = b'form-data; name="' + name.encode() + b'"'
    if filename is not None:
        disposition += b'; filename="' + filename + b'"'
    headers = b"Content-Disposition: " + disposition + b"\r\n"
    if content_type is not None:
        headers += b"Content-Type: " + content_type + b"\r\n"
    return headers + b"\r\n" + content


def form(*parts: bytes, close: bool = True) -> bytes:
    """A multipart/form-data body, byte for byte; ``close=False`` leaves out the closing
    boundary (a body cut short)."""
    delimiter = b"--" + BOUNDARY.encode()
    body = b"".join(delimiter + b"\r\n" + p + b"\r\n" for p in parts)
    return body + (delimiter + b"--\r\n" if close else b"")


def document(
    content: bytes,
    filename: bytes | None = b"doc.pdf",
    content_type: bytes | None = b"application/pdf",
) -> bytes:
    return form(part("kind", b"application-form"), part("file", content, filename, content_type))


class Attack:
    """The harness, an application to attack, and what "nothing changed" is measured by."""

    def __init__(self, intake, application_id: str, root: Path) -> None:
        self.intake = intake
        self.url = f"/v1/applications/{application_id}/documents"
        self.root = root

    async def send(self, body: bytes | AsyncIterator[bytes], **headers: str):
        return await self.intake.client.post(
            self.url,
            content=body,
            headers={"content-type": f"multipart/form-data; boundary={BOUNDARY}", **headers},
        )

    async def state(self) -> tuple[dict[str, int], dict[str, str]]:
        """Rows per table, and every file under the test's directory (the store, its
        ``incoming`` folder, the temporary directory) with the digest of its bytes."""
        files = {
            str(path.relative_to(self.root)): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(self.root.rglob("*"))
            if path.is_file()
        }
        return await self.intake.row_counts(), files


@pytest.fixture
async def attack(intake, tmp_path: Path, monkeypatch) -> Attack:
    """Temporary files go to the test's directory, so one left behind would be seen."""
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setenv("TMPDIR", str(scratch))
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    company = await register(intake.client)
    application = await start_application(intake.client, company["id"])
    return Attack(intake, application["id"], tmp_path)


async def refused(
    attack: Attack, body: bytes | AsyncIterator[bytes], status: int, slug: str, field: str
) -> dict:
    before = await attack.state()
    response = await attack.send(body)
    problem = assert_problem(response, status, slug, field)
    assert await attack.state() == before
    return problem


# -- content that is not what it says ------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "filename", "content_type", "claim"),
    [
        pytest.param(PNG, "사업계획서.pdf", b"application/pdf", ".pdf", id="png-sent-as-pdf"),
        pytest.param(PNG, None, b"application/pdf", "application/pdf", id="png-declared-pdf"),
        pytest.param(PDF, "scan.png", b"image/png", ".png", id="pdf-named-png"),
        pytest.param(PDF, "doc.pdf", b"image/png", "image/png", id="pdf-declared-png"),
        pytest.param(PDF, "doc.pdf", b"text/html", "text/html", id="pdf-declared-html"),
        pytest.param(JPEG, "photo.png", b"image/png", ".png", id="jpeg-named-png"),
        pytest.param(PDF, "setup.exe", None, ".exe", id="pdf-named-exe"),
        # U+202E shows "invoice\u202efdp.exe" as "invoiceexe.pdf"; stripped, the name says .exe
        pytest.param(
            PDF, "invoice\u202efdp.exe", b"application/pdf", ".exe", id="rtl-override-exe"
        ),
    ],
)
async def test_a_file_whose_name_or_type_contradicts_its_bytes(
    attack, content: bytes, filename: str | None, content_type: bytes, claim: str
) -> None:
    name = filename.encode() if filename is not None else None
    problem = await refused(
        attack, document(content, name, content_type), 415, "file-type-mismatch", "file"
    )
    assert claim in problem["detail"] and claim in problem["detail_ko"]


@pytest.mark.parametrize(
    ("content", "filename"),
    [
        pytest.param(ELF, "report.pdf", id="elf-executable"),
        pytest.param(WINDOWS_EXE, "report.pdf", id="windows-executable"),
        pytest.param(HTML, "report.pdf", id="html-with-script"),
        pytest.param(SVG, "report.pdf", id="svg-with-script"),
        pytest.param(POLYGLOT, "report.pdf", id="text-then-pdf-polyglot"),
        pytest.param(b"\xef\xbb\xbf" + PDF, "report.pdf", id="bom-then-pdf"),
        pytest.param(b"%PD", "report.pdf", id="shorter-than-a-signature"),
        pytest.param(zip_bomb(64 * 1024 * 1024), "bomb.zip", id="zip-bomb"),
        pytest.param(zip_bomb(64 * 1024 * 1024, office=True), "사업계획서.docx", id="docx-bomb"),
        pytest.param(zip_bomb(64 * 1024 * 1024), "사업계획서.pdf", id="zip-bomb-named-pdf"),
    ],
)
async def test_content_that_is_not_a_pdf_png_or_jpeg(attack, content: bytes, filename: str) -> None:
    """Recognised by its first bytes only; nothing in intake opens or inflates an upload,
    so a ZIP bomb (64 MB of zeros in 64 kB) is refused at its first eight bytes."""
    problem = await refused(
        attack, document(content, filename.encode()), 415, "file-type-not-allowed", "file"
    )
    assert "PDF, PNG" in problem["detail"] and "PDF, PNG" in problem["detail_ko"]


@pytest.mark.parametrize(
    ("content", "filename", "content_type", "media_type"),
    [
        (PDF, b"doc.PDF", b"application/pdf", "application/pdf"),
        (PDF, b"statement", b"application/octet-stream", "application/pdf"),
        (PDF, b"statement.pdf.", None, "application/pdf"),
        (PNG, b"photo.png", None, "image/png"),
        (JPEG, b"photo.JPG", b"image/pjpeg", "image/jpeg"),
    ],
)
async def test_claims_that_agree_with_the_bytes_or_claim_nothing_are_accepted(
    attack, content: bytes, filename: bytes, content_type: bytes | None, media_type: str
) -> None:
    response = await attack.send(document(content, filename, content_type))
    assert response.status_code == 201, response.text
    assert response.json()["media_type"] == media_type


async def test_a_pdf_bomb_is_stored_as_sent_and_never_inflated_by_intake(attack) -> None:
    """A PDF whose content stream inflates to 200 MB is a PDF by its bytes: intake keeps
    the 200 kB it received, unopened. Reading it is scoring's business, and scoring's
    reader refuses it within its limits (services/scoring/tests/unit/
    test_statement_reading.py)."""
    bomb = pdf_bomb(200 * 1024 * 1024)
    assert len(bomb) < LIMIT
    response = await attack.send(document(bomb))
    assert response.status_code == 201, response.text
    assert response.json()["sha256"] == hashlib.sha256(bomb).hexdigest()
    assert response.json()["size_bytes"] == len(bomb)


# -- hostile file names --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("filename", "shown"),
    [
        pytest.param(b"../../etc/passwd.pdf", "passwd.pdf", id="relative-traversal"),
        pytest.param(b"../../../../../../tmp/x.pdf", "x.pdf", id="deep-traversal"),
        pytest.param(b"/etc/passwd.pdf", "passwd.pdf", id="absolute-path"),
        pytest.param(b"..\\\\..\\\\x.pdf", "x.pdf", id="backslash-traversal"),
        pytest.param(b"C:\\\\Windows\\\\System32\\\\x.pdf", "x.pdf", id="windows-absolute"),
        pytest.param(b"....//....//x.pdf", "x.pdf", id="doubled-dots"),
        pytest.param(b"%2e%2e%2fx.pdf", "%2e%2e%2fx.pdf", id="percent-encoded-kept-as-text"),
        pytest.param(b"a\x01b\x1fc\x7f.pdf", "abc.pdf", id="control-characters"),
        pytest.param("보고서\u202e\u200b.pdf".encode(), "보고서.pdf", id="rtl-and-zero-width"),
        pytest.param(b"x" * 1000 + b".pdf", "x" * 251 + ".pdf", id="very-long"),
        pytest.param(b"\xff\xfe.pdf", "\ufffd\ufffd.pdf", id="not-utf8"),
        pytest.param(b"..", None, id="dot-dot"),
        pytest.param(b"", None, id="empty"),
        pytest.param("사업계획서(최종).pdf".encode(), "사업계획서(최종).pdf", id="korean"),
    ],
)
async def test_a_hostile_name_never_reaches_the_filesystem(
    attack, filename: bytes, shown: str | None
) -> None:
    """The document is stored under the store's own name (``<2 hex>/<32 hex>``), the one
    new file under the test's directory; the client's name is kept for display only."""
    rows_before, files_before = await attack.state()
    response = await attack.send(document(PDF, filename))
    assert response.status_code == 201, response.text
    assert response.json()["original_name"] == shown
    rows_after, files_after = await attack.state()
    assert rows_after["document"] == rows_before["document"] + 1
    new = set(files_after) - set(files_before)
    assert len(new) == 1 and set(files_before) <= set(files_after), new
    (stored,) = new
    assert re.fullmatch(r"documents/([0-9a-f]{2})/\1[0-9a-f]{30}", stored), stored
    assert (attack.root / stored).read_bytes() == PDF
    async with attack.intake.app.state.intake.sessions() as session:
        row = (
            await session.execute(
                select(models.document.c.storage_name, models.document.c.original_name).where(
                    models.document.c.id == response.json()["id"]
                )
            )
        ).one()
    assert row.storage_name == stored.rsplit("/", 1)[1]
    assert row.original_name == shown


async def test_a_nul_byte_in_the_name_is_refused(attack) -> None:
    """``report.pdf\\0.exe``: a reader that stops at the NUL sees ``report.pdf``."""
    problem = await refused(
        attack, document(PDF, b"report.pdf\x00.exe"), 422, "nul-character", "file"
    )
    assert "U+0000" in problem["detail"] and "U+0000" in problem["detail_ko"]


async def test_a_name_in_the_extended_parameter_only_is_no_name(attack) -> None:
    """``filename*=UTF-8''..%2F..%2Fx.pdf`` (RFC 5987) is not read: no name is kept."""
    body = form(
        part("kind", b"application-form"),
        b"Content-Disposition: form-data; name=\"file\"; filename*=UTF-8''..%2F..%2Fx.pdf\r\n"
        b"\r\n" + PDF,
    )
    response = await attack.send(body)
    assert response.status_code == 201, response.text
    assert response.json()["original_name"] is None


# -- too large -----------------------------------------------------------------------------


async def test_one_byte_over_the_limit(attack) -> None:
    await refused(
        attack, document(PDF + b"0" * (LIMIT + 1 - len(PDF))), 413, "upload-too-large", "file"
    )


async def test_a_chunked_stream_without_a_length_is_cut_off_at_the_limit(attack) -> None:
    """No Content-Length to refuse up front: the stream is counted as it arrives, and
    intake stops reading once the limit is passed (the rest is never asked for)."""
    head = b"--" + BOUNDARY.encode() + b"\r\n" + part("kind", b"application-form") + b"\r\n"
    head += b"--" + BOUNDARY.encode() + b"\r\n" + part("file", b"", b"big.pdf", b"application/pdf")
    chunk = 16 * 1024
    total_chunks = 4 * LIMIT // chunk
    sent = []

    async def stream() -> AsyncIterator[bytes]:
        yield head + PDF
        for index in range(total_chunks):
            sent.append(index)
            yield b"0" * chunk

    await refused(attack, stream(), 413, "upload-too-large", "file")
    assert len(sent) < total_chunks // 2


async def test_an_endless_stream_after_the_closing_boundary_is_cut_off_too(attack) -> None:
    """Bytes after the closing boundary (the epilogue) belong to no part, and the parser
    skips them; they are counted against the limit like the rest of the body."""
    sent = []

    async def stream() -> AsyncIterator[bytes]:
        yield document(PDF)
        for index in range(4 * LIMIT // 1024):
            sent.append(index)
            yield b"x" * 1024

    await refused(attack, stream(), 413, "upload-too-large", "body")
    assert len(sent) < 2 * LIMIT // 1024


async def test_a_part_with_endless_headers(attack) -> None:
    name = b"x" * (64 * 1024) + b".pdf"
    await refused(attack, document(PDF, name), 400, "malformed-upload", "body")


async def test_a_form_with_too_many_fields(attack) -> None:
    fields = [part(f"field{i}", b"x") for i in range(40)]
    body = form(*fields, part("kind", b"application-form"), part("file", PDF, b"doc.pdf"))
    await refused(attack, body, 400, "malformed-upload", "body")


# -- cut short or malformed ----------------------------------------------------------------


async def test_a_body_cut_short_in_the_middle_of_the_file(attack) -> None:
    """Everything up to the cut parses; without the closing boundary the file may be
    incomplete, and an incomplete file is not stored."""
    statement = PDF + b"0" * 4096
    body = form(
        part("kind", b"application-form"),
        part("file", statement, b"doc.pdf", b"application/pdf"),
        close=False,
    )
    await refused(attack, body[: -len(b"\r\n") - 2048], 400, "malformed-upload", "body")


async def test_a_body_that_ends_without_its_closing_boundary(attack) -> None:
    await refused(attack, document(PDF)[: -len(b"--\r\n")], 400, "malformed-upload", "body")


async def test_a_body_cut_inside_the_file_parts_headers(attack) -> None:
    body = document(PDF)
    cut = body.index(b'filename="doc.pdf"') + 5
    await refused(attack, body[:cut], 400, "malformed-upload", "file")


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(document(PDF).replace(BOUNDARY.encode(), b"another-one"), id="wrong-boundary"),
        pytest.param(b"x" * 1024 + document(PDF), id="preamble"),
        pytest.param(b"%PDF-1.4 not a form at all", id="no-form"),
    ],
)
async def test_a_body_that_is_not_the_form_it_declares(attack, body: bytes) -> None:
    await refused(attack, body, 400, "malformed-upload", "body")


async def test_the_same_upload_whole_is_accepted(attack) -> None:
    """The control for the truncation tests: the very bytes, complete, are stored."""
    response = await attack.send(document(PDF + b"0" * 4096))
    assert response.status_code == 201, response.text


async def test_a_client_that_goes_away_mid_upload_leaves_nothing(attack) -> None:
    """The connection drops after part of the file: the pending file is discarded."""
    before = await attack.state()
    body = document(PDF + b"0" * (64 * 1024))
    pieces = [body[i : i + 8192] for i in range(0, len(body) // 2, 8192)]
    messages = [{"type": "http.request", "body": p, "more_body": True} for p in pieces]
    messages.append({"type": "http.disconnect"})
    sent: list[dict] = []

    async def receive() -> dict:
        return messages.pop(0) if messages else {"type": "http.disconnect"}

    async def send(message: dict) -> None:
        sent.append(message)

    path = attack.url
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        "server": ("intake", 80),
        "client": ("127.0.0.1", 50000),
        "headers": [
            (b"host", b"intake"),
            (b"content-type", f"multipart/form-data; boundary={BOUNDARY}".encode()),
            (b"content-length", str(len(body)).encode()),
            (
                IDENTITY_HEADER.lower().encode(),
                sign_internal_token(ADMIN, TEST_INTERNAL_SECRET, "POST", path).encode(),
            ),
        ],
    }
    await attack.intake.app(scope, receive, send)
    assert await attack.state() == before
    # Nobody reads the answer, but the logs and metrics count the client's doing, not a 500.
    (start,) = [m for m in sent if m["type"] == "http.response.start"]
    assert start["status"] == 400
    assert (b"content-type", b"application/problem+json") in start["headers"]
    body = json.loads(b"".join(m.get("body", b"") for m in sent if "body" in m))
    assert body["type"] == "urn:sfms:problem:upload-interrupted" and body["field"] == "body"
