"""Render benchmark: 20 regions the naive way and ours, in one run; last line ``speedup: <naive/ours>``.

* naive: ``ogi render --naive --jobs 1``: for each region the ``papermill`` command (a new kernel) then the
  ``jupyter nbconvert`` command, one region after the other (TOOLCHAIN.md's 9.4 s/region method);
* ours:  ``ogi render`` (warm kernels, ``--jobs`` = cores, HTML exported in-process), the whole command
  timed, start-up included;
* the notebook's own execution time with a warm kernel (imports done): papermill's recorded duration of
  the notebook, per region, on one warm kernel after a warm-up region, next to our per-region time on that
  kernel (reset + execute + export), for the "ours within 1.5x of the notebook's execution" target.

Regions: those of the dataset (``--data``; by default ``data/processed``, or ``data/raw`` extracted into a
temporary directory), topped up to ``--regions`` with synthetic copies of real regions' rows (renamed
``<region>·<k>``). Usage::

    python benchmarks/render.py [--notebook notebooks/region.py] [--regions 20] [--jobs N] [--skip-naive]
    python benchmarks/render.py --sizes 20 60 120      # ours only, at several sizes (docs/performance.md)
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "fixtures"))

from analysis.render import compare, engine, state  # noqa: I001  (before nbformat: see engine)
from render_data import grow_dataset, write_tables


def default_notebook() -> Path:
    real = ROOT / "notebooks" / "region.py"
    return real if real.exists() else ROOT / "tests" / "fixtures" / "render_region.py"


def prepare_data(src: str | None, n: int, work: Path) -> tuple[Path, int, int]:
    from analysis import load_dataset

    if src is None:
        processed = ROOT / "data" / "processed"
        if (processed / "reports.parquet").exists():
            src = str(processed)
        else:
            src = str(work / "extracted")
            subprocess.run([sys.executable, "-m", "analysis", "extract", str(ROOT / "data" / "raw"), "--out", src],
                           check=True, cwd=ROOT, capture_output=True)
    tables = load_dataset(src)
    real = len(engine.select_regions(tables))
    grown = grow_dataset(tables, n)
    out = write_tables(grown, work / f"data-{n}")
    regions = engine.select_regions(grown)
    return out, real, len(regions)


def ogi_render(data: Path, out: Path, notebook: Path, *extra: str) -> tuple[float, dict]:
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    cmd = [sys.executable, "-m", "analysis.render.cli", "render", "--data", str(data), "--out", str(out),
           "--notebook", str(notebook), "--force", "--quiet", "--json", *extra]
    t0 = time.perf_counter()
    p = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - t0
    if p.returncode not in (0, 1):
        sys.stderr.write(p.stderr[-3000:])
        raise SystemExit(f"ogi render failed ({p.returncode}): {' '.join(cmd)}")
    return wall, json.loads(p.stdout)


def ogi_render_incremental(data: Path, out: Path, notebook: Path) -> str:
    """``ogi render`` again without --force: what a second run with nothing changed costs."""
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    p = subprocess.run([sys.executable, "-m", "analysis.render.cli", "render", "--data", str(data), "--out",
                        str(out), "--notebook", str(notebook), "--quiet"], cwd=ROOT, env=env,
                       capture_output=True, text=True, check=False)
    return p.stdout.strip()


def warm_profile(data: Path, notebook: Path, regions: int, work: Path) -> dict:
    """One warm kernel: per region, papermill's notebook duration and our reset+execute+export time."""
    out = work / "warm-profile"
    opts = engine.RenderOptions(data_dir=str(data), out_dir=str(out), notebook=str(notebook), force=True)
    p = engine.plan(opts, state.Manifest(out))
    engine.attach_notebook(p.todo, notebook)
    jobs = p.todo[: max(2, regions)]
    rows = []
    try:
        for job in [jobs[0]] + jobs:  # the first region warms the kernel up (start, imports)
            r = engine.render_task(job)
            rows.append(r)
    finally:
        engine.shutdown_kernels()
    steady = rows[1:]
    ok = [r for r in steady if r.status == "ok"]
    nb = [r.phases["cells"] for r in ok]
    ours = [r.phases["reset"] + r.phases["execute"] + r.phases["export"] for r in ok]
    return {
        "first_region_s": rows[0].seconds, "first_start_s": rows[0].phases.get("start", 0.0),
        "notebook_median_s": statistics.median(nb) if nb else float("nan"),
        "ours_median_s": statistics.median(ours) if ours else float("nan"),
        "reset_median_s": statistics.median(r.phases["reset"] for r in ok) if ok else float("nan"),
        "export_median_s": statistics.median(r.phases["export"] for r in ok) if ok else float("nan"),
        "notebook_total_s": sum(nb), "ours_total_s": sum(ours), "failed": [r.region for r in steady if r.status != "ok"],
    }


