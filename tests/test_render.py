"""The render engine: warm kernels, isolation, failures, papermill equality, slugs, index, incremental runs.

Uses the small fixture notebook ``tests/fixtures/render_region.py`` and a synthetic dataset (no extraction),
so the whole file runs in well under a minute on 2 cores.
"""

from __future__ import annotations

import html
import json
import re
import sys
import time
from pathlib import Path

import pytest

from analysis.render import compare, engine, state
from analysis.render.slug import SlugCollision, slugify, unique_slugs

sys.path.insert(0, str(Path(__file__).resolve().parent / "fixtures"))
from render_data import NOTEBOOK, make_dataset

nbformat = pytest.importorskip("nbformat")  # after the engine, which spares it a slow optional import

A, B = "东阿县", "茌平区"
WEIRD = "A/B 区 <script>"
FAIL, DIE = "FAIL区", "DIE区"
REGIONS = {A: [(2021, 40.0), (2022, 58.0), (2023, 81.0)], B: [(2022, 100.0), (2023, 125.0)],
           WEIRD: [(2023, 7.0)], FAIL: [(2023, 1.0)], DIE: [(2023, 2.0)]}


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    return make_dataset(tmp_path_factory.mktemp("render-data"), REGIONS)


def _opts(data_dir, out, **kw):
    return engine.RenderOptions(data_dir=str(data_dir), out_dir=str(out), notebook=str(NOTEBOOK), jobs=1,
                                progress=False, **kw)


def _mask_random(cells):
    """The warm path seeds random from the region (papermill's fresh kernel does not): mask that line."""
    for c in cells:
        for o in c.get("outputs", []):
            if o["type"] == "stream":
                o["text"] = re.sub(r"random: .*", "random: <masked>", o["text"])
    return cells


@pytest.fixture(scope="module")
def warm_aba(data_dir, tmp_path_factory):
    """Render A, B, A on one warm kernel (one worker thread) and keep the executed notebooks."""
    out = tmp_path_factory.mktemp("aba")
    p = engine.plan(_opts(data_dir, out, regions=[A, B], force=True, keep_notebooks=True), state.Manifest(out))
    engine.attach_notebook(p.todo, NOTEBOOK)
    jobs = {j["region"]: j for j in p.todo}
    results = []
    try:
        for region in (A, B, A):
            results.append(engine.render_task(jobs[region]))
        starts = sum(k.starts for k in engine._ALL_KERNELS)
        # the project code changed (e.g. a long-lived Dask worker between runs): the kernel is replaced
        results.append(engine.render_task(dict(jobs[B], code_hash="changed")))
        starts_after_change = sum(k.starts for k in engine._ALL_KERNELS)
    finally:
        engine.shutdown_kernels()
    return results, starts, starts_after_change


def test_isolation_a_b_a(warm_aba):
    (a1, b, a2, _), starts, _ = warm_aba
    assert [r.status for r in (a1, b, a2)] == ["ok", "ok", "ok"], [r.error for r in (a1, b, a2)]
    assert starts == 1  # one kernel served all three regions
    nb1, nb2 = nbformat.reads(a1.notebook, 4), nbformat.reads(a2.notebook, 4)
    assert compare.differences(nb1, nb2) == []
    # identical execution counts too: the counter restarts at 1 as in a new kernel
    assert [c.execution_count for c in nb1.cells if c.cell_type == "code"] == \
           [c.execution_count for c in nb2.cells if c.cell_type == "code"]
    text = json.dumps([c.get("outputs") for c in compare.normalize(nb2)], ensure_ascii=False)
    assert "namespace: ['data_dir', 'lang', 'load_dataset'" in text
    assert "leaked_variable" not in text and "linewidth: 3.0" not in text and "max_rows: 7" not in text
    assert "fixture warning shown for every region" in text  # the warnings registry was reset
    assert a1.html == a2.html
    assert a1.side_files and a1.side_files == a2.side_files


