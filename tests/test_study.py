"""Unit tests of analysis.study on small hand-built tables (no extraction, no notebook)."""

from __future__ import annotations

import json
import math
import warnings

import pandas as pd
import pytest

from analysis.study import cite, compare, figures, land, measures, outcomes, review, trend
from analysis.study import indicators as ind
from analysis.study.data import Study, select_reports
from analysis.study.narrative import tidy
from analysis.study.requests import requests_by_year, requests_series_label, yoy
from analysis.study.stats import fmt_growth, fmt_share, growth, share, wilson

# ------------------------------------------------------------------------------------------ builders


def _report(rid, region="甲县", agency=None, scope="government", year=2023, status="ok", file=None, **kw):
    return {"report_id": rid, "path": f"data/raw/{file or rid}.txt", "file": file or f"{rid}.txt", "sha256": rid * 4,
            "status": status, "reason": "", "region": region, "parent": None, "province": None,
            "agency": agency or f"{region}人民政府", "scope": scope, "year": year, "publication_date": None,
            "title": f"{agency or region + '人民政府'}{year}年政府信息公开工作年度报告", "template": "2021", **kw}


def _values(rid, cells: dict[str, float | tuple], line0: int = 10) -> list[dict]:
    rows = []
    for i, (key, v) in enumerate(cells.items()):
        value, status = (v if isinstance(v, tuple) else (v, "ok"))
        table, row, col = key.split(".", 2)
        rows.append({"report_id": rid, "file": f"{rid}.txt", "key": key, "table": table, "row": row, "column": col,
                     "value": value, "status": status, "raw": None if value is None else str(value),
                     "line": line0 + i, "origin": f"line {line0 + i}", "candidates": None, "note": None})
    return rows


def _narr(rid, key, value, quote="…", line=5, status="stated", level=None, detail=None):
    return {"report_id": rid, "key": "narr." + key, "value": json.dumps(value, ensure_ascii=False),
            "status": status, "level": level, "quote": quote, "line": line,
            "detail": json.dumps(detail or {}, ensure_ascii=False)}


DICT = pd.DataFrame([
    {"key": "t3.new_received.total", "zh": "一、本年新收 / 总计", "en": "New requests / Total",
     "templates": "2019,2021"},
    {"key": "t3.granted.total", "zh": "（一）予以公开 / 总计", "en": "Disclosed in full / Total", "templates": "2019,2021"},
])


def _study(reports, values, narrative=None, checks=None) -> Study:
    tables = {"reports": pd.DataFrame(reports), "values": pd.DataFrame(values), "dictionary": DICT,
              "checks": checks if checks is not None else pd.DataFrame(columns=["report_id", "rule", "ok"])}
    if narrative is not None:
        tables["narrative"] = pd.DataFrame(narrative)
    return Study.from_tables(tables)


T3_FULL = {
    "t3.new_received.total": 81, "t3.carried_over.total": 0, "t3.granted.total": 57,
    "t3.partially_granted.total": 9, "t3.denied_total.total": 1, "t3.unable_total.total": 8,
    "t3.not_processed_total.total": 0, "t3.other_total.total": 0, "t3.total_processed.total": 75,
    "t3.carried_forward.total": 6, "t3.new_received.natural_person": 80,
}

# ------------------------------------------------------------------------------------------ stats


@pytest.mark.parametrize("k,n,lo,hi", [
    (66, 75, 0.787404, 0.935566),  # reference: statsmodels proportion_confint(method="wilson")
    (0, 10, 0.0, 0.277533),
    (5, 5, 0.565518, 1.0),
    (1, 2, 0.094531, 0.905469),
    (57, 75, 0.652212, 0.842451),
])
def test_wilson_against_known_values(k, n, lo, hi):
    got = wilson(k, n)
    assert got[0] == pytest.approx(lo, abs=1e-6) and got[1] == pytest.approx(hi, abs=1e-6)


def test_wilson_unknown_and_impossible_give_nan():
    for k, n in [(1, 0), (math.nan, 10), (3, math.nan), (5, 4)]:
        assert all(math.isnan(x) for x in wilson(k, n))
    assert not share(math.nan, 10).known


