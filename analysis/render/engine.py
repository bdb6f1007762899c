"""Render the region notebook once per region: warm kernels (default), papermill CLI (``naive``), or Dask.

``render(RenderOptions(...)) -> RenderSummary`` plans the regions (dataset selection, slugs, content hashes,
manifest), renders those that changed, writes ``<slug>.html`` (or an error page), the per-region side outputs
under ``.render/<slug>/``, then ``index.html``, ``figures.csv`` and ``.render-state.json``; every file is
written atomically.
"""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import csv
import hashlib
import io
import json
import os
import queue
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import traceback as tb_mod
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from . import export, outputs, state
from .slug import unique_slugs

# jsonschema (imported by nbformat) loads rfc3987_syntax when installed, which compiles a grammar for
# 2-3 s at import; nbformat never validates IRIs, so this process does without (jsonschema tolerates it).
sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]

RENDER_STATUSES = ("ok", "flagged")
SCOPE_ORDER = ("government", "office", "department")
NEW_REQUESTS_KEY = "t3.new_received.total"
SIDE_DIR = ".render"
# A parameter of this name in the notebook's parameters cell receives the path of the region's figure-data
# CSV (inside $OGI_RENDER_DIR); it is not part of the content key, and reports do not show it.
SIDE_PARAMETER = "figures_out"


# --------------------------------------------------------------------------------------------------
# data classes
@dataclass
class RenderOptions:
    data_dir: str = "data/processed"
    out_dir: str = "reports"
    notebook: str = "notebooks/region.py"
    regions: list[str] | None = None       # None: every region of the dataset
    jobs: int | None = None                # None: os.cpu_count()
    naive: bool = False                    # papermill + nbconvert command lines, one process pair per region
    force: bool = False                    # ignore the manifest
    lang: str | None = None                # injected only when given
    years: list[int] | None = None         # injected only when given
    timeout: float | None = 600            # per cell, seconds
    peers: bool = True                     # a region also depends on the data of regions sharing its scope
    scheduler: str | None = None           # Dask scheduler address or "local"
    progress: bool | None = None           # None: only when stdout is a terminal
    cwd: str | None = None                 # kernels' working directory (papermill's default: ours)
    keep_notebooks: bool = False           # also write .render/<slug>/<slug>.ipynb
    recycle: int = 200                     # replace a warm kernel after this many regions (0: never)
    extra_parameters: dict = field(default_factory=dict)


@dataclass
class RegionResult:
    region: str
    slug: str
    status: str                            # "ok" | "failed"
    html: str = ""
    error: str = ""
    traceback: str = ""
    seconds: float = 0.0
    side_files: dict = field(default_factory=dict)   # name -> bytes
    notebook: str | None = None                       # executed notebook JSON (keep_notebooks / tests)
    worker: str = ""
    phases: dict = field(default_factory=dict)        # seconds: start, reset, execute, export


@dataclass
class RenderSummary:
    rendered: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    seconds: float = 0.0
    out_dir: str = ""
    mode: str = "warm"
    jobs: int = 1
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.failed

    def line(self) -> str:
        n = len(self.rendered) + len(self.failed)
        rate = f", {self.seconds / n:.2f} s/region" if n else ""
        return (f"rendered {len(self.rendered)}, skipped {len(self.skipped)} (up to date), "
                f"failed {len(self.failed)} in {self.seconds:.1f} s ({self.mode}, {self.jobs} "
                f"job{'s' if self.jobs != 1 else ''}{rate}) -> {self.out_dir}")

    def __str__(self) -> str:
        lines = [self.line()]
        for region, err in sorted(self.failed.items()):
            lines.append(f"  FAILED {region}: {err}")
        return "\n".join(lines)


