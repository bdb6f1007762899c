"""A report whose own text carries markup and whose scope cannot be read still renders, and nothing
from it reaches the HTML unescaped (documents are data, never code)."""

from __future__ import annotations

from conftest import ROOT

from analysis.cli import main
from analysis.synth import Perturb, generate

PLACE = {"region": "测试县", "parent": "某某市", "province": "某某省", "agency": "测试县人民政府",
         "scope": "government"}


def test_markup_in_a_report_is_escaped_and_unknown_scope_renders(tmp_path):
    from analysis.render import RenderOptions, render, shutdown_kernels

    text = generate(11, layout="tab_grid", template="2021", perturb=Perturb.none(), place=PLACE, year=2023).text
    first, rest = text.split("\n", 1)
    hostile = first.replace("测试县", "测试县<script>alert(1)</script>", 1) + "\n" + rest.replace(
        "收到", "收到<img src=x onerror=alert(2)>", 1)
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "a.txt").write_text(hostile, encoding="utf-8")
    data, out = tmp_path / "data", tmp_path / "reports"
    assert main(["extract", str(raw), "--out", str(data)]) == 0
    try:
        summary = render(RenderOptions(data_dir=str(data), out_dir=str(out), notebook=str(ROOT / "notebooks/region.py"),
                                       jobs=1, progress=False, cwd=str(ROOT)))
    finally:
        shutdown_kernels()
    assert summary.ok, summary.failed
    pages = list(out.glob("*.html"))
    assert len(pages) == 2  # the region and the index
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert "<script>alert" not in html and "<img src=x" not in html, page.name
    region_page = next(p for p in pages if p.name != "index.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in region_page  # shown, as text
