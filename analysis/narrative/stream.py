"""The prose as one searchable stream, with every character mapped back to the source text.

Sentences in these reports are broken across lines by PDF layout ("本机关共收到政府信息公开\\n\\n申请
18 件"), split by page furniture ("第5页", "- 5 -") or fused onto one 6000-character crawler line.
Patterns must see whole sentences, yet every fact must cite the line a reader can open. So the
stream joins wrapped lines, keeps a hard break ("\\n") only where a sentence or heading really ends,
folds full-width characters to ASCII one-for-one, and records for each stream character the offset of
the source character it came from. Quotes are always cut from the *source* text, line by line.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from ..textnorm import PAGE_DASHED, PAGE_NUMBER, fold

_SPACE = " \t\r\u3000\xa0"
# A line that ends a sentence: the next line starts a new one.
_SENTENCE_END = "。！？!?；;"
# A line that opens a section: "（二）依申请公开", "二、主动公开…", "## 三、…".
HEADING = re.compile(r"^\s*(?:#+\s*|[（(][一二三四五六七八九十]{1,3}[)）]|[一二三四五六七八九十]{1,3}、)")
# Page furniture of PDF viewers and page-flip sites; dropped from the stream so that a sentence
# interrupted by a page break is joined again.
FURNITURE = re.compile(rf"^\s*(?:{PAGE_NUMBER}|{PAGE_DASHED})\s*$")


_NEWLINE = re.compile("\n")
_CLAUSE_PUNCT = re.compile(r"[。，,；;]")


class Source:
    """The decoded text with 1-based line numbers (a line ends at "\\n", as in the read stage)."""

    def __init__(self, text: str):
        self.text = text
        self.starts = [0] + [m.end() for m in _NEWLINE.finditer(text)]

    def line_of(self, offset: int) -> int:
        return bisect.bisect_right(self.starts, offset)

    def line_bounds(self, line: int) -> tuple[int, int]:
        start = self.starts[line - 1]
        end = self.starts[line] - 1 if line < len(self.starts) else len(self.text)
        return start, end

    def line_text(self, line: int) -> str:
        a, b = self.line_bounds(line)
        return self.text[a:b]

    def parts(self, start: int, end: int) -> list[tuple[int, str]]:
        """(line, quote) for each line that [start, end) touches; each quote is a piece of its line."""
        out = []
        for line in range(self.line_of(start), self.line_of(max(start, end - 1)) + 1):
            a, b = self.line_bounds(line)
            piece = self.text[max(a, start):min(b, end)].strip(_SPACE)
            if piece:
                out.append((line, piece))
        return out


class OffsetMap:
    """Stream position -> source offset, stored as runs (one per kept line) instead of one int
    per character: ``m[i]`` and ``len(m)`` behave like the list they replace."""

    def __init__(self) -> None:
        self.starts: list[int] = []  # stream position where each run starts
        self.sources: list[int] = []  # source offset of that position
        self.steps: list[int] = []  # 1 for a run of characters, 0 for an inserted break
        self.n = 0

    def add_run(self, source_start: int, length: int) -> None:
        self.starts.append(self.n)
        self.sources.append(source_start)
        self.steps.append(1)
        self.n += length

    def add_break(self, source: int) -> None:
        self.starts.append(self.n)
        self.sources.append(source)
        self.steps.append(0)
        self.n += 1

    def __len__(self) -> int:
        return self.n

    def __bool__(self) -> bool:
        return self.n > 0

    def __getitem__(self, i: int) -> int:
        if i < 0:
            i += self.n
        if not 0 <= i < self.n:
            raise IndexError(i)
        k = bisect.bisect_right(self.starts, i) - 1
        return self.sources[k] + (i - self.starts[k]) * self.steps[k]


@dataclass
class Stream:
    """Joined, folded prose. ``origin[i]`` is the source offset of stream character ``i``."""

    s: str
    origin: OffsetMap
    hard: set[int]  # stream positions of hard breaks (inserted "\n")

    def span(self, a: int, b: int) -> tuple[int, int]:
        """Source span of stream slice [a, b), trimmed of surrounding whitespace and breaks."""
        while a < b and (self.s[a] in _SPACE or self.s[a] == "\n"):
            a += 1
        while b > a and (self.s[b - 1] in _SPACE or self.s[b - 1] == "\n"):
            b -= 1
        if a >= b:
            o = self.origin[min(a, len(self.origin) - 1)] if self.origin else 0
            return o, o
        return self.origin[a], self.origin[b - 1] + 1


def build_stream(text: str) -> Stream:
    """Join wrapped lines into sentences; see the module docstring for the rules."""
    chars: list[str] = []
    origin = OffsetMap()
    hard: set[int] = set()
    prev_last = ""  # last character of the previous kept line
    prev_heading = False
    pos = 0
    folded_text = fold(text)  # once for the whole text: one character per character, offsets kept
    for raw in text.split("\n"):
        line_start = pos
        pos += len(raw) + 1
        a, b = 0, len(raw)
        while a < b and raw[a] in _SPACE:
            a += 1
        while b > a and raw[b - 1] in _SPACE:
            b -= 1
        if a == b or FURNITURE.match(raw):
            continue
        content = raw[a:b]
        if chars:
            heading = bool(HEADING.match(content))
            if prev_last in _SENTENCE_END or heading or prev_heading:
                hard.add(len(chars))
                chars.append("\n")
                origin.add_break(max(line_start - 1, 0))
        # A heading is its own line when short and unpunctuated; a long line that merely starts
        # with "(二)" is a wrapped paragraph and keeps flowing into the next line.
        prev_heading = bool(HEADING.match(content)) and len(content) <= 40 and not _CLAUSE_PUNCT.search(content)
        chars.extend(folded_text[line_start + a: line_start + b])
        origin.add_run(line_start + a, b - a)
        prev_last = content[-1]
    return Stream("".join(chars), origin, hard)