def test_kernel_restarted_when_code_changes(warm_aba):
    results, starts, starts_after_change = warm_aba
    assert starts == 1 and starts_after_change == 2
    assert results[3].status == "ok" and results[3].phases["start"] > 0
    pid = re.compile(r"ipykernel_\d+")  # the new kernel's process id shows in warning paths
    assert pid.sub("", results[3].html) == pid.sub("", results[1].html)  # B again, on the new kernel


def test_papermill_metadata_in_warm_output(warm_aba):
    nb = nbformat.reads(warm_aba[0][0].notebook, 4)
    pm = nb.metadata["papermill"]
    assert pm["parameters"]["region"] == A
    assert {"start_time", "end_time", "duration", "exception"} <= set(pm)
    assert pm["exception"] is None and pm["duration"] > 0
    tags = [c.metadata.get("tags", []) for c in nb.cells]
    i = next(i for i, t in enumerate(tags) if "parameters" in t)
    assert "injected-parameters" in tags[i + 1]
    assert f"region = {json.dumps(A)}" in nb.cells[i + 1].source  # papermill's translator escapes non-ASCII
    for c in nb.cells:
        assert c.metadata["papermill"]["status"] == "completed"
        assert {"start_time", "end_time", "duration", "exception"} <= set(c.metadata["papermill"])


def _pngs(nb) -> list[str]:
    return [o["data"]["image/png"] for c in compare.normalize(nb) for o in c.get("outputs", [])
            if o["type"] == "display" and "image/png" in o["data"]]


def test_warm_output_equals_papermill(warm_aba, data_dir, tmp_path, monkeypatch):
    """papermill.execute_notebook in a fresh kernel gives the same cells, outputs and images."""
    import papermill

    monkeypatch.setenv("OGI_RENDER_DIR", str(tmp_path))
    src = tmp_path / "region.ipynb"
    nbformat.write(engine.load_notebook(NOTEBOOK), str(src))
    params = {"region": A, "data_dir": str(data_dir)}
    pm_nb = papermill.execute_notebook(str(src), str(tmp_path / "out.ipynb"), parameters=params,
                                       progress_bar=False, cwd=str(Path.cwd()))
    warm_nb = nbformat.reads(warm_aba[0][0].notebook, 4)
    assert warm_nb.metadata["papermill"]["parameters"] == pm_nb.metadata["papermill"]["parameters"]
    assert _mask_random(compare.normalize(pm_nb)) == _mask_random(compare.normalize(warm_nb)), \
        compare.differences(pm_nb, warm_nb)
    assert len(_pngs(warm_nb)) == 1 and _pngs(warm_nb) == _pngs(pm_nb)  # byte-identical PNG
    # the same page once exported (the warm path's exporter, papermill's notebook)
    exporter = engine.export.make_exporter()
    strip = lambda h: re.sub(r"random: [^<]*|ipykernel_\d+/\d+", "", h)
    assert strip(engine.export.export_html(exporter, pm_nb, slugify(A))) == strip(warm_aba[0][0].html)


@pytest.mark.slow
def test_naive_command_lines_give_the_same_report(warm_aba, data_dir, tmp_path):
    """``--naive``: the papermill and jupyter nbconvert commands, one pair of processes per region."""
    s = engine.render(_opts(data_dir, tmp_path, regions=[A], naive=True, keep_notebooks=True))
    assert s.rendered == [A] and s.mode == "naive", s.failed
    slug = slugify(A)
    naive_nb = nbformat.read(tmp_path / ".render" / slug / f"{slug}.ipynb", 4)
    warm_nb = nbformat.reads(warm_aba[0][0].notebook, 4)
    assert _mask_random(compare.normalize(naive_nb)) == _mask_random(compare.normalize(warm_nb)), \
        compare.differences(naive_nb, warm_nb)
    strip = lambda h: re.sub(r"random: [^<]*|ipykernel_\d+/\d+", "", h)
    assert strip((tmp_path / f"{slug}.html").read_text(encoding="utf-8")) == strip(warm_aba[0][0].html)


