"""Plain-text reader: bytes -> str with the encoding recorded.

Order matters: a BOM is decisive; then strict UTF-8 (it almost never decodes non-UTF-8 Chinese by
accident). Otherwise the candidates GB18030 (a superset of GBK/GB2312, used by older Windows-made
files) and UTF-16 LE/BE without BOM are decoded strictly and scored by how much of the result is
ordinary Chinese text: common hanzi (GB2312), CJK and ASCII punctuation, digits, letters. Chinese
read with the wrong one of these codecs comes out as Hangul, private-use, rare or control
characters, so the right one wins by a wide margin. Detector libraries misread short Chinese
snippets, so they are not used.
"""

from __future__ import annotations

import codecs

from .document import ReadError

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

_SAMPLE = 20000  # characters scored per candidate
_MIN_SCORE = 0.85  # below this share of plausible characters the bytes are not text
_MAX_BAD, _MAX_BAD_SHARE = 8, 0.002  # undecodable sequences tolerated in damaged text


def _char_weight(ch: str) -> float:
    o = ord(ch)
    if o < 0x80:
        return 1.0 if (o >= 0x20 and o != 0x7F) or ch in "\t\n\r\f" else 0.0
    if 0x4E00 <= o <= 0x9FFF:
        try:
            ch.encode("gb2312")
        except UnicodeEncodeError:
            return 0.3  # a real CJK ideograph, but rare: mis-decodings produce many of these
        return 1.0
    if 0x3000 <= o <= 0x303F or 0xFF01 <= o <= 0xFF5E or 0x2010 <= o <= 0x203B:
        return 1.0  # CJK punctuation, full-width forms, dashes and quotes
    if o in (0xA0, 0xB7, 0xD7, 0xB0, 0x2103, 0x2116) or 0x2460 <= o <= 0x24FF or 0x2160 <= o <= 0x217F:
        return 1.0  # nbsp, middle dot, ×, °, ℃, №, circled and Roman numerals
    if 0x2500 <= o <= 0x25FF or 0x3400 <= o <= 0x4DBF or 0x80 <= o <= 0x24F:
        return 0.5  # box drawing and shapes, CJK extension A, Latin accents
    return 0.0


def plausibility(text: str) -> float:
    """Share (0..1) of the first characters of ``text`` that ordinary Chinese documents contain."""
    sample = text[:_SAMPLE]
    if not sample:
        return 1.0
    return sum(_char_weight(ch) for ch in sample) / len(sample)


def _few_controls(text: str) -> bool:
    sample = text[:_SAMPLE]
    bad = sum(1 for ch in sample if (ch < " " and ch not in "\t\n\r\f") or ch in "\x7f\ufffd")
    return bad <= 0.01 * len(sample)


def _strict(data: bytes, enc: str) -> str | None:
    try:
        return data.decode(enc)
    except UnicodeDecodeError:
        return None


def _lenient(data: bytes, encodings: tuple[str, ...]) -> tuple[str, str] | None:
    """Decode with replacement when only a few bytes are bad (a damaged page, a cut multi-byte
    character): the codec with the fewest replacements wins if the result reads as text."""
    best: tuple[int, str, str] | None = None
    for enc in encodings:
        chunk = data[: len(data) - len(data) % 2] if enc.startswith("utf-16") else data
        text = chunk.decode(enc, errors="replace")
        bad = text.count("\ufffd")
        few = bad <= max(_MAX_BAD, _MAX_BAD_SHARE * len(text))
        if few and (best is None or bad < best[0]) and plausibility(text) >= _MIN_SCORE:
            best = (bad, enc, text)
    if best is None:
        return None
    bad, enc, text = best
    return normalise_newlines(text), f"{enc} ({bad} undecodable byte sequence{'s' if bad != 1 else ''} replaced)"


def decode(data: bytes) -> tuple[str, str]:
    """Decode bytes to text; return (text, encoding). Raises ReadError when it is not text.

    ``encoding`` is a codec name, followed by "(N undecodable byte sequences replaced)" when a few
    damaged bytes had to be replaced by U+FFFD.
    """
    for bom, enc in _BOMS:
        if data.startswith(bom):
            text = _strict(data, enc)
            if text is not None:
                return normalise_newlines(text), enc
            found = _lenient(data, (enc,))
            if found:
                return found
            raise ReadError(f"the file starts with a {enc} byte-order mark but is not valid {enc} text")
    text = _strict(data, "utf-8")
    if text is not None and _few_controls(text):
        return normalise_newlines(text), "utf-8"  # valid UTF-8 is decisive unless it is binary
    candidates: list[tuple[float, int, str, str]] = []
    for rank, enc in enumerate(("gb18030", "utf-16-le", "utf-16-be")):
        if enc.startswith("utf-16") and len(data) % 2:
            continue
        cand = _strict(data, enc)
        if cand is not None:
            candidates.append((plausibility(cand), -rank, enc, cand))
    if text is not None:
        candidates.append((plausibility(text), 1, "utf-8", text))
    if candidates:
        score, _, enc, best = max(candidates)
        if score >= _MIN_SCORE:
            return normalise_newlines(best), enc
    found = _lenient(data, ("utf-8", "gb18030", "utf-16-le", "utf-16-be"))
    if found:
        return found
    raise ReadError(
        "binary data: the bytes are not UTF-8, GB18030/GBK or UTF-16 text "
        "(no decoding gives mostly readable characters)"
    )


def normalise_newlines(text: str) -> str:
    # Line numbers must match what an editor shows: \r\n and lone \r both end one line.
    return text.replace("\r\n", "\n").replace("\r", "\n")
