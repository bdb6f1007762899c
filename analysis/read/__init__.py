"""Read stage: any input file -> :class:`Document` (decoded text + line origins).

``read_path``/``read_bytes`` recognise the format from the content first (``%PDF``, a zip holding
``word/document.xml``, the OLE signature of an old .doc, HTML tags near the start) and from the
file name's suffix second, then hand the bytes to one reader. Every reader produces text that the
one extractor reads; HTML, Word and PDF readers also record where each line came from.

Failures are :class:`ReadError` with a ``status``: ``empty``, ``too_large``, ``unreadable``
(binary data that is not text), ``malformed`` (a damaged file of a known format),
``unsupported_format``, ``needs_ocr`` (scans, images), ``encrypted``, ``unsafe`` (XML entities
in a Word file). No other exception escapes.

Size limits (bytes) apply per format unless ``max_bytes`` is given (an int for all formats) or
``None`` (no limit).
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from .document import Document, ReadError
from .lines import assemble
from .text import decode

__all__ = ["LIMITS", "Document", "ReadError", "read_bytes", "read_path", "sniff"]

MB = 1024 * 1024
LIMITS = {"txt": 50 * MB, "md": 50 * MB, "html": 50 * MB, "pdf": 200 * MB, "docx": 200 * MB, "doc": 200 * MB}
_DEFAULT = object()  # "use LIMITS"

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_IMAGES = {
    b"\x89PNG\r\n\x1a\n": "PNG", b"\xff\xd8\xff": "JPEG", b"GIF87a": "GIF", b"GIF89a": "GIF",
    b"II*\x00": "TIFF", b"MM\x00*": "TIFF", b"BM": "BMP",
}
_HTML_MARKS = ("<html", "<!doctype html", "<table", "<head", "<body")


def _head_text(data: bytes) -> str:
    head = data[:1024]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or head.count(0) > len(head) // 4:
        even, odd = head[0::2].count(0), head[1::2].count(0)
        return head.decode("utf-16-be" if even > odd else "utf-16-le", errors="ignore")
    return head.decode("latin-1")


def sniff(data: bytes, name: str = "") -> str:
    """The format of a file: "pdf", "docx", "doc", "html", "md" or "txt". Raises ReadError for
    recognised formats that cannot be read (images, other Office files, RTF, other zips)."""
    suffix = Path(name).suffix.lower()
    if data.lstrip()[:5] == b"%PDF-" or (suffix == ".pdf" and b"%PDF-" in data[:1024]):
        return "pdf"
    if data.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return "docx"  # the Word reader checks for word/document.xml and says what else it is
    if data.startswith(_OLE):
        if suffix in (".doc", ".wps", ".dot") or "WordDocument".encode("utf-16-le") in data[:1 << 20]:
            return "doc"
        raise ReadError(
            "an old Office (OLE) file that is not a Word document (e.g. .xls or .ppt); unsupported",
            status="unsupported_format",
        )
    for magic, kind in _IMAGES.items():
        if data.startswith(magic) and not (kind == "BMP" and suffix not in (".bmp", "")):
            raise ReadError(f"a {kind} image, not a text document; it needs OCR", status="needs_ocr")
    if data.lstrip().startswith(b"{\\rtf"):
        raise ReadError("an RTF document; save it as .docx to read it", status="unsupported_format")
    head = _head_text(data).lower()
    if any(mark in head for mark in _HTML_MARKS):
        return "html"
    if suffix in (".html", ".htm", ".shtml", ".xhtml"):
        return "html"
    if suffix == ".md":
        return "md"
    return "txt"


def _limit(fmt: str, max_bytes: object) -> int | None:
    if max_bytes is _DEFAULT:
        return LIMITS[fmt]
    return max_bytes  # type: ignore[return-value]


def read_bytes(data: bytes, name: str = "<bytes>", max_bytes: int | None = _DEFAULT) -> Document:  # type: ignore[assignment]
    """Read a file's bytes into a Document. ``name`` is recorded as its path and its suffix helps
    tell the format. Raises ReadError only."""
    if not data.strip():
        raise ReadError(f"empty file ({len(data)} bytes{', whitespace only' if data else ''})", status="empty")
    fmt = sniff(data, name)
    limit = _limit(fmt, max_bytes)
    if limit is not None and len(data) > limit:
        raise ReadError(
            f"the {fmt} file is {len(data) / MB:.1f} MB, over the {limit / MB:.1f} MB limit", status="too_large"
        )
    sha = hashlib.sha256(data).hexdigest()
    try:
        return _read(data, name, fmt, sha, max_bytes)
    except ReadError:
        raise
    except RecursionError as e:
        raise ReadError(f"the {fmt} file is nested too deeply to read", status="malformed") from e
    except MemoryError as e:
        raise ReadError(f"the {fmt} file needs more memory than available", status="too_large") from e
    except Exception as e:  # a reader bug or a library failing on a damaged file: report, don't crash
        raise ReadError(f"the {fmt} file could not be read ({type(e).__name__}: {e})", status="malformed") from e


def _read(data: bytes, name: str, fmt: str, sha: str, max_bytes: object) -> Document:
    if fmt in ("txt", "md"):
        text, enc = decode(data)
        if not text.strip():
            raise ReadError("the file holds no text (only whitespace or byte-order marks)", status="empty")
        return Document(path=name, sha256=sha, text=text, encoding=enc, format=fmt)
    if fmt == "html":
        from .html import read_html

        pairs, enc = read_html(data)
    elif fmt == "pdf":
        from .pdf import read_pdf

        pairs, enc = read_pdf(data), "n/a"
    else:
        from .docx import MAX_UNZIPPED, convert_doc, read_docx

        unzipped = MAX_UNZIPPED if max_bytes is _DEFAULT else max_bytes
        if fmt == "doc":
            data = convert_doc(data)
        pairs, enc = read_docx(data, unzipped), "utf-8"  # type: ignore[arg-type]
    text, origins = assemble(pairs)
    if not text.strip():
        raise ReadError(f"the {fmt} file contains no text", status="empty")
    return Document(path=name, sha256=sha, text=text, encoding=enc, format=fmt, origins=origins)


def read_path(path: str | Path, max_bytes: int | None = _DEFAULT) -> Document:  # type: ignore[assignment]
    """Read a file into a Document (see :func:`read_bytes`). Raises ReadError only."""
    p = Path(path)
    try:
        size = os.stat(p).st_size
        cap = max(LIMITS.values()) if max_bytes is _DEFAULT else max_bytes
        if cap is not None and size > cap:
            raise ReadError(f"{p.name} is {size / MB:.1f} MB, over the {cap / MB:.1f} MB limit", status="too_large")
        data = p.read_bytes()
    except OSError as e:
        raise ReadError(f"cannot open {p}: {e.strerror or e}", status="unreadable") from e
    return read_bytes(data, str(p), max_bytes)
