"""The charts: small, plain matplotlib figures that show counts and intervals honestly.

Why these choices: bars of shares always carry their Wilson interval; request counts are plotted as
points joined by lines with the absolute change written next to each step (the percentage beside it),
so that +100% on 5 requests does not read like a trend; prose-derived values get their own marker.
Every function returns a Figure and leaves no global pyplot state behind (the caller closes it).
"""

from __future__ import annotations

import math

import matplotlib
import matplotlib.pyplot as plt
import matplotlib.ticker
import pandas as pd

from .. import fonts
from .data import SCOPE_ORDER
from .stats import fmt_growth, is_known

FOCAL = "#1f3b73"
PEER = "#a9b8d6"
MAX_PEERS_DRAWN = 15  # more same-scope peers than this: drawn as one summary band (range, quartiles, median)
MARKERS = {"table": ("o", "full"), "history": ("o", "none"), "prose": ("X", "full")}


def _scopes(df: pd.DataFrame) -> list[str]:
    """Scopes present, in the fixed order government, office, department, township."""
    return sorted((s for s in df["scope"].unique() if isinstance(s, str)), key=lambda s: (SCOPE_ORDER.get(s, 9), s))


def _t(zh: str, en: str, lang: str) -> str:
    return zh if lang == "zh" else en


def _fixed_margins(fig, left_in: float, bottom_in: float, height_in: float, width_in: float = 7.5) -> None:
    """A fixed layout for a one-panel figure (margins in inches)."""
    fig.subplots_adjust(left=left_in / width_in, right=1 - 0.15 / width_in, bottom=bottom_in / height_in,
                        top=1 - 0.15 / height_in)


def requests_over_time(series: pd.DataFrame, growth: pd.DataFrame, lang: str = "zh"):
    """New requests per agency and year; marker by source; each step labelled with its change."""
    fonts.apply()
    agencies = list(dict.fromkeys(series["agency"]))
    h = 3.6 + 0.3 * max(0, len(agencies) - 1)
    fig, ax = plt.subplots(figsize=(7.5, h))
    _fixed_margins(fig, 0.8, 0.7, h)  # fixed layout: no tick-label measuring (see small_multiples)
    for i, agency in enumerate(agencies):
        g = series[series["agency"] == agency].sort_values("year")
        color = f"C{i}"
        known = g[g["requests"].map(is_known)]
        ax.plot(known["year"], known["requests"], color=color, lw=1.2, alpha=0.7, label=agency)
        for src, (marker, fill) in MARKERS.items():
            pts = known[known["source"] == src]
            if len(pts):
                ax.plot(pts["year"], pts["requests"], marker, color=color, fillstyle=fill, ms=7, ls="none")
        # An interval-only prose value (no whole number fits) is drawn as a vertical bar, not a point.
        for r in g[~g["requests"].map(is_known) & g["lo"].map(is_known)].itertuples():
            ax.vlines(r.year, r.lo, r.hi, color=color, lw=3, alpha=0.6)
        gr = growth[growth["agency"] == agency]
        for r in gr.itertuples():
            if is_known(r.abs_change):
                ax.annotate(fmt_growth(r.abs_change, r.pct, r.prev, lang=lang), (r.year, r.requests),
                            textcoords="offset points", xytext=(0, 8), ha="center", fontsize=8, color=color)
    years = sorted(series["year"].unique())
    ax.set_xticks(years)
    ax.set_xticklabels([str(y) for y in years])
    ax.set_xlabel(_t("年度", "Year", lang))
    ax.set_ylabel(_t("本年新收申请（件）", "New requests", lang))
    top = series[["requests", "hi"]].max(numeric_only=True).max()
    ax.set_ylim(0, (top if is_known(top) else 1) * 1.25 + 1)
    handles = [plt.Line2D([], [], marker=m, fillstyle=f, ls="none", color="0.3", label=lab) for (m, f), lab in
               zip(MARKERS.values(), [_t("表格印刷数", "printed table", lang), _t("报告列出的历年数", "printed history",
                                                                            lang),
                                      _t("正文推算（非印刷）", "derived from prose", lang)])]
    leg1 = ax.legend(handles=handles, loc="upper left", fontsize=8, frameon=False)
    ax.add_artist(leg1)
    if len(agencies) > 1:
        ax.legend(loc="lower right", fontsize=8, frameon=False)
    return fig


