"""Data quality of a region's reports: failed arithmetic checks, unknown values, and what they mean.

Why this is a section of every report: a researcher quoting "88.0%" must be able to see that the table
it came from adds up — or that it does not, by how much, and which numbers are affected. Checks never
change values (they are printed as reported); this section is where the disagreement is shown.
"""

from __future__ import annotations

import pandas as pd

from .data import UNKNOWN_STATUSES, Study

MEANING_ZH = {
    "t3.balance": "本年新收 + 上年结转 应等于 办结总计 + 结转下年度。不等说明这四个数中至少有一个印刷或识读有误；"
                  "以它们为分母的比率照印刷值计算，读时应留意。",
    "t3.outcomes_sum": "六类办理结果之和应等于（七）总计。不等时，各类占比之和不为100%：比例仍以印刷的总计为分母。",
    "t3.row_sum": "六类申请人之和应等于总计列。不等时，申请人构成的比例之和不为100%。",
    "t4.group_sum": "维持 + 纠正 + 其他 + 尚未审结 应等于总计。不等时，该类纠正率的分母可疑。",
}
MEANING_EN = {
    "t3.balance": "New + carried over should equal concluded + carried forward. If not, at least one of the four "
                  "numbers was misprinted or misread; rates using them are computed as printed and should be "
                  "read with care.",
    "t3.outcomes_sum": "The six outcome categories should add up to (7) Total. If not, the category shares do not "
                       "sum to 100%: shares are still of the printed total.",
    "t3.row_sum": "The six applicant columns should add up to the Total column. If not, the applicant shares do "
                  "not sum to 100%.",
    "t4.group_sum": "Upheld + corrected + other + pending should equal the total. If not, that group's correction "
                    "rate has a doubtful denominator.",
}
STATUS_ZH = {"ambiguous": "歧义：有多种读法，不取值", "missing": "报告中没有此格", "blank": "印刷为空白",
             "repaired": "印刷文字受损，按规则修复（原文保留）",
             "resolved_by_constraint": "文本本身有歧义，由表格的加总关系确定"}
STATUS_EN = {"ambiguous": "ambiguous: more than one reading fits, no value claimed",
             "missing": "not in the report", "blank": "printed empty",
             "repaired": "damaged print repaired by a documented rule (raw text kept)",
             "resolved_by_constraint": "ambiguous text fixed by the table's sums"}


def meaning(rule: str, lang: str = "zh") -> str:
    table = MEANING_ZH if lang == "zh" else MEANING_EN
    return table.get(rule, "")


def failed_checks(study: Study, report_ids: list[str], lang: str = "zh") -> pd.DataFrame:
    """Checks that fail (``ok`` false) or could not be evaluated (``ok`` null) for these reports."""
    c = study.checks[study.checks["report_id"].isin(report_ids)].copy()
    ok = c["ok"].map(lambda x: None if x is None or (isinstance(x, float) and pd.isna(x)) else bool(x))
    c = c[ok.ne(True)].copy()
    c["result"] = ok[ok.ne(True)].map(lambda x: "fail" if x is False else "not evaluable")
    c["meaning"] = c["rule"].map(lambda r: meaning(str(r), lang))
    c["file"] = c["report_id"].map(lambda r: study.report(r)["file"])
    keys = c["lhs_keys"].fillna("") + " + " + c["rhs_keys"].fillna("") if "lhs_keys" in c.columns else ""
    c["refs"] = [tuple(f"v|{rid}|{k.strip()}" for k in str(ks).split(" + ") if k.strip())
                 for rid, ks in zip(c["report_id"], keys)] if len(c) else []
    cols = ["report_id", "file", "year", "rule", "where", "lhs", "rhs", "diff", "result", "detail", "meaning", "refs"]
    return c.reindex(columns=cols).reset_index(drop=True)


def unknown_values(study: Study, report_ids: list[str], lang: str = "zh") -> pd.DataFrame:
    """Cells with no value (ambiguous/missing/blank), with the readings that were possible."""
    v = study.values[study.values["report_id"].isin(report_ids) & study.values["status"].isin(UNKNOWN_STATUSES)]
    out = v.reindex(columns=["report_id", "file", "year", "key", "status", "candidates", "note"]).copy()
    labels = STATUS_ZH if lang == "zh" else STATUS_EN
    out["meaning"] = out["status"].map(lambda s: labels.get(s, s))
    out["label"] = out["key"].map(lambda k: study.label(k, lang))
    out["refs"] = [(f"v|{r}|{k}",) for r, k in zip(out["report_id"], out["key"])]
    return out.reset_index(drop=True)


def status_counts(study: Study, report_ids: list[str]) -> pd.DataFrame:
    """Per report: how many values have each status (ok, derived, repaired, ambiguous, …)."""
    v = study.values[study.values["report_id"].isin(report_ids)]
    if not len(v):
        return pd.DataFrame()
    t = v.pivot_table(index="report_id", columns="status", values="key", aggfunc="count", fill_value=0)
    t.insert(0, "file", [study.report(r)["file"] for r in t.index])
    return t.reset_index()


def dropped_copies(study: Study, region: str) -> pd.DataFrame:
    d = study.dropped
    return d[d["region"] == region].reindex(columns=["file", "year", "status", "dropped_because"])
