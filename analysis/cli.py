"""Command line: ``ogi`` (also ``python -m analysis``).

``ogi extract PATH... --jsonl`` prints one JSON object per input; ``--out DIR`` writes the tidy
tables. Exit status is 0 whenever the run completed, whatever the documents' statuses; 2 for usage
errors (argparse's convention).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from .extract import ReportResult, extract_path, extractor_version
from .raw import ChecksumError, sha256_file, sidecar_path, verify

# Sidecars, manifests and tables sit beside reports in a directory; none of them is a report.
_SKIP_SUFFIXES = (".meta.json", ".expected.json", ".csv", ".parquet", ".json")
_SKIP_NAMES = {"manifest.csv", "README.md"}


def iter_inputs(paths: list[str]) -> Iterator[Path]:
    """Files named, and the report files inside directories named (sidecars and manifests skipped)."""
    for p in map(Path, paths):
        if p.is_dir():
            # Listed before anything is written, so a cache or output inside the tree is not read.
            for f in sorted(p.rglob("*")):
                hidden = any(part.startswith(".") for part in f.relative_to(p).parts)
                if f.is_file() and not hidden and f.name not in _SKIP_NAMES \
                        and not f.name.endswith(_SKIP_SUFFIXES):
                    yield f
        else:
            yield p


def extract_one(path: Path) -> ReportResult:
    """Extract a file, refusing a raw snapshot whose bytes no longer match its sidecar."""
    try:
        verify(path)
    except ChecksumError as e:
        return ReportResult(str(path), None, "checksum_mismatch", reason=str(e))
    except (OSError, ValueError):
        pass  # unreadable files and broken sidecars get their status from the reader
    return extract_path(str(path))


def has_sidecar(path: Path) -> bool:
    return sidecar_path(path).exists()


class Cache:
    """Extraction results keyed by (content sha256, extractor version): unchanged inputs are not
    read again. One small JSON file per entry, written atomically."""

    def __init__(self, root: Path):
        self.root = root

    def _file(self, sha: str) -> Path:
        return self.root / f"{sha}.{extractor_version()}.json"

    def get(self, path: Path) -> dict | None:
        try:
            sha = sha256_file(path)
            f = self._file(sha)
            if not f.exists():
                return None
            obj = json.loads(f.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if has_sidecar(path):
            try:
                verify(path)
            except (ChecksumError, OSError, ValueError):
                return None
        obj["path"] = str(path)  # the same content may sit under another name
        return obj

    def put(self, obj: dict) -> None:
        if not obj.get("sha256"):
            return  # unreadable inputs are cheap to retry and may be fixed on disk
        self.root.mkdir(parents=True, exist_ok=True)
        target = self._file(obj["sha256"])
        tmp = target.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(obj, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, target)


def _extract_json(path: str) -> dict:
    """Worker entry point (top level so process pools can pickle it)."""
    return extract_one(Path(path)).to_json()


def run_extract(paths: list[str], cache: Cache | None = None, jobs: int = 1,
                scheduler: str | None = None) -> Iterator[dict]:
    """Extraction results, one JSON-contract dict per input, in input order. Never raises for a bad
    document: its status and reason say what went wrong. With ``jobs`` > 1 the uncached inputs are
    read by a process pool, streamed back in order; only results are held, never documents."""
    inputs = list(iter_inputs(paths))
    todo: list[Path] = []
    ready: dict[Path, dict] = {}
    for path in inputs:
        if not path.exists():
            ready[path] = ReportResult(str(path), None, "unreadable", reason="no such file").to_json()
            continue
        obj = cache.get(path) if cache else None
        if obj is None:
            todo.append(path)
        else:
            ready[path] = obj
    fresh = _map_dask(todo, scheduler, jobs) if scheduler else _map(todo, jobs)
    for path in inputs:
        if path in ready:
            yield ready.pop(path)
            continue
        obj = next(fresh)
        if cache:
            cache.put(obj)
        yield obj


def _map_dask(paths: list[Path], scheduler: str, jobs: int) -> Iterator[dict]:
    """Extraction on Dask distributed (a scheduler address, or "local" for a LocalCluster); results
    come back in input order."""
    from .render.cluster import map_paths

    done: dict[str, dict] = {}
    arrived = map_paths(_extract_json, [str(p) for p in paths], scheduler=scheduler, n_workers=jobs)
    for p in paths:
        while str(p) not in done:
            item, obj = next(arrived)
            done[item] = obj
        yield done.pop(str(p))


def _map(paths: list[Path], jobs: int) -> Iterator[dict]:
    if jobs <= 1 or len(paths) < 2:
        yield from (extract_one(p).to_json() for p in paths)
        return
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=jobs) as pool:
        yield from pool.map(_extract_json, [str(p) for p in paths], chunksize=max(1, min(64, len(paths) // (jobs * 4))))


def _cmd_extract(args: argparse.Namespace) -> int:
    if not args.jsonl and not args.out:
        args.jsonl = True
    cache_dir = args.cache or (Path(args.out) / ".cache" if args.out else None)
    cache = Cache(Path(cache_dir)) if cache_dir and not args.no_cache else None
    by_status: dict[str, int] = {}
    stages: dict[str, float] = {}
    started = time.perf_counter()

    def results() -> Iterator[dict]:
        for obj in run_extract(args.paths, cache, jobs=args.jobs, scheduler=args.scheduler):
            by_status[obj["status"]] = by_status.get(obj["status"], 0) + 1
            for stage, seconds in (obj.get("timings") or {}).items():
                stages[stage] = stages.get(stage, 0.0) + seconds
            if args.jsonl:
                sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")
                sys.stdout.flush()
            yield obj

    if not args.out:
        for _ in results():
            pass
        _throughput(by_status, stages, time.perf_counter() - started)
        return 0
    from .dataset import write_dataset  # pandas only when tables are asked for

    written = write_dataset(results(), args.out)
    summary = ", ".join(f"{n} {s}" for s, n in sorted(by_status.items()))
    print(f"extracted {sum(by_status.values())} files ({summary}); wrote {len(written)} files to {args.out}",
          file=sys.stderr)
    _throughput(by_status, stages, time.perf_counter() - started)
    return 0


def _throughput(by_status: dict[str, int], stages: dict[str, float], wall: float) -> None:
    """Per-stage throughput on stderr: CPU seconds summed over workers (cached inputs count zero)."""
    n = sum(by_status.values())
    if not n or not wall:
        return
    parts = [f"{stage} {seconds / n * 1000:.1f} ms/report" for stage, seconds in sorted(stages.items())]
    print(f"throughput: {n / wall:.0f} reports/s over {wall:.1f} s wall; " + ", ".join(parts), file=sys.stderr)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="ogi", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    ex = sub.add_parser("extract", help="extract 表二/表三/表四 from report files or directories")
    ex.add_argument("paths", nargs="+", help="files or directories")
    ex.add_argument("--jsonl", action="store_true", help="print one JSON object per input (default)")
    ex.add_argument("--out", metavar="DIR", help="write tidy tables (CSV and Parquet) to DIR")
    ex.add_argument("--cache", metavar="DIR", help="result cache (default: DIR/.cache with --out)")
    ex.add_argument("--no-cache", action="store_true", help="read every input again")
    ex.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                    help="worker processes (default: the number of cores)")
    ex.add_argument("--scheduler", metavar="ADDRESS",
                    help="extract on Dask distributed: a scheduler address, or 'local' for a LocalCluster "
                         "(optional extra: pip install 'ogi[dask]')")
    ex.set_defaults(func=_cmd_extract)
    from .render.cli import add_render_parser  # cheap: the engine loads on first use

    add_render_parser(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    raise SystemExit(main())