def share_bars(table: pd.DataFrame, label_col: str, lang: str = "zh", xlabel: str | None = None,
               group_col: str | None = None):
    """Horizontal bars of shares (0–1) with Wilson intervals and "k/n" written at each bar."""
    fonts.apply()
    groups = list(dict.fromkeys(table[group_col])) if group_col else [None]
    n_rows = len(table[label_col].unique())
    h = 0.45 * n_rows * len(groups) + 1.2
    labels = list(dict.fromkeys(table[label_col]))
    fig, ax = plt.subplots(figsize=(7.5, h))
    _fixed_margins(fig, min(_label_width_in(labels, 8) + 0.2, 4.0), 0.7, h)
    height = 0.8 / len(groups)
    index = {lab: i for i, lab in enumerate(labels)}
    for gi, grp in enumerate(groups):
        sub = table if grp is None else table[table[group_col] == grp]
        ys, ps, err = [], [], []
        for r in sub.itertuples():
            y = index[getattr(r, label_col)] + gi * height - 0.4 + height / 2
            p = r.share if is_known(r.share) else 0.0
            ys.append(y)
            ps.append(p)
            if is_known(r.lo):
                err.append((y, p, p - r.lo, r.hi - p))
            k = f"{r.count:.0f}" if is_known(r.count) else "?"
            n = f"{r.n:.0f}" if hasattr(r, "n") and is_known(r.n) else ""
            txt = f"{k}/{n}" if n else k
            if not is_known(r.share):
                txt += _t("（未知）", " (unknown)", lang)
            ax.text(min(1.02, (r.hi if is_known(r.hi) else p) + 0.02), y, txt, va="center", fontsize=8)
        if ys:  # one call per group: one legend entry, far fewer artists than a call per bar
            ax.barh(ys, ps, height=height * 0.9, color=f"C{gi}", alpha=0.8, label=grp)
        if err:
            ax.errorbar([e[1] for e in err], [e[0] for e in err], xerr=[[e[2] for e in err], [e[3] for e in err]],
                        fmt="none", ecolor="0.2", capsize=2, lw=1)
    ax.set_yticks(range(len(labels)))
    ax.set_yticklabels(labels, fontsize=8)
    ax.invert_yaxis()
    ax.set_xlim(0, 1.15)
    ax.xaxis.set_major_formatter(matplotlib.ticker.PercentFormatter(1.0))
    ax.set_xlabel(xlabel or _t("占比", "Share", lang))
    if group_col and len(groups) > 1:
        ax.legend(fontsize=8, frameon=False, loc="lower right")
    return fig


def _label_width_in(labels, fontsize: float) -> float:
    """Rough width in inches of the widest label (CJK glyphs a full em, others about half an em).

    Why: measuring every tick label (constrained_layout) was half of the report's drawing time; an estimate
    from the characters gives a fixed layout that is good enough for a margin.
    """
    widest = 0.0
    for lab in labels:
        w = sum(1.0 if ord(ch) > 0x2E7F else 0.6 for ch in str(lab))
        widest = max(widest, w)
    return widest * fontsize / 72.0


