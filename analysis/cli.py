"""Command line: ``ogi`` (also ``python -m analysis``).

``ogi extract PATH... --jsonl`` prints one JSON object per input; ``--out DIR`` writes the tidy
tables. Exit status is 0 whenever the run completed, whatever the documents' statuses; 2 for usage
errors (argparse's convention).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from pathlib import Path

from .extract import ReportResult, extract_path
from .raw import ChecksumError, verify

_SKIP_SUFFIXES = (".meta.json", ".expected.json")
_SKIP_NAMES = {"manifest.csv", "README.md"}


def iter_inputs(paths: list[str]) -> Iterator[Path]:
    """Files named, and the report files inside directories named (sidecars and manifests skipped)."""
    for p in map(Path, paths):
        if p.is_dir():
            for f in sorted(p.rglob("*")):
                if f.is_file() and not f.name.startswith(".") and f.name not in _SKIP_NAMES \
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


def _cmd_extract(args: argparse.Namespace) -> int:
    if not args.jsonl and not args.out:
        args.jsonl = True
    results: list[ReportResult] = []
    for path in iter_inputs(args.paths):
        if not path.exists():
            res = ReportResult(str(path), None, "unreadable", reason="no such file")
        else:
            res = extract_one(path)
        if args.jsonl:
            sys.stdout.write(json.dumps(res.to_json(), ensure_ascii=False) + "\n")
            sys.stdout.flush()
        if args.out:
            results.append(res)
    if args.out:
        from .dataset import frames, write_tables  # pandas only when tables are asked for

        written = write_tables(frames(results), args.out)
        by_status: dict[str, int] = {}
        for r in results:
            by_status[r.status] = by_status.get(r.status, 0) + 1
        summary = ", ".join(f"{n} {s}" for s, n in sorted(by_status.items()))
        print(f"extracted {len(results)} files ({summary}); wrote {len(written)} files to {args.out}",
              file=sys.stderr)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="ogi", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    ex = sub.add_parser("extract", help="extract 表二/表三/表四 from report files or directories")
    ex.add_argument("paths", nargs="+", help="files or directories")
    ex.add_argument("--jsonl", action="store_true", help="print one JSON object per input (default)")
    ex.add_argument("--out", metavar="DIR", help="write tidy tables (CSV and Parquet) to DIR")
    ex.set_defaults(func=_cmd_extract)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    raise SystemExit(main())
