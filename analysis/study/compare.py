"""A region against the other agencies of the SAME scope (and the same year) in the dataset.

Why never mix scopes: a county government's report covers every department of the county, a 政府办公室
report covers one office, a 部门 report one bureau. Their request counts differ by an order of
magnitude for that reason alone, so ranking a 办公室 among 政府 reports would measure the scope, not the
agency. Ranks are computed among peers with a known value only (1 = highest value), and the number of
agencies ranked is given beside every rank.
"""

from __future__ import annotations

import pandas as pd

from .data import Study
from .measures import measures


def peers(study: Study, report_id: str, same_year: bool = True) -> pd.DataFrame:
    """Used reports of the same scope as ``report_id`` (itself included), by default of the same year."""
    m = study.report(report_id)
    sel = study.reports[study.reports["scope"] == m["scope"]]
    if same_year:
        sel = sel[sel["year"] == m["year"]]
    return sel


def rank(values: pd.Series) -> pd.Series:
    """1 = highest; ties share the best rank; unknown values get no rank (NaN)."""
    return values.rank(ascending=False, method="min", na_option="keep")


def compare(study: Study, report_id: str, iids: list[str], same_year: bool = True) -> pd.DataFrame:
    """Long table over ``report_id``'s peers: one row per (peer, indicator) with value, rank, n ranked."""
    scope = study.report(report_id)["scope"]
    if pd.isna(scope):
        return pd.DataFrame()  # scope not stated: comparable with no one rather than with everyone
    peer = peers(study, report_id, same_year)
    assert set(peer["scope"]) == {scope}, "comparison must not mix scopes"
    long = measures(study, peer["report_id"].tolist(), iids)
    long["focal"] = long["report_id"] == report_id
    long["rank"] = long.groupby("indicator")["value"].transform(rank)
    long["n_ranked"] = long.groupby("indicator")["value"].transform(lambda s: int(s.notna().sum()))
    long["n_peers"] = len(peer)
    return long


def region_comparisons(study: Study, region: str, year: int, iids: list[str]) -> pd.DataFrame:
    """:func:`compare` for each of the region's reports in ``year`` (one per scope it has)."""
    reps = study.reports_for(region, [year])
    frames = [compare(study, rid, iids) for rid in reps["report_id"]]
    frames = [f for f in frames if len(f)]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def ranks_table(long: pd.DataFrame) -> pd.DataFrame:
    """The focal agency's rank per indicator and scope: "2 / 5" style, with the peers' range."""
    rows = []
    for (scope, year, iid), g in long.groupby(["scope", "year", "indicator"], sort=False):
        for f in g[g["focal"]].itertuples(index=False):
            known = g["value"].dropna()
            rows.append({"scope": scope, "year": year, "indicator": iid, "agency": f.agency, "value": f.value,
                         "k": f.k, "n": f.n, "lo": f.lo, "hi": f.hi, "status": f.status, "rank": f.rank,
                         "n_ranked": f.n_ranked, "n_peers": f.n_peers,
                         "peer_min": known.min() if len(known) else float("nan"),
                         "peer_max": known.max() if len(known) else float("nan"),
                         "refs": tuple(f.refs)})
    return pd.DataFrame(rows)


def latest_by_scope(study: Study, iids: list[str]) -> pd.DataFrame:
    """Every agency's latest used report, measured, with ``scope`` kept for grouping (overview)."""
    latest = study.reports.sort_values("year").groupby("agency", sort=False).tail(1)
    long = measures(study, latest["report_id"].tolist(), iids)
    long["rank_in_scope_year"] = long.groupby(["scope", "year", "indicator"])["value"].transform(rank)
    return long
