"""New information requests per agency and year, and their year-on-year change.

Sources, in order of precedence for one (agency, year):

1. ``table``   表三 一、本年新收 … 总计 as printed (or derived) in that year's report;
2. ``history`` a multi-year series printed in some report (e.g. 依申请公开数 2019–2023): printed
   numbers, but outside the statistical table, so marked;
3. ``prose``   the previous year's count implied by a sentence such as "收到申请81件，同比增长39.7%"
   (81 / 1.397 ≈ 58). It is *derived*, never printed: it is only used where no table or history
   value exists and is always marked. When no whole number fits the rounded percentage, the value is
   unknown and the interval that fits is kept beside it.

Growth is reported as the absolute change with the percentage beside it, because bases of 10–100
requests make percentages jumpy: +100% on 5 requests is 5 requests.
"""

from __future__ import annotations

import math
import re

import pandas as pd

from .data import Study
from .stats import growth, is_known

KEY = "t3.new_received.total"
SOURCES = ("table", "history", "prose")
_SERIES_YES = re.compile(r"申请")
_SERIES_NO = re.compile(r"答复|办结|回复|按时|公开率|%|率")

COLUMNS = ["region", "agency", "scope", "year", "requests", "source", "derived", "lo", "hi", "report_id",
           "refs", "note"]


def requests_series_label(labels: list[str]) -> str | None:
    """Which printed history series counts requests (依申请公开数), not replies (按时答复数)."""
    for lab in labels:
        if _SERIES_YES.search(lab) and not _SERIES_NO.search(lab):
            return lab
    return None


def _history_points(study: Study, rid: str) -> list[tuple[int, float, str, str]]:
    """(year, count, ref, note) from a history series printed in report ``rid``."""
    out = []
    for fact in study.facts(rid, "history"):
        if not isinstance(fact.value, dict):
            continue
        label = requests_series_label(list(fact.value))
        if label is None:
            continue
        lines = (fact.detail.get("series_lines") or {}).get(label)
        where = f"“{label}”" + (f", line {lines[0]}" if lines else "")
        for y, v in fact.value[label].items():
            try:
                out.append((int(y), float(v), fact.ref, f"history series {where}"))
            except (TypeError, ValueError):
                continue
    return out


def _implied_previous(study: Study, rid: str) -> dict | None:
    """The previous-year count implied by the prose of report ``rid`` (derived), or None."""
    fact = study.fact(rid, "prev_year_applications_implied")
    if fact is None:
        return None
    integer = fact.detail.get("integer")
    lo = hi = math.nan
    v = fact.value
    if isinstance(v, (list, tuple)) and len(v) == 2:
        lo, hi = float(v[0]), float(v[1])
    elif is_known(v):
        lo = hi = float(v)
    value = float(integer) if is_known(integer) else math.nan
    note = "derived from prose"
    if not is_known(integer):
        note += f": no whole number fits the stated change (interval {lo:g}–{hi:g})"
    return {"value": value, "lo": lo, "hi": hi, "ref": fact.ref, "note": note}


