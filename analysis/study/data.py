"""The processed dataset as the study sees it: usable reports, known values, and where each came from.

Three rules live here so that no analysis function can forget them:

* **Unknown stays unknown.** A value whose status is ``ambiguous``, ``missing`` or ``blank`` (or that is
  null) is NaN, with its status kept beside it; nothing downstream fills it.
* **One report per agency and year.** The same report can be in ``data/raw`` twice (a text copy and the
  HTML page). If the dataset marks which copy to use (a ``dataset_use`` column, or ``duplicate_of``),
  that is followed; otherwise the study keeps the first copy ordered by status (``ok`` before
  ``flagged``) then file name, and lists the dropped copies (:attr:`Study.dropped`).
* **Every number has a ref.** ``v|<report_id>|<key>`` for a table cell, ``n|<report_id>|<key>|<i>`` for a
  sentence in the prose; :meth:`Study.describe` turns a ref into the source line a reader can check.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from . import narrative as narr

UNKNOWN_STATUSES = ("ambiguous", "missing", "blank")
USABLE_REPORT_STATUSES = ("ok", "flagged")
_STATUS_ORDER = {"ok": 0, "flagged": 1}
TABLE_ZH = {"t2": "表二", "t3": "表三", "t4": "表四"}
TABLE_EN = {"t2": "Table 2", "t3": "Table 3", "t4": "Table 4"}
SCOPES = ("government", "office", "department", "township")
SCOPE_ORDER = {scope: i for i, scope in enumerate(SCOPES)}
SCOPE_ZH = {"government": "政府", "office": "政府办公室", "department": "部门", "township": "乡镇街道"}


@dataclass(frozen=True)
class Cell:
    """One table cell: its value (NaN when unknown), status and ref."""

    value: float
    status: str
    ref: str
    raw: str | None = None
    candidates: str | None = None

    @property
    def known(self) -> bool:
        return not math.isnan(self.value)


def _used_mask(reports: pd.DataFrame) -> pd.Series | None:
    """The dataset's own choice of copy, when it records one."""
    if "dataset_use" in reports.columns:
        col = reports["dataset_use"].astype(str).str.lower()
        return col.isin(["used", "use", "true", "yes", "primary", "1"]) | col.str.startswith("used")
    if "duplicate_of" in reports.columns:
        return reports["duplicate_of"].isna() | reports["duplicate_of"].astype(str).isin(["", "None", "nan"])
    return None


