"""Extraction speed and memory, measured (tests never time things).

Prints milliseconds per report on the real reports in data/raw and on synthetic reports in every
text layout (one core), then the throughput of a multi-process batch over synthetic reports
written to disk and extracted through the same path as `ogi extract`, with the peak memory of the
whole run. The last line is machine-readable:

    reports_per_second: <number> peak_mb: <number>

Usage: python benchmarks/extract.py [--synthetic 1000] [--batch 10000] [--jobs N]
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from analysis.extract import extract_document, extract_path
from analysis.read import read_bytes, read_path

STAGES: dict[str, float] = {}


def per_report_ms(docs, rounds: int) -> float:
    """Wall ms per report for the whole extract stage; per-stage CPU ms are left in STAGES."""
    for d in docs:  # warm caches (compiled patterns, label indexes)
        extract_document(d)
    STAGES.clear()
    t = time.perf_counter()
    for _ in range(rounds):
        for d in docs:
            for stage, s in extract_document(d).timings.items():
                STAGES[stage] = STAGES.get(stage, 0.0) + s
    n = rounds * len(docs)
    STAGES.update({stage: s / n * 1000 for stage, s in STAGES.items()})
    return (time.perf_counter() - t) / n * 1000


def _stages() -> str:
    return ", ".join(f"{k} {v:.2f}" for k, v in sorted(STAGES.items()))


def synthetic_texts(n: int):
    """(layout, text) of n synthetic reports, cycling through the text layouts; generated lazily."""
    from analysis.synth import TEXT_LAYOUTS, generate

    for i in range(n):
        layout = TEXT_LAYOUTS[i % len(TEXT_LAYOUTS)]
        yield layout, generate(i, layout=layout).text


def _extract_status(path: str) -> str:
    return extract_path(path).status


def batch(paths: list[str], jobs: int) -> float:
    t = time.perf_counter()
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        for _ in pool.map(_extract_status, paths, chunksize=64):
            pass
    return time.perf_counter() - t


def peak_mb(jobs: int) -> float:
    """Upper bound of the run's peak resident memory: this process plus every worker at the
    largest worker's peak (ru_maxrss is in KiB on Linux; for children it is the largest one)."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return (own + jobs * child) / 1024


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--synthetic", type=int, default=1000, help="synthetic reports timed on one core")
    ap.add_argument("--batch", type=int, default=10000, help="synthetic reports in the multi-process batch")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = ap.parse_args()

    seeds = [read_path(p) for p in sorted((ROOT / "data" / "raw").iterdir())
             if p.suffix in (".txt", ".md")]
    print(f"real text reports ({len(seeds)}): {per_report_ms(seeds, 10):.2f} ms/report (one core; "
          f"stages: {_stages()})")

    texts = synthetic_texts(args.synthetic)
    by_layout: dict[str, list] = {}
    for layout, text in texts:
        by_layout.setdefault(layout, []).append(read_bytes(text.encode("utf-8"), f"{layout}.txt"))
    all_docs = [d for docs in by_layout.values() for d in docs]
    for layout, docs in sorted(by_layout.items()):
        print(f"  synthetic {layout:<14} ({len(docs)}): {per_report_ms(docs, 1):.2f} ms/report")
    print(f"synthetic text reports ({len(all_docs)}): {per_report_ms(all_docs, 1):.2f} ms/report (one core; "
          f"stages: {_stages()})")

    from analysis.synth.corpus import write_corpus

    with tempfile.TemporaryDirectory() as tmp:
        # A national-style corpus: agencies reporting every year 2019-2024, text layouts only.
        regions = max(1, args.batch // 6)
        paths = [str(p) for p in write_corpus(tmp, regions, range(2019, 2025))][: args.batch]
        seconds = batch(paths, args.jobs)
    rate = len(paths) / seconds
    print(f"batch: {len(paths)} synthetic files on {args.jobs} processes in {seconds:.1f} s")
    print(f"reports_per_second: {rate:.0f} peak_mb: {peak_mb(args.jobs):.0f}")


if __name__ == "__main__":
    main()