def requests_by_year(study: Study, region: str | None = None, years: list[int] | None = None) -> pd.DataFrame:
    """One row per (agency, year) with the best available count and where it came from (see module doc)."""
    reps = study.reports if region is None else study.reports_for(region, years)
    rows: list[dict] = []
    for agency, group in reps.groupby("agency", sort=True):
        have: dict[int, dict] = {}
        base = {"region": group["region"].iloc[0], "agency": agency, "scope": group["scope"].iloc[0]}
        for r in group.itertuples(index=False):
            cell = study.cell(r.report_id, KEY)
            note = "" if cell.known else f"unknown ({cell.status})"
            have[int(r.year)] = dict(base, year=int(r.year), requests=cell.value, source="table", derived=False,
                                     lo=math.nan, hi=math.nan, report_id=r.report_id, refs=(cell.ref,), note=note)
        for r in group.itertuples(index=False):
            for y, v, ref, note in _history_points(study, r.report_id):
                if years and y not in years and y != min(years) - 1:
                    continue
                if y in have:
                    row = have[y]
                    if row["source"] == "table" and is_known(row["requests"]) and row["requests"] != v:
                        row["note"] = (row["note"] + "; " if row["note"] else "") + \
                            f"a history series printed in {study.report(r.report_id)['file']} says {v:g}"
                    continue
                have[y] = dict(base, year=y, requests=v, source="history", derived=False, lo=math.nan,
                               hi=math.nan, report_id=r.report_id, refs=(ref,), note=note)
        for r in group.itertuples(index=False):
            prev = int(r.year) - 1
            if prev in have:
                continue
            imp = _implied_previous(study, r.report_id)
            if imp is None:
                continue
            have[prev] = dict(base, year=prev, requests=imp["value"], source="prose", derived=True,
                              lo=imp["lo"], hi=imp["hi"], report_id=r.report_id, refs=(imp["ref"],),
                              note=imp["note"])
        rows.extend(have[y] for y in sorted(have))
    return pd.DataFrame(rows, columns=COLUMNS)


_DOWN = re.compile(r"下降|减少|降低|下滑|回落|降幅|下降率")


def _signed(study: Study, fact) -> float:
    """A stated change with its sign: "减少5件" is -5 even if the number was read as 5."""
    v = float(fact.value)
    direction = study.fact(fact.report_id, "yoy_direction")
    down = bool(_DOWN.search(str(fact.detail.get("word", "")))) or (
        direction is not None and str(direction.value).lower() in ("down", "decrease", "-1"))
    return -abs(v) if down else v


def stated_growth(study: Study, rid: str) -> tuple[float, str | None]:
    """The growth percentage a report states for its own year (signed), with its ref."""
    fact = study.fact(rid, "yoy_growth_pct_stated")
    if fact is None or not is_known(fact.value):
        return math.nan, None
    return _signed(study, fact), fact.ref


def yoy(series: pd.DataFrame, study: Study | None = None) -> pd.DataFrame:
    """Year-on-year change per agency: the absolute change beside every percentage.

    A change is computed only between consecutive years; ``derived`` is true when either year's count
    is derived from prose. ``stated_pct`` is the percentage the report itself prints, for comparison.
    """
    out = []
    for agency, g in series.sort_values("year").groupby("agency", sort=True):
        by_year = {int(r.year): r for r in g.itertuples(index=False)}
        for y, r in by_year.items():
            p = by_year.get(y - 1)
            row = {"region": r.region, "agency": agency, "scope": r.scope, "year": y, "requests": r.requests,
                   "source": r.source, "prev_year": y - 1, "prev": math.nan, "prev_source": None,
                   "abs_change": math.nan, "pct": math.nan, "stated_pct": math.nan, "stated_abs": math.nan,
                   "derived": bool(r.derived), "refs": tuple(r.refs)}
            if p is not None:
                gr = growth(p.requests, r.requests)
                row.update(prev=p.requests, prev_source=p.source, abs_change=gr.abs_change, pct=gr.pct,
                           derived=bool(r.derived or p.derived), refs=tuple(r.refs) + tuple(p.refs))
            if study is not None and r.source == "table":
                pct, ref = stated_growth(study, r.report_id)
                row["stated_pct"] = pct
                if ref:
                    row["refs"] = row["refs"] + (ref,)
                ab = study.fact(r.report_id, "yoy_abs_stated")
                if ab is not None and is_known(ab.value):
                    row["stated_abs"] = _signed(study, ab)
                    row["refs"] = row["refs"] + (ab.ref,)
            out.append(row)
    return pd.DataFrame(out, columns=["region", "agency", "scope", "year", "requests", "source", "prev_year",
                                      "prev", "prev_source", "abs_change", "pct", "stated_pct", "stated_abs",
                                      "derived",
                                      "refs"])