def select_reports(reports: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(used, dropped): usable reports, one per (agency, year); the rest with the reason they were dropped."""
    rep = reports.copy()
    reasons = pd.Series("", index=rep.index, dtype=object)
    unusable = ~rep["status"].isin(USABLE_REPORT_STATUSES)
    reasons[unusable] = "status " + rep.loc[unusable, "status"].astype(str)
    mask = _used_mask(rep)
    if mask is not None:
        why = rep["use_reason"].astype(str) if "use_reason" in rep.columns else \
            pd.Series("marked as not used by the dataset (duplicate copy)", index=rep.index)
        reasons[~mask & ~unusable] = why[~mask & ~unusable]
        keep = mask & ~unusable
    else:
        cand = rep[~unusable].copy()
        cand["_order"] = cand["status"].map(_STATUS_ORDER).fillna(9)
        cand = cand.sort_values(["_order", "file"], kind="stable")
        first = cand.drop_duplicates(["agency", "year"], keep="first")
        dup = cand.index.difference(first.index)
        for i in dup:
            kept = first[(first["agency"] == rep.at[i, "agency"]) & (first["year"] == rep.at[i, "year"])]
            reasons[i] = f"duplicate of {kept['file'].iloc[0]} (same agency and year; kept by status, then file)"
        keep = rep.index.isin(first.index)
        keep = pd.Series(keep, index=rep.index)
    used = rep[keep].sort_values(["region", "year", "scope", "file"], kind="stable")
    dropped = rep[~keep].assign(dropped_because=reasons[~keep])
    return used.reset_index(drop=True), dropped.reset_index(drop=True)


@dataclass
class Study:
    """The dataset loaded for analysis (see the module docstring for the rules it enforces)."""

    reports: pd.DataFrame  # used reports only
    all_reports: pd.DataFrame
    dropped: pd.DataFrame
    values: pd.DataFrame  # values of used reports, with ``known`` (NaN when unknown)
    checks: pd.DataFrame
    dictionary: pd.DataFrame
    narrative: pd.DataFrame  # tidy narrative facts (may be empty)
    data_dir: str | None = None
    has_narrative: bool = False
    _cells: dict = field(default_factory=dict, repr=False)
    _labels: dict = field(default_factory=dict, repr=False)
    _meta: dict = field(default_factory=dict, repr=False)

    # ------------------------------------------------------------------------------------ building
    @classmethod
    def from_tables(cls, tables: dict[str, pd.DataFrame], data_dir: str | None = None) -> Study:
        reports = tables["reports"]
        used, dropped = select_reports(reports)
        ids = set(used["report_id"])
        values = tables.get("values", pd.DataFrame(columns=["report_id", "key", "value", "status"]))
        values = values[values["report_id"].isin(ids)].copy()
        unknown = values["status"].isin(UNKNOWN_STATUSES) | values["value"].isna()
        values["known"] = values["value"].where(~unknown, math.nan).astype(float)
        checks = tables.get("checks", pd.DataFrame(columns=["report_id", "rule", "ok"]))
        checks = checks[checks["report_id"].isin(ids)].copy()
        dictionary = tables.get("dictionary", pd.DataFrame(columns=["key", "zh", "en"]))
        raw_narr = tables.get("narrative")
        tidy = narr.tidy(raw_narr, reports)
        tidy = tidy[tidy["report_id"].isin(ids)].reset_index(drop=True)
        study = cls(reports=used, all_reports=reports, dropped=dropped, values=values, checks=checks,
                    dictionary=dictionary, narrative=tidy, data_dir=data_dir,
                    has_narrative=raw_narr is not None)
        study._index()
        return study

    def _index(self) -> None:
        self._cells = {(r.report_id, r.key): r for r in self.values.itertuples(index=False)}
        self._labels = {r.key: (r.zh, r.en) for r in self.dictionary.itertuples(index=False)}
        self._meta = {r["report_id"]: r for r in self.reports.to_dict("records")}

    # ------------------------------------------------------------------------------------ lookups
    def report(self, report_id: str) -> dict:
        return self._meta[report_id]

    def reports_for(self, region: str, years: list[int] | None = None, scope: str | None = None) -> pd.DataFrame:
        sel = self.reports[self.reports["region"] == region]
        if years:
            sel = sel[sel["year"].isin([int(y) for y in years])]
        if scope:
            sel = sel[sel["scope"] == scope]
        return sel

    def regions(self) -> list[str]:
        return sorted(self.reports["region"].dropna().unique().tolist())

    def cell(self, report_id: str, key: str) -> Cell:
        """A table cell; a key the report does not have is a ``missing`` NaN, not an error."""
        r = self._cells.get((report_id, key))
        ref = f"v|{report_id}|{key}"
        if r is None:
            return Cell(math.nan, "missing", ref)
        raw = None if _isna(r.raw) else str(r.raw)
        cands = None if _isna(getattr(r, "candidates", None)) else str(r.candidates)
        return Cell(float(r.known), str(r.status), ref, raw, cands)

    def label(self, key: str, lang: str = "zh") -> str:
        zh, en = self._labels.get(key, (key, key))
        return zh if lang == "zh" else en

    def facts(self, report_id: str, key: str | None = None, prefix: str | None = None) -> list[narr.Fact]:
        return narr.facts(self.narrative, report_id, key=key, prefix=prefix)

    def fact(self, report_id: str, key: str) -> narr.Fact | None:
        return narr.first(self.narrative, report_id, key)

    # ------------------------------------------------------------------------------------ sources
    def report_name(self, report_id: str, lang: str = "zh") -> str:
        m = self._meta.get(report_id)
        if m is None:
            return report_id
        title = m.get("title") or m.get("file")
        if lang == "zh":
            return f"{m.get('agency') or ''}《{title}》（{m.get('year')}年度）"
        return f"{m.get('agency') or ''}, “{title}” (statistics year {m.get('year')})"

    def describe(self, ref: str, lang: str = "zh") -> str:
        """The source of a ref as one line: report, table and row, line in the source file, as printed."""
        kind = ref.split("|", 1)[0]
        if kind == "v":
            _, rid, key = ref.split("|", 2)
            return self._describe_cell(rid, key, lang)
        if kind == "n":
            fact = narr.by_ref(self.narrative, ref)
            if fact is None:
                return ref
            return self._describe_fact(fact, lang)
        return ref

    def _describe_cell(self, rid: str, key: str, lang: str) -> str:
        m = self._meta.get(rid, {})
        r = self._cells.get((rid, key))
        table = key.split(".", 1)[0]
        tname = (TABLE_ZH if lang == "zh" else TABLE_EN).get(table, table)
        head = f"{self.report_name(rid, lang)}, {tname} {self.label(key, lang)} [{key}]"
        if r is None:
            return head + ("：报告中无此格（missing）" if lang == "zh" else ": not in the report (missing)")
        status = str(r.status)
        if status == "derived":
            how = "由分项相加（derived），非印刷值" if lang == "zh" else "derived: sum of the printed sub-rows"
            note = "" if _isna(r.note) else f"; {r.note}"
            return f"{head}: {how}{note}; {m.get('file')}"
        where = self._where(r, m, lang)
        if status in UNKNOWN_STATUSES or _isna(r.value):
            cands = "" if _isna(getattr(r, "candidates", None)) else f" {r.candidates}"
            what = f"未知（{status}）{cands}" if lang == "zh" else f"unknown ({status}){cands}"
            return f"{head}: {what}; {where}"
        printed = "" if _isna(r.raw) else (f"，印刷为“{r.raw}”" if lang == "zh" else f", printed “{r.raw}”")
        st = "" if status == "ok" else f" ({status})"
        return f"{head}{printed}{st}; {where}"

    def _where(self, r, m: dict, lang: str) -> str:
        line = None if _isna(r.line) else int(r.line)
        origin = None if _isna(getattr(r, "origin", None)) else str(r.origin)
        f = m.get("file", "")
        if line is None:
            return f
        at = f"{f} 第{line}行" if lang == "zh" else f"{f} line {line}"
        if origin and origin != f"line {line}":
            at += f" ({origin})"
        return at

    def _describe_fact(self, fact: narr.Fact, lang: str) -> str:
        m = self._meta.get(fact.report_id, {})
        name = self.report_name(fact.report_id, lang)
        line = f"{m.get('file', '')} 第{fact.line}行" if lang == "zh" else f"{m.get('file', '')} line {fact.line}"
        kind = ("正文推算（derived from prose），非印刷值" if fact.derived else "正文") if lang == "zh" else \
            ("derived from the prose, not printed" if fact.derived else "prose")
        quote = f"“{fact.quote}”" if fact.quote else ""
        return f"{name}, {kind}: {quote}; {line}"

    def source_summary(self, refs, lang: str = "zh") -> str:
        """One source line for an exhibit: per report, its name, then each table row with its line in
        the source file, and each prose sentence's line. Rows in report order, each named once."""
        per: dict[str, dict] = {}
        for ref in dict.fromkeys(r for r in refs if r):
            kind, rid, key = ref.split("|")[:3]
            entry = per.setdefault(rid, {"cells": {}, "facts": {}})
            if kind == "v":
                r = self._cells.get((rid, key))
                row_key = ".".join(key.split(".")[:2])
                line = None if r is None or _isna(r.line) else int(r.line)
                status = "missing" if r is None else str(r.status)
                entry["cells"].setdefault(row_key, (key, line, status))
            elif kind == "n":
                f = narr.by_ref(self.narrative, ref)
                if f is not None:
                    entry["facts"].setdefault(f.line, f.derived)
        parts = []
        for rid in sorted(per, key=lambda r: (self._meta.get(r, {}).get("year", 0), r)):
            e = per[rid]
            bits = []
            by_table: dict[str, list[str]] = {}
            for row_key, (key, line, status) in sorted(e["cells"].items(), key=lambda kv: (kv[1][1] or 1e9)):
                table = key.split(".")[0]
                label = self.label(key, lang).split(" / ")[0]
                if status == "derived":
                    where = "由分项相加" if lang == "zh" else "sum of sub-rows"
                elif line is None:
                    where = status
                else:
                    where = f"第{line}行" if lang == "zh" else f"line {line}"
                by_table.setdefault(table, []).append(f"{label}（{where}）" if lang == "zh" else f"{label} ({where})")
            for table, items in by_table.items():
                tname = (TABLE_ZH if lang == "zh" else TABLE_EN).get(table, table)
                bits.append(f"{tname} " + ("；".join(items) if lang == "zh" else "; ".join(items)))
            if e["facts"]:
                lines = sorted(x for x in e["facts"] if x is not None)
                derived = any(e["facts"].values())
                if lang == "zh":
                    bits.append("正文第" + "、".join(map(str, lines)) + "行" + ("（含推算值）" if derived else ""))
                else:
                    bits.append("prose, line " + ", ".join(map(str, lines)) + (" (incl. derived values)" if derived
                                                                              else ""))
            file = self._meta.get(rid, {}).get("file", "")
            head = self.report_name(rid, lang)
            parts.append(f"{head}，{file}：" + "，".join(bits) if lang == "zh" else
                         f"{head}, {file}: " + ", ".join(bits))
        return ("；".join(parts) + "。") if lang == "zh" else ("; ".join(parts) + ".")

    def short(self, ref: str) -> str:
        """A compact, machine-readable source: ``file:line key`` (``[status]`` when not a printed value)."""
        parts = ref.split("|")
        rid, key = parts[1], parts[2]
        file = self._meta.get(rid, {}).get("file", rid)
        if parts[0] == "v":
            r = self._cells.get((rid, key))
            if r is None:
                return f"{file} {key} [missing]"
            line = "" if _isna(r.line) else f":{int(r.line)}"
            status = "" if str(r.status) in ("ok",) else f" [{r.status}]"
            return f"{file}{line} {key}{status}"
        fact = narr.by_ref(self.narrative, ref)
        if fact is None:
            return ref
        return f"{file}:{fact.line} narr.{key}" + (" [derived]" if fact.derived else "")

    def source_lines(self, refs, lang: str = "zh") -> list[str]:
        seen, out = set(), []
        for ref in refs:
            if ref and ref not in seen:
                seen.add(ref)
                out.append(self.describe(ref, lang))
        return out


def _isna(x) -> bool:
    if x is None:
        return True
    try:
        return bool(pd.isna(x))
    except (TypeError, ValueError):
        return False


REPO = Path(__file__).resolve().parents[2]


def resolve_data_dir(data_dir: str | Path) -> Path:
    """``data_dir`` as given if it exists, else relative to the repository root.

    Why: papermill runs a notebook with the notebook's directory (or a temp dir) as working directory,
    where the default ``data/processed`` does not exist; the repository's copy is the one meant.
    """
    p = Path(data_dir)
    if p.exists() or p.is_absolute():
        return p
    alt = REPO / p
    return alt if alt.exists() else p


def load(data_dir: str | Path = "data/processed") -> Study:
    """Load the processed dataset written by ``ogi extract --out`` for analysis."""
    # analysis.dataset, not analysis.load_dataset: an editable install may expose ``analysis`` as a
    # namespace package (no __init__ run) when the kernel's working directory is not the repository.
    from ..dataset import load_dataset

    path = resolve_data_dir(data_dir)
    return Study.from_tables(load_dataset(path), data_dir=str(path))


_LOADED: dict[tuple, Study] = {}
_RACY = 2.0  # files modified this recently are read again every time (a rewrite may keep size and mtime)


def load_cached(data_dir: str | Path = "data/processed") -> Study:
    """:func:`load`, kept per process while the directory's files keep their names, sizes and times.

    Why: a renderer runs many region reports in one kernel, and loading and indexing the whole dataset
    for each grows with the dataset. Only the latest dataset is kept. The report code never modifies a
    Study; callers that do should use :func:`load`.
    """
    import time

    path = resolve_data_dir(data_dir)
    try:
        stats = tuple((f.name, st.st_size, st.st_mtime_ns, st.st_mtime)
                      for f in sorted(path.iterdir()) if f.is_file() for st in [f.stat()])
    except OSError:
        return load(data_dir)
    key = (str(path.resolve()), tuple(x[:3] for x in stats))
    hit = _LOADED.get(key)
    if hit is not None:
        return hit
    study = load(data_dir)
    _LOADED.clear()
    if all(time.time() - x[3] > _RACY for x in stats):
        _LOADED[key] = study
    return study
