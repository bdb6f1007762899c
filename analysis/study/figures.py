"""Citable exhibits: every figure and table has a stable id, a caption, a source line, traceable numbers,
and its data in a registry that the renderer writes as ``reports/figures.csv``.

* **Ids** are ``<region>-<year>-<number>`` (``东阿县-2023-F3``), the number fixed per exhibit in
  ``indicators.toml`` so that an id means the same chart in every render, even when another section is
  empty for some region.
* **Traceable numbers**: each table row carries refs (see :mod:`analysis.study.data`); every number in the
  row has an HTML ``title`` hover naming its sources, and a footnote marker pointing to the full source
  lines under the table. Every string that comes from a document (titles, labels, quotes) is passed
  through :func:`html.escape` before it is embedded.
* **Registry**: every exhibit's data, one row per cell (figure id, row, column, value, sources), kept in
  this process until :func:`reset`. The renderer runs many regions in one kernel: the region report calls
  :func:`reset` first, and :func:`registry` returns what the current report registered.
"""

from __future__ import annotations

import base64
import html
import io
import math
import re
import unicodedata
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .indicators import FigureSpec, figure_spec

REGISTRY_COLUMNS = ["figure_id", "kind", "number", "region", "year", "title", "row", "column", "value",
                    "sources"]
EXHIBIT_COLUMNS = ["figure_id", "kind", "number", "region", "year", "title", "caption", "source"]

_REGISTRY: list[dict] = []
_EXHIBITS: list[str] = []
_META: dict[str, dict] = {}

DERIVED_MARK = "†"
_HAS_DIGIT = re.compile(r"\d")


def reset() -> None:
    """Forget every registered exhibit (call at the start of each report in a reused kernel)."""
    _REGISTRY.clear()
    _EXHIBITS.clear()
    _META.clear()


def registry() -> pd.DataFrame:
    """Every registered exhibit's data, one row per cell: the content of ``figures.csv``.

    ``sources`` lists the cell's row sources compactly (``file:line key``, ``[derived]`` for values not
    printed). Row -1 of each exhibit holds its ``caption`` and full ``source`` line (columns of that name);
    :func:`exhibits` has the same as one row per exhibit.
    """
    return pd.DataFrame(_REGISTRY, columns=REGISTRY_COLUMNS)


def exhibits() -> pd.DataFrame:
    """One row per registered exhibit: id, kind, title, caption and its full source line."""
    return pd.DataFrame([_META[f] for f in _EXHIBITS], columns=EXHIBIT_COLUMNS)


def exhibit_ids() -> list[str]:
    return list(_EXHIBITS)


def slug(name: str) -> str:
    """A file-name-safe slug that keeps CJK letters: ``东阿县`` → ``东阿县``, ``a/b c`` → ``a-b-c``.

    Falls back to ``region-<crc32>`` when nothing printable is left; the renderer may use its own slug and
    pass a full path instead (``figures_out`` ending in ``.csv``).
    """
    s = unicodedata.normalize("NFKC", str(name)).strip()
    s = re.sub(r"[^\w\-]+", "-", s, flags=re.UNICODE).strip("-_.")
    return s or f"region-{zlib.crc32(str(name).encode('utf-8')):08x}"


def write_registry(out: str | Path, name: str) -> Path:
    """Write :func:`registry` as CSV: to ``out`` if it ends in ``.csv``, else ``out/figures-<slug>.csv``."""
    out = Path(out)
    path = out if out.suffix == ".csv" else out / f"figures-{slug(name)}.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    registry().to_csv(path, index=False, encoding="utf-8")
    return path


def figure_id(prefix: str, year: int | None, number: str) -> str:
    return f"{prefix}-{year}-{number}" if year is not None else f"{prefix}-{number}"


# ------------------------------------------------------------------------------------------------ HTML

def esc(x: object) -> str:
    return html.escape("" if x is None else str(x), quote=True)


def _cell_value(v: object) -> object:
    if isinstance(v, float) and math.isnan(v):
        return ""
    if isinstance(v, (tuple, list)):
        return "; ".join(map(str, v))
    return v


@dataclass
class Exhibit:
    """A rendered figure or table with its id, caption and sources; displays itself in Jupyter."""

    id: str
    spec: FigureSpec
    lang: str
    html: str
    data: pd.DataFrame
    source: str
    notes: list[str] = field(default_factory=list)

    @property
    def title(self) -> str:
        return self.spec.title(self.lang)

    @property
    def caption(self) -> str:
        return self.spec.caption(self.lang)

    def _repr_html_(self) -> str:
        return self.html

    def __repr__(self) -> str:  # the text/plain output: short and free of memory addresses
        return f"{self.id}: {self.title}"


