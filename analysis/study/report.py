"""The region report as sections: what ``notebooks/region.py`` calls, one method per section.

Why a class: the notebook must stay thin (no function defined in it), yet each section needs the same
region, years, language, loaded dataset and the same figure-id prefix. ``RegionReport`` holds them; each
method returns an object that displays itself (``_repr_html_``) and registers its exhibits, so the
notebook cell is one expression. Creating a report resets the figure registry and matplotlib fonts,
which a reused kernel (the renderer runs many regions in one) needs.
"""

from __future__ import annotations

import math
import zlib
from pathlib import Path

import numpy as np
import pandas as pd

from .. import fonts
from . import compare as cmp
from . import figures as fig
from . import indicators as ind
from . import land as land_mod
from . import outcomes as out_mod
from . import plots, quality
from . import review as rev
from .cite import Citation, code_version, dataset_version, render_date
from .data import SCOPE_ORDER, SCOPE_ZH, Study, load_cached
from .measures import measure
from .requests import requests_by_year, yoy
from .stats import fmt_growth, fmt_int, fmt_pct, fmt_share, is_known, share
from .trend import trends

COMPARE_INDICATORS = ["new_requests", "disclosure_rate", "unable_rate", "not_processed_rate",
                      "natural_person_share", "review_correction_rate"]
RATE_INDICATORS = ["disclosure_rate", "disclosure_rate_new", "disclosure_rate_handled", "disclosure_rate_merits",
                   "full_disclosure_rate", "denied_rate", "unable_rate", "not_processed_rate", "other_rate"]
SOURCE_ZH = {"table": "表格", "history": "报告列出的历年数", "prose": "正文推算"}
SOURCE_EN = {"table": "table", "history": "printed history series", "prose": "derived from prose"}


def seed_for(region: str) -> int:
    """A stable seed from the region name (``hash()`` changes between processes; crc32 does not)."""
    return zlib.crc32(region.encode("utf-8"))


def parse_years(years) -> list[int] | None:
    """``None``, an int, a list of ints, or text such as ``"2022,2023"`` / ``"2019-2023"`` (command lines)."""
    if years is None or years == "" or years == []:
        return None
    if isinstance(years, int):
        return [years]
    if isinstance(years, str):
        import re

        out: list[int] = []
        for a, b in re.findall(r"(\d{4})(?:\s*[-–]\s*(\d{4}))?", years):
            out.extend(range(int(a), int(b) + 1) if b else [int(a)])
        return sorted(set(out)) or None
    return sorted({int(y) for y in years})


def scope_label(scope: str, lang: str) -> str:
    return SCOPE_ZH.get(scope, scope) if lang == "zh" else str(scope)


class Sections:
    """What every notebook's section object starts with: the language, a fresh figure registry, the
    CJK font, the dataset and where figure data goes."""

    def __init__(self, lang: str, data_dir: str | Path, figures_out: str | Path | None, study: Study | None,
                 loader=load_cached):
        self.lang = ind.check_lang(lang)
        fig.reset()
        fonts.setup()
        self.study = study if study is not None else loader(data_dir)
        self.data_dir = self.study.data_dir or str(data_dir)
        self.data_dir_param = str(data_dir)
        self.figures_out = figures_out

    def _t(self, zh: str, en: str) -> str:
        return zh if self.lang == "zh" else en


