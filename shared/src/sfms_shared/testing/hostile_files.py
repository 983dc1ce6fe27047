"""Hostile files for tests: small on disk, enormous once expanded.

``pdf_bomb`` is a well-formed PDF whose pages share one FlateDecode content stream that
expands to ``expanded_bytes`` (a page of blanks, or of text operators that a reader must
parse); ``zip_bomb`` is a ZIP archive (also the container of .docx, .xlsx, .hwpx) holding
``expanded_bytes`` of zeros. Both are built in memory, deterministically, a megabyte at a
time (zlib compresses repeated bytes at hundreds of megabytes a second).
"""

from __future__ import annotations

import io
import zipfile
import zlib

# A text-showing operation a reader must parse; repeated, a page of it costs time.
_TEXT_OPERATION = b"BT /F1 12 Tf 72 720 Td (A) Tj ET\n"


def _deflated(pattern: bytes, expanded_bytes: int) -> bytes:
    """``pattern`` repeated to ``expanded_bytes``, zlib-compressed piece by piece."""
    compressor = zlib.compressobj(9)
    piece = pattern * max(1, (1 << 20) // len(pattern))
    out = bytearray()
    remaining = expanded_bytes
    while remaining > 0:
        chunk = piece[:remaining]
        out += compressor.compress(chunk)
        remaining -= len(chunk)
    out += compressor.flush()
    return bytes(out)


def pdf_bomb(expanded_bytes: int, *, pages: int = 1, text: bool = False) -> bytes:
    """A PDF of ``pages`` pages, each drawing the same content stream, which inflates to
    ``expanded_bytes`` of blanks (``text=False``) or of text operations (``text=True``)."""
    stream = _deflated(_TEXT_OPERATION if text else b" ", expanded_bytes)
    kids = " ".join(f"{5 + i} 0 R" for i in range(pages))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{kids}] /Count {pages} >>".encode(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    objects += [
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 3 0 R >> >> /Contents 4 0 R >>"
    ] * pages
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def zip_bomb(expanded_bytes: int, *, office: bool = False) -> bytes:
    """A ZIP archive whose one member inflates to ``expanded_bytes`` of zeros; with
    ``office=True`` it is laid out as a .docx (``[Content_Types].xml``, ``word/``)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        if office:
            archive.writestr(
                "[Content_Types].xml",
                '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.'
                'openxmlformats.org/package/2006/content-types"/>',
            )
        info = zipfile.ZipInfo("word/document.xml" if office else "zeros.bin")
        info.compress_type = zipfile.ZIP_DEFLATED
        info.file_size = expanded_bytes
        info.compress_size = 0
        with archive.open(info, "w", force_zip64=True) as member:
            # Written through the archive so sizes and CRC are right; zeros compress ~1000:1.
            block = bytes(1 << 20)
            remaining = expanded_bytes
            while remaining > 0:
                member.write(block[:remaining])
                remaining -= min(remaining, len(block))
    return buffer.getvalue()
