"""The national report templates, loaded from ``templates.toml``.

The TOML file is the single place where tables, rows, columns, keys, labels and arithmetic rules
are declared. This module only turns it into small immutable objects and expands the rules into
concrete cell keys for one template and one printed form of 表三.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

TEMPLATES = ("2019", "2021")
T3_FORMS = ("split", "single")


@dataclass(frozen=True)
class Cell:
    key: str  # full canonical key, e.g. "t3.granted.total"
    zh: str
    en: str
    unit: str = "requests"
    signed: bool = False
    decimal: bool = False


@dataclass(frozen=True)
class Row:
    """One printed row: its labels (for matching) and the cells it carries, in printed order."""

    table: str
    key: str
    zh: str
    en: str
    cells: tuple[Cell, ...]
    aliases: tuple[str, ...] = ()
    ordinal: int | None = None
    group: str | None = None


@dataclass(frozen=True)
class Rule:
    """``sum(lhs) == sum(rhs)`` over concrete cell keys."""

    id: str
    table: str
    where: str  # the column, row or group the rule was expanded for
    lhs: tuple[str, ...]
    rhs: tuple[str, ...]
    en: str

    @property
    def keys(self) -> tuple[str, ...]:
        return self.lhs + self.rhs


@dataclass(frozen=True)
class Layout:
    """What one template prints for one table: rows in order and the rules that bind them."""

    table: str
    template: str
    form: str
    rows: tuple[Row, ...]
    rules: tuple[Rule, ...]

    @property
    def cells(self) -> tuple[Cell, ...]:
        return tuple(c for r in self.rows for c in r.cells)


@dataclass(frozen=True, eq=False)  # hashed by identity: one Spec per process
class Spec:
    raw: dict = field(repr=False)

    @property
    def meta(self) -> dict:
        return self.raw["meta"]

    def table(self, name: str) -> dict:
        return self.raw["tables"][name]

    # -- 表三 ---------------------------------------------------------------------------------
    def t3_columns(self) -> list[dict]:
        return self.raw["t3_columns"]

    def t3_groups(self) -> list[dict]:
        return self.raw["t3_groups"]

    def t3_forms(self, template: str) -> tuple[str, ...]:
        """2019 reports only print (六)其他处理 as one row; 2021 reports may print either."""
        return ("single",) if template == "2019" else T3_FORMS

    def t3_row_defs(self, template: str, form: str) -> list[dict]:
        rows = []
        for r in self.raw["t3_rows"]:
            if r.get("only", template) != template:
                continue
            if r.get("form", form) != form:
                continue
            rows.append(r)
        return rows

    # -- layouts ---------------------------------------------------------------------------------
    def layout(self, table: str, template: str, form: str = "split") -> Layout:
        return _layout(self, table, template, form)


def _t3_rows(spec: Spec, template: str, form: str) -> tuple[Row, ...]:
    cols = spec.t3_columns()
    rows = []
    for r in spec.t3_row_defs(template, form):
        cells = tuple(
            Cell(f"t3.{r['key']}.{c['key']}", f"{r['zh']} / {c['zh']}", f"{r['en']} / {c['en']}")
            for c in cols
        )
        rows.append(
            Row("t3", r["key"], r["zh"], r["en"], cells, tuple(r.get("aliases", ())), r.get("ordinal"),
                r.get("group"))
        )
    return tuple(rows)


def _t4_rows(spec: Spec) -> tuple[Row, ...]:
    cells = tuple(
        Cell(f"t4.{g['key']}.{c['key']}", f"{g['zh']} / {c['zh']}", f"{g['en']} / {c['en']}", unit="cases")
        for g in spec.raw["t4_groups"]
        for c in spec.raw["t4_columns"]
    )
    # 表四 prints all fifteen numbers on one row under a two-level header.
    return (Row("t4", "all", "行政复议、行政诉讼", "Reconsideration and litigation", cells),)


def _t2_rows(spec: Spec, template: str) -> tuple[Row, ...]:
    rows = []
    for r in spec.raw["t2_rows"]:
        if r.get("only", template) != template:
            continue
        cells = tuple(
            Cell(f"t2.{r['key']}.{c['key']}", f"{r['zh']} / {c['zh']}", f"{r['en']} / {c['en']}",
                 unit=c.get("unit", ""), signed=c.get("signed", False), decimal=c.get("decimal", False))
            for c in r["cells"]
        )
        rows.append(Row("t2", r["key"], r["zh"], r["en"], cells, tuple(r.get("aliases", ()))))
    return tuple(rows)


def _expand_rules(spec: Spec, table: str, rows: tuple[Row, ...]) -> tuple[Rule, ...]:
    present = {c.key for r in rows for c in r.cells}
    groups: dict[str, list[str]] = {}
    for r in rows:
        if r.group:
            groups.setdefault(r.group, []).append(r.key)

    def t3_terms(names: list[str]) -> list[str]:
        out: list[str] = []
        for n in names:
            out.extend(groups.get(n[1:], []) if n.startswith("@") else [n])
        return out

    rules: list[Rule] = []
    for rd in spec.raw["rules"]:
        if rd["table"] != table:
            continue
        expansions: list[tuple[str, list[str], list[str]]] = []
        if rd.get("per_column"):
            for c in spec.t3_columns():
                lhs = [f"t3.{n}.{c['key']}" for n in t3_terms(rd["lhs"])]
                rhs = [f"t3.{n}.{c['key']}" for n in t3_terms(rd["rhs"])]
                expansions.append((c["key"], lhs, rhs))
        elif rd.get("per_row"):
            for r in rows:
                expansions.append((r.key, [f"t3.{r.key}.{n}" for n in rd["lhs"]],
                                   [f"t3.{r.key}.{n}" for n in rd["rhs"]]))
        elif rd.get("per_group"):
            for g in spec.raw["t4_groups"]:
                expansions.append((g["key"], [f"t4.{g['key']}.{n}" for n in rd["lhs"]],
                                   [f"t4.{g['key']}.{n}" for n in rd["rhs"]]))
        for where, lhs, rhs in expansions:
            if all(k in present for k in lhs + rhs):
                rules.append(Rule(rd["id"], table, where, tuple(lhs), tuple(rhs), rd["en"]))
    return tuple(rules)


@cache
def _layout(spec: Spec, table: str, template: str, form: str) -> Layout:
    if template not in TEMPLATES:
        raise ValueError(f"unknown template {template!r}; expected one of {TEMPLATES}")
    if table == "t3":
        rows = _t3_rows(spec, template, form)
    elif table == "t4":
        rows = _t4_rows(spec)
    elif table == "t2":
        rows = _t2_rows(spec, template)
    else:
        raise ValueError(f"unknown table {table!r}")
    return Layout(table, template, form, rows, _expand_rules(spec, table, rows))


@cache
def load() -> Spec:
    """The parsed template specification (cached: it is read once per process)."""
    text = resources.files(__package__).joinpath("templates.toml").read_text(encoding="utf-8")
    return Spec(tomllib.loads(text))


def all_keys(template: str) -> list[str]:
    """Every canonical key a report of this template can carry, derived group totals included."""
    spec = load()
    keys: list[str] = []
    for table in ("t2", "t3", "t4"):
        forms = ("split",) if table != "t3" or template == "2021" else ("single",)
        for form in forms:
            keys.extend(c.key for c in spec.layout(table, template, form).cells)
    for g in spec.t3_groups():
        for c in spec.t3_columns():
            k = f"t3.{g['key']}.{c['key']}"
            if k not in keys:
                keys.append(k)
    return keys
