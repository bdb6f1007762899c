"""Helpers shared by the structured readers (HTML, Word, PDF): line cleaning, table rows, origins.

Every structured reader produces a list of ``(line, origin)`` pairs. A table row is one line with
its cells joined by a tab; a cell's text never contains a tab or a newline. Column numbers in
origins are 1-based positions in the table's real grid (merged cells expanded), so "cells: 1-3, 4"
means the first cell of the row spans grid columns 1 to 3 and the second sits in column 4.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

_WS = re.compile(r"[\s\u00a0\u3000\u200b\ufeff]+")
# Characters that str.splitlines() treats as line ends; a line must not contain any of them.
_LINE_BREAKS = re.compile("[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")


def is_cjk(ch: str) -> bool:
    o = ord(ch)
    return 0x3000 <= o <= 0x9FFF or 0xFF00 <= o <= 0xFFEF or 0xF900 <= o <= 0xFAFF


def clean(text: str) -> str:
    """Collapse all whitespace (tabs, newlines, nbsp, ideographic space) to one space; strip."""
    return _WS.sub(" ", text).strip()


def join_pieces(pieces: Iterable[str]) -> str:
    """Join the blocks of one cell (paragraphs, <br> parts) into one line.

    Two CJK characters meet with nothing between them (a label wrapped onto two paragraphs reads
    as one word); anything else meets with a single space.
    """
    out = ""
    for piece in pieces:
        piece = clean(piece)
        if not piece:
            continue
        if out and not (is_cjk(out[-1]) and is_cjk(piece[0])):
            out += " "
        out += piece
    return out


def no_line_breaks(text: str) -> str:
    return _LINE_BREAKS.sub(" ", text)


def cell_spec(spans: list[tuple[int, int]]) -> str:
    """``[(0, 2), (3, 3)]`` (0-based first/last grid column of each cell) -> ``"1-3, 4"``."""
    return ", ".join(f"{a + 1}" if a == b else f"{a + 1}-{b + 1}" for a, b in spans)


def row_origin(table: int, row: int, spans: list[tuple[int, int]]) -> str:
    return f"table {table}, row {row} (cells: {cell_spec(spans)})"


_COMPAT = re.compile("[\u2e80-\u2fdf\uf900-\ufaff]")


def fix_radicals(text: str) -> str:
    """Map Kangxi/CJK radicals and compatibility ideographs (common in PDF text layers: '⼀' for
    '一') to the ordinary ideographs, leaving full-width punctuation alone."""
    if not _COMPAT.search(text):
        return text
    return _COMPAT.sub(lambda m: unicodedata.normalize("NFKC", m.group()), text)


def assemble(pairs: list[tuple[str, str]]) -> tuple[str, list[str]]:
    """``(line, origin)`` pairs -> (text, origins), dropping empty lines."""
    lines: list[str] = []
    origins: list[str] = []
    for line, origin in pairs:
        line = no_line_breaks(line).strip(" ")
        if line.strip():
            lines.append(line)
            origins.append(origin)
    return "\n".join(lines), origins
