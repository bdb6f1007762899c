"""The possible readings of one printed row: which printed characters fill which cell.

A row printed with exactly one token per cell has one reading. Otherwise the row is read every way
the text allows, and the table's own arithmetic keeps the consistent ones:

* fewer tokens than cells: cells are fused ("6233440" for three cells). Each token may be cut into
  several numbers; a number never starts with 0 unless it is 0, a sign only opens a token, a
  decimal point stays inside one number, thousands-separated tokens are never cut.
* more tokens than cells: a stray token crept in (a merged label column's "3", a 16th number in a
  15-cell row). Each choice of tokens to drop is a reading.

Readings are enumerated depth-first with the row's own rules checked as soon as their cells are
filled, under a node budget: past it the row is reported ambiguous rather than guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from itertools import combinations
from math import comb

from ..template import Cell, Rule
from .tokens import Token, parse_number

NODE_BUDGET = 200_000
MAX_DROP_READINGS = 20_000

_PART = re.compile(r"[+\-]?(?:0|[1-9]\d{0,2}(?:,\d{3})+|[1-9]\d*)(?:\.\d+)?")

Value = int | Decimal | None


@dataclass(frozen=True, slots=True)
class Part:
    """The printed characters that became one cell's value."""

    value: Value
    raw: str
    start: int
    end: int
    blank: bool = False


Reading = tuple[Part, ...]


@dataclass
class RowReadings:
    readings: list[Reading]
    mode: str  # "exact", "split", "drop", "none"
    constrained: bool = False  # True when rules rejected at least one alternative
    note: str = ""


class _Budget(Exception):
    pass


def _valid_for_cell(part: Part, cell: Cell) -> bool:
    """Counts are whole numbers; only a change column carries a sign (printed "+17" is a change)."""
    if part.value is None:
        return True
    if isinstance(part.value, Decimal) and not cell.decimal:
        return False
    return cell.signed or part.raw[:1] not in "+-"


def _part_of(token: Token, a: int, b: int) -> Part | None:
    """Characters a..b of a token as one number, or None if no number reads so (a leading zero,
    a sign not at the token's start, commas that are not thousands groups)."""
    s = token.raw[a:b]
    if not _PART.fullmatch(s) or (a > 0 and s[0] in "+-"):
        return None
    return Part(parse_number(s), s, token.start + a, token.start + b)


def _token_part(token: Token) -> Part | None:
    if token.kind == "blank":
        return Part(None, token.raw, token.start, token.end, blank=True)
    raw = token.raw
    if raw.isdigit() and (raw[0] != "0" or len(raw) == 1):  # the common case, without a regex
        return Part(int(raw), raw, token.start, token.end)
    return _part_of(token, 0, len(raw))


def _cuts(token: Token, k: int) -> list[list[Part]]:
    """All ways to read ``token`` as ``k`` consecutive numbers. A comma where a cut falls is read
    as a separator between the two numbers; elsewhere it must be a thousands separator."""
    if token.kind == "blank":
        return [[_token_part(token)]] if k == 1 else []
    s = token.raw
    out: list[list[Part]] = []

    def rec(pos: int, left: int, acc: list[Part]) -> None:
        if left == 1:
            p = _part_of(token, pos, len(s))
            if p is not None:
                out.append(acc + [p])
            return
        for end in range(pos + 1, len(s) - left + 2):  # leave a character for each later part
            p = _part_of(token, pos, end)
            if p is not None:
                rec(end + 1 if s[end] == "," else end, left - 1, acc + [p])

    rec(0, k, [])
    return out


class _Checker:
    """Checks rules local to one row as soon as their last cell is filled."""

    def __init__(self, cells: tuple[Cell, ...], rules: list[Rule]):
        index = {c.key: i for i, c in enumerate(cells)}
        self.by_last: dict[int, list[tuple[list[int], list[int]]]] = {}
        for r in rules:
            lhs = [index[k] for k in r.lhs]
            rhs = [index[k] for k in r.rhs]
            self.by_last.setdefault(max(lhs + rhs), []).append((lhs, rhs))
        self.rejected = 0

    def ok(self, filled: list[Part], upto: int) -> bool:
        for i in range(len(filled) - upto, len(filled)):
            for lhs, rhs in self.by_last.get(i, ()):
                left = [filled[j].value for j in lhs]
                right = [filled[j].value for j in rhs]
                if None in left or None in right:
                    continue  # a blank cell: the rule cannot speak
                if sum(left) != sum(right):
                    self.rejected += 1
                    return False
        return True


