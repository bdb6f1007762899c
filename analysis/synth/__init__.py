"""Synthetic 政府信息公开工作年度报告 with known values, for round-trip tests of the extractor.

    from analysis.synth import Perturb, generate
    rep = generate(7, layout="tab_grid", template="2021", perturb=Perturb.none())
    rep.text      # the report as text
    rep.values    # the truth: every printed cell (None where "/", "—" or "无" is printed)
    rep.meta      # region, parent, agency, scope, year, publication_date, template

Pieces: ``values`` (random values consistent with the template's rules), ``model`` (tables as grids
with merged cells, built from the template), ``build`` (metadata, prose and what each cell prints),
``text_layouts`` (the text renderers), ``html_docx_pdf`` (HTML, DOCX and PDF from the same model).
"""

from .build import build_report
from .generate import DOCUMENT_LAYOUTS, SynthReport, generate
from .html_docx_pdf import render_docx, render_html, render_pdf
from .model import Meta, Report
from .perturb import BLANK_MARKERS, LABEL_VARIANTS, Perturb
from .text_layouts import FUSED_LAYOUTS, RENDERERS, TEXT_LAYOUTS
from .values import SCALES, random_values

__all__ = [
    "BLANK_MARKERS",
    "DOCUMENT_LAYOUTS",
    "FUSED_LAYOUTS",
    "LABEL_VARIANTS",
    "RENDERERS",
    "SCALES",
    "TEXT_LAYOUTS",
    "Meta",
    "Perturb",
    "Report",
    "SynthReport",
    "build_report",
    "generate",
    "random_values",
    "render_docx",
    "render_html",
    "render_pdf",
]