def same_outputs(a: Path, b: Path) -> tuple[int, int, list[str]]:
    import nbformat

    same, total, diffs = 0, 0, []
    for d in sorted((a / engine.SIDE_DIR).iterdir()):
        f = d / f"{d.name}.ipynb"
        g = b / engine.SIDE_DIR / d.name / f"{d.name}.ipynb"
        if not (f.is_file() and g.is_file()):
            continue
        total += 1
        x, y = nbformat.read(f, 4), nbformat.read(g, 4)
        dif = compare.differences(x, y, limit=2)
        same += not dif
        if dif and len(diffs) < 3:
            diffs.append(f"{d.name}: {dif[0][:300]}")
    return same, total, diffs


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--notebook", type=Path, default=default_notebook())
    ap.add_argument("--data", help="dataset directory (default: data/processed, else data/raw extracted)")
    ap.add_argument("--regions", type=int, default=20)
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--skip-naive", action="store_true", help="ours only (no speedup line)")
    ap.add_argument("--sizes", type=int, nargs="+", help="ours only, at each of these numbers of regions")
    args = ap.parse_args(argv)
    nbpath = args.notebook.resolve()

    with tempfile.TemporaryDirectory(prefix="ogi-bench-render-") as tmp:
        work = Path(tmp)
        print(f"notebook: {nbpath.relative_to(ROOT) if nbpath.is_relative_to(ROOT) else nbpath}; "
              f"cores: {os.cpu_count()}; jobs: {args.jobs}", flush=True)
        if args.sizes:
            for n in args.sizes:
                data, real, total = prepare_data(args.data, n, work)
                wall, s = ogi_render(data, work / f"ours-{n}", nbpath, "--jobs", str(args.jobs))
                print(f"size {total:5d} regions ({real} real): ours {wall:7.1f} s = {wall / total:.3f} s/region "
                      f"(rendered {len(s['rendered'])}, failed {len(s['failed'])})", flush=True)
                t0 = time.perf_counter()
                ogi_render_incremental(data, work / f"ours-{n}", nbpath)
                print(f"      second run, nothing changed: {time.perf_counter() - t0:.1f} s", flush=True)
            return 0

        data, real, total = prepare_data(args.data, args.regions, work)
        print(f"regions: {total} ({real} real, {total - real} synthetic copies)", flush=True)

        wall_ours, s_ours = ogi_render(data, work / "ours", nbpath, "--jobs", str(args.jobs), "--keep-notebooks")
        print(f"ours  (ogi render, warm kernels, {s_ours['jobs']} jobs): {wall_ours:.1f} s total, "
              f"{wall_ours / total:.3f} s/region; rendered {len(s_ours['rendered'])}, failed {len(s_ours['failed'])}",
              flush=True)
        t0 = time.perf_counter()
        line = ogi_render_incremental(data, work / "ours", nbpath)
        print(f"ours, second run with nothing changed: {time.perf_counter() - t0:.1f} s ({line[:60]})", flush=True)

        prof = warm_profile(data, nbpath, min(total, args.regions) - 1, work)
        ratio = prof["ours_median_s"] / prof["notebook_median_s"] if prof["notebook_median_s"] else float("nan")
        print(f"warm kernel, imports done (median over {total - 1} regions, 1 worker): notebook execution "
              f"{prof['notebook_median_s']:.3f} s/region; ours {prof['ours_median_s']:.3f} s/region "
              f"(reset {prof['reset_median_s']:.3f} + execute + export {prof['export_median_s']:.3f}) "
              f"= {ratio:.2f}x the notebook's own execution (target <= 1.5x); first region "
              f"{prof['first_region_s']:.1f} s incl. kernel start {prof['first_start_s']:.1f} s", flush=True)
        per_worker = wall_ours * s_ours["jobs"] / total
        print(f"ours end to end per region and worker: {per_worker:.3f} s = "
              f"{per_worker / prof['notebook_median_s']:.2f}x the notebook's execution (start-up amortised "
              f"over {total} regions)", flush=True)

        if args.skip_naive:
            return 0
        wall_naive, s_naive = ogi_render(data, work / "naive", nbpath, "--naive", "--jobs", "1", "--keep-notebooks")
        print(f"naive (papermill CLI + jupyter nbconvert CLI per region, 1 at a time): {wall_naive:.1f} s total, "
              f"{wall_naive / total:.3f} s/region; rendered {len(s_naive['rendered'])}, "
              f"failed {len(s_naive['failed'])}", flush=True)
        same, n, diffs = same_outputs(work / "ours", work / "naive")
        print(f"executed notebooks equal (cells, outputs, images; timestamps and counts aside): {same}/{n}")
        for d in diffs:
            print(f"  differs: {d}")
        print(f"speedup: {wall_naive / wall_ours:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
