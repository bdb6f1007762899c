"""Indicators computed from the cells that ``indicators.toml`` names, one report at a time.

Why generic: the toml already says, for every count and rate, which keys sum to the numerator and which
to the denominator; computing from that same entry means the caption's definition and the number cannot
drift apart. A count is the sum of its keys; a share is numerator/denominator with a Wilson interval.
Any unknown part makes the result unknown, and the status says which cell and why.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from . import indicators as ind
from .data import Study
from .stats import share, total

COMPUTABLE_UNITS = ("requests", "share")


@dataclass(frozen=True)
class Measure:
    indicator: str
    value: float  # the count, or the share (0–1)
    k: float
    n: float
    lo: float
    hi: float
    status: str  # "ok", or why the value is unknown
    refs: tuple[str, ...]


def _sum(study: Study, rid: str, keys: tuple[str, ...]) -> tuple[float, list[str], list[str]]:
    vals, refs, problems = [], [], []
    for key in keys:
        c = study.cell(rid, key)
        vals.append(c.value)
        refs.append(c.ref)
        if not c.known:
            problems.append(f"{key} {c.status}")
    return total(vals), refs, problems


def computable(iid: str) -> bool:
    i = ind.get(iid)
    return i.unit in COMPUTABLE_UNITS and all(k.startswith(("t2.", "t3.", "t4.")) for k in
                                              i.numerator + i.denominator)


def measure(study: Study, rid: str, iid: str) -> Measure:
    """One indicator for one report (see the module docstring)."""
    i = ind.get(iid)
    if not computable(iid):
        raise ValueError(f"indicator {iid!r} is not computed from table cells (unit {i.unit})")
    k, krefs, kprob = _sum(study, rid, i.numerator)
    if i.unit == "requests":
        status = "ok" if not kprob else "unknown: " + "; ".join(kprob)
        return Measure(iid, k, k, math.nan, math.nan, math.nan, status, tuple(krefs))
    n, nrefs, nprob = _sum(study, rid, i.denominator)
    refs = tuple(dict.fromkeys(krefs + nrefs))
    problems = kprob + [p for p in nprob if p not in kprob]
    s = share(k, n)
    if problems:
        status = "unknown: " + "; ".join(problems)
    elif n == 0:
        status = "denominator is 0"
    elif k > n:
        status = f"numerator {k:g} exceeds denominator {n:g} (as printed)"
    else:
        status = "ok"
    return Measure(iid, s.p if status == "ok" else math.nan, k, n, s.lo, s.hi, status, refs)


def measures(study: Study, rids: list[str], iids: list[str]) -> pd.DataFrame:
    """Long table: one row per (report, indicator) with value, k, n, interval, status and refs."""
    rows = []
    for rid in rids:
        m = study.report(rid)
        for iid in iids:
            x = measure(study, rid, iid)
            rows.append({"report_id": rid, "region": m["region"], "agency": m["agency"], "scope": m["scope"],
                         "year": int(m["year"]), "indicator": iid, "unit": ind.get(iid).unit,
                         "value": x.value, "k": x.k, "n": x.n, "lo": x.lo, "hi": x.hi, "status": x.status,
                         "refs": x.refs})
    return pd.DataFrame(rows, columns=["report_id", "region", "agency", "scope", "year", "indicator", "unit",
                                       "value", "k", "n", "lo", "hi", "status", "refs"])
