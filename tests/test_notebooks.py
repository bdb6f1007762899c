"""The notebooks, executed headless on a dataset extracted from data/raw (in the default test run).

The region notebook runs under papermill exactly as the renderer runs it: read from the jupytext ``.py``
(never written in place), parameters injected, in a temporary working directory. The checks compare
what the report shows with the dataset: ids, captions, sources, the citation block and the numbers a
reader would quote (东阿县 2023: 81 new requests; +39.7% stated growth → 58 the year before, derived).
"""

from __future__ import annotations

import ast
import html
import re

import pandas as pd
import pytest
from conftest import RAW, ROOT

REGION = "东阿县"
NOTEBOOK = ROOT / "notebooks" / "region.py"
OVERVIEW = ROOT / "notebooks" / "overview.py"
EXHIBITS = ["T1", "F1", "T2", "T3", "T4", "F2", "T5", "T6", "F3", "T7", "F4", "T8", "T9", "T10"]


@pytest.fixture(scope="module")
def dataset(tmp_path_factory):
    from analysis.cli import main

    out = tmp_path_factory.mktemp("processed")
    assert main(["extract", str(RAW), "--out", str(out)]) == 0
    return out


@pytest.fixture(scope="module")
def executed(dataset, tmp_path_factory):
    import jupytext
    import papermill as pm

    work = tmp_path_factory.mktemp("render")
    before = NOTEBOOK.read_bytes()
    nb = jupytext.read(NOTEBOOK)
    out = pm.execute_notebook(nb, str(work / "region.ipynb"), kernel_name="python3", cwd=str(work),
                              parameters={"region": REGION, "data_dir": str(dataset), "figures_out": str(work)},
                              progress_bar=False, log_output=False)
    assert NOTEBOOK.read_bytes() == before, "papermill must never write into the paired .py notebook"
    htmls, streams = [], []
    for cell in out.cells:
        for o in cell.get("outputs", []):
            if o.get("output_type") == "stream":
                streams.append((o.get("name"), o.get("text", "")))
            elif "data" in o and "text/html" in o["data"]:
                htmls.append(o["data"]["text/html"])
            if o.get("output_type") == "error":
                pytest.fail(f"notebook error: {o.get('ename')}: {o.get('evalue')}")
    return {"nb": out, "html": "\n".join(htmls), "streams": streams, "work": work, "dataset": dataset}


def _exhibit(page: str, fid: str) -> str:
    m = re.search(rf'<(figure|div) class="ogi-exhibit[^"]*" id="{re.escape(fid)}">(.*?)</\1>', page, re.DOTALL)
    assert m, f"no exhibit {fid}"
    return m.group(2)


def _registry(executed) -> pd.DataFrame:
    path = executed["work"] / f"figures-{REGION}.csv"
    assert path.exists(), "the notebook writes figures-<slug>.csv when figures_out is given"
    return pd.read_csv(path)


def test_runs_without_warnings_or_missing_glyphs(executed):
    bad = [t for name, t in executed["streams"] if name == "stderr" and
           re.search(r"Glyph|missing from font|Warning|Traceback", t)]
    assert not bad, bad
    assert executed["nb"].metadata["papermill"]["parameters"]["region"] == REGION


def test_every_exhibit_has_id_caption_and_source(executed):
    from analysis.study.indicators import figure_spec

    page = executed["html"]
    for num in EXHIBITS:
        fid = f"{REGION}-2023-{num}"
        body = _exhibit(page, fid)
        spec = figure_spec(num)
        assert html.escape(spec.caption_zh) in body, f"{fid}: caption"
        src = re.search(r'<p class="ogi-source">(.*?)</p>', body, re.DOTALL)
        assert src, f"{fid}: source line"
        if num != "T3" and num != "T10":
            assert "东阿县人民政府" in src.group(1) and "东阿县人民政府2023年政府信息公开工作年度报告" in src.group(1)
    for num in ("T1", "T2", "T5", "T6", "T7"):
        body = _exhibit(page, f"{REGION}-2023-{num}")
        assert "000_12653dde3b93f4f1.txt" in body and re.search(r"第\d+行", body), num
        assert 'title="' in body and 'class="ogi-notes"' in body, num  # hovers and footnotes
    for num in ("F1", "F2", "F3", "F4"):
        assert "data:image/png;base64," in _exhibit(page, f"{REGION}-2023-{num}")
    reg = _registry(executed)
    assert set(reg["figure_id"]) == {f"{REGION}-2023-{n}" for n in EXHIBITS}
    meta = reg[reg["row"] == -1]
    assert set(meta["column"]) == {"caption", "source"} and meta["value"].notna().all()
    assert len(meta) == 2 * len(EXHIBITS)


def test_citation_block_names_versions_and_parameters(executed):
    from analysis.study.cite import code_version, dataset_version

    page = executed["html"]
    m = re.search(r'<section class="ogi-cite" id="how-to-cite">(.*?)</section>', page, re.DOTALL)
    assert m, "How to cite block"
    block = m.group(1)
    version = dataset_version(executed["dataset"])
    assert "GB/T 7714" in block and "APA" in block and "[DS/OL]" in block
    assert block.count(version) >= 3  # GB/T, APA and the version line
    assert code_version() in block
    assert html.escape("region='东阿县'") in block and re.search(r"\d{4}-\d{2}-\d{2}", block)