@pytest.fixture(scope="module")
def run_with_failures(data_dir, tmp_path_factory):
    out = tmp_path_factory.mktemp("reports")
    t0 = time.perf_counter()
    s = engine.render(_opts(data_dir, out, regions=[A, FAIL, DIE, WEIRD]))
    return out, s, time.perf_counter() - t0


def test_failing_and_dying_regions_do_not_stop_the_others(run_with_failures):
    out, s, _ = run_with_failures
    assert sorted(s.rendered) == sorted([A, WEIRD])
    assert set(s.failed) == {FAIL, DIE}
    assert "ValueError" in s.failed[FAIL] and "kernel died" in s.failed[DIE]
    page = (out / f"{slugify(FAIL)}.html").read_text(encoding="utf-8")
    assert "fixture failure for &lt;FAIL区&gt; &amp; co" in page
    assert "<FAIL区>" not in page and "Traceback" in page or "ValueError" in page
    assert "kernel died" in (out / f"{slugify(DIE)}.html").read_text(encoding="utf-8")
    # WEIRD came after DIE on the same (single) worker: the dead kernel was replaced
    assert "A/B 区 &lt;script&gt;: 1 years, 7 requests" in (out / f"{slugify(WEIRD)}.html").read_text("utf-8")
    m = json.loads((out / ".render-state.json").read_text(encoding="utf-8"))
    assert m["regions"][FAIL]["status"] == "failed" and m["regions"][A]["status"] == "ok"
    assert "FAILED FAIL区" in str(s)


def test_slugs_and_index_links(run_with_failures):
    out, _, _ = run_with_failures
    sa, sw = slugify(A), slugify(WEIRD)
    for s in (sa, sw):
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", s) and (out / f"{s}.html").is_file()
    assert sa != sw and sa.startswith("dong-e-xian-") and sw.startswith("a-b-qu-script-")
    index = (out / "index.html").read_text(encoding="utf-8")
    assert f'href="{sa}.html"' in index and f'href="{sw}.html"' in index
    assert ">A/B 区 &lt;script&gt;</a>" in index and "<script>" not in index
    assert ">东阿县</a>" in index
    assert "81" in index  # A's new requests in its latest year, from the dataset
    assert index.count("<tr>") == 1 + 4  # header + every region rendered into this directory
    figures = (out / "figures.csv").read_text(encoding="utf-8-sig")
    assert f"{A}-F1" in figures and f"{WEIRD}-F1" in figures and FAIL not in figures
    # nothing but safe names in the output directory
    for p in out.iterdir():
        assert re.fullmatch(r"[a-z0-9.-]+", p.name), p.name


def test_second_run_skips_everything(run_with_failures, data_dir):
    out, _, _ = run_with_failures
    t0 = time.perf_counter()
    s = engine.render(_opts(data_dir, out, regions=[A, WEIRD]))
    assert s.rendered == [] and not s.failed and sorted(s.skipped) == sorted([A, WEIRD])
    assert time.perf_counter() - t0 < 10
    assert engine._ALL_KERNELS == []  # no kernel was started


def test_what_changes_trigger_a_render(run_with_failures, data_dir, tmp_path):
    out, _, _ = run_with_failures

    def todo(**kw):
        p = engine.plan(_opts(kw.pop("data", data_dir), out, regions=[A, WEIRD], **kw), state.Manifest(out))
        return sorted(j["region"] for j in p.todo)

    assert todo() == []
    assert todo(force=True) == sorted([A, WEIRD])
    assert todo(lang="en") == sorted([A, WEIRD])          # other parameters
    changed = dict(REGIONS, **{A: [(2021, 40.0), (2022, 58.0), (2023, 82.0)]})
    other = make_dataset(tmp_path / "changed", changed)
    assert todo(data=other) == sorted([A, WEIRD])          # A's data, and A is WEIRD's peer (same scope)
    p = engine.plan(_opts(other, out, regions=[A, WEIRD], peers=False), state.Manifest(out))
    m = state.Manifest(out)
    keys_before = {r: m.regions[r]["key"] for r in (A, WEIRD)}
    assert p.keys[A] != keys_before[A]


