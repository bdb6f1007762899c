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

from .template import load

REPORT_COLUMNS = [
    "report_id", "path", "file", "sha256", "status", "reason", "region", "parent", "province", "agency",
    "scope", "year", "publication_date", "title", "template", "template_evidence", "encoding", "format",
    "extractor_version", "n_values", "n_unknown", "n_checks_failed", "duplicate_of", "dataset_use", "use_reason",
]
VALUE_COLUMNS = [
    "report_id", "file", "region", "agency", "scope", "year", "key", "table", "row", "column", "value",
    "status", "raw", "line", "span_start", "span_end", "origin", "candidates", "note",
]
CHECK_COLUMNS = [
    "report_id", "file", "region", "year", "rule", "table", "where", "lhs", "rhs", "diff", "ok", "detail",
    "lhs_keys", "rhs_keys",
]
_STATUS_RANK = {"ok": 0, "flagged": 1}


def report_id(obj: dict) -> str:
    """Stable id of a report: its content hash (short), or the file name when unreadable."""
    return (obj.get("sha256") or "")[:16] or Path(obj["path"]).name


def report_row(obj: dict) -> dict:
    statuses = obj.get("value_status", {})
    row = {k: obj.get(k) for k in REPORT_COLUMNS}
    row.update(
        report_id=report_id(obj), file=Path(obj["path"]).name, n_values=len(obj.get("values", {})),
        n_unknown=sum(1 for s in statuses.values() if s in ("ambiguous", "missing")),
        n_checks_failed=sum(1 for c in obj.get("checks", []) if c["ok"] is False),
    )
    return row


def value_rows(obj: dict) -> list[dict]:
    rid, name = report_id(obj), Path(obj["path"]).name
    statuses, prov = obj.get("value_status", {}), obj.get("provenance", {})
    ambiguous, notes = obj.get("ambiguous", {}), obj.get("notes", {})
    rows = []
    for key, value in obj.get("values", {}).items():
        table, row, col = key.split(".", 2)
        p = prov.get(key, {})
        span = p.get("span") or (None, None)
        cands = ambiguous.get(key, {}).get("candidates")
        rows.append({
            "report_id": rid, "file": name, "region": obj.get("region"), "agency": obj.get("agency"),
            "scope": obj.get("scope"), "year": obj.get("year"), "key": key, "table": table, "row": row,
            "column": col, "value": None if value is None else float(value),
            "status": statuses.get(key, "ok"), "raw": p.get("raw"), "line": p.get("line"),
            "span_start": span[0], "span_end": span[1], "origin": p.get("origin"),
            "candidates": json.dumps(cands) if cands else None, "note": notes.get(key),
        })
    return rows


def check_rows(obj: dict) -> list[dict]:
    rid, name = report_id(obj), Path(obj["path"]).name
    return [{
        "report_id": rid, "file": name, "region": obj.get("region"), "year": obj.get("year"),
        **{k: c.get(k) for k in ("rule", "table", "where", "lhs", "rhs", "diff", "ok", "detail")},
        "lhs_keys": " + ".join(map(str, c.get("lhs_keys", []))), "rhs_keys": " + ".join(map(str, c.get("rhs_keys", []))),
    } for c in obj.get("checks", [])]


def mark_duplicates(reports: pd.DataFrame) -> pd.DataFrame:
    """Keep every report, and say which one the dataset uses.

    Identical files (same sha256) are one report: later copies point to the first. Different files
    for the same agency, scope and year (a re-published revision, or the same report saved as text
    and as HTML) are both kept; the dataset uses the one that reads best: status ok before flagged,
    then fewer unknown values, then fewer failed checks, then the file name.
    """
    df = reports.copy()
    df["duplicate_of"] = None
    df["dataset_use"] = df["status"].isin(list(_STATUS_RANK))
    df["use_reason"] = None
    df.loc[~df["dataset_use"], "use_reason"] = "not read as a report (" + df["status"].astype(str) + ")"
    first: dict[str, str] = {}
    for i, row in df.sort_values("path").iterrows():
        sha = row["sha256"]
        if sha and sha in first:
            df.at[i, "duplicate_of"] = first[sha]
            df.at[i, "dataset_use"] = False
            df.at[i, "use_reason"] = f"identical copy of {first[sha]}"
        elif sha:
            first[sha] = row["report_id"]
    live = df[df["dataset_use"] & df["agency"].notna() & df["year"].notna()]
    for _, group in live.groupby(["agency", "scope", "year"], dropna=False):
        if len(group) < 2:
            continue
        ranked = group.assign(_rank=group["status"].map(_STATUS_RANK)).sort_values(
            ["_rank", "n_unknown", "n_checks_failed", "file"])
        keep = ranked.index[0]
        for i in ranked.index[1:]:
            df.at[i, "dataset_use"] = False
            df.at[i, "use_reason"] = (f"same agency and year as {df.at[keep, 'file']}, which reads better "
                                      f"({df.at[keep, 'status']}, {df.at[keep, 'n_unknown']} unknown values "
                                      f"vs {df.at[i, 'status']}, {df.at[i, 'n_unknown']})")
        df.at[keep, "use_reason"] = f"preferred over {len(group) - 1} other file(s) for the same agency and year"
    df.loc[df["dataset_use"] & df["use_reason"].isna(), "use_reason"] = "only report for its agency and year"
    return df


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


def frames(objs: Iterable[dict]) -> dict[str, pd.DataFrame]:
    """Tidy tables from extraction results in the JSON contract of ``ogi extract --jsonl``."""
    reports, values, checks = [], [], []
    for obj in objs:
        reports.append(report_row(obj))
        values.extend(value_rows(obj))
        checks.extend(check_rows(obj))
    return {
        "reports": mark_duplicates(pd.DataFrame(reports, columns=REPORT_COLUMNS)),
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