# --------------------------------------------------------------------------------------------------
# notebook loading
def load_notebook(path: str | Path):
    """The notebook as an nbformat v4 node: ``.py`` through jupytext, ``.ipynb`` through nbformat.

    A missing kernelspec is set to ``python3`` (what ``jupytext --set-kernel python3`` does), since
    papermill refuses a notebook without one.
    """
    import nbformat

    path = Path(path)
    if path.suffix == ".ipynb":
        nb = nbformat.read(path, as_version=4)
    else:
        import jupytext

        nb = jupytext.read(path)
        # jupytext gives cells random ids on every read; stable ids keep reports byte-identical across runs
        for i, cell in enumerate(nb.cells):
            cell["id"] = f"c{i:03d}-{hashlib.sha1(cell.source.encode('utf-8')).hexdigest()[:8]}"
    ks = nb.metadata.get("kernelspec") or {}
    if not ks.get("name"):
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    elif not ks.get("language"):
        ks["language"] = "python"
    nb.metadata.pop("jupytext", None)  # the pairing config must not follow the executed copies
    return nb


def parameter_names(nb) -> list[str]:
    """Names assigned in the first cell tagged ``parameters`` (as papermill infers them)."""
    import ast

    for cell in nb.cells:
        if cell.cell_type == "code" and "parameters" in (cell.metadata.get("tags") or []):
            try:
                tree = ast.parse(cell.source)
            except SyntaxError:
                return []
            names = []
            for node in tree.body:
                targets = node.targets if isinstance(node, ast.Assign) else (
                    [node.target] if isinstance(node, ast.AnnAssign) else [])
                names += [t.id for t in targets if isinstance(t, ast.Name)]
            return names
    return []


def _execution_parameters(job: dict, side: Path) -> dict:
    params = dict(job["parameters"])
    if job.get("side_parameter"):
        params[job["side_parameter"]] = str(side / "figures.csv")
    return params


# --------------------------------------------------------------------------------------------------
# dataset side: selection and key figures
def select_regions(tables: dict) -> list[str]:
    rep = tables["reports"]
    mask = rep["status"].isin(RENDER_STATUSES) & rep["region"].notna() & (rep["region"].astype(str) != "")
    return sorted(set(rep.loc[mask, "region"].astype(str)))


def region_scopes(tables: dict, regions) -> dict[str, set[str]]:
    rep = tables["reports"]
    rep = rep[rep["region"].isin(regions) & rep["status"].isin(RENDER_STATUSES)]
    out: dict[str, set[str]] = {r: set() for r in regions}
    for r, s in zip(rep["region"].astype(str), rep["scope"]):
        out.setdefault(r, set()).add(str(s) if isinstance(s, str) and s else "unknown")
    return out


def _scope_rank(s: str) -> int:
    return SCOPE_ORDER.index(s) if s in SCOPE_ORDER else len(SCOPE_ORDER)


def key_figures(tables: dict, regions=None) -> dict[str, dict]:
    """``{region: row}``: scopes, years, reports and the latest year's new requests, from the dataset.

    The new requests are those of the region's main report of its latest year (government before office
    before department; then by report id), as printed or derived by extraction.
    """
    rep = tables["reports"]
    rep = rep[rep["status"].isin(RENDER_STATUSES) & rep["region"].notna()]
    if regions is not None:
        rep = rep[rep["region"].isin(set(regions))]
    out: dict[str, dict] = {}
    latest: dict[str, int] = {}
    for region, grp in rep.groupby(rep["region"].astype(str), sort=False):
        scopes = sorted({str(x) for x in grp["scope"].dropna()}, key=lambda x: (_scope_rank(x), x))
        years = sorted({int(y) for y in grp["year"].dropna()})
        out[region] = {"region": region, "scope": ", ".join(scopes), "years": _years_label(years),
                       "latest_year": years[-1] if years else None, "new_requests": None, "reports": len(grp)}
        if years:
            latest[region] = years[-1]
    vals = tables.get("values")
    if vals is not None and latest:
        v = vals[(vals["key"] == NEW_REQUESTS_KEY) & vals["value"].notna() & vals["report_id"].isin(
            set(rep["report_id"]))]
        v = v[v["region"].astype(str).map(latest).eq(v["year"])]
        if len(v):
            v = v.assign(_r=v["scope"].map(lambda x: _scope_rank(str(x)))).sort_values(["region", "_r", "report_id"])
            for region, value in v.drop_duplicates("region")[["region", "value"]].itertuples(index=False):
                out[str(region)]["new_requests"] = float(value)
    return out


