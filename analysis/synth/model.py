"""The layout-independent model of a synthetic report: metadata, prose blocks and three table grids.

A table is a grid of cells with row and column spans, built once per template and printed form from
the template (row labels, column labels, group labels) plus the few header words every national
template prints but ``templates.toml`` does not list (they carry no value). Renderers walk the grid;
what a cell prints comes from the report (``Report.text_of``), so one cached grid serves every report.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

from ..template import load
from .perturb import Perturb

# Header words of the national templates that carry no value, so the template does not list them.
T2_ARTICLE = "第二十条第{}项"
T2_CONTENT = "信息内容"
T3_CORNER = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
T3_APPLICANTS = "申请人情况"
T3_LEGAL = "法人或其他组织"
T3_OUTCOMES = "三、本年度办理结果"

# Which item of Article 20 (第二十条) each 表二 row is printed under. This is structure, not wording;
# a row not listed stays under the item of the row before it.
T2_ARTICLE_ITEM = {
    "regulations": "（一）",
    "normative_documents": "（一）",
    "licensing": "（五）",
    "other_services": "（五）",
    "penalty": "（六）",
    "coercion": "（六）",
    "fees": "（八）",
    "procurement": "（九）",
}

_TABLE_NUMERAL = {"t2": "二", "t3": "三", "t4": "四"}


def section_heading(table: str) -> str:
    """"二、主动公开政府信息情况" from the template's "表二 主动公开政府信息情况"."""
    return f"{_TABLE_NUMERAL[table]}、{load().table(table)['zh'].split(' ', 1)[1]}"


@dataclass(frozen=True, slots=True)
class GridCell:
    """One printed cell. ``ref`` is the value key for values, else the label id used for variants."""

    ref: str
    text: str  # the template's wording ("" for values)
    kind: str  # "title" (a row spanning the table), "header", "group", "label" or "value"
    row: int
    col: int
    rowspan: int = 1
    colspan: int = 1


@dataclass(frozen=True, slots=True)
class Slot:
    """A cell as a row-by-row renderer meets it: at its origin, or continued from above by a rowspan."""

    cell: GridCell
    cont: bool


@dataclass(frozen=True)
class Table:
    name: str
    n_cols: int
    rows: tuple[tuple[GridCell, ...], ...]  # origin cells of each grid row, left to right
    slots: tuple[tuple[Slot, ...], ...]  # origins and rowspan continuations, left to right
    row_keys: tuple[str | None, ...]  # the template row a grid row carries (None for header rows)
    n_header: int  # leading column-header rows (表三, 表四)
    value_refs: tuple[tuple[str, ...], ...] = ()  # value keys of each grid row, left to right
    label_cells: tuple[tuple[GridCell, ...], ...] = ()  # non-value cells of each grid row

    def __post_init__(self) -> None:
        # Precomputed because renderers ask for them for every row of every report.
        values = tuple(tuple(c.ref for c in row if c.kind == "value") for row in self.rows)
        labels = tuple(tuple(c for c in row if c.kind != "value") for row in self.rows)
        object.__setattr__(self, "value_refs", values)
        object.__setattr__(self, "label_cells", labels)

    def labels(self) -> list[GridCell]:
        return [c for row in self.rows for c in row if c.kind != "value"]


# -- grid building ---------------------------------------------------------------------------------
_Spec = tuple[str, str, str, int, int]  # ref, text, kind, rowspan, colspan


def _place(
    name: str, n_cols: int, spec_rows: list[list[_Spec]], row_keys: list[str | None], n_header: int
) -> Table:
    """Lay cells into a grid the way an HTML table does: each cell takes the next free column."""
    taken: dict[tuple[int, int], GridCell] = {}
    rows: list[tuple[GridCell, ...]] = []
    for r, specs in enumerate(spec_rows):
        c = 0
        out = []
        for ref, text, kind, rowspan, colspan in specs:
            while (r, c) in taken:
                c += 1
            cell = GridCell(ref, text, kind, r, c, rowspan, colspan)
            for dr in range(rowspan):
                for dc in range(colspan):
                    taken[(r + dr, c + dc)] = cell
            out.append(cell)
            c += colspan
        if c > n_cols:
            raise ValueError(f"{name}: row {r} is {c} columns wide, table has {n_cols}")
        rows.append(tuple(out))
    slots = []
    for r in range(len(rows)):
        row_slots = []
        for c in range(n_cols):
            cell = taken.get((r, c))
            if cell is not None and cell.col == c:
                row_slots.append(Slot(cell, cell.row != r))
        slots.append(tuple(row_slots))
    return Table(name, n_cols, tuple(rows), tuple(slots), tuple(row_keys), n_header)