def small_multiples(long: pd.DataFrame, iids: list[str], titles: dict[str, str], lang: str = "zh"):
    """One panel per indicator: every peer of the same scope, the focal agency dark, intervals if any.

    A fixed layout (margins computed from the labels, peer names on the first column only) instead of
    constrained_layout, and one bar/errorbar call per panel: the comparison grows with the number of peers.
    """
    fonts.apply()
    n = len(iids)
    peers = list(dict.fromkeys(long.sort_values(["focal", "region"], ascending=[False, True])["region"]))
    if len(peers) > MAX_PEERS_DRAWN:
        return _small_multiples_band(long, iids, titles, lang)
    fig, axes = _panel_grid(peers, n)
    ys = list(range(len(peers)))
    for ax, iid in zip(axes.flat, iids):
        sub = long[long["indicator"] == iid].set_index("region").reindex(peers)
        unit = sub["unit"].dropna().iloc[0] if sub["unit"].notna().any() else "requests"
        values = sub["value"].tolist()
        focal = [bool(f) if is_known(f) else False for f in sub["focal"].tolist()]
        known = [y for y in ys if is_known(values[y])]
        if known:
            ax.barh(known, [values[y] for y in known], color=[FOCAL if focal[y] else PEER for y in known])
        if unit == "share":
            lo, hi = sub["lo"].tolist(), sub["hi"].tolist()
            err = [y for y in known if is_known(lo[y])]
            if err:
                ax.errorbar([values[y] for y in err], err, xerr=[[values[y] - lo[y] for y in err],
                                                                  [hi[y] - values[y] for y in err]],
                            fmt="none", ecolor="0.2", capsize=2, lw=1)
        status = sub["status"].tolist() if "status" in sub.columns else [None] * len(peers)
        for y in ys:
            if not is_known(values[y]):
                none = str(status[y]) == "denominator is 0"
                ax.text(0, y, _t(" 无案件" if none else " 未知", " none" if none else " unknown", lang), va="center",
                        fontsize=7, color="0.4")
        _finish_panel(ax, titles.get(iid, iid), unit)
    _label_rows(axes, peers, n)
    return fig


def _finish_panel(ax, title: str, unit: str) -> None:
    ax.set_title(title, fontsize=9)
    if unit == "share":
        ax.set_xlim(0, 1)
        ax.xaxis.set_major_formatter(matplotlib.ticker.PercentFormatter(1.0))
    ax.tick_params(axis="x", labelsize=7)


def _label_rows(axes, labels: list[str], n: int) -> None:
    """One shared y axis of ``labels`` printed on the first column only, top row first (the focal
    agency on top); panels beyond the ``n`` drawn are hidden."""
    first = axes[0, 0]
    first.set_yticks(range(len(labels)))
    first.set_yticklabels(labels, fontsize=8)
    first.set_ylim(len(labels) - 0.5, -0.5)
    for ax in axes[:, 0]:
        ax.tick_params(axis="y", labelsize=8)
    for ax in axes[:, 1:].flat:
        ax.tick_params(axis="y", labelleft=False)
    for ax in list(axes.flat)[n:]:
        ax.axis("off")


def _panel_grid(labels: list[str], n: int):
    """n panels (up to three a row) sharing one y axis of ``labels``, laid out by fixed margins
    computed from the label widths (constrained_layout measured every tick label: slow)."""
    cols = min(3, n)
    rows = math.ceil(n / cols)
    label_w = _label_width_in(labels, 8) + 0.25
    panel_w, panel_h = 2.9, 0.32 * len(labels) + 0.9
    gap_w, top_h, bottom_h, gap_h = 0.35, 0.35, 0.45, 0.55
    width = label_w + cols * panel_w + (cols - 1) * gap_w + 0.2
    height = top_h + rows * panel_h + (rows - 1) * gap_h + bottom_h
    fig, axes = plt.subplots(rows, cols, figsize=(width, height), squeeze=False, sharey=True)
    fig.subplots_adjust(left=label_w / width, right=1 - 0.2 / width, bottom=bottom_h / height,
                        top=1 - top_h / height, wspace=gap_w / panel_w, hspace=gap_h / panel_h)
    return fig, axes


