"""Multi-year series printed in the report (a small table of counts by year).

Seed 001 prints 依申请公开数 and 按时答复数 for 2019–2023 once as a text table (one cell per line)
and twice more as spreadsheet residue (one row per line, tab-separated). Both layouts are read from
the raw lines: a row of consecutive years, followed by labelled rows with as many counts. The first
printing is the value; later printings are listed as duplicates, and any disagreement is reported.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from .context import Ctx
from .model import Fact

_CELL_SPLIT = re.compile(r"\t+| {2,}|\u3000+")
_NUMCELL = re.compile(r"\d{1,3}(?:,\d{3})+|\d+")


@dataclass
class Row:
    label: str
    values: list[int]
    lines: list[int]  # first line is the label's


def _cells(line: str) -> list[str]:
    return [c.strip() for c in _CELL_SPLIT.split(line.strip()) if c.strip()]


def _rows(ctx: Ctx) -> list[Row]:
    lines = ctx.src.text.split("\n")
    rows: list[Row] = []
    i = 0
    while i < len(lines):
        cells = _cells(lines[i])
        nums = [c for c in cells if _NUMCELL.fullmatch(c)]
        if len(nums) >= 3 and cells[len(cells) - len(nums):] == nums:
            # Horizontal: label cells, then only numbers.
            rows.append(Row(" ".join(cells[: len(cells) - len(nums)]), [int(n.replace(",", "")) for n in nums],
                            [i + 1]))
        elif len(cells) == 1 and not nums:
            # Vertical: a label line, then one number per line (blank lines allowed between).
            vals, vlines, j = [], [], i + 1
            while j < len(lines):
                c = _cells(lines[j])
                if not c:
                    j += 1
                    continue
                if len(c) == 1 and _NUMCELL.fullmatch(c[0]):
                    vals.append(int(c[0].replace(",", "")))
                    vlines.append(j + 1)
                    j += 1
                    continue
                break
            if len(vals) >= 3:
                rows.append(Row(cells[0], vals, [i + 1] + vlines))
                i = j
                continue
        i += 1
    return rows


def _is_years(row: Row) -> bool:
    v = row.values
    return (all(1990 <= y <= 2100 for y in v) and all(b - a == 1 for a, b in itertools.pairwise(v))
            and (not row.label or "年" in row.label))


# A history table prints at least three consecutive years; without such a run anywhere in the
# text there is nothing to find, and the line-by-line scan is skipped.
_YEAR_RUN = re.compile(r"(?:19|20)\d\d\D{1,12}(?:19|20)\d\d\D{1,12}(?:19|20)\d\d")


def history_fact(ctx: Ctx) -> Fact | None:
    if not _YEAR_RUN.search(ctx.src.text):
        return None
    rows = _rows(ctx)
    blocks: list[tuple[Row, list[Row]]] = []
    for k, row in enumerate(rows):
        if not _is_years(row):
            continue
        series = []
        for nxt in rows[k + 1:k + 8]:
            if _is_years(nxt) or nxt.lines[0] - row.lines[-1] > 80:
                break
            if nxt.label and len(nxt.values) == len(row.values):
                series.append(nxt)
        if series:
            blocks.append((row, series))
    if not blocks:
        return None
    value: dict[str, dict[int, int]] = {}
    series_lines: dict[str, list[int]] = {}
    first_row: Row | None = None
    duplicate_lines: list[int] = []
    conflicts = []
    for years, series in blocks:
        fresh = any(s.label not in value for s in series)
        if fresh:
            series_lines.setdefault(years.label or "(years)", [years.lines[0], years.lines[-1]])
        else:
            duplicate_lines.append(years.lines[0])
        for s in series:
            data = dict(zip(years.values, s.values))
            if s.label in value:
                duplicate_lines.append(s.lines[0])
                if value[s.label] != data:
                    conflicts.append({"series": s.label, "line": s.lines[0], "values": data})
                continue
            value[s.label] = data
            series_lines[s.label] = [s.lines[0], s.lines[-1]]
            first_row = first_row or s
    assert first_row is not None
    line = first_row.lines[0]
    a, _ = ctx.src.line_bounds(line)
    raw = ctx.src.line_text(line)
    start = a + raw.index(first_row.label.split(" ")[0])
    detail = {"series_lines": series_lines, "duplicate_lines": sorted(set(duplicate_lines))}
    if conflicts:
        detail["conflicts"] = conflicts
    quote = raw.strip() if len(first_row.lines) == 1 else first_row.label
    return Fact("history", value, None, None, quote, line, (start, start + len(quote)), False, detail)
