"""Plain-text reader: bytes -> str with the encoding recorded.

Order matters: a BOM is decisive; then strict UTF-8 (it almost never decodes non-UTF-8 Chinese
by accident); then UTF-16 without BOM (recognised by its NUL bytes); then GB18030, a superset of
GBK/GB2312 used by older Windows-made files. Detector libraries misread short Chinese snippets, so
they are not used.
"""

from __future__ import annotations

import codecs

from .document import ReadError

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def _looks_utf16(data: bytes) -> str | None:
    sample = data[:4000]
    if len(sample) < 4:
        return None
    even_nuls = sample[0::2].count(0)
    odd_nuls = sample[1::2].count(0)
    half = len(sample) / 2
    # ASCII-heavy UTF-16 has a NUL in every other byte; CJK-heavy UTF-16 has few NULs but decodes
    # cleanly, which the caller checks.
    if odd_nuls > 0.3 * half and even_nuls < 0.05 * half:
        return "utf-16-le"
    if even_nuls > 0.3 * half and odd_nuls < 0.05 * half:
        return "utf-16-be"
    return None


def _is_text(s: str) -> bool:
    """Reject decodings that are mostly control characters (binary files decode as GB18030 too)."""
    if not s:
        return True
    bad = sum(1 for ch in s[:20000] if (ord(ch) < 32 and ch not in "\t\n\r\f\v") or ch == "\ufffd")
    return bad / min(len(s), 20000) < 0.01


def decode(data: bytes) -> tuple[str, str]:
    """Decode bytes to text; return (text, encoding). Raises ReadError when it is not text."""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(enc)
            except UnicodeDecodeError as e:
                raise ReadError(f"file starts with a {enc} byte-order mark but does not decode: {e}") from e
            return _normalise_newlines(text), enc
    if b"\x00" in data[:4000]:
        enc16 = _looks_utf16(data)
        if enc16:
            try:
                return _normalise_newlines(data.decode(enc16)), enc16
            except UnicodeDecodeError:
                pass
        raise ReadError("binary data (NUL bytes) and not UTF-16 text")
    for enc in ("utf-8", "gb18030"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        if _is_text(text):
            return _normalise_newlines(text), enc
    raise ReadError("not decodable as UTF-8, UTF-16 or GB18030 text")


def _normalise_newlines(text: str) -> str:
    # Line numbers must match what an editor shows: \r\n and lone \r both end one line.
    return text.replace("\r\n", "\n").replace("\r", "\n")