def row_readings(tokens: list[Token], cells: tuple[Cell, ...], rules: list[Rule]) -> RowReadings:
    """Every reading of ``tokens`` as ``cells`` that the row's own ``rules`` allow."""
    m, n = len(tokens), len(cells)
    if m == 0:
        return RowReadings([], "none", note="no values printed for this row")
    if m == n:
        parts = [_token_part(t) for t in tokens]
        if any(p is None for p in parts):
            bad = next(t.raw for t, p in zip(tokens, parts) if p is None)
            return RowReadings([], "split", note=f"{bad!r} is not one number (commas not in thousands groups)")
        return RowReadings([tuple(parts)], "exact")
    checker = _Checker(cells, rules)
    if m > n:
        return _drop_readings(tokens, cells, checker)
    return _split_readings(tokens, cells, checker)


def _drop_readings(tokens: list[Token], cells: tuple[Cell, ...], checker: _Checker) -> RowReadings:
    m, n = len(tokens), len(cells)
    if comb(m, m - n) > MAX_DROP_READINGS:
        return RowReadings([], "drop", note=f"{m} values for {n} cells: too many ways to drop {m - n}")
    parts = [_token_part(t) for t in tokens]
    if any(p is None for p in parts):
        return RowReadings([], "drop", note="a printed value is not one number (commas not in thousands groups)")
    # Layout evidence first: in a row whose values are kept apart by separators, a number glued
    # to the Chinese text after it ("0三、本年度办理结果") belongs to that label, not to the row.
    glued = [i for i, t in enumerate(tokens) if t.glued]
    if len(glued) == m - n and len(glued) < m:
        reading = tuple(p for i, p in enumerate(parts) if i not in set(glued))
        if all(_valid_for_cell(p, c) for p, c in zip(reading, cells)) and checker.ok(list(reading), n):
            return RowReadings([reading], "drop", constrained=True,
                               note=f"{m} values printed for {n} cells; dropped the number glued to the next label")
    out: list[Reading] = []
    seen: set[tuple] = set()
    # Later tokens are dropped first: strays usually trail a row (a digit glued to the next label,
    # a merged column's lone number before the next row). Readings with equal values are kept once,
    # with the provenance of the first.
    for dropped in reversed(list(combinations(range(m), m - n))):
        gone = set(dropped)
        reading = tuple(p for i, p in enumerate(parts) if i not in gone)
        values = tuple(p.value for p in reading)
        if values in seen:
            continue
        if all(_valid_for_cell(p, c) for p, c in zip(reading, cells)) and checker.ok(list(reading), n):
            seen.add(values)
            out.append(reading)
    return RowReadings(out, "drop", constrained=True, note=f"{m} values printed for {n} cells")


def _split_readings(tokens: list[Token], cells: tuple[Cell, ...], checker: _Checker) -> RowReadings:
    m, n = len(tokens), len(cells)
    capacity = [1 if t.kind == "blank" else len(t.digits.lstrip("+-")) for t in tokens]
    # suffix capacity: the most cells tokens i.. can still fill
    suffix = [0] * (m + 1)
    for i in range(m - 1, -1, -1):
        suffix[i] = suffix[i + 1] + capacity[i]
    out: list[Reading] = []
    nodes = 0
    cut_cache: dict[tuple[int, int], list[list[Part]]] = {}

    def cuts(i: int, k: int) -> list[list[Part]]:
        if (i, k) not in cut_cache:
            cut_cache[(i, k)] = _cuts(tokens[i], k)
        return cut_cache[(i, k)]

    def rec(i: int, filled: list[Part]) -> None:
        nonlocal nodes
        nodes += 1
        if nodes > NODE_BUDGET:
            raise _Budget
        if i == m:
            if len(filled) == n:
                out.append(tuple(filled))
            return
        left_cells = n - len(filled)
        min_k = max(1, left_cells - suffix[i + 1])
        max_k = min(capacity[i], left_cells - (m - i - 1))
        for k in range(min_k, max_k + 1):
            for parts in cuts(i, k):
                base = len(filled)
                if not all(_valid_for_cell(p, cells[base + j]) for j, p in enumerate(parts)):
                    continue
                nxt = filled + parts
                if checker.ok(nxt, k):
                    rec(i + 1, nxt)

    try:
        rec(0, [])
    except _Budget:
        return RowReadings([], "split", note=f"fused digits: more than {NODE_BUDGET} readings, not resolved")
    return RowReadings(out, "split", constrained=checker.rejected > 0,
                       note=f"{m} printed tokens for {n} cells (fused digits)")