def test_share_text_always_carries_counts():
    assert fmt_share(share(66, 75)) == "88.0% (66/75; 95%置信区间 78.7–93.6%)"
    assert "66/75" in fmt_share(share(66, 75), "en") and "95% CI" in fmt_share(share(66, 75), "en")


def test_growth_has_absolute_change_beside_percentage():
    g = growth(58, 81)
    assert g.abs_change == 23 and g.pct == pytest.approx(39.655, abs=1e-3)
    assert g.text("zh") == "+23件 (+39.7%)"
    assert g.text("en") == "+23 requests (+39.7%)"
    small = growth(5, 10)
    assert small.text("en").startswith("+5 requests")  # +100% never alone
    zero = growth(0, 5)
    assert math.isnan(zero.pct) and zero.abs_change == 5 and "base 0" in zero.text("en")
    assert fmt_growth(math.nan, math.nan, lang="en") == "unknown"


# ------------------------------------------------------------------------------------------ data rules


def test_unknown_statuses_are_nan_and_never_filled():
    s = _study([_report("a")], _values("a", {"t3.granted.total": (7.0, "ambiguous"),
                                             "t3.partially_granted.total": (None, "missing"),
                                             "t3.total_processed.total": 20}))
    assert math.isnan(s.cell("a", "t3.granted.total").value)
    assert s.cell("a", "t3.granted.total").status == "ambiguous"
    m = measures.measure(s, "a", "disclosure_rate")
    assert math.isnan(m.value) and m.status.startswith("unknown") and "ambiguous" in m.status
    assert s.cell("a", "t9.no.such").status == "missing"


def test_duplicate_agency_year_keeps_ok_then_file_name():
    reps = [_report("a", status="flagged", file="pt2023.txt"), _report("b", status="ok", file="pt2023_html.html"),
            _report("c", year=2022), _report("d", status="unreadable", year=2021)]
    used, dropped = select_reports(pd.DataFrame(reps))
    assert set(used["report_id"]) == {"b", "c"}
    why = dict(zip(dropped["report_id"], dropped["dropped_because"]))
    assert "duplicate of pt2023_html.html" in why["a"] and "unreadable" in why["d"]


def test_dataset_use_column_is_followed_when_present():
    reps = [_report("a", dataset_use="used"), _report("b", dataset_use="duplicate")]
    used, _ = select_reports(pd.DataFrame(reps))
    assert list(used["report_id"]) == ["a"]


def test_narrative_loader_is_tolerant():
    raw = pd.DataFrame([
        {"file": "a.txt", "key": "narr.applications_stated", "value": "81", "status": "stated", "quote": "q",
         "line": 3, "detail": "{}"},
        {"file": "a.txt", "key": "prev_year_applications_implied", "value": [57.96, 58.01], "derived": True,
         "quote": "q2", "line": 3, "detail": {"integer": 58}, "continued": json.dumps([{"line": 4, "quote": "续"}])},
    ])
    t = tidy(raw, pd.DataFrame([_report("a")]))
    assert list(t["report_id"]) == ["a", "a"]
    assert t["key"].tolist() == ["applications_stated", "prev_year_applications_implied"]
    assert t["value"].iloc[0] == 81 and t["derived"].tolist() == [False, True]
    assert t["detail"].iloc[1]["integer"] == 58 and t["quote"].iloc[1] == "q2 续"
    assert len(tidy(None)) == 0


# ------------------------------------------------------------------------------------------ requests


def test_previous_year_from_prose_only_where_no_table_and_marked():
    reps = [_report("y23", year=2023), _report("y22", year=2022)]
    vals = _values("y23", {"t3.new_received.total": 81}) + _values("y22", {"t3.new_received.total": 60})
    narr = [_narr("y23", "prev_year_applications_implied", [57.96, 58.01], "同比增长39.7%", 30, "derived",
                  detail={"integer": 58}),
            _narr("y23", "yoy_growth_pct_stated", 39.7, "同比增长39.7%", 30)]
    with_table = requests_by_year(_study(reps, vals, narr), "甲县")
    assert with_table.set_index("year").loc[2022, "source"] == "table"  # the table wins over prose
    assert with_table.set_index("year").loc[2022, "requests"] == 60

    only = _study([reps[0]], _values("y23", {"t3.new_received.total": 81}), narr)
    s = requests_by_year(only, "甲县").set_index("year")
    assert s.loc[2022, "requests"] == 58 and s.loc[2022, "source"] == "prose" and bool(s.loc[2022, "derived"])
    g = yoy(requests_by_year(only, "甲县"), only).set_index("year")
    assert g.loc[2023, "abs_change"] == 23 and g.loc[2023, "pct"] == pytest.approx(39.66, abs=0.01)
    assert bool(g.loc[2023, "derived"]) and g.loc[2023, "stated_pct"] == pytest.approx(39.7)


