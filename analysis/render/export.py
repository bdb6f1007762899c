"""HTML output: the nbconvert configuration shared by the fast and naive paths, the error page, the index.

Reports are exported with nbconvert's ``HTMLExporter`` and the ``ogi`` template (``templates/ogi``: the
cells of the ``basic`` template in a small self-contained page). No code is shown: inputs and prompts are
excluded, and ``TagRemovePreprocessor`` removes the cells tagged ``parameters``, ``injected-parameters``
or ``remove-cell`` entirely, the inputs of ``remove-input`` cells and the outputs of ``remove-output``
cells. The same settings are written to a JSON config file for the ``jupyter nbconvert`` command line.
"""

from __future__ import annotations

import copy
import html
import json
import math
import re
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parent / "templates"
TEMPLATE_NAME = "ogi"

EXPORT_CONFIG: dict = {
    "TemplateExporter": {
        "exclude_input": True,
        "exclude_input_prompt": True,
        "exclude_output_prompt": True,
        "extra_template_basedirs": [str(TEMPLATES)],
    },
    "HTMLExporter": {"template_name": TEMPLATE_NAME},
    "TagRemovePreprocessor": {
        "enabled": True,
        "remove_cell_tags": ["parameters", "injected-parameters", "remove-cell"],
        "remove_input_tags": ["remove-input"],
        "remove_all_outputs_tags": ["remove-output"],
    },
}


def export_config() -> dict:
    return copy.deepcopy(EXPORT_CONFIG)


def make_exporter():
    """A configured ``HTMLExporter``; build one per worker and reuse it for every region."""
    from nbconvert import HTMLExporter
    from traitlets.config import Config

    return HTMLExporter(config=Config(export_config()))


def write_cli_config(path: str | Path) -> Path:
    """The same configuration as a JSON file for ``jupyter nbconvert --config``."""
    path = Path(path)
    path.write_text(json.dumps(export_config(), indent=1), encoding="utf-8")
    return path


def export_html(exporter, nb, name: str) -> str:
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": name}})
    return body


_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def strip_ansi(text: str) -> str:
    return _ANSI.sub("", text)


_PAGE = """<!DOCTYPE html>
<html lang="zh-Hans">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>{title}</title>
<style>
body{{margin:0;font-family:"Noto Sans CJK SC","Noto Sans SC","PingFang SC","Microsoft YaHei",system-ui,sans-serif;
line-height:1.5;color:#1b1f24}}
main{{max-width:72rem;margin:0 auto;padding:1.5rem 1rem 4rem}}
table{{border-collapse:collapse;font-size:.92em}}
th,td{{border:1px solid #d0d7de;padding:.3em .6em;text-align:left;vertical-align:top}}
th{{background:#f6f8fa}} td.num{{text-align:right}}
.failed{{color:#b3261e}} pre{{white-space:pre-wrap;background:#fff5f5;padding:.75em;border-radius:4px}}
small{{color:#57606a}}
</style>
</head>
<body>
<main>
{body}
</main>
</body>
</html>
"""


def esc(value) -> str:
    """Escape anything for HTML text and attribute values."""
    if value is None:
        return ""
    return html.escape(str(value), quote=True)


def error_page(region: str, error: str, traceback: str, params: dict | None = None) -> str:
    """The page written instead of a report when a region fails: everything escaped."""
    body = [
        f"<h1>{esc(region)}</h1>",
        "<p class=\"failed\"><strong>This report could not be rendered. 本报告生成失败。</strong></p>",
        f"<p>Error: <code>{esc(error)}</code></p>",
    ]
    if params:
        body.append(f"<p><small>Parameters: <code>{esc(json.dumps(params, ensure_ascii=False))}</code></small></p>")
    if traceback:
        body.append(f"<pre>{esc(strip_ansi(traceback))}</pre>")
    body.append('<p><a href="index.html">Index 索引</a></p>')
    return _PAGE.format(title=esc(f"{region}: render failed"), body="\n".join(body))


def _fmt(v) -> str:
    if v is None:
        return ""
    if isinstance(v, float):
        if math.isnan(v):
            return ""
        if v.is_integer():
            return f"{int(v):,}"
        return f"{v:,.4g}"
    if isinstance(v, (list, tuple)):
        return ", ".join(map(str, v))
    return str(v)


BASE_COLUMNS = [
    ("region", "Region 地区"), ("scope", "Scope 范围"), ("years", "Years 年度"),
    ("latest_year", "Latest year 最新年度"), ("new_requests", "New requests (latest year) 本年新收申请"),
    ("reports", "Reports 报告"),
]


def index_page(rows: list[dict], title: str = "ogi: region reports 地区报告", note: str = "") -> str:
    """``index.html``: one row per region, its key figures and a link; every label escaped.

    Each row has the keys of ``BASE_COLUMNS`` plus ``href`` and ``status``; any other scalar key
    (key figures written by the notebook) gets its own column.
    """
    base = [k for k, _ in BASE_COLUMNS]
    extra: list[str] = []
    for r in rows:
        for k, v in r.get("extra", {}).items():
            if k not in extra and k not in base and not isinstance(v, (dict, list)):
                extra.append(k)
    head = "".join(f"<th>{esc(label)}</th>" for _, label in BASE_COLUMNS)
    head += "".join(f"<th>{esc(k)}</th>" for k in extra) + "<th>Status 状态</th>"
    lines = []
    for r in rows:
        cells = []
        for k in base:
            v = r.get(k)
            if k == "region":
                cells.append(f'<td><a href="{esc(r["href"])}">{esc(v)}</a></td>')
            else:
                cls = ' class="num"' if isinstance(v, (int, float)) and not isinstance(v, bool) else ""
                cells.append(f"<td{cls}>{esc(_fmt(v))}</td>")
        for k in extra:
            v = r.get("extra", {}).get(k)
            cls = ' class="num"' if isinstance(v, (int, float)) and not isinstance(v, bool) else ""
            cells.append(f"<td{cls}>{esc(_fmt(v))}</td>")
        status = r.get("status", "")
        cls = ' class="failed"' if status == "failed" else ""
        cells.append(f"<td{cls}>{esc(status)}</td>")
        lines.append("<tr>" + "".join(cells) + "</tr>")
    body = [f"<h1>{esc(title)}</h1>"]
    if note:
        body.append(f"<p><small>{esc(note)}</small></p>")
    body.append(f"<table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n" + "\n".join(lines) + "\n</tbody>\n</table>")
    return _PAGE.format(title=esc(title), body="\n".join(body))