@dataclass
class Block:
    """Several exhibits and paragraphs shown as one cell output."""

    parts: list = field(default_factory=list)

    def add(self, part) -> Block:
        self.parts.append(part)
        return self

    def __repr__(self) -> str:
        ids = [p.id for p in self.parts if isinstance(p, Exhibit)]
        return "Block(" + ", ".join(ids) + ")"

    def _repr_html_(self) -> str:
        out = []
        for p in self.parts:
            out.append(p._repr_html_() if hasattr(p, "_repr_html_") else f"<p>{esc(p)}</p>")
        return "\n".join(out)


def paragraph(text: str, cls: str = "ogi-text") -> str:
    return f'<p class="{cls}">{esc(text)}</p>'


class Notes:
    """Footnotes of one exhibit: each distinct source line gets one number."""

    def __init__(self, fid: str, describe: Callable[[str], str]):
        self.fid = fid
        self.describe = describe
        self.order: list[str] = []
        self.by_text: dict[str, int] = {}

    def mark(self, refs: Sequence[str]) -> tuple[list[int], str]:
        nums = []
        for ref in refs:
            if not ref:
                continue
            text = self.describe(ref)
            if text not in self.by_text:
                self.order.append(text)
                self.by_text[text] = len(self.order)
            n = self.by_text[text]
            if n not in nums:
                nums.append(n)
        return nums, "\n".join(self.order[n - 1] for n in nums)

    def markers(self, nums: list[int]) -> str:
        return "".join(f'<sup><a href="#{esc(self.fid)}-n{n}">[{n}]</a></sup>' for n in nums)

    def html(self) -> str:
        if not self.order:
            return ""
        items = "".join(f'<li id="{esc(self.fid)}-n{i}">{esc(t)}</li>' for i, t in enumerate(self.order, 1))
        return f'<ol class="ogi-notes">{items}</ol>'


def table_html(fid: str, display: pd.DataFrame, refs: Sequence[Sequence[str]] | None,
               describe: Callable[[str], str], lang: str, label_cols: int = 1) -> tuple[str, Notes]:
    """An HTML table whose numbers carry hovers and footnote markers for the row's sources."""
    notes = Notes(fid, describe)
    head = "".join(f"<th>{esc(c)}</th>" for c in display.columns)
    src_head = "出处" if lang == "zh" else "Source"
    if refs is not None:
        head += f"<th>{esc(src_head)}</th>"
    body = []
    for i, row in enumerate(display.itertuples(index=False)):
        nums, hover = notes.mark(refs[i]) if refs is not None else ([], "")
        tds = []
        for j, v in enumerate(row):
            v = _cell_value(v)
            if j >= label_cols and hover and _HAS_DIGIT.search(str(v)):
                tds.append(f'<td title="{esc(hover)}">{esc(v)}</td>')
            else:
                tds.append(f"<td>{esc(v)}</td>")
        if refs is not None:
            tds.append(f"<td>{notes.markers(nums)}</td>")
        body.append("<tr>" + "".join(tds) + "</tr>")
    html_ = f'<table class="ogi-table"><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>'
    return html_, notes


def _register(fid: str, spec: FigureSpec, lang: str, region: str, year: int | None, data: pd.DataFrame,
              refs: Sequence[Sequence[str]] | None, short: Callable[[str], str], source: str) -> None:
    if fid in _EXHIBITS:
        # Same id twice in one report would make citations ambiguous: drop the old rows, keep the latest.
        _REGISTRY[:] = [r for r in _REGISTRY if r["figure_id"] != fid]
    else:
        _EXHIBITS.append(fid)
    base = {"figure_id": fid, "kind": spec.kind, "number": spec.number, "region": region, "year": year,
            "title": spec.title(lang)}
    _META[fid] = dict(base, caption=spec.caption(lang), source=source)
    # Row -1 carries the exhibit's caption and full source line, so figures.csv alone is citable.
    _REGISTRY.append(dict(base, row=-1, column="caption", value=spec.caption(lang), sources=""))
    _REGISTRY.append(dict(base, row=-1, column="source", value=source, sources=""))
    for i, row in enumerate(data.to_dict("records")):
        srcs = "; ".join(dict.fromkeys(short(r) for r in refs[i] if r)) if refs is not None and i < len(refs) else ""
        for col, v in row.items():
            if col == "refs":
                continue
            _REGISTRY.append(dict(base, row=i, column=str(col), value=_cell_value(v), sources=srcs))


