"""Text -> tokens: values, blank markers, row ordinals and label text, each with its span.

Normalisation is character-for-character (full-width digits and punctuation to ASCII, ideographic
space to space) so that every offset in the normalised text is an offset in the decoded document:
provenance spans never drift.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from ..textnorm import PAGE_DASHED, PAGE_NUMBER, fold

# Page furniture of PDF viewers and page-flip sites ("第10页", "- 10 -", "Page 3 of 9"). These carry
# digits that are not cell values, so they are blanked out before tokenising.
NOISE = re.compile(
    rf"{PAGE_NUMBER}|(?:(?<=\n)|^)[ \t]*{PAGE_DASHED}[ \t]*|\{{\{{[^}}]*\}}\}}",  # {{…}}: viewer templates
    re.MULTILINE,
)

# A row ordinal: one digit and a dot directly before label text ("2.其他法律…"). Only one digit:
# the template's sub-rows are numbered 1-8, and in fused text "…00000002.其他" the digits before
# the ordinal belong to the previous row.
ORDINAL = re.compile(r"(\d)\s*[.．、](?=\s*[\u4e00-\u9fff“\"「(（])")

# Digit runs may hold commas: a thousands separator ("62,544.3758") or, in fused text, a
# separator inside a run of glued cells ("11329,853.19" can be 113|29,853.19). The reading stage
# decides which; the tokenizer keeps the run whole.
NUMBER = re.compile(r"[+\-]?\d(?:[\d,]*\d)?(?:\.\d+)?")

# A number followed by a unit or preceded by 第 is prose inside the table region ("包括 7 条",
# "2023 年"), not a cell. 元 is deliberately absent: the 2019 procurement cell prints "…元".
PROSE_AFTER = re.compile(r"\s*(?:[件条个次项篇期名人家份年月日号余多%％]|万(?!元)|千|亿)")
PROSE_BEFORE = "第"

# Markers that fill a cell with "no value": kept apart from 0.
BLANK_MARKERS = frozenset({"/", "—", "——", "-", "–", "－", "无", "空", "…", "--"})

CJK = re.compile(r"[\u4e00-\u9fff]")


def normalise(text: str) -> str:
    """Same length as ``text``: full-width -> ASCII, ideographic space -> space (see textnorm)."""
    return fold(text)


@dataclass(frozen=True, slots=True)
class Token:
    kind: str  # "num", "blank", "ord", "text"
    start: int
    end: int
    raw: str  # as printed (normalised characters)
    glued: bool = False  # a value directly followed by Chinese text, with no separator

    @property
    def digits(self) -> str:
        """The number without thousands separators (sign and decimal point kept)."""
        return self.raw.replace(",", "")


def parse_number(s: str) -> int | Decimal:
    s = s.replace(",", "")
    return Decimal(s) if "." in s else int(s)


def blank_out(text: str, start: int, end: int) -> str:
    """The slice text[start:end] with page furniture replaced by spaces (same length)."""
    chunk = text[start:end]
    return NOISE.sub(lambda m: " " * len(m.group()), chunk)


def tokenize(text: str, start: int = 0, end: int | None = None) -> list[Token]:
    """Tokens of ``text[start:end]`` (already normalised), spans relative to ``text``."""
    end = len(text) if end is None else end
    chunk = blank_out(text, start, end)
    tokens: list[Token] = []
    pos = 0
    for m in ORDINAL.finditer(chunk):
        tokens.extend(_tokenize_plain(chunk, pos, m.start(), start))
        tokens.append(Token("ord", start + m.start(), start + m.end(), m.group(1)))
        pos = m.end()
    tokens.extend(_tokenize_plain(chunk, pos, len(chunk), start))
    return tokens


def _tokenize_plain(chunk: str, a: int, b: int, base: int) -> list[Token]:
    out: list[Token] = []
    pos = a
    for m in NUMBER.finditer(chunk, a, b):
        s, e = m.start(), m.end()
        if s > pos and not chunk[pos:s].isspace():  # most gaps in a grid are a tab or a newline
            out.extend(_text_tokens(chunk, pos, s, base))
        raw = m.group()
        # A leading "-" glued to text ("增/减-18") is a sign only in signed cells; keep it, the
        # reading stage decides. A "-" preceded by a digit run ("2648-18538") starts a new value.
        nxt = chunk[e] if e < len(chunk) else ""
        if (s > 0 and chunk[s - 1] == PROSE_BEFORE) or PROSE_AFTER.match(chunk, e, b):
            out.append(Token("text", base + s, base + e, raw))
        else:
            out.append(Token("num", base + s, base + e, raw, "\u4e00" <= nxt <= "\u9fff"))
        pos = e
    if pos < b and not chunk[pos:b].isspace():
        out.extend(_text_tokens(chunk, pos, b, base))
    return out


_BLANK_WORD = re.compile("|".join(re.escape(m) for m in sorted(BLANK_MARKERS, key=len, reverse=True)))
_WORDLIKE = frozenset({"无", "空"})  # markers that are also ordinary characters ("无法提供")


def _standalone(chunk: str, s: int, e: int, a: int, b: int) -> bool:
    """A blank marker counts when it stands alone: after a separator or right after a value, and
    before a separator, a value or (for "/" and dashes) the next label. "增/减" stays a label."""
    left = s == a or chunk[s - 1].isspace()
    right = e == b or chunk[e].isspace() or (chunk[s:e] not in _WORDLIKE and bool(CJK.match(chunk, e)))
    return left and right


def _text_tokens(chunk: str, a: int, b: int, base: int) -> list[Token]:
    """Non-numeric text: one token per stretch between blank markers."""
    out: list[Token] = []
    pos = a
    for m in _BLANK_WORD.finditer(chunk, a, b):
        if not _standalone(chunk, m.start(), m.end(), a, b):
            continue
        _add_text(out, chunk, pos, m.start(), base)
        out.append(Token("blank", base + m.start(), base + m.end(), m.group()))
        pos = m.end()
    _add_text(out, chunk, pos, b, base)
    return out


def _add_text(out: list[Token], chunk: str, a: int, b: int, base: int) -> None:
    while a < b and chunk[a].isspace():
        a += 1
    while b > a and chunk[b - 1].isspace():
        b -= 1
    if a < b:
        out.append(Token("text", base + a, base + b, chunk[a:b]))
