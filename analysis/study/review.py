"""Administrative reconsideration and litigation (表四): outcomes and correction rates, with counts.

The correction rate is 纠正 ÷ 总计 per group (reconsideration, direct lawsuits, lawsuits after
reconsideration, and both kinds of lawsuit together). The counts are tiny (0–5 for most counties), so the
counts are always shown beside the rate and the Wilson interval is wide; 0/0 is "no cases", not 0%.
The total includes pending cases: the alternative over concluded cases is in ``indicators.toml``.
"""

from __future__ import annotations

import math

import pandas as pd

from .data import Study
from .stats import is_known, share, total

GROUPS = ("review", "suit_direct", "suit_after_review")
COLUMNS = ("upheld", "corrected", "other", "pending", "total")
GROUP_ZH = {"review": "行政复议", "suit_direct": "行政诉讼：未经复议直接起诉", "suit_after_review": "行政诉讼：复议后起诉",
            "litigation": "行政诉讼合计"}
GROUP_EN = {"review": "Administrative reconsideration", "suit_direct": "Lawsuits filed directly",
            "suit_after_review": "Lawsuits after reconsideration", "litigation": "All lawsuits"}


def group_label(group: str, lang: str = "zh") -> str:
    return (GROUP_ZH if lang == "zh" else GROUP_EN)[group]


def review_table(study: Study, rid: str, lang: str = "zh") -> pd.DataFrame:
    """One row per group (plus all lawsuits): the five columns, the correction rate and its interval."""
    rows = []
    cells = {(g, c): study.cell(rid, f"t4.{g}.{c}") for g in GROUPS for c in COLUMNS}
    for g in (*GROUPS, "litigation"):
        parts = ("suit_direct", "suit_after_review") if g == "litigation" else (g,)
        row = {"report_id": rid, "group": g, "label": group_label(g, lang)}
        refs: list[str] = []
        statuses = []
        for c in COLUMNS:
            row[c] = total([cells[(p, c)].value for p in parts])
            refs += [cells[(p, c)].ref for p in parts]
            statuses += [f"{p}.{c} {cells[(p, c)].status}" for p in parts if not cells[(p, c)].known]
            row[f"{c}_candidates"] = "; ".join(cells[(p, c)].candidates or "" for p in parts
                                               if cells[(p, c)].candidates) or None
        s = share(row["corrected"], row["total"])
        row.update(rate=s.p, lo=s.lo, hi=s.hi, refs=tuple(refs),
                   status="ok" if not statuses else "unknown: " + "; ".join(statuses))
        if is_known(row["total"]) and row["total"] == 0:
            row["note"] = "无案件" if lang == "zh" else "no cases"
        elif not is_known(row["rate"]):
            row["note"] = "纠正率未知" if lang == "zh" else "correction rate unknown"
        else:
            row["note"] = ""
        parts_sum = total([row[c] for c in ("upheld", "corrected", "other", "pending")])
        if is_known(parts_sum) and is_known(row["total"]) and parts_sum != row["total"]:
            row["note"] = (row["note"] + "; " if row["note"] else "") + (
                f"各项之和{parts_sum:g}≠总计{row['total']:g}（按印刷）" if lang == "zh"
                else f"parts sum to {parts_sum:g}, total printed {row['total']:g}")
        rows.append(row)
    return pd.DataFrame(rows)


def correction_rate(row: pd.Series | dict) -> float:
    return row["rate"] if is_known(row["rate"]) else math.nan