def test_numbers_match_the_dataset(executed):
    from analysis.dataset import load_dataset

    v = load_dataset(executed["dataset"])["values"]
    d = v[v["file"] == "000_12653dde3b93f4f1.txt"].set_index("key")["value"]
    assert d["t3.new_received.total"] == 81
    reg = _registry(executed)
    t2 = reg[(reg["figure_id"] == f"{REGION}-2023-T2")]
    row = t2[(t2["column"] == "year") & (t2["value"].astype(str) == "2023")]["row"].iloc[0]
    cells = t2[t2["row"] == row].set_index("column")["value"]
    assert float(cells["requests"]) == d["t3.new_received.total"] and cells["source"] == "table"
    t1 = _exhibit(executed["html"], f"{REGION}-2023-T1")
    k = d["t3.granted.total"] + d["t3.partially_granted.total"]
    n = d["t3.total_processed.total"]
    assert f"{k / n * 100:.1f}% ({k:.0f}/{n:.0f};" in t1
    assert "88.0% (66/75;" in t1
    t7 = _exhibit(executed["html"], f"{REGION}-2023-T7")
    assert "未知（歧义" in t7  # 表四's ambiguous cells are shown as unknown, never filled


def test_previous_year_derived_from_prose(executed):
    from analysis.dataset import load_dataset

    if "narrative" not in load_dataset(executed["dataset"]):
        pytest.xfail("the extract stage does not write the narrative table yet, so the previous-year count "
                     "implied by '同比增长39.7%' (58) cannot be shown")
    reg = _registry(executed)
    t2 = reg[reg["figure_id"] == f"{REGION}-2023-T2"]
    row = t2[(t2["column"] == "year") & (t2["value"].astype(str) == "2022")]["row"].iloc[0]
    cells = t2[t2["row"] == row].set_index("column")["value"]
    assert float(cells["requests"]) == 58 and cells["source"] == "prose" and str(cells["derived"]) == "True"
    body = _exhibit(executed["html"], f"{REGION}-2023-T2")
    assert "58†" in body and "+23件 (+39.7%)" in body and "同比增长39.7%" in body


def _cells(path):
    import jupytext

    return jupytext.read(path).cells


@pytest.mark.parametrize("path", [NOTEBOOK, OVERVIEW], ids=["region", "overview"])
def test_notebooks_are_thin_with_literal_parameters(path):
    import jupytext

    nb = jupytext.read(path)
    assert nb.metadata["kernelspec"]["name"] == "python3"  # papermill refuses a notebook without it
    code = [c for c in nb.cells if c.cell_type == "code"]
    params = [c for c in code if "parameters" in c.metadata.get("tags", [])]
    assert len(params) == 1
    for node in ast.parse(params[0].source).body:
        assert isinstance(node, ast.Assign) and isinstance(node.value, (ast.Constant, ast.List)), ast.dump(node)
    for c in code:
        tree = ast.parse(c.source)
        assert not [n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.Lambda, ast.ClassDef))]
        assert "summary(" not in c.source


def test_overview_notebook_runs(dataset, tmp_path):
    """The overview's cells, run in-process with injected parameters (the same code a kernel runs)."""
    from analysis.study import figures

    ns: dict = {}
    for c in _cells(OVERVIEW):
        if c.cell_type != "code":
            continue
        exec(compile(c.source, str(OVERVIEW), "exec"), ns)  # noqa: S102 - our own notebook
        if "parameters" in c.metadata.get("tags", []):
            ns.update(data_dir=str(dataset), figures_out=str(tmp_path))
    reg = figures.registry()
    assert set(reg["figure_id"]) == {f"overview-2024-O{i}" for i in range(1, 6)}
    assert (tmp_path / "figures-overview.csv").exists()
    o1 = reg[reg["figure_id"] == "overview-2024-O1"]
    scopes = o1[o1["column"] == "scope"]["value"].tolist()
    assert scopes == sorted(scopes, key=["government", "office", "department", "township"].index)


def test_region_report_in_english(dataset):
    from analysis.study.report import RegionReport

    r = RegionReport("平潭综合实验区", lang="en", data_dir=dataset)
    page = "".join(getattr(r, s)()._repr_html_() for s in ("key_figures", "requests", "outcomes", "review",
                                                            "compare", "quality", "sources", "citation"))
    assert "平潭综合实验区-2023-T3" in page and "How to cite" in page
    assert "Poisson" in page  # five years of tables: a trend model is fitted
    assert "duplicate of pt2023_pingtan_html.html" in page or "pt2023_pingtan.txt" in page


def test_same_inputs_render_identical_html(dataset, monkeypatch):
    """Two renders of one region give the same bytes (no time, memory address or random order inside)."""
    from analysis.study.report import RegionReport

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    sections = ("header", "key_figures", "requests", "land", "outcomes", "review", "compare", "quality", "sources",
                "citation")
    pages = []
    for _ in range(2):
        r = RegionReport(REGION, data_dir=dataset)
        pages.append("".join(getattr(r, s)()._repr_html_() for s in sections))
        assert "0x7f" not in "".join(repr(getattr(r, s)()) for s in ("header", "land"))
    assert pages[0] == pages[1]


def test_notebooks_open_in_jupyterlab_from_the_py_files():
    """JupyterLab's jupytext contents manager serves the .py files as notebooks (what `make lab` opens)."""
    from jupytext.sync_contentsmanager import TextFileContentsManager

    cm = TextFileContentsManager(root_dir=str(ROOT / "notebooks"))
    for name in ("region.py", "overview.py"):
        model = cm.get(name, type="notebook")
        assert model["type"] == "notebook"
        cells = model["content"]["cells"]
        params = [c for c in cells if "parameters" in c["metadata"].get("tags", [])]
        assert len(params) == 1, name
        assert model["content"]["metadata"]["kernelspec"]["name"] == "python3"