def _frame(fid: str, spec: FigureSpec, lang: str, inner: str, source: str, notes_html: str,
           extra: Sequence[str] = ()) -> str:
    title = f'<span class="ogi-id">{esc(fid)}</span> {esc(spec.title(lang))}'
    src_label = "来源" if lang == "zh" else "Source"
    extra_html = "".join(f'<p class="ogi-note">{esc(x)}</p>' for x in extra if x)
    tag = "figure" if spec.kind == "figure" else "div"
    return (f'<{tag} class="ogi-exhibit ogi-{spec.kind}" id="{esc(fid)}">'
            f'<p class="ogi-title"><b>{title}</b></p>{inner}'
            f'<p class="ogi-caption">{esc(spec.caption(lang))}</p>{extra_html}'
            f'<p class="ogi-source"><b>{esc(src_label)}</b>: {esc(source)}</p>{notes_html}</{tag}>')


def make_table(number: str, prefix: str, year: int | None, lang: str, display: pd.DataFrame,
               data: pd.DataFrame, refs: Sequence[Sequence[str]] | None, describe: Callable[[str], str],
               source: str, region: str, notes: Sequence[str] = (), label_cols: int = 1,
               short: Callable[[str], str] | None = None) -> Exhibit:
    """A numbered table: HTML with hovers and footnotes, registered with its data."""
    spec = figure_spec(number)
    fid = figure_id(prefix, year, number)
    inner, fn = table_html(fid, display, refs, describe, lang, label_cols)
    html_ = _frame(fid, spec, lang, inner, source, fn.html(), notes)
    _register(fid, spec, lang, region, year, data, refs, short or describe, source)
    return Exhibit(fid, spec, lang, html_, data, source, list(notes))


def png_bytes(fig) -> bytes:
    """PNG without the software/date metadata, so the same figure gives the same bytes."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=100, metadata={"Software": None})
    return buf.getvalue()


def make_figure(number: str, prefix: str, year: int | None, lang: str, fig, data: pd.DataFrame,
                refs: Sequence[Sequence[str]] | None, describe: Callable[[str], str], source: str,
                region: str, notes: Sequence[str] = (), short: Callable[[str], str] | None = None) -> Exhibit:
    """A numbered figure: the PNG inline, caption, source, and its data (with hovers) under a fold."""
    import matplotlib.pyplot as plt

    spec = figure_spec(number)
    fid = figure_id(prefix, year, number)
    png = base64.b64encode(png_bytes(fig)).decode("ascii")
    plt.close(fig)
    display = data.drop(columns=[c for c in ("refs",) if c in data.columns])
    inner_table, fn = table_html(fid, display, refs, describe, lang)
    csv = base64.b64encode(display.to_csv(index=False).encode("utf-8-sig")).decode("ascii")
    data_label = "数据" if lang == "zh" else "Data"
    dl = "下载CSV" if lang == "zh" else "Download CSV"
    inner = (f'<img alt="{esc(fid)} {esc(spec.title(lang))}" src="data:image/png;base64,{png}"/>'
             f'<details><summary>{esc(data_label)}</summary>{inner_table}'
             f'<p><a download="{esc(fid)}.csv" href="data:text/csv;base64,{csv}">{esc(dl)}</a></p></details>')
    html_ = _frame(fid, spec, lang, inner, source, fn.html(), notes)
    _register(fid, spec, lang, region, year, data, refs, short or describe, source)
    return Exhibit(fid, spec, lang, html_, data, source, list(notes))


STYLE = """<style>
.ogi-exhibit{border-top:1px solid #ccc;margin:1.2em 0;padding-top:.4em}
.ogi-id{font-family:monospace;background:#eef;padding:0 .3em}
.ogi-table{border-collapse:collapse;font-size:90%}
.ogi-table th,.ogi-table td{border:1px solid #ddd;padding:2px 6px;text-align:left}
.ogi-table td[title]{text-decoration:underline dotted;cursor:help}
.ogi-caption,.ogi-source,.ogi-note{font-size:88%;color:#333;margin:.2em 0}
.ogi-notes{font-size:80%;color:#555}
.ogi-exhibit img{max-width:100%}
</style>"""