@cache
def t2_table(template: str) -> Table:
    spec = load()
    layout = spec.layout("t2", template)
    columns = {r["key"]: r["cells"] for r in spec.raw["t2_rows"] if r.get("only", template) == template}
    n_cols = 1 + max(len(r.cells) for r in layout.rows)
    rows: list[list[_Spec]] = []
    keys: list[str | None] = []
    item = None
    header = None
    for row in layout.rows:
        row_item = T2_ARTICLE_ITEM.get(row.key, item)
        cols = columns[row.key]
        col_header = tuple(c["key"] for c in cols)
        if row_item != item or col_header != header:
            if row_item != item:
                rows.append([(f"t2.sec.{row_item}", T2_ARTICLE.format(row_item), "title", 1, n_cols)])
                keys.append(None)
            hdr: list[_Spec] = [("t2.hdr.content", T2_CONTENT, "header", 1, 1)]
            hdr += [(f"t2.col.{c['key']}", c["zh"], "header", 1, 1) for c in cols]
            hdr[-1] = (*hdr[-1][:4], n_cols - len(hdr) + 1)  # the last column label spans the rest
            rows.append(hdr)
            keys.append(None)
            item, header = row_item, col_header
        cells: list[_Spec] = [(f"t2.row.{row.key}", row.zh, "label", 1, 1)]
        cells += [(c.key, "", "value", 1, 1) for c in row.cells]
        cells[-1] = (*cells[-1][:4], n_cols - len(cells) + 1)
        rows.append(cells)
        keys.append(row.key)
    return _place("t2", n_cols, rows, keys, 0)


@cache
def t3_table(template: str, form: str) -> Table:
    spec = load()
    if template == "2019":
        form = "single"
    layout = spec.layout("t3", template, form)
    cols = spec.t3_columns()
    n_label, n_val = 3, len(cols)
    applicants = cols[:-1]
    rows: list[list[_Spec]] = [
        [("t3.hdr.corner", T3_CORNER, "header", 3, n_label),
         ("t3.hdr.applicants", T3_APPLICANTS, "header", 1, n_val)],
        [(f"t3.col.{applicants[0]['key']}", applicants[0]["zh"], "header", 2, 1),
         ("t3.hdr.legal", T3_LEGAL, "header", 1, len(applicants) - 1),
         (f"t3.col.{cols[-1]['key']}", cols[-1]["zh"], "header", 2, 1)],
        [(f"t3.col.{c['key']}", c["zh"], "header", 1, 1) for c in applicants[1:]],
    ]
    keys: list[str | None] = [None, None, None]
    group_zh = {g["group"]: g["zh"] for g in spec.t3_groups()}
    size: dict[str, int] = {}
    for r in layout.rows:
        if r.group:
            size[r.group] = size.get(r.group, 0) + 1
    # The outcome block runs from the first grouped row through (七)总计, under 三、本年度办理结果.
    first = next(i for i, r in enumerate(layout.rows) if r.group)
    last = next(i for i, r in enumerate(layout.rows) if r.key == "total_processed")
    seen: set[str] = set()
    for i, r in enumerate(layout.rows):
        cells: list[_Spec] = []
        if i == first:
            cells.append(("t3.hdr.outcomes", T3_OUTCOMES, "group", last - first + 1, 1))
        if first <= i <= last:
            if r.group and size[r.group] > 1:
                if r.group not in seen:
                    cells.append((f"t3.grp.{r.group}", group_zh[r.group], "group", size[r.group], 1))
                cells.append((f"t3.row.{r.key}", r.zh, "label", 1, 1))
            else:
                cells.append((f"t3.row.{r.key}", r.zh, "label", 1, 2))
            if r.group:
                seen.add(r.group)
        else:
            cells.append((f"t3.row.{r.key}", r.zh, "label", 1, n_label))
        cells += [(c.key, "", "value", 1, 1) for c in r.cells]
        rows.append(cells)
        keys.append(r.key)
    return _place("t3", n_label + n_val, rows, keys, 3)


