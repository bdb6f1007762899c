"""Combine row readings across a table with the rules that span rows (per-column sums of 表三).

Rows with one reading are fixed. Rows with several are variables; every combination consistent with
all cross-row rules is a solution. A cell is known when every solution gives it the same value;
otherwise it is null with status ``ambiguous`` and its candidate values are recorded. When no
combination satisfies the rules (the source's own arithmetic is wrong somewhere) the rules cannot
help and each row keeps only what all its own readings agree on.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..template import Layout, Rule
from .readings import Part, Reading, RowReadings

SOLUTION_CAP = 5_000


@dataclass
class CellRead:
    key: str
    value: object
    status: str  # ok, resolved_by_constraint, repaired, ambiguous, blank, missing
    part: Part | None = None
    candidates: list = field(default_factory=list)
    note: str = ""


def _agreeing(readings: list[Reading], idx: int) -> tuple[bool, list]:
    values = []
    for r in readings:
        v = r[idx].value
        if v not in values:
            values.append(v)
    return len(values) == 1, values


def _status_for(rr: RowReadings) -> str:
    if rr.mode == "exact":
        return "ok"
    if rr.mode == "drop":
        return "repaired"
    return "resolved_by_constraint" if rr.constrained else "ok"


_CROSS: dict[tuple[str, str, str], list[tuple[Rule, frozenset[int]]]] = {}


def _cross_rules(layout: Layout) -> list[tuple[Rule, frozenset[int]]]:
    """Rules spanning more than one row, with the rows they touch (computed once per layout)."""
    key = (layout.table, layout.template, layout.form)
    if key not in _CROSS:
        row_of = {c.key: i for i, r in enumerate(layout.rows) for c in r.cells}
        rules = [(r, frozenset(row_of[k] for k in r.keys)) for r in layout.rules]
        _CROSS[key] = [(r, rows) for r, rows in rules if len(rows) > 1]
    return _CROSS[key]


def _search(layout: Layout, rows: dict[int, RowReadings]) -> dict[int, list[Reading]] | None:
    """Readings of each multi-reading row that occur in some consistent solution; None if none."""
    if all(len(rr.readings) <= 1 for rr in rows.values()):
        return {}
    fixed: dict[str, object] = {}
    for i, rr in rows.items():
        if len(rr.readings) == 1:
            for cell, part in zip(layout.rows[i].cells, rr.readings[0]):
                fixed[cell.key] = part.value
    usable: list[tuple[Rule, frozenset[int]]] = []
    for rule, rows_in in _cross_rules(layout):
        if all(r in rows and rows[r].readings for r in rows_in):  # else a row was not read
            usable.append((rule, rows_in))
    # Only rows that some usable rule touches can be narrowed; the others keep all readings.
    touched = set().union(*(r for _, r in usable)) if usable else set()
    variable = [i for i, rr in rows.items() if len(rr.readings) > 1 and i in touched]
    if not variable:
        return {}
    order = {row: n for n, row in enumerate(variable)}
    checks: dict[int, list[Rule]] = {}
    for rule, rows_in in usable:
        var_rows = [order[r] for r in rows_in if r in order]
        if var_rows:
            checks.setdefault(max(var_rows), []).append(rule)
    used: dict[int, set[int]] = {i: set() for i in variable}
    chosen: dict[str, object] = {}
    picks: list[int] = []
    found = 0

    def holds(rule: Rule) -> bool:
        vals = [chosen.get(k, fixed.get(k)) for k in rule.keys]
        if any(v is None for v in vals):
            return True
        n = len(rule.lhs)
        return sum(vals[:n]) == sum(vals[n:])

    def rec(depth: int) -> None:
        nonlocal found
        if found >= SOLUTION_CAP:
            return
        if depth == len(variable):
            found += 1
            for row, pick in zip(variable, picks):
                used[row].add(pick)
            return
        row = variable[depth]
        cells = layout.rows[row].cells
        for n, reading in enumerate(rows[row].readings):
            for cell, part in zip(cells, reading):
                chosen[cell.key] = part.value
            if all(holds(rule) for rule in checks.get(depth, ())):
                picks.append(n)
                rec(depth + 1)
                picks.pop()
        for cell in cells:
            chosen.pop(cell.key, None)

    rec(0)
    if found == 0 or found >= SOLUTION_CAP:
        return None
    return {row: [rows[row].readings[n] for n in sorted(used[row])] for row in variable}


def solve(layout: Layout, rows: dict[int, RowReadings]) -> dict[str, CellRead]:
    """Cell values for every cell of ``layout``; ``rows`` holds the readings of matched rows."""
    narrowed = _search(layout, rows)
    out: dict[str, CellRead] = {}
    for i, row in enumerate(layout.rows):
        rr = rows.get(i)
        if rr is None:
            for cell in row.cells:
                out[cell.key] = CellRead(cell.key, None, "missing", note="row label not found in the table")
            continue
        readings = rr.readings
        note = rr.note
        if rr.mode == "exact":  # the common case: one token per cell, nothing to decide
            for cell, part in zip(row.cells, readings[0]):
                out[cell.key] = (CellRead(cell.key, None, "blank", part=part, note=f"printed as {part.raw!r}")
                                 if part.blank else CellRead(cell.key, part.value, "ok", part=part))
            continue
        if len(readings) > 1 and narrowed is not None and i in narrowed:
            readings = narrowed[i]
            note = f"{rr.note}; narrowed by the table's column rules"
        elif len(readings) > 1:
            note = f"{rr.note}; column rules do not single out one reading"
        for idx, cell in enumerate(row.cells):
            out[cell.key] = _cell(cell.key, rr, readings, idx, note)
    return out


def _cell(key: str, rr: RowReadings, readings: list[Reading], idx: int, note: str) -> CellRead:
    if not readings:
        status = "missing" if rr.mode == "none" else "ambiguous"
        why = rr.note if rr.mode == "none" else f"{rr.note}; no reading satisfies the rules"
        return CellRead(key, None, status, note=why)
    same, values = _agreeing(readings, idx)
    if not same:
        return CellRead(key, None, "ambiguous", candidates=values, note=note)
    part = readings[0][idx]
    if part.blank:
        return CellRead(key, None, "blank", part=part, note=f"printed as {part.raw!r}")
    status = _status_for(rr) if len(rr.readings) == 1 else ("repaired" if rr.mode == "drop"
                                                            else "resolved_by_constraint")
    return CellRead(key, part.value, status, part=part, note="" if status == "ok" else note)
