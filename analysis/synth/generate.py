"""``generate(seed, ...)``: one synthetic report, with the truth of what it prints.

Text layouts (``TEXT_LAYOUTS``) give ``text``. The document layouts give a page (``"html"``: ``text``
holds the HTML) or a file (``"docx"``, ``"pdf"``: ``data`` holds the bytes, ``text`` is empty); in those
only the cell-level perturbations (typos, blanks, fullwidth, thousands) show, the others belong to how
text comes out of a layout.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from functools import cached_property

from ..template import TEMPLATES, load
from .build import build_report
from .html_docx_pdf import render_docx, render_html, render_pdf
from .model import Report
from .perturb import Perturb
from .text_layouts import RENDERERS, TEXT_LAYOUTS

DOCUMENT_LAYOUTS = ("html", "docx", "pdf")
DATED_LAYOUTS = ("fused_crawler", "page_flip", "html")  # print the date the page was posted in a header


@dataclass
class SynthReport:
    text: str
    values: dict[str, int | float | None]  # every printed value cell; None where a blank marker is printed
    blank_keys: set[str]
    layout: str
    template: str
    form: str
    meta: dict  # region, parent, agency, scope, year, publication_date, template
    seed: int
    perturb: Perturb
    decimals: dict[str, int] = field(default_factory=dict)  # decimal cells: places printed
    report: Report | None = field(default=None, repr=False)
    data: bytes | None = field(default=None, repr=False)  # the file, for the docx and pdf layouts

    @cached_property
    def derived(self) -> dict[str, int]:
        """表三 group totals that the report does not print, as the sum of their sub-rows (blanks,
        which are only ever printed for zeros, count as zero)."""
        spec = load()
        layout = spec.layout("t3", self.template, self.form)
        out: dict[str, int] = {}
        for g in spec.t3_groups():
            for c in spec.t3_columns():
                key = f"t3.{g['key']}.{c['key']}"
                if key in self.values:
                    continue
                parts = [f"t3.{r.key}.{c['key']}" for r in layout.rows if r.group == g["group"]]
                out[key] = sum(self.values[k] or 0 for k in parts)
        return out

    def matches(self, key: str, got: float | None) -> bool:
        """Whether an extracted value equals the truth (decimals compared at the printed places)."""
        want = self.values[key] if key in self.values else self.derived.get(key)
        if want is None or got is None:
            return want is None and got is None
        if key in self.decimals:
            d = self.decimals[key]
            return round(float(got), d) == round(float(want), d)
        return got == want


def generate(
    seed: int, layout: str | None = None, template: str | None = None, perturb: Perturb | None = None,
    *, form: str | None = None, scope: str | None = None, place: dict | None = None, year: int | None = None,
) -> SynthReport:
    """A synthetic report from ``seed``. Unset arguments are drawn from the seed; ``perturb=None``
    draws a random mix of perturbations (``Perturb.none()`` gives a clean report)."""
    rng = random.Random(seed)
    if year is not None and template is None:
        template = "2019" if year <= load().meta["year_cutover"]["last_2019_year"] else "2021"
    template = template or rng.choice(TEMPLATES)
    layout = layout or rng.choice(TEXT_LAYOUTS)
    if layout not in RENDERERS and layout not in DOCUMENT_LAYOUTS:
        raise ValueError(f"unknown layout {layout!r}; expected one of {TEXT_LAYOUTS + DOCUMENT_LAYOUTS}")
    if perturb is None:
        perturb = Perturb.random(rng)
    report = build_report(rng, template, layout=layout, perturb=perturb, form=form, scope=scope, place=place,
                          year=year)
    data = None
    if layout == "html":
        text = render_html(report, rng)
    elif layout in DOCUMENT_LAYOUTS:
        text, data = "", (render_docx(report) if layout == "docx" else render_pdf(report))
    else:
        text = RENDERERS[layout](report, rng)
    blank = {k for k, v in report.values.items() if v is None}
    meta = report.meta.as_dict()
    if meta["publication_date"] is None and layout in DATED_LAYOUTS:
        # No date at the end of the report: the one the page header prints is the publication date.
        meta["publication_date"] = report.meta.posted
    return SynthReport(text, report.values, blank, layout, template, report.form, meta, seed, perturb,
                       report.decimals, report, data)
