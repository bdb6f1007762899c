"""All regions side by side, grouped by scope: what ``notebooks/overview.py`` calls.

Same rules as the region report: scopes are never mixed in one ranking or panel, every rate names its
denominator and shows its counts, land requisition keeps its precision level per report, and unknown
values stay unknown. Exhibit ids are ``overview-<latest year>-O<n>``.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from . import figures as fig
from . import indicators as ind
from . import land as land_mod
from . import plots, quality
from .cite import Citation, code_version, dataset_version, render_date
from .compare import latest_by_scope
from .data import SCOPE_ORDER, Study, load
from .report import Sections, _Raw, _render_dir, scope_label
from .requests import requests_by_year, yoy
from .stats import fmt_growth, fmt_int, fmt_pct, fmt_share, is_known, share

PREFIX = "overview"
KEY_INDICATORS = ["new_requests", "disclosure_rate", "unable_rate", "review_correction_rate"]


class Overview(Sections):
    """Sections of the all-regions notebook."""

    def __init__(self, lang: str = "zh", data_dir: str | Path = "data/processed",
                 figures_out: str | Path | None = None, study: Study | None = None):
        super().__init__(lang, data_dir, figures_out, study, loader=load)
        self.year = int(self.study.reports["year"].max())
        self.series = requests_by_year(self.study)
        self.growth = yoy(self.series, self.study)
        self.latest = latest_by_scope(self.study, KEY_INDICATORS)
        self.scope_labels = {s: scope_label(s, self.lang) for s in self.study.reports["scope"].dropna().unique()}

    def _describe(self, ref: str) -> str:
        return self.study.describe(ref, self.lang)

    def _source(self, refs) -> str:
        refs = [r for rs in refs for r in rs]
        return self.study.source_summary(refs, self.lang) if refs else self._t("全部报告", "all reports")

    def header(self) -> fig.Block:
        n = len(self.study.reports)
        title = self._t("全部地区概览", "All regions")
        intro = self._t(f"数据集中{n}份可用报告、{len(self.study.regions())}个地区。按机关类型（政府 / 政府办公室 / 部门 / 乡镇街道）"
                        "分组，类型之间不比较。", f"{n} usable reports from {len(self.study.regions())} regions, grouped "
                        "by scope (government / office / department / township); scopes are not compared.")
        return fig.Block([_Raw(fig.STYLE), _Raw(f"<h1>{fig.esc(title)}</h1>"), _Raw(fig.paragraph(intro))])

    def key_figures(self) -> fig.Exhibit:
        """O1: each agency's latest report, grouped by scope."""
        wide = self.latest.pivot_table(index=["report_id", "region", "agency", "scope", "year"], columns="indicator",
                                       values=["value", "k", "n"], aggfunc="first", dropna=False)
        disp, data, refs = [], [], []
        order = self.latest.drop_duplicates("report_id").assign(o=lambda d: d["scope"].map(SCOPE_ORDER).fillna(9))
        for r in order.sort_values(["o", "region"]).itertuples(index=False):
            w = wide.loc[(r.report_id, r.region, r.agency, r.scope, r.year)]
            g = self.growth[(self.growth["agency"] == r.agency) & (self.growth["year"] == r.year)]
            gtext = fmt_growth(g["abs_change"].iloc[0], g["pct"].iloc[0], g["prev"].iloc[0], lang=self.lang) \
                if len(g) and is_known(g["abs_change"].iloc[0]) else "—"
            if len(g) and bool(g["derived"].iloc[0]) and gtext != "—":
                gtext += fig.DERIVED_MARK
            lr = land_mod.land(self.study, [r.report_id]).iloc[0]

            def rate(iid, w=w):
                k, n = w[("k", iid)], w[("n", iid)]
                if is_known(n) and n == 0:
                    return self._t("无（0）", "none (0)")
                return fmt_share(share(k, n), self.lang) if is_known(w[("value", iid)]) else self._t("未知", "unknown")

            disp.append({self._t("类型", "Scope"): scope_label(r.scope, self.lang),
                         self._t("地区", "Region"): r.region, self._t("机关", "Agency"): r.agency,
                         self._t("年度", "Year"): r.year,
                         ind.get("new_requests").title(self.lang): fmt_int(w[("value", "new_requests")], self.lang),
                         ind.get("yoy_change").title(self.lang): gtext,
                         ind.get("disclosure_rate").title(self.lang): rate("disclosure_rate"),
                         ind.get("unable_rate").title(self.lang): rate("unable_rate"),
                         ind.get("land_share").title(self.lang): fmt_pct(lr["share"], self.lang)
                         if is_known(lr["share"]) else land_mod.level_label(lr["level"], self.lang),
                         ind.get("review_correction_rate").title(self.lang): rate("review_correction_rate")})
            data.append({"report_id": r.report_id, "region": r.region, "agency": r.agency, "scope": r.scope,
                         "year": r.year, **{f"{iid}": w[("value", iid)] for iid in KEY_INDICATORS},
                         "land_level": lr["level"], "land_share": lr["share"]})
            rr = self.latest[self.latest["report_id"] == r.report_id]["refs"]
            refs.append(tuple(x for rs in rr for x in rs) + tuple(lr["refs"]))
        return fig.make_table("O1", PREFIX, self.year, self.lang, pd.DataFrame(disp), pd.DataFrame(data), refs,
                              self._describe, self._source(refs), PREFIX, label_cols=4, short=self.study.short,
                              notes=[ind.get("disclosure_rate").definition(self.lang),
                                     self._t("† 上年数由正文推算。", "† previous year derived from prose.")])

    def requests(self) -> fig.Exhibit:
        """O2: new requests by year, one panel per scope."""
        s = self.series
        f = plots.lines_by_scope(s, self.lang, self.scope_labels)
        refs = list(s["refs"])
        return fig.make_figure("O2", PREFIX, self.year, self.lang, f, s.drop(columns=["refs"]), refs,
                               self._describe, self._source(refs), PREFIX, short=self.study.short)

    def disclosure(self) -> fig.Exhibit:
        """O3: disclosure rate with Wilson intervals, one panel per scope."""
        d = self.latest[self.latest["indicator"] == "disclosure_rate"].copy()
        f = plots.faceted_by_scope(d, "value", self.lang, share=True, scope_labels=self.scope_labels)
        refs = list(d["refs"])
        return fig.make_figure("O3", PREFIX, self.year, self.lang, f, d.drop(columns=["refs"]), refs,
                               self._describe, self._source(refs), PREFIX, short=self.study.short,
                               notes=[ind.get("disclosure_rate").definition(self.lang)])

    def land(self) -> fig.Exhibit:
        """O4: land requisition per report with its level; never pooled."""
        df = land_mod.land(self.study, self.study.reports["report_id"].tolist())
        disp = [{self._t("类型", "Scope"): scope_label(r["scope"], self.lang), self._t("地区", "Region"): r["region"],
                 self._t("年度", "Year"): r["year"],
                 self._t("精确度", "Precision level"): land_mod.level_label(r["level"], self.lang),
                 self._t("说明", "Meaning"): land_mod.describe(r, self.lang),
                 self._t("原文", "Quote"): r["quote"] or ""} for r in df.to_dict("records")]
        refs = list(df["refs"])
        counts = df["level"].value_counts()
        summary = "; ".join(f"{land_mod.level_label(k, self.lang)}: {v}" for k, v in counts.items())
        return fig.make_table("O4", PREFIX, self.year, self.lang, pd.DataFrame(disp), df.drop(columns=["refs"]),
                              refs, self._describe, self._source(refs), PREFIX, label_cols=3, short=self.study.short,
                              notes=[ind.get("land_share").note(self.lang),
                                     self._t(f"各等级报告数：{summary}", f"Reports per level: {summary}")])

    def quality(self) -> fig.Exhibit:
        """O5: per report status, unknown values and failed checks; copies not used."""
        rids = self.study.reports["report_id"].tolist()
        fails = quality.failed_checks(self.study, rids, self.lang)
        unk = quality.unknown_values(self.study, rids, self.lang)
        disp, data = [], []
        for r in self.study.all_reports.to_dict("records"):
            used = r["report_id"] in set(rids)
            nf = int(((fails["report_id"] == r["report_id"]) & (fails["result"] == "fail")).sum())
            nu = int((unk["report_id"] == r["report_id"]).sum())
            drop = self.study.dropped[self.study.dropped["report_id"] == r["report_id"]]["dropped_because"]
            disp.append({self._t("文件", "File"): r["file"], self._t("地区", "Region"): r["region"],
                         self._t("年度", "Year"): r["year"], self._t("状态", "Status"): r["status"],
                         self._t("使用", "Used"): self._t("是", "yes") if used else self._t("否", "no"),
                         self._t("未通过检查", "Checks failed"): nf if used else "",
                         self._t("未知数值", "Unknown values"): nu if used else "",
                         self._t("说明", "Note"): (r.get("reason") or "") if used else
                         (drop.iloc[0] if len(drop) else "")})
            data.append({"file": r["file"], "report_id": r["report_id"], "region": r["region"], "year": r["year"],
                         "status": r["status"], "used": used, "checks_failed": nf, "unknown_values": nu})
        return fig.make_table("O5", PREFIX, self.year, self.lang, pd.DataFrame(disp), pd.DataFrame(data), None,
                              self._describe, self._t("全部报告", "all reports"), PREFIX, short=self.study.short)

    def citation(self) -> Citation:
        years = tuple(sorted(int(y) for y in self.study.reports["year"].unique()))
        srcs = tuple(self.study.reports[["agency", "title", "year", "publication_date", "file"]].to_dict("records"))
        return Citation("全部地区", "all regions", years, dataset_version(self.data_dir), code_version(),
                        render_date(), {"lang": self.lang, "data_dir": self.data_dir_param}, srcs)

    def finish(self) -> pd.DataFrame:
        reg = fig.registry()
        side = _render_dir()
        if self.figures_out:
            fig.write_registry(self.figures_out, PREFIX)
        elif side is not None:
            fig.write_registry(side / "figures.csv", PREFIX)
        return reg