def _small_multiples_band(long: pd.DataFrame, iids: list[str], titles: dict[str, str], lang: str = "zh"):
    """:func:`small_multiples` for many peers: the focal agency's bar, and the other peers as one row that
    shows their range (thin line), interquartile range (band) and median (tick)."""
    focal_regions = list(dict.fromkeys(long[long["focal"].astype(bool)].sort_values("region")["region"]))
    others = long[~long["region"].isin(focal_regions)]
    n_others = others["region"].nunique()
    band_label = _t(f"其他{n_others}个同类机关", f"{n_others} other agencies", lang)
    labels = focal_regions + [band_label]
    n = len(iids)
    fig, axes = _panel_grid(labels, n)
    yb = len(focal_regions)
    for ax, iid in zip(axes.flat, iids):
        sub = long[long["indicator"] == iid]
        unit = sub["unit"].dropna().iloc[0] if sub["unit"].notna().any() else "requests"
        foc = sub[sub["region"].isin(focal_regions)].set_index("region").reindex(focal_regions)
        for y, (v, lo, hi, st) in enumerate(zip(foc["value"], foc["lo"], foc["hi"], foc["status"])):
            if is_known(v):
                ax.barh(y, v, color=FOCAL)
                if unit == "share" and is_known(lo):
                    ax.errorbar(v, y, xerr=[[v - lo], [hi - v]], fmt="none", ecolor="0.2", capsize=2, lw=1)
            else:
                none = str(st) == "denominator is 0"
                ax.text(0, y, _t(" 无案件" if none else " 未知", " none" if none else " unknown", lang), va="center",
                        fontsize=7, color="0.4")
        vals = others[others["indicator"] == iid]["value"].dropna().astype(float)
        if len(vals):
            q = vals.quantile([0.0, 0.25, 0.5, 0.75, 1.0]).tolist()
            ax.hlines(yb, q[0], q[4], color=PEER, lw=1.5)
            ax.barh(yb, q[3] - q[1], left=q[1], height=0.5, color=PEER)
            ax.vlines(q[2], yb - 0.3, yb + 0.3, color=FOCAL, lw=1.5)
        else:
            ax.text(0, yb, _t(" 未知", " unknown", lang), va="center", fontsize=7, color="0.4")
        _finish_panel(ax, titles.get(iid, iid), unit)
    _label_rows(axes, labels, n)
    return fig


def faceted_by_scope(long: pd.DataFrame, value: str, lang: str = "zh", share: bool = False,
                     scope_labels: dict[str, str] | None = None):
    """Overview: one panel per scope (never mixed), one row per region, value with interval if share."""
    fonts.apply()
    scopes = _scopes(long)
    height = sum(max(1, long[long["scope"] == s]["region"].nunique()) for s in scopes)
    fig, axes = plt.subplots(len(scopes), 1, figsize=(7, 0.35 * height + 1.1 * len(scopes)), squeeze=False,
                             layout="constrained")
    for ax, scope in zip(axes[:, 0], scopes):
        sub = long[long["scope"] == scope].sort_values(["year", "region"])
        labels = [f"{r.region} ({r.year})" for r in sub.itertuples()]
        for y, r in enumerate(sub.itertuples()):
            v = getattr(r, value)
            if is_known(v):
                ax.barh(y, v, color=FOCAL if share else "C0")
                if share and is_known(r.lo):
                    ax.errorbar(v, y, xerr=[[v - r.lo], [r.hi - v]], color="0.2", capsize=2, lw=1)
            else:
                ax.text(0, y, _t(" 未知", " unknown", lang), va="center", fontsize=7, color="0.4")
        ax.set_yticks(range(len(labels)))
        ax.set_yticklabels(labels, fontsize=8)
        ax.invert_yaxis()
        ax.set_title((scope_labels or {}).get(scope, scope), fontsize=9)
        if share:
            ax.set_xlim(0, 1)
            ax.xaxis.set_major_formatter(matplotlib.ticker.PercentFormatter(1.0))
    return fig


def lines_by_scope(series: pd.DataFrame, lang: str = "zh", scope_labels: dict[str, str] | None = None):
    """Overview: new requests per region and year, one panel per scope."""
    fonts.apply()
    scopes = _scopes(series)
    fig, axes = plt.subplots(1, len(scopes), figsize=(3.8 * len(scopes), 3.4), squeeze=False,
                             layout="constrained")
    for ax, scope in zip(axes[0], scopes):
        sub = series[series["scope"] == scope]
        for i, (agency, g) in enumerate(sub.groupby("agency", sort=True)):
            g = g[g["requests"].map(is_known)].sort_values("year")
            ax.plot(g["year"], g["requests"], "-", color=f"C{i}", lw=1, label=g["region"].iloc[0] if len(g) else
                    agency)
            for src, (marker, fill) in MARKERS.items():
                pts = g[g["source"] == src]
                ax.plot(pts["year"], pts["requests"], marker, color=f"C{i}", fillstyle=fill, ls="none", ms=5)
        years = sorted(sub["year"].unique())
        ax.set_xticks(years)
        ax.set_xticklabels([str(y) for y in years], fontsize=7)
        ax.set_title((scope_labels or {}).get(scope, scope), fontsize=9)
        ax.set_ylim(bottom=0)
        ax.legend(fontsize=7, frameon=False)
    return fig
