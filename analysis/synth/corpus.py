"""A synthetic national corpus: many agencies, each reporting every year, in every layout.

    python -m analysis.synth.corpus OUT --regions 2800 --years 2019-2024 --documents 300

writes one report per (agency, year) into OUT (text layouts cycling; the first ``--documents`` files
as HTML, DOCX or PDF instead) and ``OUT/corpus.csv`` listing file, region, agency, scope, year,
template and layout. The same agency keeps its names across years, so the cross-year checks and
the per-region reports have series to work on. Files are written one at a time: memory stays flat
whatever the size.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
from collections.abc import Iterator
from pathlib import Path

from .generate import DOCUMENT_LAYOUTS, generate
from .prose import random_meta
from .text_layouts import TEXT_LAYOUTS

SCOPES = ("government", "office", "department", "township")
_SCOPE_WEIGHTS = (0.5, 0.2, 0.25, 0.05)
_SUFFIX = {"html": ".html", "docx": ".docx", "pdf": ".pdf"}


def places(n: int, seed: int = 0) -> list[dict]:
    """n distinct agencies (region, parent, province, agency, scope)."""
    rng = random.Random(seed)
    out: list[dict] = []
    seen: set[str] = set()
    while len(out) < n:
        scope = rng.choices(SCOPES, _SCOPE_WEIGHTS)[0]
        meta, _ = random_meta(rng, "2021", scope)
        if meta.agency in seen:
            continue
        seen.add(meta.agency)
        out.append({"region": meta.region, "parent": meta.parent, "province": meta.province,
                    "agency": meta.agency, "scope": meta.scope})
    return out


def write_corpus(out: str | Path, regions: int, years: range, documents: int = 0, seed: int = 0) -> Iterator[Path]:
    """Write the corpus; yields each file as it is written."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    index = out / "corpus.csv"
    with open(index, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["file", "region", "agency", "scope", "year", "template", "layout"])
        n = 0
        for i, place in enumerate(places(regions, seed)):
            for year in years:
                layout = (DOCUMENT_LAYOUTS[n % len(DOCUMENT_LAYOUTS)] if n < documents
                          else TEXT_LAYOUTS[n % len(TEXT_LAYOUTS)])
                rep = generate(seed * 1_000_003 + i * 101 + year, layout=layout, place=place, year=year)
                path = out / f"{i:05d}_{year}{_SUFFIX.get(layout, '.txt')}"
                tmp = path.with_name(f".{path.name}.tmp")
                tmp.write_bytes(rep.data if rep.data is not None else rep.text.encode("utf-8"))
                os.replace(tmp, path)
                w.writerow([path.name, place["region"], place["agency"], place["scope"], year, rep.template, layout])
                n += 1
                yield path


def _years(spec: str) -> range:
    a, _, b = spec.partition("-")
    return range(int(a), int(b or a) + 1)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="python -m analysis.synth.corpus", description=__doc__.splitlines()[0])
    ap.add_argument("out")
    ap.add_argument("--regions", type=int, default=2800)
    ap.add_argument("--years", default="2019-2024", help="first-last statistics year")
    ap.add_argument("--documents", type=int, default=300, help="how many files are HTML/DOCX/PDF")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    n = sum(1 for _ in write_corpus(args.out, args.regions, _years(args.years), args.documents, args.seed))
    print(f"wrote {n} reports to {args.out}")


if __name__ == "__main__":
    main()