@cache
def t4_table() -> Table:
    spec = load()
    groups = spec.raw["t4_groups"]
    cols = spec.raw["t4_columns"]
    n = len(cols)
    top: list[list] = []  # [top label, colspan]
    for g in groups:
        head = g["zh"].split("：")[0]
        if top and top[-1][0] == head:
            top[-1][1] += n
        else:
            top.append([head, n])
    r0: list[_Spec] = [(f"t4.top.{i}", h, "header", 1, span) for i, (h, span) in enumerate(top)]
    r1: list[_Spec] = []
    r2: list[_Spec] = []
    for g in groups:
        parts = g["zh"].split("：")
        if len(parts) == 1:  # 行政复议: column labels span the sub-header row
            r1 += [(f"t4.col.{c['key']}", c["zh"], "header", 2, 1) for c in cols]
        else:
            r1.append((f"t4.grp.{g['key']}", parts[1], "header", 1, n))
            r2 += [(f"t4.col.{c['key']}", c["zh"], "header", 1, 1) for c in cols]
    values: list[_Spec] = [(f"t4.{g['key']}.{c['key']}", "", "value", 1, 1) for g in groups for c in cols]
    return _place("t4", n * len(groups), [r0, r1, r2, values], [None, None, None, "all"], 3)


# -- the report --------------------------------------------------------------------------------------
@dataclass
class Meta:
    region: str  # the county-level place ("某某县"); for a department or township, the place it sits in
    parent: str  # the prefecture the region belongs to
    province: str
    agency: str  # the publishing body's full name
    scope: str  # government / office / department / township
    year: int  # statistics year
    publication_date: str | None  # ISO date printed at the end; None when the report prints none
    template: str
    posted: str = ""  # ISO date the page went online (crawler and viewer headers print it)

    def as_dict(self) -> dict:
        return {
            "region": self.region,
            "parent": self.parent,
            "agency": self.agency,
            "scope": self.scope,
            "year": self.year,
            "publication_date": self.publication_date,
            "template": self.template,
        }


@dataclass
class Report:
    """Everything a renderer needs. ``blocks`` is the document in order: (kind, text) with kind one of
    title, para, heading, subheading, table (text = table name), signature."""

    meta: Meta
    form: str
    title: str
    blocks: list[tuple[str, str]]
    tables: dict[str, Table]
    printed: dict[str, str]  # value key -> printed text (a number, or a blank marker)
    values: dict[str, int | float | None]  # value key -> truth (None where a blank marker is printed)
    decimals: dict[str, int]  # decimal cells: places printed
    labels: dict[str, str] = field(default_factory=dict)  # label id -> printed variant (typos)
    perturb: Perturb = field(default_factory=Perturb)  # what the renderers may damage
    _texts: dict[str, list[list[str]]] = field(default_factory=dict, repr=False)

    def text_of(self, cell: GridCell) -> str:
        if cell.kind == "value":
            return self.printed[cell.ref]
        return self.labels.get(cell.ref, cell.text)

    def cell_texts(self, table: str) -> list[list[str]]:
        """What each origin cell of a table prints, row by row (cached: renderers ask often)."""
        out = self._texts.get(table)
        if out is None:
            printed, labels = self.printed, self.labels
            out = [[printed[c.ref] if c.kind == "value" else labels.get(c.ref, c.text) for c in row]
                   for row in self.tables[table].rows]
            self._texts[table] = out
        return out

    def heading(self, table: str) -> str:
        return self.labels.get(f"sec.{table}", section_heading(table))

    def row_labels(self, table: str) -> list[str]:
        """The printed label of every template row of a table (what a reader must find)."""
        t = self.tables[table]
        return [self.text_of(c) for row in t.rows for c in row if c.kind == "label"]
