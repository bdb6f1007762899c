"""Requests about land requisition (征地拆迁 / 土地征收 / 房屋征收), with how precisely each report says so.

Reports say it in different ways: "涉及征地拆迁的有13件，占72%" (a count), "约占60%" (a share only),
"主要涉及土地征收、房屋征收" (a main topic, no number), "县自然资源和规划局28件" (only a land
agency's count: a proxy), or nothing. One number for all would pretend they said the same thing, so each
report keeps its level, and only ``count`` and ``share`` carry a number. When a report states several,
the most precise wins: count > share > qualitative > proxy > none.
"""

from __future__ import annotations

import math

import pandas as pd

from .data import Study
from .stats import is_known, share

LEVELS = ("count", "share", "qualitative", "proxy", "none")
PRECEDENCE = {lvl: i for i, lvl in enumerate(LEVELS)}
LEVEL_ZH = {"count": "件数", "share": "比例", "qualitative": "定性（主要内容）", "proxy": "代理（土地部门申请数）",
            "none": "未提及"}
LEVEL_EN = {"count": "count", "share": "share", "qualitative": "qualitative (main topic)",
            "proxy": "proxy (land agency's requests)", "none": "not stated"}
KEY = "land_requisition"


def level_label(level: str, lang: str = "zh") -> str:
    return (LEVEL_ZH if lang == "zh" else LEVEL_EN).get(level, level)


def _parts(fact) -> tuple[str, float, float]:
    """(level, count, share as 0–1) of one land fact, whatever the value's shape."""
    v = fact.value if isinstance(fact.value, dict) else {}
    level = fact.level or v.get("level") or "none"
    count = v.get("count")
    pct = v.get("share")
    count = float(count) if is_known(count) else math.nan
    # The prose states percentages (72 for 72%); a value ≤ 1 with a % sign is not expected here.
    s = float(pct) / 100 if is_known(pct) else math.nan
    return str(level), count, s


def pick(facts: list) -> object | None:
    """The most precise land fact among several (count > share > qualitative > proxy > none)."""
    ranked = sorted(facts, key=lambda f: (PRECEDENCE.get(_parts(f)[0], len(LEVELS)), f.index))
    return ranked[0] if ranked else None


def land(study: Study, report_ids: list[str]) -> pd.DataFrame:
    """One row per report: level, stated count and share, computed share of new requests with its CI."""
    rows = []
    for rid in report_ids:
        m = study.report(rid)
        new = study.cell(rid, "t3.new_received.total")
        fact = pick(study.facts(rid, KEY))
        row = {"report_id": rid, "region": m["region"], "agency": m["agency"], "scope": m["scope"],
               "year": int(m["year"]), "level": "none", "count": math.nan, "stated_share": math.nan,
               "new_requests": new.value, "share": math.nan, "lo": math.nan, "hi": math.nan,
               "proxy_unit": None, "proxy_count": math.nan, "quote": None, "line": None,
               "refs": (), "available": study.has_narrative}
        if fact is not None:
            level, count, s = _parts(fact)
            row.update(level=level, count=count, stated_share=s, quote=fact.quote, line=fact.line,
                       refs=(fact.ref,))
            if level == "count" and is_known(count):
                sh = share(count, new.value)
                row.update(share=sh.p, lo=sh.lo, hi=sh.hi, refs=(fact.ref, new.ref))
            elif level == "share" and is_known(s):
                row.update(share=s)  # stated without its base: no interval can be honest
            elif level == "proxy":
                row.update(proxy_unit=fact.detail.get("proxy_unit"),
                           proxy_count=float(fact.detail["proxy_count"]) if is_known(
                               fact.detail.get("proxy_count")) else math.nan)
        rows.append(row)
    return pd.DataFrame(rows)


def describe(row: dict | pd.Series, lang: str = "zh") -> str:
    """The row in words, never a bare number: what was stated and what it means."""
    lvl = row["level"]
    if not row.get("available", True):
        return "数据集中没有正文事实表（narrative），无法判断。" if lang == "zh" else \
            "The dataset has no prose facts (narrative table): cannot tell."
    if lvl == "count":
        n = f"{row['count']:.0f}"
        if is_known(row["share"]):
            pct = f"{row['share'] * 100:.1f}%"
            return (f"正文给出件数：{n}件，占本年新收申请{row['new_requests']:.0f}件的{pct}"
                    f"（95%置信区间 {row['lo'] * 100:.1f}–{row['hi'] * 100:.1f}%）。") if lang == "zh" else \
                (f"Count stated: {n} requests, {pct} of {row['new_requests']:.0f} new requests "
                 f"(95% CI {row['lo'] * 100:.1f}–{row['hi'] * 100:.1f}%).")
        return f"正文给出件数：{n}件（新收申请数未知，无法计算比例）。" if lang == "zh" else \
            f"Count stated: {n} requests (new requests unknown: no share)."
    if lvl == "share":
        pct = f"{row['share'] * 100:.1f}%"
        return f"正文只给出比例：{pct}（未给件数，不计算置信区间）。" if lang == "zh" else \
            f"Share stated only: {pct} (no count given, so no interval)."
    if lvl == "qualitative":
        return "正文称其为申请的主要内容，但没有数字。" if lang == "zh" else \
            "Named as a main topic of the requests, without a number."
    if lvl == "proxy":
        unit, c = row.get("proxy_unit") or "", row.get("proxy_count")
        cnt = f"{c:.0f}" if is_known(c) else "?"
        return (f"只给出土地相关部门（{unit}）的申请数{cnt}件：是代理指标，不是按内容统计的件数。"
                if lang == "zh" else
                f"Only a land agency's request count is stated ({unit}: {cnt}): a proxy, not a topic count.")
    return "报告未提及征地拆迁类申请。" if lang == "zh" else "The report does not mention land requisition requests."