def test_slugify_rules():
    assert slugify("东阿县") == slugify("东阿县")                      # stable
    assert re.fullmatch(r"dong-e-xian-[0-9a-f]{8}", slugify("东阿县"))
    assert slugify("pingtan") == "pingtan"                            # already a slug
    assert slugify("index") != "index" and slugify("figures") != "figures"
    assert slugify("Pingtan") != slugify("pingtan")
    assert slugify("A/B") != slugify("A B")
    assert re.fullmatch(r"region-[0-9a-f]{8}", slugify("！！"))
    assert len(slugify("很" * 200)) <= 48 + 9
    names = ["东阿县", "冬阿县", WEIRD, "a-b-qu-script"]
    slugs = unique_slugs(names)
    assert len(set(slugs.values())) == len(names)
    with pytest.raises(SlugCollision):
        from unittest import mock

        with mock.patch("analysis.render.slug.slugify", lambda n: "same"):
            unique_slugs(["x", "y"])


def test_atomic_write_leaves_no_temp_files(tmp_path):
    state.atomic_write(tmp_path / "a.html", "<p>一</p>")
    state.atomic_write(tmp_path / "a.html", "<p>二</p>")
    assert [p.name for p in tmp_path.iterdir()] == ["a.html"]
    assert (tmp_path / "a.html").read_text(encoding="utf-8") == "<p>二</p>"


def test_error_page_escapes_everything():
    from analysis.render.export import error_page, index_page

    page = error_page("<b>x</b>", "E: <img src=x onerror=alert(1)>", "\x1b[31mTrace <script>\x1b[0m", {"r": "<"})
    assert "<img" not in page and "<script>" not in page and "<b>x" not in page and "\x1b" not in page
    idx = index_page([{"region": "<i>r</i>", "href": 'x.html" onclick="1', "status": "ok",
                       "extra": {"<k>": "<v>"}}])
    assert "<i>r" not in idx and 'x.html&quot; onclick' in idx and "&lt;k&gt;" in idx and "<v>" not in idx
    assert html.unescape("&lt;i&gt;r&lt;/i&gt;") in html.unescape(idx)


def test_cli_parser_and_usage_errors(tmp_path, capsys):
    from analysis.render.cli import main

    assert main(["render", "--notebook", str(tmp_path / "missing.py"), "--data", str(tmp_path)]) == 2
    assert "no notebook" in capsys.readouterr().err
    assert main(["render", "--notebook", str(NOTEBOOK), "--data", str(tmp_path / "nodata"),
                 "--out", str(tmp_path / "o")]) == 2


def test_dask_local_cluster(data_dir, tmp_path):
    distributed = pytest.importorskip("distributed")
    from analysis.render.cluster import map_paths

    with distributed.LocalCluster(n_workers=1, processes=False, threads_per_worker=1,
                                  dashboard_address=None) as cluster, distributed.Client(cluster) as client:
        try:
            s = engine.render(_opts(data_dir, tmp_path, regions=[B], scheduler=cluster.scheduler_address))
        finally:
            client.run(engine.shutdown_kernels)
        assert s.rendered == [B] and s.mode == "dask", s.failed
        assert (tmp_path / f"{slugify(B)}.html").read_text(encoding="utf-8").count("茌平区: 2 years, 225 requests")
        got = dict(map_paths(len, ["a", "bb", "ccc"], client=client))
        assert got == {"a": 1, "bb": 2, "ccc": 3}