def test_prose_interval_without_whole_number_stays_unknown():
    narr = [_narr("a", "prev_year_applications_implied", [64.25, 64.78], status="derived", detail={"integer": None})]
    s = requests_by_year(_study([_report("a")], _values("a", {"t3.new_received.total": 80}), narr))
    row = s.set_index("year").loc[2022]
    assert math.isnan(row["requests"]) and row["lo"] == 64.25 and "no whole number" in row["note"]


def test_history_series_fills_years_without_table_and_skips_reply_series():
    hist = {"依申请公开数": {"2019": 23, "2020": 30, "2021": 63, "2022": 56, "2023": 125},
            "按时答复数": {"2019": 1, "2020": 2, "2021": 3, "2022": 4, "2023": 5}}
    narr = [_narr("a", "history", hist, "依申请公开数", 25, detail={"series_lines": {"依申请公开数": [25, 30]}})]
    s = requests_by_year(_study([_report("a")], _values("a", {"t3.new_received.total": 125}), narr)).set_index("year")
    assert s.loc[2019, "requests"] == 23 and s.loc[2019, "source"] == "history"
    assert s.loc[2023, "source"] == "table"
    assert requests_series_label(["按时答复数", "依申请公开数"]) == "依申请公开数"


# ------------------------------------------------------------------------------------------ trend


def _series(counts: dict[int, float], source="table") -> pd.DataFrame:
    return pd.DataFrame([{"agency": "甲", "year": y, "requests": v, "source": source} for y, v in counts.items()])


def test_trend_model_only_with_three_printed_years():
    two = trend.fit_trend(_series({2022: 10, 2023: 20}))
    assert not two.fitted and "3" in two.reason("en") and "2 year" in two.reason("en")
    derived = pd.concat([_series({2022: 10, 2023: 20}), _series({2021: 5}, "prose")])
    assert not trend.fit_trend(derived).fitted  # prose-derived years are not fitted
    t = trend.fit_trend(_series({2019: 10, 2020: 20, 2021: 40, 2022: 80}))
    assert t.fitted and t.rate_ratio == pytest.approx(2.0, rel=1e-6)
    assert t.lo < t.rate_ratio < t.hi and t.n_years == 4 and "95%" in t.sentence("en")


def test_trend_widens_interval_under_overdispersion():
    t = trend.fit_trend(_series({2019: 23, 2020: 21, 2021: 70, 2022: 74, 2023: 81}))
    assert t.fitted and t.method == "quasi-poisson" and t.dispersion > 1


# ------------------------------------------------------------------------------------------ land


def _land(level, count=None, share_=None, quote="…", **detail):
    return {"level": level, "value": {"count": count, "share": share_}, "quote": quote, "detail": detail}


@pytest.mark.parametrize("facts,expected", [
    ([_land("qualitative"), _land("count", 13, 72)], "count"),
    ([_land("proxy", proxy_unit="自然资源局", proxy_count=28), _land("share", None, 60)], "share"),
    ([_land("proxy", proxy_unit="自然资源局", proxy_count=28), _land("qualitative")], "qualitative"),
    ([_land("proxy", proxy_unit="自然资源局", proxy_count=28)], "proxy"),
    ([], "none"),
])
def test_land_level_precedence(facts, expected):
    narr = [dict(_narr("a", "land_requisition", f["value"], f["quote"], 7, level=f["level"], detail=f["detail"]))
            for f in facts] or [_narr("a", "applications_stated", 18)]
    s = _study([_report("a")], _values("a", {"t3.new_received.total": 18}), narr)
    row = land.land(s, ["a"]).iloc[0]
    assert row["level"] == expected
    if expected == "count":
        assert row["share"] == pytest.approx(13 / 18) and row["lo"] < row["share"] < row["hi"]
    elif expected == "share":
        assert row["share"] == pytest.approx(0.60) and math.isnan(row["lo"])  # no base: no interval
    else:
        assert math.isnan(row["share"])  # qualitative / proxy / none carry no number
    assert land.describe(row.to_dict(), "en")