def _years_label(years: list[int]) -> str:
    if not years:
        return ""
    if years == list(range(years[0], years[-1] + 1)) and len(years) > 2:
        return f"{years[0]}–{years[-1]}"
    return ", ".join(map(str, years))


# --------------------------------------------------------------------------------------------------
# the per-region task (runs in a local worker thread or on a Dask worker)
_local = threading.local()
_ALL_KERNELS: list = []
_ALL_LOCK = threading.Lock()


def _worker_state(kernel_name: str, cwd: str, code_hash: str):
    from .kernel import WarmKernel

    kernels = getattr(_local, "kernels", None)
    if kernels is None:
        kernels = _local.kernels = {}
        _local.exporter = None
        _local.nb_cache = {}
    key = (kernel_name, cwd)
    k = kernels.get(key)
    if k is None:
        k = kernels[key] = WarmKernel(kernel_name=kernel_name, cwd=cwd, code_hash=code_hash)
        with _ALL_LOCK:
            _ALL_KERNELS.append(k)
    if _local.exporter is None:
        _local.exporter = export.make_exporter()
    return k, _local.exporter, _local.nb_cache


def shutdown_kernels() -> int:
    """Stop every warm kernel started in this process (returns how many)."""
    with _ALL_LOCK:
        ks = list(_ALL_KERNELS)
        _ALL_KERNELS.clear()
    for k in ks:
        with contextlib.suppress(Exception):
            k.shutdown()
    kernels = getattr(_local, "kernels", None)
    if kernels:
        kernels.clear()
    return len(ks)


def _collect_side_files(d: Path) -> dict:
    files = {}
    for p in sorted(d.glob(outputs.FIGURES_GLOB)) + [d / outputs.KEY_FIGURES]:
        if p.is_file():
            files[p.name] = p.read_bytes()
    return files


def render_task(job: dict) -> RegionResult:
    """Render one region on this thread's warm kernel. ``job`` is a plain dict (picklable for Dask)."""
    import nbformat
    from papermill.exceptions import PapermillExecutionError

    from .kernel import KernelDied

    t0 = time.perf_counter()
    region, slug = job["region"], job["slug"]
    kernel, exporter, cache = _worker_state(job["kernel_name"], job["cwd"], job["code_hash"])
    nb_key = job["notebook_hash"]
    if nb_key not in cache:
        cache.clear()
        cache[nb_key] = job["notebook_json"]
    nb = nbformat.reads(cache[nb_key], as_version=4)
    side = Path(tempfile.mkdtemp(prefix=f"ogi-render-{slug[:20]}-"))
    env = {outputs.ENV_DIR: str(side), outputs.ENV_REGION: region, outputs.ENV_SLUG: slug}
    res = RegionResult(region=region, slug=slug, status="ok", worker=f"{os.getpid()}/{threading.get_ident()}")
    ph = res.phases
    try:
        t = time.perf_counter()
        if job.get("recycle") and kernel.regions >= job["recycle"]:
            kernel.shutdown()  # bound what a long-lived kernel accumulates (caches, fragmentation)
        kernel.ensure(job["code_hash"])
        ph["start"] = (t1 := time.perf_counter()) - t
        kernel.reset(region, env)
        ph["reset"] = (t2 := time.perf_counter()) - t1
        out = kernel.execute(nb, _execution_parameters(job, side), timeout=job.get("timeout"))
        ph["execute"] = (t3 := time.perf_counter()) - t2
        res.html = export.export_html(exporter, out, slug)
        ph["export"] = time.perf_counter() - t3
        ph["cells"] = float((out.metadata.get("papermill") or {}).get("duration") or 0.0)
        if job.get("keep_notebook"):
            res.notebook = nbformat.writes(out)
    except PapermillExecutionError as e:
        res.status, res.error = "failed", f"{e.ename}: {e.evalue}"
        if e.ename == "CellExecutionError" and not e.evalue:  # nbclient's timeout leaves no error output
            res.error = f"cell {e.cell_index} did not finish (timeout {job.get('timeout')} s per cell)"
        res.traceback = "\n".join(e.traceback or []) or str(e)
        kernel.shutdown()  # replaced at the next region: a failed run may have left anything behind
    except KernelDied as e:
        res.status, res.error, res.traceback = "failed", f"kernel died: {e}", tb_mod.format_exc()
        kernel.shutdown()
    except Exception as e:  # noqa: BLE001  (a region must never take the run down)
        res.status, res.error, res.traceback = "failed", f"{type(e).__name__}: {e}", tb_mod.format_exc()
        kernel.shutdown()
    finally:
        try:
            res.side_files = _collect_side_files(side)
        finally:
            shutil.rmtree(side, ignore_errors=True)
    res.seconds = time.perf_counter() - t0
    return res


