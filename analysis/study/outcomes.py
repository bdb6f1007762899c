"""What happened to the requests (表三 三、本年度办理结果) and who filed them (表三 columns).

Six categories — 予以公开, 部分公开, 不予公开, 无法提供, 不予处理, 其他处理 — and the sub-reasons under
the last four (8 + 3 + 5 + 3 in the 2021 template; the 2019 template prints 其他处理 without
sub-reasons, so those are unknown there, not zero). Shares are of 办结 (七)总计, the named denominator of
every rate here (see ``indicators.toml`` for the alternatives). When the categories do not add up to
the printed total, the shares are still of the printed total, and the table says so.
"""

from __future__ import annotations

import math

import pandas as pd

from .data import Study
from .stats import is_known, share, total

CATEGORIES = (
    ("granted", "granted"),
    ("partially_granted", "partially_granted"),
    ("denied", "denied_total"),
    ("unable", "unable_total"),
    ("not_processed", "not_processed_total"),
    ("other", "other_total"),
)
SUBREASONS = {
    "denied": ("denied_state_secret", "denied_law_prohibited", "denied_three_safety_one_stability",
               "denied_third_party", "denied_internal_affairs", "denied_process_info", "denied_enforcement_file",
               "denied_inquiry"),
    "unable": ("unable_not_held", "unable_needs_creation", "unable_unclear"),
    "not_processed": ("not_processed_petition", "not_processed_repeat", "not_processed_publication",
                      "not_processed_massive", "not_processed_confirm"),
    "other": ("other_no_correction", "other_no_fee", "other_other"),
}
CATEGORY_ZH = {"granted": "（一）予以公开", "partially_granted": "（二）部分公开", "denied": "（三）不予公开",
               "unable": "（四）无法提供", "not_processed": "（五）不予处理", "other": "（六）其他处理"}
CATEGORY_EN = {"granted": "(1) Disclosed in full", "partially_granted": "(2) Partially disclosed",
               "denied": "(3) Not disclosed", "unable": "(4) Unable to provide",
               "not_processed": "(5) Not processed", "other": "(6) Otherwise closed"}
APPLICANTS = ("natural_person", "commercial", "research", "social_org", "legal_service", "other_org")
DENOMINATOR = "t3.total_processed.total"


def category_label(cat: str, lang: str = "zh") -> str:
    return (CATEGORY_ZH if lang == "zh" else CATEGORY_EN)[cat]


def _status(study: Study, rid: str, key: str, status: str) -> str:
    """A missing key that the report's template does not have is "not in template", not just missing."""
    if status != "missing":
        return status
    tpl = str(study.report(rid).get("template") or "")
    d = study.dictionary
    if "templates" in d.columns and tpl:
        hit = d.loc[d["key"] == key, "templates"]
        if len(hit) and tpl not in str(hit.iloc[0]).split(","):
            return "not_in_template"
    return status


def outcomes(study: Study, rid: str, column: str = "total", lang: str = "zh") -> pd.DataFrame:
    """Categories and sub-reasons of one report: count, share of 办结总计 with Wilson CI, status, refs."""
    den = study.cell(rid, f"{DENOMINATOR.rsplit('.', 1)[0]}.{column}")
    rows = []
    for cat, row in CATEGORIES:
        c = study.cell(rid, f"t3.{row}.{column}")
        s = share(c.value, den.value)
        rows.append({"report_id": rid, "level": "category", "category": cat, "row": row,
                     "label": category_label(cat, lang), "count": c.value, "share": s.p, "lo": s.lo, "hi": s.hi,
                     "status": _status(study, rid, c.ref.split("|")[2], c.status), "refs": (c.ref, den.ref)})
        for sub in SUBREASONS.get(cat, ()):
            key = f"t3.{sub}.{column}"
            c = study.cell(rid, key)
            s = share(c.value, den.value)
            label = study.label(key, lang).split(" / ")[0]
            rows.append({"report_id": rid, "level": "reason", "category": cat, "row": sub, "label": label,
                         "count": c.value, "share": s.p, "lo": s.lo, "hi": s.hi,
                         "status": _status(study, rid, key, c.status), "refs": (c.ref, den.ref)})
    rows.append({"report_id": rid, "level": "total", "category": "total", "row": "total_processed",
                 "label": "（七）总计" if lang == "zh" else "(7) Total concluded", "count": den.value,
                 "share": 1.0 if is_known(den.value) and den.value > 0 else math.nan, "lo": math.nan,
                 "hi": math.nan, "status": den.status, "refs": (den.ref,)})
    return pd.DataFrame(rows)


def category_sum(table: pd.DataFrame) -> tuple[float, float]:
    """(sum of the six categories, printed total): unequal means the printed table does not add up."""
    cats = table[table["level"] == "category"]["count"].tolist()
    tot = table[table["level"] == "total"]["count"]
    return total(cats), float(tot.iloc[0]) if len(tot) else math.nan


def applicants(study: Study, rid: str, lang: str = "zh") -> pd.DataFrame:
    """New requests by applicant type, with shares of the row total and Wilson CIs."""
    tot = study.cell(rid, "t3.new_received.total")
    rows = []
    for col in APPLICANTS:
        key = f"t3.new_received.{col}"
        c = study.cell(rid, key)
        s = share(c.value, tot.value)
        rows.append({"report_id": rid, "applicant": col, "label": study.label(key, lang).split(" / ")[-1],
                     "group": "natural_person" if col == "natural_person" else "organisation",
                     "count": c.value, "share": s.p, "lo": s.lo, "hi": s.hi, "status": c.status,
                     "refs": (c.ref, tot.ref)})
    orgs = [r["count"] for r in rows if r["group"] == "organisation"]
    s = share(total(orgs), tot.value)
    rows.append({"report_id": rid, "applicant": "organisations",
                 "label": "法人或其他组织（合计）" if lang == "zh" else "Legal persons and other organisations (all)",
                 "group": "organisation_total", "count": total(orgs), "share": s.p, "lo": s.lo, "hi": s.hi,
                 "status": "derived", "refs": tuple(r["refs"][0] for r in rows if r["group"] == "organisation")
                 + (tot.ref,)})
    return pd.DataFrame(rows)
