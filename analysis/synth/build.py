"""Build a report model: metadata, values, what each cell prints (with perturbations), and prose."""

from __future__ import annotations

import dataclasses
import datetime
import random
from functools import cache

from ..template import load
from .model import GridCell, Meta, Report, Table, section_heading, t2_table, t3_table, t4_table
from .perturb import BLANK_MARKERS, LABEL_VARIANTS, Perturb, digit_adjacent, fullwidth
from .prose import intro, other_matters, overview, problems, random_meta, signature, t3_note, title_of
from .values import random_values


@cache
def _special_cells(template: str, form: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(signed keys, decimal keys) among the printed cells."""
    cells = [c for t in ("t2", "t3", "t4") for c in load().layout(t, template, form).cells]
    return tuple(c.key for c in cells if c.signed), tuple(c.key for c in cells if c.decimal)


def fmt_decimal(v: float) -> str:
    """The printed digits of a decimal cell: the shortest string that reads back as the same float."""
    if v == int(v):
        return str(int(v))
    s = repr(v)
    if "e" in s:  # not produced by random_values, but never print an exponent
        s = f"{v:.6f}".rstrip("0")
    return s


def _thousands(s: str) -> str:
    sign = s[0] if s[:1] in "+-" else ""
    body = s[len(sign):]
    whole, dot, frac = body.partition(".")
    return f"{sign}{int(whole):,}{dot}{frac}"


def print_plan(
    rng: random.Random, values: dict[str, int | float], template: str, form: str, perturb: Perturb,
    tables: dict[str, Table],
) -> tuple[dict[str, str], dict[str, int | float | None], dict[str, int]]:
    """(printed text per key, truth per key, printed decimals of decimal cells)."""
    signed, decimal = _special_cells(template, form)
    truth: dict[str, int | float | None] = dict(values)
    printed = dict(zip(values, map(str, values.values()), strict=True))
    decimals: dict[str, int] = {}
    plus = rng.random() < 0.6  # "+17" rather than "17" for a positive change
    for k in signed:
        if plus and values[k] > 0:
            printed[k] = f"+{values[k]}"
    for k in decimal:
        printed[k] = fmt_decimal(float(values[k]))
        decimals[k] = len(printed[k].partition(".")[2])
    if perturb.thousands:
        for k, v in values.items():
            if abs(v) >= 1000 and rng.random() < 0.8:
                printed[k] = _thousands(printed[k])
    blank: list[str] = []
    if perturb.blanks:
        # Only zeros are blanked: a printed "/" means "nothing to report" and keeps every sum intact.
        t2 = tables["t2"]
        zero_rows = [k for k in t2.row_keys if k and all(values[c.ref] == 0 for c in _value_cells(t2, k))]
        if zero_rows and rng.random() < 0.6:
            blank += [c.ref for c in _value_cells(t2, rng.choice(zero_rows))]
        zeros = [k for k, v in values.items() if v == 0 and k not in blank]
        blank += rng.sample(zeros, min(len(zeros), rng.randint(1, 4)))
        marker = rng.choice(BLANK_MARKERS)
        for k in blank:
            truth[k] = None
            printed[k] = marker
            decimals.pop(k, None)
    if perturb.fullwidth:
        skip = set(blank).union(decimal)
        ints = [k for k in values if k not in skip]
        for k in rng.sample(ints, min(len(ints), rng.randint(1, 4))):
            printed[k] = fullwidth(printed[k])
    return printed, truth, decimals


def _value_cells(t: Table, row_key: str) -> list[GridCell]:
    i = t.row_keys.index(row_key)
    return [c for c in t.rows[i] if c.kind == "value"]


def _typos(rng: random.Random, tables: dict[str, Table], fused: bool) -> dict[str, str]:
    canonical = {c.ref: c.text for t in tables.values() for c in t.labels()}
    canonical.update({f"sec.{t}": section_heading(t) for t in tables})
    refs = [r for r in LABEL_VARIANTS if r in canonical]
    labels: dict[str, str] = {}
    for ref in rng.sample(refs, min(len(refs), rng.randint(1, 3))):
        opts = [v for v in LABEL_VARIANTS[ref]
                if v != canonical[ref] and not (fused and digit_adjacent(v, canonical[ref]))]
        if opts:
            labels[ref] = rng.choice(opts)
    return labels


def _placed(meta: Meta, place: dict, year: int | None) -> Meta:
    """The same agency in every year of a corpus: place fields and the year replace the drawn ones,
    with the signing and posting dates moved to the year after the statistics year."""
    fields = {k: place[k] for k in ("region", "parent", "province", "agency", "scope") if k in place}
    if year is not None and year != meta.year:
        shift = (year - meta.year) * 365 + (year + 1) // 4 - (meta.year + 1) // 4
        move = lambda d: d and (datetime.date.fromisoformat(d) + datetime.timedelta(days=shift)).isoformat()
        fields.update(year=year, publication_date=move(meta.publication_date), posted=move(meta.posted))
    return dataclasses.replace(meta, **fields)


def build_report(rng: random.Random, template: str, *, layout: str = "", perturb: Perturb | None = None,
                 form: str | None = None, scope: str | None = None, place: dict | None = None,
                 year: int | None = None) -> Report:
    """A complete report model from ``rng``. ``layout`` only matters for the typos a layout cannot show
    (a digit glued before a label would fuse into the previous row's values in crawler text)."""
    perturb = perturb or Perturb.none()
    if template == "2019":
        form = "single"
    elif form is None:
        form = "split" if rng.random() < 0.85 else "single"
    meta, scale = random_meta(rng, template, scope)
    if place or year:
        meta = _placed(meta, place or {}, year)
    values = random_values(rng, template, form, scale)
    tables = {"t2": t2_table(template), "t3": t3_table(template, form), "t4": t4_table()}
    printed, truth, decimals = print_plan(rng, values, template, form, perturb, tables)
    labels = _typos(rng, tables, layout == "fused_crawler") if perturb.typos else {}
    report = Report(meta, form, title_of(rng, meta), [], tables, printed, truth, decimals, labels, perturb)
    blocks: list[tuple[str, str]] = [("title", report.title)]
    blocks += [("para", p) for p in intro(rng, meta)]
    blocks += overview(rng, meta, values)
    for t in ("t2", "t3", "t4"):
        blocks.append(("heading", report.heading(t)))
        blocks.append(("table", t))
        if t == "t3" and perturb.stray_cells and rng.random() < 0.5:
            note = t3_note(values)
            if note:
                blocks.append(("para", note))
    blocks += problems(rng, meta)
    blocks += other_matters(rng, meta)
    blocks += signature(meta)
    report.blocks = blocks
    return report