# --------------------------------------------------------------------------------------------------
# naive: the papermill and nbconvert command lines, one pair of processes per region
def _cli(name: str, module: str) -> list[str]:
    exe = Path(sys.executable).parent / name
    return [str(exe)] if exe.exists() else [sys.executable, "-m", module]


def naive_task(job: dict, workdir: str) -> RegionResult:
    t0 = time.perf_counter()
    region, slug = job["region"], job["slug"]
    work = Path(workdir)
    side = Path(tempfile.mkdtemp(prefix=f"ogi-naive-{slug[:20]}-"))
    env = dict(os.environ)
    env.update({outputs.ENV_DIR: str(side), outputs.ENV_REGION: region, outputs.ENV_SLUG: slug})
    out_nb = work / f"{slug}.ipynb"
    res = RegionResult(region=region, slug=slug, status="ok", worker="naive")
    try:
        cmd = _cli("papermill", "papermill") + [
            str(work / "notebook.ipynb"), str(out_nb), "-y",
            json.dumps(_execution_parameters(job, side), ensure_ascii=False),
            "--cwd", job["cwd"], "-k", job["kernel_name"], "--no-progress-bar"]
        if job.get("timeout"):
            cmd += ["--execution-timeout", str(int(job["timeout"]))]
        p = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
        if p.returncode != 0:
            res.status = "failed"
            lines = [ln for ln in p.stderr.strip().splitlines() if ln.strip()]
            res.error = lines[-1] if lines else f"papermill exited with {p.returncode}"
            res.traceback = p.stderr[-20000:]
        else:
            cmd = _cli("jupyter-nbconvert", "nbconvert") + [
                "--to", "html", "--config", str(work / "nbconvert_config.json"), str(out_nb),
                "--output-dir", str(work), "--output", slug]
            p = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
            if p.returncode != 0:
                res.status, res.error, res.traceback = "failed", "nbconvert failed", p.stderr[-20000:]
            else:
                res.html = (work / f"{slug}.html").read_text(encoding="utf-8")
                if job.get("keep_notebook"):
                    res.notebook = out_nb.read_text(encoding="utf-8")
    finally:
        res.side_files = _collect_side_files(side)
        shutil.rmtree(side, ignore_errors=True)
    res.seconds = time.perf_counter() - t0
    return res


# --------------------------------------------------------------------------------------------------
# progress
class Progress:
    def __init__(self, total: int, enabled: bool, stream=None):
        self.total, self.enabled = total, enabled and total > 0
        self.stream = stream or sys.stdout
        self.done = self.failed = 0
        self.t0 = time.perf_counter()

    def update(self, result: RegionResult) -> None:
        self.done += 1
        self.failed += result.status != "ok"
        if not self.enabled:
            return
        el = time.perf_counter() - self.t0
        rate = self.done / el if el > 0 else 0.0
        left = (self.total - self.done) / rate if rate > 0 else 0.0
        name = result.region if len(result.region) <= 24 else result.region[:23] + "…"
        msg = (f"\r[{self.done}/{self.total}] {rate:.2f} regions/s, ~{left:.0f} s left"
               f"{f', {self.failed} failed' if self.failed else ''} | {name}")
        self.stream.write(msg.ljust(78)[:120])
        self.stream.flush()

    def close(self) -> None:
        if self.enabled:
            self.stream.write("\n")
            self.stream.flush()