class RegionReport(Sections):
    """Sections of one region's report (see the module docstring)."""

    def __init__(self, region: str, years: list[int] | None = None, lang: str = "zh",
                 data_dir: str | Path = "data/processed", figures_out: str | Path | None = None,
                 study: Study | None = None):
        super().__init__(lang, data_dir, figures_out, study)
        self.region = region
        self.years = parse_years(years)
        self.reps = self.study.reports_for(region, self.years)
        if not len(self.reps):
            known = ", ".join(self.study.regions())
            raise ValueError(f"no usable report for region {region!r} (years {self.years}); regions: {known}")
        self.year = int(self.reps["year"].max())
        focal = self.reps[self.reps["year"] == self.year].copy()
        focal["_o"] = focal["scope"].map(SCOPE_ORDER).fillna(9)
        self.focal = focal.sort_values(["_o", "agency"]).drop(columns="_o")
        self.seed = seed_for(region)
        self.rng = np.random.default_rng(self.seed)
        self.series = requests_by_year(self.study, region, self.years)
        self.growth = yoy(self.series, self.study)
        self.trends = trends(self.series)

    # ------------------------------------------------------------------------------------ helpers
    def _describe(self, ref: str) -> str:
        return self.study.describe(ref, self.lang)

    def _source(self, refs) -> str:
        return self.study.source_summary(refs, self.lang)

    def _table(self, number: str, display: pd.DataFrame, data: pd.DataFrame, refs, notes=(), label_cols=1):
        all_refs = [r for rs in refs for r in rs] if refs is not None else []
        source = self._source(all_refs) if all_refs else self._sources_of_region()
        return fig.make_table(number, self.region, self.year, self.lang, display, data, refs, self._describe,
                              source, self.region, notes, label_cols, self.study.short)

    def _figure(self, number: str, figure, data: pd.DataFrame, refs, notes=()):
        all_refs = [r for rs in refs for r in rs]
        return fig.make_figure(number, self.region, self.year, self.lang, figure, data, refs, self._describe,
                               self._source(all_refs), self.region, notes, self.study.short)

    def _sources_of_region(self) -> str:
        names = [self.study.report_name(r, self.lang) + f" ({self.study.report(r)['file']})"
                 for r in self.reps["report_id"]]
        return ("；".join(names) + "。") if self.lang == "zh" else ("; ".join(names) + ".")

    def _unknown_text(self, status: str, candidates: str | None = None) -> str:
        c = f" {candidates}" if candidates else ""
        return self._t(f"未知（{status}{c}）", f"unknown ({status}{c})")

    # ------------------------------------------------------------------------------------ sections
    def header(self) -> fig.Block:
        """Title, scope of the report and reading notes (with the page's CSS)."""
        span = sorted(self.reps["year"].unique())
        years = f"{span[0]}–{span[-1]}" if len(span) > 1 else str(span[0])
        title = self._t(f"{self.region}：政府信息公开工作年度报告分析（{years}）",
                        f"{self.region}: government information disclosure annual reports ({years})")
        agencies = "、".join(dict.fromkeys(self.reps["agency"])) if self.lang == "zh" else \
            ", ".join(dict.fromkeys(self.reps["agency"]))
        intro = self._t(
            f"本报告依据{len(self.reps)}份年度报告（{agencies}）。数字悬停可见出处；†表示由报告正文推算、非印刷的数值；"
            "“未知”表示原表格该格有歧义或缺失，不作填补。",
            f"Based on {len(self.reps)} annual report(s) ({agencies}). Hover a number to see its source; † marks a "
            "value derived from the report's prose, not printed; “unknown” means the printed cell is ambiguous or "
            "missing and is not filled.")
        return fig.Block([_Raw(fig.STYLE), _Raw(f'<h1 class="ogi-h1">{fig.esc(title)}</h1>'), _Raw(fig.paragraph(intro))])

    def key_figures(self) -> fig.Exhibit:
        """T1: the numbers a reader is most likely to quote, each with its source."""
        rows, data, refs = [], [], []

        def add(agency, iid_or_title, value_text, note, value=math.nan, r=(), k=math.nan, n=math.nan):
            title = ind.get(iid_or_title).title(self.lang) if iid_or_title in ind.indicators() else iid_or_title
            rows.append({self._t("机关", "Agency"): agency, self._t("指标", "Indicator"): title,
                         self._t("数值", "Value"): value_text, self._t("说明", "Note"): note})
            data.append({"agency": agency, "indicator": iid_or_title, "value": value, "k": k, "n": n,
                         "text": value_text, "note": note})
            refs.append(tuple(r))

        for rep in self.focal.itertuples(index=False):
            rid, ag = rep.report_id, rep.agency
            m = measure(self.study, rid, "new_requests")
            add(ag, "new_requests", fmt_int(m.value, self.lang) if is_known(m.value) else
                self._unknown_text(m.status), "", m.value, m.refs)
            g = self.growth[(self.growth["agency"] == ag) & (self.growth["year"] == self.year)]
            if len(g):
                g = g.iloc[0]
                text = fmt_growth(g["abs_change"], g["pct"], g["prev"], lang=self.lang)
                note = []
                if is_known(g["prev"]):
                    mark = fig.DERIVED_MARK if g["prev_source"] == "prose" else ""
                    src = (SOURCE_ZH if self.lang == "zh" else SOURCE_EN)[g["prev_source"]]
                    note.append(self._t(f"上年{g['prev']:.0f}件{mark}（{src}）",
                                        f"previous year {g['prev']:.0f}{mark} ({src})"))
                else:
                    note.append(self._t("无上年数据", "no previous-year count"))
                if is_known(g["stated_pct"]):
                    note.append(self._t(f"报告称{g['stated_pct']:+.1f}%", f"report states {g['stated_pct']:+.1f}%"))
                add(ag, "yoy_change", text, "；".join(note) if self.lang == "zh" else "; ".join(note),
                    g["abs_change"], g["refs"])
            t = next((t for t in self.trends if t.agency == ag), None)
            if t is not None:
                add(ag, "trend", t.sentence(self.lang) if t.fitted else self._t("无", "none"),
                    "" if t.fitted else t.reason(self.lang), t.rate_ratio, ())
            lr = land_mod.land(self.study, [rid]).iloc[0].to_dict()
            value = fmt_pct(lr["share"], self.lang) if is_known(lr["share"]) else land_mod.level_label(lr["level"],
                                                                                                      self.lang)
            add(ag, "land_share", value, land_mod.describe(lr, self.lang), lr["share"], lr["refs"], lr["count"],
                lr["new_requests"])
            for iid in ("disclosure_rate", "unable_rate", "not_processed_rate", "natural_person_share",
                        "review_correction_rate", "litigation_correction_rate"):
                x = measure(self.study, rid, iid)
                i = ind.get(iid)
                if is_known(x.n) and x.n == 0:
                    text = self._t("无案件（0件）", "no cases (0)") if iid.endswith("correction_rate") else \
                        self._t("分母为0", "denominator 0")
                elif x.status == "ok":
                    text = fmt_share(share(x.k, x.n), self.lang)
                else:
                    text = self._unknown_text(x.status)
                add(ag, iid, text, self._t("分母：", "denominator: ") + i.denominator_name(self.lang), x.value,
                    x.refs, x.k, x.n)
            fails = quality.failed_checks(self.study, [rid], self.lang)
            unk = quality.unknown_values(self.study, [rid], self.lang)
            add(ag, self._t("数据质量", "Data quality"),
                self._t(f"{int((fails['result'] == 'fail').sum())}项检查未通过，{len(unk)}个数值未知",
                        f"{int((fails['result'] == 'fail').sum())} check(s) failed, {len(unk)} value(s) unknown"),
                self._t("见“数据质量”一节", "see the data quality section"), float(len(unk)), ())
        return self._table("T1", pd.DataFrame(rows), pd.DataFrame(data), refs, label_cols=2,
                           notes=[self._t("† 由报告正文推算，非印刷值。", "† derived from the report's prose, not printed.")])

    def requests(self) -> fig.Block:
        """F1 (chart), T2 (counts with absolute and relative change), T3 (trend model or why none)."""
        block = fig.Block()
        s, g = self.series, self.growth
        data = s.drop(columns=["refs"]).copy()
        block.add(self._figure("F1", plots.requests_over_time(s, g, self.lang), data, list(s["refs"]),
                               notes=[self._t("†/× 为由正文百分比推算的上年数，不是印刷值。",
                                              "×: previous-year count derived from a percentage in the prose, "
                                              "not printed.")]))
        src_names = SOURCE_ZH if self.lang == "zh" else SOURCE_EN
        disp = []
        for r in g.itertuples(index=False):
            mark = fig.DERIVED_MARK if r.source == "prose" else ""
            if is_known(r.requests):
                count = f"{r.requests:.0f}{mark}"
            else:
                sr = s[(s["agency"] == r.agency) & (s["year"] == r.year)].iloc[0]
                count = self._t(f"未知{mark}（推算区间 {sr['lo']:g}–{sr['hi']:g}）",
                                f"unknown{mark} (implied interval {sr['lo']:g}–{sr['hi']:g})") \
                    if is_known(sr["lo"]) else self._unknown_text("missing")
            change = fmt_growth(r.abs_change, r.pct, r.prev, lang=self.lang) if is_known(r.abs_change) else \
                self._t("—（无上年数）", "— (no previous year)")
            if r.derived and is_known(r.abs_change):
                change += fig.DERIVED_MARK
            stated = []
            if is_known(r.stated_pct):
                stated.append(f"{r.stated_pct:+.1f}%")
            if is_known(r.stated_abs):
                stated.append(self._t(f"{r.stated_abs:+.0f}件", f"{r.stated_abs:+.0f} requests"))
            disp.append({self._t("机关", "Agency"): r.agency, self._t("年度", "Year"): r.year,
                         self._t("新收申请", "New requests"): count,
                         self._t("来源", "Source"): src_names.get(r.source, r.source),
                         self._t("较上年变化", "Change on previous year"): change,
                         self._t("报告所述变化", "Change stated in report"): ", ".join(stated)})
        block.add(self._table("T2", pd.DataFrame(disp), g.drop(columns=["refs"]), list(g["refs"]), label_cols=2,
                              notes=[ind.get("yoy_change").note(self.lang),
                                     self._t("† 由报告正文推算，非印刷值。", "† derived from the report's prose, not printed.")]))
        rows, data = [], []
        for t in self.trends:
            ci = f"{t.rate_ratio:.3f} ({t.lo:.3f}–{t.hi:.3f})" if t.fitted else "—"
            rows.append({self._t("机关", "Agency"): t.agency, self._t("年数", "Years"): t.n_years,
                         self._t("率比（95%置信区间）", "Rate ratio (95% CI)"): ci,
                         self._t("结论", "Result"): t.sentence(self.lang)})
            data.append({"agency": t.agency, "n_years": t.n_years, "years": ",".join(map(str, t.years)),
                         "method": t.method, "rate_ratio": t.rate_ratio, "lo": t.lo, "hi": t.hi,
                         "dispersion": t.dispersion, "p_value": t.p_value, "text": t.sentence(self.lang)})
        trefs = [tuple(r for rs in s[(s["agency"] == t.agency) & s["source"].isin(("table", "history"))]["refs"]
                       for r in rs) for t in self.trends]
        block.add(self._table("T3", pd.DataFrame(rows), pd.DataFrame(data), trefs,
                              notes=[ind.get("trend").definition(self.lang), ind.get("trend").note(self.lang)]))
        return block

    def land(self) -> fig.Exhibit:
        """T4: land requisition requests per report with the precision level and the quoted sentence."""
        df = land_mod.land(self.study, self.reps["report_id"].tolist())
        disp = []
        for r in df.to_dict("records"):
            disp.append({self._t("机关", "Agency"): r["agency"], self._t("年度", "Year"): r["year"],
                         self._t("精确度", "Precision level"): land_mod.level_label(r["level"], self.lang),
                         self._t("数值", "Value"): fmt_pct(r["share"], self.lang) if is_known(r["share"]) else "—",
                         self._t("说明", "Meaning"): land_mod.describe(r, self.lang),
                         self._t("原文", "Quote"): r["quote"] or ""})
        notes = [ind.get("land_share").note(self.lang)]
        if not self.study.has_narrative:
            notes.append(self._t("数据集没有正文事实表（narrative）：精确度一律未知。",
                                 "The dataset has no prose facts (narrative table): every level is unknown."))
        return self._table("T4", pd.DataFrame(disp), df.drop(columns=["refs"]), list(df["refs"]), label_cols=2,
                           notes=notes)

    def outcomes(self) -> fig.Block:
        """F2 (six categories), T5 (categories and sub-reasons), T6 (rates, named denominators), F3."""
        block = fig.Block()
        tables = {r.agency: out_mod.outcomes(self.study, r.report_id, lang=self.lang)
                  for r in self.focal.itertuples(index=False)}
        cats = pd.concat([t[t["level"] == "category"].assign(agency=a) for a, t in tables.items()],
                         ignore_index=True)
        cats["n"] = [tables[a]["count"].iloc[-1] for a in cats["agency"]]
        group = "agency" if len(tables) > 1 else None
        notes = []
        for a, t in tables.items():
            ssum, tot = out_mod.category_sum(t)
            if is_known(ssum) and is_known(tot) and ssum != tot:
                notes.append(self._t(f"{a}：六类之和为{ssum:g}，印刷的（七）总计为{tot:g}；比例以印刷总计为分母。",
                                     f"{a}: the six categories sum to {ssum:g}, the printed (7) Total is {tot:g}; "
                                     "shares use the printed total."))
        f2 = plots.share_bars(cats, "label", self.lang, self._t("占办结总数（（七）总计）的比例",
                                                                "Share of requests concluded ((7) Total)"), group)
        cdata = cats.drop(columns=["refs"])
        block.add(self._figure("F2", f2, cdata, list(cats["refs"]), notes))
        disp, data, refs = [], [], []
        for a, t in tables.items():
            for r in t.to_dict("records"):
                known = is_known(r["count"])
                disp.append({self._t("机关", "Agency"): a,
                             self._t("办理结果", "Outcome"): ("　" if r["level"] == "reason" else "") + r["label"],
                             self._t("件数", "Count"): fmt_int(r["count"], self.lang) if known else
                             self._unknown_text(r["status"]),
                             self._t("占比", "Share"): fmt_pct(r["share"], self.lang) if known else "",
                             self._t("95%置信区间", "95% CI"): f"{r['lo'] * 100:.1f}–{r['hi'] * 100:.1f}%"
                             if is_known(r["lo"]) else "",
                             self._t("状态", "Status"): r["status"]})
                data.append({k: v for k, v in r.items() if k != "refs"} | {"agency": a})
                refs.append(r["refs"])
        block.add(self._table("T5", pd.DataFrame(disp), pd.DataFrame(data), refs, label_cols=2, notes=notes))
        disp, data, refs = [], [], []
        for rep in self.focal.itertuples(index=False):
            for iid in RATE_INDICATORS:
                x = measure(self.study, rep.report_id, iid)
                i = ind.get(iid)
                text = fmt_share(share(x.k, x.n), self.lang) if x.status == "ok" else self._unknown_text(x.status)
                disp.append({self._t("机关", "Agency"): rep.agency, self._t("指标", "Indicator"): i.title(self.lang),
                             self._t("数值", "Value"): text,
                             self._t("分母", "Denominator"): i.denominator_name(self.lang),
                             self._t("定义", "Definition"): i.definition(self.lang)})
                data.append({"agency": rep.agency, "indicator": iid, "value": x.value, "k": x.k, "n": x.n,
                             "lo": x.lo, "hi": x.hi, "status": x.status})
                refs.append(x.refs)
        block.add(self._table("T6", pd.DataFrame(disp), pd.DataFrame(data), refs, label_cols=2,
                              notes=[ind.get("disclosure_rate").note(self.lang)]))
        apps = pd.concat([out_mod.applicants(self.study, r.report_id, self.lang).assign(agency=r.agency)
                          for r in self.focal.itertuples(index=False)], ignore_index=True)
        apps["n"] = [self.study.cell(r, "t3.new_received.total").value for r in apps["report_id"]]
        block.add(self._figure("F3", plots.share_bars(apps, "label", self.lang,
                                                      self._t("占本年新收申请的比例", "Share of new requests"),
                                                      group), apps.drop(columns=["refs"]), list(apps["refs"])))
        return block

    def review(self) -> fig.Exhibit:
        """T7: 表四 per group with the correction rate (counts beside it)."""
        disp, data, refs = [], [], []
        for rep in self.focal.itertuples(index=False):
            t = rev.review_table(self.study, rep.report_id, self.lang)
            for r in t.to_dict("records"):
                def val(c, r=r):
                    if is_known(r[c]):
                        return fmt_int(r[c], self.lang)
                    cand = r.get(f"{c}_candidates")
                    return self._t(f"未知（歧义：{cand}）", f"unknown (ambiguous: {cand})") if cand else \
                        self._unknown_text("missing")
                if is_known(r["total"]) and r["total"] == 0:
                    rate = self._t("无案件", "no cases")
                elif is_known(r["rate"]):
                    rate = fmt_share(share(r["corrected"], r["total"]), self.lang)
                else:
                    rate = self._t("未知", "unknown")
                disp.append({self._t("机关", "Agency"): rep.agency, self._t("类别", "Group"): r["label"],
                             self._t("维持", "Upheld"): val("upheld"), self._t("纠正", "Corrected"): val("corrected"),
                             self._t("其他", "Other"): val("other"), self._t("尚未审结", "Pending"): val("pending"),
                             self._t("总计", "Total"): val("total"), self._t("纠正率", "Correction rate"): rate,
                             self._t("说明", "Note"): r["note"]})
                data.append({k: v for k, v in r.items() if k != "refs"} | {"agency": rep.agency})
                refs.append(r["refs"])
        return self._table("T7", pd.DataFrame(disp), pd.DataFrame(data), refs, label_cols=2,
                           notes=[ind.get("review_correction_rate").note(self.lang)])

    def compare(self) -> fig.Block:
        """F4 (small multiples) and T8 (ranks) against agencies of the same scope and year only."""
        block = fig.Block()
        long = cmp.region_comparisons(self.study, self.region, self.year, COMPARE_INDICATORS)
        if not len(long):
            return block.add(_Raw(fig.paragraph(self._t("无可比较的数据。", "Nothing to compare."))))
        titles = {i: ind.get(i).title(self.lang) for i in COMPARE_INDICATORS}
        primary = self.focal.iloc[0]
        main = long[long["scope"] == primary["scope"]]
        n_peers = int(main["n_peers"].iloc[0])
        scope_txt = scope_label(primary["scope"], self.lang)
        notes = [self._t(f"比较对象：数据集中{self.year}年度、类型为“{scope_txt}”的{n_peers}个机关（含本机关）。",
                         f"Compared with the {n_peers} agencies (this one included) of scope “{scope_txt}” and "
                         f"year {self.year} in the dataset.")]
        if n_peers < 2:
            notes.append(self._t("数据集中没有同类型、同年度的其他机关：排名没有意义。",
                                 "No other agency of the same scope and year in the dataset: ranks mean nothing."))
        others = [s for s in long["scope"].unique() if s != primary["scope"]]
        if others:
            notes.append(self._t("本地区其他类型的报告只在排名表中与各自同类比较。",
                                 "This region's reports of other scopes are ranked against their own scope in "
                                 "the rank table only."))
        data = main.drop(columns=["refs"])
        block.add(self._figure("F4", plots.small_multiples(main, COMPARE_INDICATORS, titles, self.lang), data,
                               list(main["refs"]), notes))
        ranks = cmp.ranks_table(long)
        disp = []
        for r in ranks.to_dict("records"):
            i = ind.get(r["indicator"])
            if i.unit == "share":
                v = fmt_share(share(r["k"], r["n"]), self.lang) if r["status"] == "ok" else \
                    self._unknown_text(r["status"])
                rng = f"{fmt_pct(r['peer_min'], self.lang)}–{fmt_pct(r['peer_max'], self.lang)}"
            else:
                v = fmt_int(r["value"], self.lang)
                rng = f"{fmt_int(r['peer_min'], self.lang)}–{fmt_int(r['peer_max'], self.lang)}"
            rank = f"{r['rank']:.0f} / {r['n_ranked']}" if is_known(r["rank"]) else self._t("不排名（未知）",
                                                                                           "not ranked (unknown)")
            disp.append({self._t("类型", "Scope"): scope_label(r["scope"], self.lang),
                         self._t("指标", "Indicator"): i.title(self.lang), self._t("数值", "Value"): v,
                         self._t("排名", "Rank"): rank, self._t("同类范围", "Peer range"): rng})
        block.add(self._table("T8", pd.DataFrame(disp), ranks.drop(columns=["refs"]), list(ranks["refs"]),
                              label_cols=2))
        return block

    def quality(self) -> fig.Block:
        """T9: failed checks and unknown values of this region's reports, and what they mean."""
        rids = self.reps["report_id"].tolist()
        fails = quality.failed_checks(self.study, rids, self.lang)
        unk = quality.unknown_values(self.study, rids, self.lang)
        dropped = quality.dropped_copies(self.study, self.region)
        disp, data, refs = [], [], []
        for r in fails.to_dict("records"):
            what = f"{r['lhs']:g} ≠ {r['rhs']:g}" if r["result"] == "fail" else self._t("无法检查", "not evaluable")
            disp.append({self._t("文件", "File"): r["file"], self._t("类型", "Kind"): self._t("勾稽检查", "check"),
                         self._t("位置", "Where"): f"{r['rule']} [{r['where']}]", self._t("结果", "Result"): what,
                         self._t("含义", "Meaning"): r["meaning"] or r["detail"]})
            data.append({"kind": "check", "file": r["file"], "rule": r["rule"], "where": r["where"], "lhs": r["lhs"],
                         "rhs": r["rhs"], "diff": r["diff"], "result": r["result"], "detail": r["detail"]})
            refs.append(r["refs"])
        for r in unk.to_dict("records"):
            cands = r["candidates"] if isinstance(r["candidates"], str) else ""
            disp.append({self._t("文件", "File"): r["file"], self._t("类型", "Kind"): self._t("未知数值", "unknown value"),
                         self._t("位置", "Where"): f"{r['label']} [{r['key']}]",
                         self._t("结果", "Result"): f"{r['status']} {cands}".strip(),
                         self._t("含义", "Meaning"): r["meaning"]})
            data.append({"kind": "unknown_value", "file": r["file"], "rule": r["key"], "where": r["label"],
                         "result": r["status"], "detail": f"{cands} {r['note'] or ''}".strip()})
            refs.append(r["refs"])
        for r in dropped.to_dict("records"):
            disp.append({self._t("文件", "File"): r["file"], self._t("类型", "Kind"): self._t("未使用的副本", "copy not used"),
                         self._t("位置", "Where"): str(r["year"]), self._t("结果", "Result"): r["status"],
                         self._t("含义", "Meaning"): r["dropped_because"]})
            data.append({"kind": "dropped", "file": r["file"], "rule": "", "where": r["year"], "result": r["status"],
                         "detail": r["dropped_because"]})
            refs.append(())
        n_fail = int((fails["result"] == "fail").sum()) if len(fails) else 0
        summary = self._t(
            f"本地区{len(rids)}份报告：{n_fail}项勾稽检查未通过，{len(fails) - n_fail}项无法检查，{len(unk)}个数值未知"
            f"（不作填补，相关比率显示为“未知”）。",
            f"{len(rids)} report(s): {n_fail} check(s) failed, {len(fails) - n_fail} not evaluable, {len(unk)} "
            "value(s) unknown (never filled: rates that need them show as “unknown”).")
        block = fig.Block([_Raw(fig.paragraph(summary))])
        if not disp:
            disp = [{self._t("结果", "Result"): self._t("全部检查通过，无未知数值。", "All checks pass; no unknown values.")}]
            data = [{"kind": "none"}]
            refs = [()]
        block.add(self._table("T9", pd.DataFrame(disp), pd.DataFrame(data), refs))
        return block

    def sources(self) -> fig.Exhibit:
        """T10: the documents this report rests on."""
        disp, data = [], []
        for r in self.reps.to_dict("records"):
            pub = r.get("publication_date")
            pub = "" if pub is None or (isinstance(pub, float) and math.isnan(pub)) else str(pub)
            disp.append({self._t("机关", "Agency"): r["agency"], self._t("标题", "Title"): r["title"],
                         self._t("年度", "Year"): r["year"], self._t("发布日期", "Published"): pub,
                         self._t("文件", "File"): r["file"], "SHA-256": str(r["sha256"])[:16] + "…",
                         self._t("状态", "Status"): r["status"], self._t("模板", "Template"): r.get("template")})
            data.append({k: r.get(k) for k in ("report_id", "agency", "title", "year", "publication_date", "file",
                                               "sha256", "status", "reason", "template", "format", "scope")})
        return self._table("T10", pd.DataFrame(disp), pd.DataFrame(data), None, label_cols=1)

    def parameters(self) -> dict:
        return {"region": self.region, "years": self.years, "lang": self.lang, "data_dir": self.data_dir_param}

    def citation(self) -> Citation:
        """The "How to cite" block (GB/T 7714 and APA, dataset and code versions, parameters, date)."""
        srcs = tuple(self.reps[["agency", "title", "year", "publication_date", "file"]].to_dict("records"))
        return Citation(self.region, self.region, tuple(sorted(int(y) for y in self.reps["year"].unique())),
                        dataset_version(self.data_dir), code_version(), render_date(), self.parameters(), srcs)

    def key_scalars(self) -> dict:
        """A few scalars of the main report of the latest year, for the renderer's index page."""
        rep = self.focal.iloc[0]
        rid, y = rep["report_id"], self.year
        # Stable keys (the year is its own key) so that the index has the same columns for every region.
        out: dict = {"year": y, "scope": rep["scope"]}
        for iid in ("new_requests", "disclosure_rate", "review_correction_rate"):
            x = measure(self.study, rid, iid)
            out[iid] = None if not is_known(x.value) else round(float(x.value), 4)
        g = self.growth[(self.growth["agency"] == rep["agency"]) & (self.growth["year"] == y)]
        if len(g) and is_known(g["abs_change"].iloc[0]):
            out["change"] = fmt_growth(g["abs_change"].iloc[0], g["pct"].iloc[0], g["prev"].iloc[0],
                                            lang=self.lang) + (fig.DERIVED_MARK if bool(g["derived"].iloc[0]) else "")
        out["land_level"] = land_mod.land(self.study, [rid]).iloc[0]["level"]
        return out

    def finish(self) -> pd.DataFrame:
        """The figure registry of this report, also written for the renderer.

        Written to ``figures_out`` when given (a ``.csv`` path, or a directory for ``figures-<slug>.csv``);
        otherwise, inside ``ogi render``, to ``$OGI_RENDER_DIR/figures.csv`` (never both: the renderer
        concatenates every ``figures*.csv`` it finds). Key scalars go to ``key_figures.json`` there.
        """
        reg = fig.registry()
        side = _render_dir()
        if self.figures_out:
            fig.write_registry(self.figures_out, self.region)
        elif side is not None:
            fig.write_registry(side / "figures.csv", self.region)
        if side is not None:
            from ..render.outputs import save_key_figures

            save_key_figures(self.key_scalars())
        return reg


def _render_dir() -> Path | None:
    """``$OGI_RENDER_DIR`` while ``ogi render`` runs this notebook (see analysis.render.outputs)."""
    import os

    d = os.environ.get("OGI_RENDER_DIR")
    return Path(d) if d else None


class _Raw:
    """Trusted HTML built here (every document string inside already escaped)."""

    def __init__(self, html_: str):
        self.html = html_

    def _repr_html_(self) -> str:
        return self.html

    def __repr__(self) -> str:
        return "html"
