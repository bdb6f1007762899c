"""Where each table sits in the text.

A report can mention a table's heading more than once (a table of contents in the introduction, a
page-flip viewer's one-line preview of 表三 before the real page text). Every occurrence yields a
candidate region; the extractor reads all of them and keeps the one that reads best.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from ..template import load

# Start matches of one table closer than this belong to the same heading block
# ("三、收到和处理…情况（本列数据的勾稽关系为…）" hits two start patterns).
_SAME_HEADING = 200


@dataclass(frozen=True)
class Region:
    table: str
    start: int
    end: int


@cache
def _patterns(table: str, which: str) -> re.Pattern[str]:
    pats = load().table(table)[which]
    return re.compile("|".join(f"(?:{_spaced(p)})" for p in pats), re.MULTILINE)


def _spaced(pattern: str) -> str:
    """Let whitespace (incl. line breaks) appear between the literal characters of a pattern.

    Wrapped headings ("…行政复议、行\n政诉讼情况") must still match. Supported syntax is what the
    template uses: literal characters, character classes, an optional "?" after an atom, and "^".
    """
    out = []
    i = 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "^":
            out.append(ch)
            i += 1
            continue
        if ch == "[":
            j = pattern.index("]", i)
            atom, i = pattern[i:j + 1], j + 1
        else:
            atom, i = re.escape(ch), i + 1
        if i < len(pattern) and pattern[i] == "?":
            out.append(f"(?:{atom}\\s*)?")
            i += 1
        else:
            out.append(f"{atom}\\s*")
    return "".join(out)


def candidate_regions(text: str, table: str) -> list[Region]:
    """All plausible spans of ``table`` in ``text``, in document order."""
    starts: list[int] = []
    for m in _patterns(table, "start").finditer(text):
        if starts and m.start() - starts[-1] < _SAME_HEADING:
            continue
        starts.append(m.start())
    ends = _patterns(table, "end")
    regions = []
    for i, s in enumerate(starts):
        limit = starts[i + 1] if i + 1 < len(starts) else len(text)
        m = ends.search(text, s + 1, limit)
        # An end pattern that is part of the start heading itself (e.g. t4's start contains
        # "行政诉讼情况") must not close the region: search past the start match.
        e = m.start() if m and m.start() > s else limit
        regions.append(Region(table, s, e))
    return regions
