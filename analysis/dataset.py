"""Dataset stage: extraction results -> tidy tables (CSV and Parquet), written atomically.

Tables (one file each, ``.csv`` and ``.parquet``):

* ``reports``    one row per input file: metadata, template, status and the reason for it;
* ``values``     one row per (report, key): the value as printed or null, its status, and its
                 provenance (line, character span, raw text, origin in the original file);
* ``checks``     one row per (report, rule): both sides, the difference, pass/fail;
* ``dictionary`` one row per key: table, row, column, Chinese and English labels, unit.

A file is written to a temporary name in the same directory and renamed over the old one, so an
interrupted run leaves the previous dataset whole.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from .extract import ReportResult
from .template import load

REPORT_COLUMNS = [
    "report_id", "path", "file", "sha256", "status", "reason", "region", "parent", "province", "agency",
    "scope", "year", "publication_date", "title", "template", "template_evidence", "encoding", "format",
    "extractor_version", "n_values", "n_unknown", "n_checks_failed",
]
VALUE_COLUMNS = [
    "report_id", "file", "region", "agency", "scope", "year", "key", "table", "row", "column", "value",
    "status", "raw", "line", "span_start", "span_end", "origin", "candidates", "note",
]
CHECK_COLUMNS = [
    "report_id", "file", "region", "year", "rule", "table", "where", "lhs", "rhs", "diff", "ok", "detail",
    "lhs_keys", "rhs_keys",
]


def report_id(result: ReportResult) -> str:
    """Stable id of a report: its content hash (short), or the path when unreadable."""
    return (result.sha256 or "")[:16] or Path(result.path).name


def _split_key(key: str) -> tuple[str, str, str]:
    table, row, col = key.split(".", 2)
    return table, row, col


def report_row(result: ReportResult) -> dict:
    j = result.to_json()
    unknown = sum(1 for s in result.value_status.values() if s in ("ambiguous", "missing"))
    failed = sum(1 for c in result.checks if c["ok"] is False)
    row = {k: j.get(k) for k in REPORT_COLUMNS if k in j}
    row.update(report_id=report_id(result), file=Path(result.path).name, n_values=len(result.records),
               n_unknown=unknown, n_checks_failed=failed)
    return row


def value_rows(result: ReportResult) -> list[dict]:
    rid, name = report_id(result), Path(result.path).name
    meta = result.meta
    rows = []
    for key, r in result.records.items():
        table, row, col = _split_key(key)
        rows.append({
            "report_id": rid, "file": name, "region": meta.get("region"), "agency": meta.get("agency"),
            "scope": meta.get("scope"), "year": meta.get("year"), "key": key, "table": table, "row": row,
            "column": col, "value": None if r.value is None else float(r.value), "status": r.status,
            "raw": r.raw, "line": r.line, "span_start": r.span[0] if r.span else None,
            "span_end": r.span[1] if r.span else None, "origin": r.origin,
            "candidates": json.dumps([float(c) for c in r.candidates]) if r.candidates else None,
            "note": r.note or None,
        })
    return rows


def check_rows(result: ReportResult) -> list[dict]:
    rid, name = report_id(result), Path(result.path).name
    out = []
    for c in result.checks:
        out.append({
            "report_id": rid, "file": name, "region": result.meta.get("region"), "year": result.meta.get("year"),
            **{k: c[k] for k in ("rule", "table", "where", "lhs", "rhs", "diff", "ok", "detail")},
            "lhs_keys": " + ".join(c["lhs_keys"]), "rhs_keys": " + ".join(c["rhs_keys"]),
        })
    return out


def dictionary() -> pd.DataFrame:
    """Every key of both templates with its labels and unit."""
    spec = load()
    seen: dict[str, dict] = {}
    for template in ("2021", "2019"):
        for table in ("t2", "t3", "t4"):
            for form in (spec.t3_forms(template) if table == "t3" else ("split",)):
                for cell in spec.layout(table, template, form).cells:
                    entry = seen.setdefault(cell.key, {
                        "key": cell.key, "table": cell.key.split(".")[0], "row": cell.key.split(".")[1],
                        "column": cell.key.split(".")[2], "zh": cell.zh, "en": cell.en, "unit": cell.unit,
                        "derived_in": set(), "templates": set(),
                    })
                    entry["templates"].add(template)
        for g in spec.t3_groups():
            for c in spec.t3_columns():
                key = f"t3.{g['key']}.{c['key']}"
                entry = seen.setdefault(key, {
                    "key": key, "table": "t3", "row": g["key"], "column": c["key"],
                    "zh": f"{g['zh']} / {c['zh']}", "en": f"{g['en']} / {c['en']}", "unit": "requests",
                    "derived_in": set(), "templates": set(),
                })
                entry["templates"].add(template)
                if template == "2021" or g["key"] != "other_total":
                    entry["derived_in"].add(template)
    # derived_in: templates where the key is computed from printed sub-rows rather than printed.
    rows = [dict(e, templates=",".join(sorted(e["templates"])), derived_in=",".join(sorted(e["derived_in"])))
            for e in seen.values()]
    return pd.DataFrame(rows)


def frames(results: Iterable[ReportResult]) -> dict[str, pd.DataFrame]:
    reports, values, checks = [], [], []
    for r in results:
        reports.append(report_row(r))
        values.extend(value_rows(r))
        checks.extend(check_rows(r))
    return {
        "reports": pd.DataFrame(reports, columns=REPORT_COLUMNS),
        "values": pd.DataFrame(values, columns=VALUE_COLUMNS),
        "checks": pd.DataFrame(checks, columns=CHECK_COLUMNS),
        "dictionary": dictionary(),
    }


def _atomic(path: Path, write) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    os.close(fd)
    try:
        write(tmp)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_tables(tables: dict[str, pd.DataFrame], out_dir: str | Path) -> list[Path]:
    """Write every table as CSV (UTF-8 with BOM, so spreadsheet programs show Chinese) and Parquet."""
    out = Path(out_dir)
    written = []
    for name, df in tables.items():
        csv_path, pq_path = out / f"{name}.csv", out / f"{name}.parquet"
        _atomic(csv_path, lambda p, df=df: df.to_csv(p, index=False, encoding="utf-8-sig"))
        _atomic(pq_path, lambda p, df=df: _to_parquet(df, p))
        written += [csv_path, pq_path]
    return written


def _to_parquet(df: pd.DataFrame, path: str) -> None:
    # Mixed object columns (e.g. value notes) must be plain strings for Arrow.
    clean = df.copy()
    for col in clean.columns:
        if clean[col].dtype == object:
            clean[col] = clean[col].map(lambda v: v if v is None or isinstance(v, (str, bool, int, float))
                                        else str(v))
    clean.to_parquet(path, index=False)


def load_dataset(path: str | Path = "data/processed") -> dict[str, pd.DataFrame]:
    """The processed dataset as DataFrames: ``reports``, ``values``, ``checks``, ``dictionary``."""
    base = Path(path)
    out = {}
    for name in ("reports", "values", "checks", "dictionary", "narrative"):
        pq = base / f"{name}.parquet"
        if pq.exists():
            out[name] = pd.read_parquet(pq)
    if "reports" not in out:
        raise FileNotFoundError(f"no dataset in {base}: run `make data` (ogi extract data/raw --out {base})")
    return out
