"""Read stage: any input file -> :class:`Document` (decoded text + line origins).

``read_path`` dispatches on the file's content and suffix. Readers for HTML, Word and PDF live in
their own modules and all produce text that the one extractor reads.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from .document import Document, ReadError
from .text import decode

__all__ = ["Document", "ReadError", "read_path", "read_bytes"]


def read_bytes(data: bytes, name: str = "<bytes>") -> Document:
    sha = hashlib.sha256(data).hexdigest()
    suffix = Path(name).suffix.lower()
    if not data.strip():
        raise ReadError("empty file", status="unreadable")
    fmt = "md" if suffix == ".md" else "txt"
    text, enc = decode(data)
    return Document(path=name, sha256=sha, text=text, encoding=enc, format=fmt)


def read_path(path: str | Path) -> Document:
    p = Path(path)
    return read_bytes(p.read_bytes(), str(p))