def test_land_without_narrative_table_says_so():
    s = _study([_report("a")], _values("a", {"t3.new_received.total": 18}))
    row = land.land(s, ["a"]).iloc[0].to_dict()
    assert row["level"] == "none" and not row["available"] and "narrative" in land.describe(row, "en")


# ------------------------------------------------------------------------------------------ outcomes & review


def test_disclosure_rate_uses_named_denominator_and_alternatives_differ():
    s = _study([_report("a")], _values("a", T3_FULL))
    m = measures.measure(s, "a", "disclosure_rate")
    assert (m.k, m.n) == (66, 75) and m.value == pytest.approx(0.88)
    assert m.lo == pytest.approx(0.787404, abs=1e-6)
    assert "t3.total_processed.total" in ind.get("disclosure_rate").denominator
    assert ind.get("disclosure_rate").denominator_zh and ind.get("disclosure_rate").denominator_en
    assert measures.measure(s, "a", "disclosure_rate_new").n == 81
    for alt in ind.get("disclosure_rate").alternatives:
        assert ind.get(alt).definition_en
    assert measures.measure(s, "a", "unable_rate").k == 8
    assert measures.measure(s, "a", "not_processed_rate").value == 0


def test_outcome_categories_and_applicants():
    s = _study([_report("a")], _values("a", T3_FULL))
    t = outcomes.outcomes(s, "a", lang="en")
    cats = t[t["level"] == "category"]
    assert len(cats) == 6 and len(t[t["level"] == "reason"]) == 19
    assert cats.set_index("category").loc["granted", "count"] == 57
    assert outcomes.category_sum(t) == (75, 75)
    apps = outcomes.applicants(s, "a").set_index("applicant")
    assert apps.loc["natural_person", "share"] == pytest.approx(80 / 81)
    assert math.isnan(apps.loc["commercial", "count"])  # not in the hand-built table: unknown, not 0


def test_review_correction_rate_with_counts_and_no_cases():
    cells = {"t4.review.upheld": 1, "t4.review.corrected": 1, "t4.review.other": 0, "t4.review.pending": 0,
             "t4.review.total": 2, **{f"t4.suit_direct.{c}": 0 for c in review.COLUMNS},
             "t4.suit_after_review.upheld": 0, "t4.suit_after_review.corrected": 0,
             "t4.suit_after_review.other": (None, "ambiguous"), "t4.suit_after_review.pending": 1,
             "t4.suit_after_review.total": 1}
    s = _study([_report("a")], _values("a", cells))
    t = review.review_table(s, "a", "en").set_index("group")
    assert t.loc["review", "rate"] == 0.5 and t.loc["review", "corrected"] == 1 and t.loc["review", "total"] == 2
    assert t.loc["suit_direct", "note"] == "no cases" and math.isnan(t.loc["suit_direct", "rate"])
    assert math.isnan(t.loc["suit_after_review", "other"]) and "ambiguous" in t.loc["suit_after_review", "status"]


# ------------------------------------------------------------------------------------------ comparison


def test_same_scope_comparison_never_mixes_scopes():
    reps = [_report("g1", region="甲县"), _report("g2", region="乙县"), _report("g3", region="丙县"),
            _report("o1", region="丁区", scope="office"), _report("g4", region="戊县", year=2022)]
    vals = (_values("g1", {"t3.new_received.total": 50}) + _values("g2", {"t3.new_received.total": 80})
            + _values("g3", {"t3.new_received.total": (None, "ambiguous")})
            + _values("o1", {"t3.new_received.total": 500}) + _values("g4", {"t3.new_received.total": 900}))
    s = _study(reps, vals)
    long = compare.compare(s, "g1", ["new_requests"])
    assert set(long["scope"]) == {"government"} and set(long["year"]) == {2023}
    assert "o1" not in set(long["report_id"]) and "g4" not in set(long["report_id"])
    r = long.set_index("report_id")
    assert r.loc["g2", "rank"] == 1 and r.loc["g1", "rank"] == 2 and math.isnan(r.loc["g3", "rank"])
    assert r.loc["g1", "n_ranked"] == 2 and r.loc["g1", "n_peers"] == 3
    office = compare.compare(s, "o1", ["new_requests"])
    assert set(office["report_id"]) == {"o1"}
    ranks = compare.ranks_table(long)
    assert list(ranks["rank"]) == [2] and ranks["n_ranked"].iloc[0] == 2