# --------------------------------------------------------------------------------------------------
# planning and writing
@dataclass
class _Plan:
    tables: dict
    all_regions: list[str]
    slugs: dict[str, str]
    todo: list[dict]
    skipped: list[str]
    unknown: list[str]
    keys: dict[str, str]
    code_hash: str
    notebook_hash: str


def _parameters(opts: RenderOptions, region: str) -> dict:
    params = {"region": region, "data_dir": opts.data_dir}
    if opts.lang is not None:
        params["lang"] = opts.lang
    if opts.years is not None:
        params["years"] = list(opts.years)
    params.update(opts.extra_parameters or {})
    return params


def plan(opts: RenderOptions, manifest: state.Manifest, code_hash: str | None = None) -> _Plan:
    from .. import load_dataset

    tables = load_dataset(opts.data_dir)
    all_regions = select_regions(tables)
    wanted = list(dict.fromkeys(opts.regions)) if opts.regions else all_regions
    known = set(all_regions)
    unknown = [r for r in wanted if r not in known]
    wanted = [r for r in wanted if r in known]
    slugs = unique_slugs(all_regions)
    code = code_hash or state.code_hash()
    nb_hash = state.sha256_bytes(Path(opts.notebook).read_bytes())
    data = state.region_data_hashes(tables, None)
    peers = state.peer_hashes(region_scopes(tables, all_regions), data) if opts.peers else {}
    cwd = str(Path(opts.cwd or os.getcwd()).resolve())
    todo, skipped, keys = [], [], {}
    for region in wanted:
        params = _parameters(opts, region)
        key = state.render_key(data=data.get(region, ""), peers=peers.get(region, ""), notebook=nb_hash,
                               code=code, parameters=params)
        keys[region] = key
        if not opts.force and manifest.up_to_date(region, key, Path(opts.out_dir)):
            skipped.append(region)
            continue
        todo.append({"region": region, "slug": slugs[region], "parameters": params, "notebook_hash": nb_hash,
                     "cwd": cwd, "code_hash": code, "timeout": opts.timeout,
                     "keep_notebook": opts.keep_notebooks, "recycle": opts.recycle})
    return _Plan(tables, all_regions, slugs, todo, skipped, unknown, keys, code, nb_hash)


def attach_notebook(jobs: list[dict], notebook: str | Path):
    """Add the notebook (as JSON), its kernel name and side parameter to planned jobs; ``(nb, kernel)``."""
    import nbformat

    from .kernel import kernel_name_of

    nb = load_notebook(notebook)
    kernel_name = kernel_name_of(nb)
    nb_json = nbformat.writes(nb)
    side_parameter = SIDE_PARAMETER if SIDE_PARAMETER in parameter_names(nb) else None
    for job in jobs:
        job.update(notebook_json=nb_json, kernel_name=kernel_name, side_parameter=side_parameter)
    return nb, kernel_name


def _write_result(out: Path, res: RegionResult, params: dict) -> None:
    html_path = out / f"{res.slug}.html"
    if res.status == "ok":
        state.atomic_write(html_path, res.html)
    else:
        state.atomic_write(html_path, export.error_page(res.region, res.error, res.traceback, params))
    side = out / SIDE_DIR / res.slug
    if side.exists():
        for p in side.iterdir():
            if p.is_file() and (p.name.startswith("figures") or p.name == outputs.KEY_FIGURES):
                p.unlink()
    for name, data in res.side_files.items():
        state.atomic_write(side / name, data)
    if res.notebook is not None:
        state.atomic_write(side / f"{res.slug}.ipynb", res.notebook)


