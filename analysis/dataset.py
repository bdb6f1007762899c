"""Dataset stage: extraction results -> tidy tables (CSV and Parquet), written atomically.

Tables (one file each, ``.csv`` and ``.parquet``):

* ``reports``    one row per input file: metadata, template, status and the reason for it;
* ``values``     one row per (report, key): the value as printed or null, its status, and its
                 provenance (line, character span, raw text, origin in the original file);
* ``checks``     one row per (report, rule): both sides, the difference, pass/fail; table rules
                 (t2/t3/t4), prose-vs-table rules ("prose") and rules across years ("xyear");
* ``narrative``  one row per fact stated in the prose, with its quote and line ("stated" or
                 "derived" from prose, never mixed with table values);
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

from .narrative import Narrative, narrative_checks
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
    "lhs_keys", "rhs_keys", "lhs_text", "rhs_text", "line", "quote",
]
NARRATIVE_COLUMNS = [
    "report_id", "file", "region", "agency", "scope", "year", "key", "value", "status", "basis", "level",
    "quote", "line", "span_start", "span_end", "continued", "detail",
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


def _number(v: object) -> float | None:
    return float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else None


def _text(v: object) -> str | None:
    """Non-numeric sides of a check (an interval, a list) as JSON text, so columns keep one type."""
    return None if v is None or _number(v) is not None else json.dumps(v, ensure_ascii=False)


def check_rows(obj: dict, checks: list[dict] | None = None) -> list[dict]:
    rid, name = report_id(obj), Path(obj["path"]).name
    return [{
        "report_id": rid, "file": name, "region": obj.get("region"), "year": obj.get("year"),
        "rule": c.get("rule"), "table": c.get("table"), "where": c.get("where"),
        "lhs": _number(c.get("lhs")), "rhs": _number(c.get("rhs")), "diff": _number(c.get("diff")),
        "ok": c.get("ok"), "detail": c.get("detail"),
        "lhs_keys": " + ".join(map(str, c.get("lhs_keys", []))), "rhs_keys": " + ".join(map(str, c.get("rhs_keys", []))),
        "lhs_text": _text(c.get("lhs")), "rhs_text": _text(c.get("rhs")), "line": c.get("line"),
        "quote": c.get("quote"),
    } for c in (obj.get("checks", []) if checks is None else checks)]


def narrative_rows(obj: dict) -> list[dict]:
    rid, name = report_id(obj), Path(obj["path"]).name
    return [{
        "report_id": rid, "file": name, "region": obj.get("region"), "agency": obj.get("agency"),
        "scope": obj.get("scope"), "year": obj.get("year"), **{k: r.get(k) for k in NARRATIVE_COLUMNS[6:]},
        "value": json.dumps(r.get("value"), ensure_ascii=False),
        "continued": json.dumps(r.get("continued") or [], ensure_ascii=False),
        "detail": json.dumps(r.get("detail") or {}, ensure_ascii=False, default=str),
    } for r in obj.get("narrative_records", [])]


def cross_year_checks(objs: list[dict], reports: pd.DataFrame) -> list[dict]:
    """Rules between consecutive reports of one agency (结转 carried over, stated growth vs the
    tables, 规范性文件 in force), over the reports the dataset uses."""
    used = set(reports.loc[reports["dataset_use"], "report_id"])
    by_agency: dict[tuple, dict[int, dict]] = {}
    for obj in objs:
        if report_id(obj) in used and obj.get("agency") and obj.get("year"):
            by_agency.setdefault((obj["agency"], obj.get("scope")), {})[obj["year"]] = obj
    rows: list[dict] = []
    for years in by_agency.values():
        for year, obj in years.items():
            prev = years.get(year - 1)
            if prev is None:
                continue
            narr = Narrative.from_records(obj.get("narrative_records", []), year)
            xyear = [c for c in narrative_checks(narr, obj["values"], prev["values"]) if c["table"] == "xyear"]
            rows.extend(check_rows(obj, xyear))
    return rows


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
    objs = list(objs)
    reports, values, checks, narrative = [], [], [], []
    for obj in objs:
        reports.append(report_row(obj))
        values.extend(value_rows(obj))
        checks.extend(check_rows(obj))
        narrative.extend(narrative_rows(obj))
    report_df = mark_duplicates(pd.DataFrame(reports, columns=REPORT_COLUMNS))
    checks.extend(cross_year_checks(objs, report_df))
    return {
        "reports": report_df,
        "values": pd.DataFrame(values, columns=VALUE_COLUMNS),
        "checks": pd.DataFrame(checks, columns=CHECK_COLUMNS),
        "narrative": pd.DataFrame(narrative, columns=NARRATIVE_COLUMNS),
        "dictionary": dictionary(),
    }


def _atomic(path: Path, write) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    os.close(fd)
    try:
        write(tmp)
        os.chmod(tmp, 0o644)  # mkstemp makes 0600; a dataset is for others to read
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


# -- streaming: national-scale batches never hold every report's rows in memory -----------------
_INT, _FLOAT, _STR, _BOOL = "int64", "float64", "string", "bool"
SCHEMAS: dict[str, dict[str, str]] = {
    "values": {c: _STR for c in VALUE_COLUMNS} | {"year": _INT, "value": _FLOAT, "line": _INT,
                                                  "span_start": _INT, "span_end": _INT},
    "checks": {c: _STR for c in CHECK_COLUMNS} | {"year": _INT, "lhs": _FLOAT, "rhs": _FLOAT, "diff": _FLOAT,
                                                  "ok": _BOOL, "line": _INT},
    "narrative": {c: _STR for c in NARRATIVE_COLUMNS} | {"year": _INT, "line": _INT, "span_start": _INT,
                                                         "span_end": _INT},
}
_CROSS_YEAR_KEYS = ("t3.", "t2.normative_documents.")


class TableStream:
    """Rows appended in chunks to ``<name>.csv`` and ``<name>.parquet`` under temporary names;
    ``commit`` renames both into place, ``abort`` removes them."""

    def __init__(self, out: Path, name: str, chunk_rows: int = 50_000):
        import pyarrow as pa

        self.out, self.name, self.chunk_rows = out, name, chunk_rows
        self.schema = pa.schema([(c, t) for c, t in SCHEMAS[name].items()])
        self.rows: list[dict] = []
        self.count = 0
        out.mkdir(parents=True, exist_ok=True)
        self.tmp_csv = out / f".{name}.csv.tmp"
        self.tmp_pq = out / f".{name}.parquet.tmp"
        self.csv = open(self.tmp_csv, "w", encoding="utf-8-sig", newline="")  # noqa: SIM115 - closed in commit/abort
        self.writer = None

    def append(self, rows: list[dict]) -> None:
        self.rows.extend(rows)
        if len(self.rows) >= self.chunk_rows:
            self.flush()

    def flush(self) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        if not self.rows and self.writer is not None:
            return
        table = pa.Table.from_pylist(self.rows, schema=self.schema)
        if self.writer is None:
            self.writer = pq.ParquetWriter(self.tmp_pq, self.schema)
        self.writer.write_table(table)
        table.to_pandas().to_csv(self.csv, header=self.count == 0, index=False)
        self.count += len(self.rows)
        self.rows = []

    def commit(self) -> list[Path]:
        self.flush()
        self.writer.close()
        self.csv.close()
        os.replace(self.tmp_pq, self.out / f"{self.name}.parquet")
        os.replace(self.tmp_csv, self.out / f"{self.name}.csv")
        return [self.out / f"{self.name}.csv", self.out / f"{self.name}.parquet"]

    def abort(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.csv.close()
        self.tmp_pq.unlink(missing_ok=True)
        self.tmp_csv.unlink(missing_ok=True)


def _compact(obj: dict) -> dict:
    """What the cross-year rules need of a report, once every other row has been written."""
    keep = {k: obj.get(k) for k in ("path", "sha256", "agency", "scope", "year", "region")}
    keep["values"] = {k: v for k, v in obj.get("values", {}).items() if k.startswith(_CROSS_YEAR_KEYS)}
    keep["narrative_records"] = obj.get("narrative_records", [])
    return keep


def write_dataset(objs: Iterable[dict], out_dir: str | Path) -> list[Path]:
    """Stream extraction results into the tidy tables. Only one report's rows are held at a time
    (plus a compact summary per report for the duplicate marking and the cross-year rules). Nothing
    replaces the previous dataset until every table is complete."""
    out = Path(out_dir)
    streams = {name: TableStream(out, name) for name in ("values", "checks", "narrative")}
    reports: list[dict] = []
    compact: list[dict] = []
    try:
        for obj in objs:
            reports.append(report_row(obj))
            streams["values"].append(value_rows(obj))
            streams["checks"].append(check_rows(obj))
            streams["narrative"].append(narrative_rows(obj))
            compact.append(_compact(obj))
        report_df = mark_duplicates(pd.DataFrame(reports, columns=REPORT_COLUMNS))
        streams["checks"].append(cross_year_checks(compact, report_df))
        for stream in streams.values():
            stream.flush()
    except BaseException:
        for stream in streams.values():
            stream.abort()
        raise
    written = write_tables({"reports": report_df, "dictionary": dictionary()}, out)
    for stream in streams.values():
        written += stream.commit()
    return written


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