# ------------------------------------------------------------------------------------------ exhibits & citation


def test_exhibit_registry_ids_escaping_and_reset():
    figures.reset()
    s = _study([_report("a", agency="<b>甲</b>")], _values("a", {"t3.new_received.total": 81}))
    display = pd.DataFrame([{"指标": "<script>alert(1)</script>", "数值": "81"}])
    ex = figures.make_table("T1", "甲县", 2023, "zh", display, pd.DataFrame([{"value": 81}]),
                            [("v|a|t3.new_received.total",)], s.describe, s.source_summary(
                                ["v|a|t3.new_received.total"]), "甲县", short=s.short)
    assert ex.id == "甲县-2023-T1" and 'id="甲县-2023-T1"' in ex.html
    assert "<script>" not in ex.html and "&lt;script&gt;" in ex.html and "<b>甲</b>" not in ex.html
    assert 'title="' in ex.html and "line 10" in s.describe("v|a|t3.new_received.total", "en")
    reg = figures.registry()
    assert list(reg["figure_id"].unique()) == ["甲县-2023-T1"] and (reg["value"] == 81).any()
    assert "a.txt:10 t3.new_received.total" in set(reg["sources"])
    assert "第10行" in reg[(reg["row"] == -1) & (reg["column"] == "source")]["value"].iloc[0]
    figures.reset()
    assert figures.registry().empty


def test_slug_is_safe():
    assert figures.slug("东阿县") == "东阿县"
    assert figures.slug("a/b c") == "a-b-c"
    assert figures.slug("../..") .startswith("region-")


def test_citation_names_versions_and_is_stable(tmp_path, monkeypatch):
    (tmp_path / "values.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    v1 = cite.dataset_version(tmp_path)
    assert v1 == cite.dataset_version(tmp_path) and len(v1) == 12
    (tmp_path / "values.csv").write_text("a,b\n1,3\n", encoding="utf-8")
    assert cite.dataset_version(tmp_path) != v1
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    c = cite.Citation("东阿县", "东阿县", (2023,), v1, "abc123", cite.render_date(), {"region": "东阿县"},
                      ({"agency": "东阿县人民政府", "title": "<t>", "year": 2023},))
    assert "[DS/OL]" in c.gbt7714() and v1 in c.gbt7714() and "abc123" in c.apa() and "2023-11-14" in c.apa()
    assert "&lt;t&gt;" in c.html() and "How to cite" in c.html("en")
    assert cite.code_version(tmp_path) == "unknown"


def test_indicator_file_is_complete():
    for iid, i in ind.indicators().items():
        assert i.title_zh and i.title_en and i.definition_zh and i.definition_en, iid
        if i.unit == "share":
            assert i.denominator and i.denominator_zh and i.denominator_en, iid
    assert {"T1", "F1", "F2", "F3", "F4", "T10"} <= set(ind.figure_specs())


def test_chinese_glyphs_render_without_missing_glyph_warnings(caplog):
    import matplotlib

    matplotlib.use("Agg")
    import io

    import matplotlib.pyplot as plt
    from matplotlib import font_manager

    from analysis import fonts

    fonts.setup()
    assert font_manager.findfont(font_manager.FontProperties(family=fonts.CJK_FAMILY),
                                 fallback_to_default=False).endswith(".ttc")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig, ax = plt.subplots()
        ax.set_title("东阿县 本年新收政府信息公开申请 “三安全一稳定” 予以公开（二）")
        ax.bar(["自然人", "商业企业", "法律服务机构"], [80, 1, 0])
        ax.set_xlabel("申请人 −1")
        fig.savefig(io.BytesIO(), format="png")
        plt.close(fig)
    bad = [str(w.message) for w in caught if "Glyph" in str(w.message) or "missing from font" in str(w.message)]
    bad += [r.getMessage() for r in caplog.records if "Glyph" in r.getMessage() or "findfont" in r.getMessage()]
    assert not bad, bad