def _read_figure_rows(path: Path) -> tuple[list[str], list[list[str]]]:
    with open(path, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    return (rows[0], rows[1:]) if rows else ([], [])


def _write_index_and_figures(out: Path, p: _Plan, manifest: state.Manifest) -> None:
    """``index.html`` (every region in the manifest and the dataset) and ``figures.csv`` (their figure data).

    ``figures.csv`` unites the columns of every region's ``figures*.csv`` (``region`` and ``slug`` first);
    read with the csv module, as thousands of small files would cost pandas seconds.
    """
    present = sorted((r for r in p.all_regions if r in manifest.regions), key=lambda r: p.slugs[r])
    figures = key_figures(p.tables, present)
    rows = []
    columns: dict[str, None] = {"region": None, "slug": None}
    parts: list[tuple[list[str], list[list[str]], str, str]] = []
    for region in present:
        entry = manifest.regions[region]
        slug = p.slugs[region]
        row = figures.get(region) or {"region": region}
        row.update(href=f"{slug}.html", status=entry.get("status", ""))
        side = out / SIDE_DIR / slug
        if entry.get("status") == "ok" and side.is_dir():
            kf = side / outputs.KEY_FIGURES
            if kf.is_file():
                with contextlib.suppress(ValueError):
                    extra = json.loads(kf.read_text(encoding="utf-8"))
                    if isinstance(extra, dict):
                        row["extra"] = {k: v for k, v in extra.items() if not isinstance(v, (dict, list))}
            for f in sorted(side.glob(outputs.FIGURES_GLOB)):
                header, body = _read_figure_rows(f)
                if header:
                    columns.update(dict.fromkeys(header))
                    parts.append((header, body, region, slug))
        rows.append(row)
    note = f"{len(rows)} regions · rendered {datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')}"
    state.atomic_write(out / "index.html", export.index_page(rows, note=note))
    cols = list(columns) if parts else ["region", "slug", "figure_id"]
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(cols)
    for header, body, region, slug in parts:
        pos = {c: i for i, c in enumerate(header)}
        for r in body:
            rec = {"region": region, "slug": slug}
            rec.update({c: r[i] for c, i in pos.items() if i < len(r)})
            w.writerow([rec.get(c, "") for c in cols])
    state.atomic_write(out / "figures.csv", buf.getvalue().encode("utf-8-sig"))


# --------------------------------------------------------------------------------------------------
# executors
class LocalPool:
    """``jobs`` threads, each driving its own warm kernel (started with its first region)."""

    def __init__(self, jobs: int):
        self.pending: queue.Queue = queue.Queue()
        self.results: queue.Queue = queue.Queue()
        self.threads = [threading.Thread(target=self._worker, name=f"ogi-render-{i}", daemon=True)
                        for i in range(jobs)]
        for t in self.threads:
            t.start()

    def _worker(self) -> None:
        try:
            while True:
                job = self.pending.get()
                if job is None:
                    return
                try:
                    self.results.put(render_task(job))
                except BaseException as e:  # noqa: BLE001  (never happens: render_task catches everything)
                    self.results.put(RegionResult(job["region"], job["slug"], "failed", error=repr(e),
                                                  traceback=tb_mod.format_exc()))
        finally:
            kernels = getattr(_local, "kernels", {}) or {}
            for k in list(kernels.values()):
                k.shutdown()
                with _ALL_LOCK:
                    if k in _ALL_KERNELS:
                        _ALL_KERNELS.remove(k)
            kernels.clear()

    def run(self, todo: list[dict]):
        """Yield results as they complete; the pool is closed afterwards (or on interruption)."""
        for job in todo:
            self.pending.put(job)
        done = 0
        try:
            for _ in range(len(todo)):
                yield self.results.get()
                done += 1
        finally:
            self.close(interrupted=done < len(todo))

    def close(self, interrupted: bool = False) -> None:
        while True:  # stop handing out work
            try:
                self.pending.get_nowait()
            except queue.Empty:
                break
        for _ in self.threads:
            self.pending.put(None)
        if interrupted:  # workers may be in the middle of a cell: kill their kernels so they return now
            with _ALL_LOCK:
                for k in _ALL_KERNELS:
                    k.kill()
        for t in self.threads:
            t.join(timeout=60)


def _run_naive(todo: list[dict], jobs: int, nb, kernel_name: str):
    import nbformat

    with tempfile.TemporaryDirectory(prefix="ogi-naive-") as work:
        nbformat.write(nb, str(Path(work) / "notebook.ipynb"))
        export.write_cli_config(Path(work) / "nbconvert_config.json")
        with cf.ThreadPoolExecutor(max_workers=jobs) as ex:
            futs = [ex.submit(naive_task, job, work) for job in todo]
            for f in cf.as_completed(futs):
                yield f.result()


def _run_dask(todo: list[dict], scheduler: str, jobs: int):
    from .cluster import dask_client

    with dask_client(scheduler, n_workers=jobs) as (client, owned):
        futs = client.map(render_task, todo, pure=False, key=[f"ogi-render-{j['slug']}" for j in todo])
        from distributed import as_completed

        try:
            for f in as_completed(futs):
                try:
                    yield f.result()
                except Exception as e:  # noqa: BLE001  (a worker lost mid-task)
                    job = todo[futs.index(f)]
                    yield RegionResult(job["region"], job["slug"], "failed", error=f"dask: {e!r}",
                                       traceback=tb_mod.format_exc())
        finally:
            if owned:
                with contextlib.suppress(Exception):
                    client.run(shutdown_kernels)


# --------------------------------------------------------------------------------------------------
def render(opts: RenderOptions) -> RenderSummary:
    """Render the regions of ``opts`` and return the summary (never raises for a failing region)."""
    t0 = time.perf_counter()
    out = Path(opts.out_dir)
    out.mkdir(parents=True, exist_ok=True)
    manifest = state.Manifest(out)
    p = plan(opts, manifest)
    if p.todo:  # nbformat/jupytext/papermill are only imported when something is to be rendered
        nb, kernel_name = attach_notebook(p.todo, opts.notebook)
    jobs = max(1, opts.jobs or os.cpu_count() or 1)
    jobs = min(jobs, max(1, len(p.todo)))
    mode = "naive" if opts.naive else ("dask" if opts.scheduler else "warm")
    summary = RenderSummary(skipped=list(p.skipped), out_dir=str(out), mode=mode, jobs=jobs)
    for r in p.unknown:
        summary.failed[r] = "not a region of the dataset (status ok/flagged)"
    summary.timings["plan"] = time.perf_counter() - t0

    show = sys.stdout.isatty() if opts.progress is None else opts.progress
    prog = Progress(len(p.todo), show)
    if p.todo:
        if opts.naive:
            results = _run_naive(p.todo, jobs, nb, kernel_name)
        elif opts.scheduler:
            results = _run_dask(p.todo, opts.scheduler, jobs)
        else:
            results = LocalPool(jobs).run(p.todo)
        params = {j["region"]: j["parameters"] for j in p.todo}
        try:
            for res in results:
                _write_result(out, res, params[res.region])
                manifest.record(res.region, slug=res.slug, key=p.keys[res.region], status=res.status,
                                html=f"{res.slug}.html", seconds=round(res.seconds, 3), error=res.error or None,
                                rendered_at=datetime.now(UTC).isoformat(timespec="seconds"),
                                mode=mode)
                if res.status == "ok":
                    summary.rendered.append(res.region)
                else:
                    summary.failed[res.region] = res.error
                prog.update(res)
                manifest.save(force=False)
        finally:
            prog.close()
            manifest.save(notebook=str(opts.notebook), notebook_hash=p.notebook_hash, code_hash=p.code_hash,
                          data_dir=str(opts.data_dir))
    t1 = time.perf_counter()
    # regions no longer in the dataset: remove the files this renderer wrote for them, and their entry
    known = set(p.all_regions)
    for r in [r for r in manifest.regions if r not in known]:
        entry = manifest.regions.pop(r)
        slug = entry.get("slug") or ""
        if slug and "/" not in slug and not slug.startswith("."):
            (out / f"{slug}.html").unlink(missing_ok=True)
            shutil.rmtree(out / SIDE_DIR / slug, ignore_errors=True)
    _write_index_and_figures(out, p, manifest)
    manifest.save(notebook=str(opts.notebook), notebook_hash=p.notebook_hash, code_hash=p.code_hash,
                  data_dir=str(opts.data_dir))
    summary.timings["render"] = t1 - summary.timings["plan"] - t0
    summary.timings["index"] = time.perf_counter() - t1
    summary.seconds = time.perf_counter() - t0
    return summary


def summary_json(s: RenderSummary) -> str:
    return json.dumps(asdict(s), ensure_ascii=False, indent=1)
