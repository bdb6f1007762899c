"""Does the report's prose agree with its tables, with itself, and with last year's report?

Each rule yields rows shaped like the table checks: rule, table, where, lhs, rhs, diff, ok, detail
(plus the line and quote of the prose it rests on). ``ok`` is None when the comparison cannot be
made (a value missing, or no table row corresponds), so a reader sees the rule was considered.
"""

from __future__ import annotations

import re
from typing import Any

from .model import Fact, Narrative
from .numbers import as_plain, growth_fits, share_fits

Values = dict[str, Any]

# Prose outcome -> the 表三 row(s) it corresponds to. Groups are summed over their sub-rows.
_OUTCOME_ROWS: dict[str, tuple[str, ...]] = {
    "granted": ("granted",),
    "partially_granted": ("partially_granted",),
    "granted_or_partial": ("granted", "partially_granted"),
    "denied": ("denied*",),
    "unable": ("unable*",),
    "unable_not_held": ("unable_not_held",),
    "not_processed": ("not_processed*",),
    "other": ("other*",),
}
_APPLICANT_COLS = ("natural_person", "commercial", "research", "social_org", "legal_service", "other_org")
_RESIDUAL = re.compile(r"其余|其他|其它|剩余")


def _row(rule: str, where: str, lhs: Any, rhs: Any, ok: bool | None, detail: str, fact: Fact | None = None,
         table: str = "prose") -> dict[str, Any]:
    diff = None
    if isinstance(lhs, (int, float)) and isinstance(rhs, (int, float)):
        diff = as_plain(round(lhs - rhs, 6))
    row = {"rule": rule, "table": table, "where": where, "lhs": lhs, "rhs": rhs, "diff": diff, "ok": ok,
           "detail": detail}
    if fact is not None:
        row.update(line=fact.line, quote=fact.quote)
    return row


def _num(values: Values | None, key: str) -> int | float | None:
    if not values:
        return None
    v = values.get(key)
    return v if isinstance(v, (int, float)) and not isinstance(v, bool) else None


def _t3_row(values: Values, row: str, col: str = "total") -> int | float | None:
    """A 表三 row; "denied*" is the 不予公开 group: its total row if present, else the sum of sub-rows."""
    if not row.endswith("*"):
        return _num(values, f"t3.{row}.{col}")
    base = row[:-1]
    total = _num(values, f"t3.{base}_total.{col}")
    if total is not None:
        return total
    rx = re.compile(rf"t3\.{base}_(?!total)[a-z_]+\.{col}$")
    keys = [k for k in values if rx.match(k)]
    if not keys:
        # 2019 template: one row for the whole group ("t3.other.total").
        return _num(values, f"t3.{base}.{col}")
    parts = [_num(values, k) for k in keys]
    return None if any(p is None for p in parts) else as_plain(sum(parts))


def _compare(rule: str, where: str, fact: Fact, rhs: Any, what: str) -> dict[str, Any]:
    if rhs is None:
        return _row(rule, where, fact.value, None, None, f"{what}: table value missing", fact)
    ok = fact.value == rhs
    return _row(rule, where, fact.value, rhs, ok, f"prose {fact.value} vs {what} {rhs}", fact)


def _applications(narr: Narrative, values: Values) -> tuple[list[dict], str | None]:
    """Stated requests vs 本年新收 (or 新收+上年结转). Returns the rows and the basis the numbers show."""
    f = narr.get("applications_stated")
    if f is None:
        return [], None
    new = _t3_row(values, "new_received")
    carried = _t3_row(values, "carried_over")
    both = None if new is None or carried is None else new + carried
    rule, where = "narr.applications_vs_t3", "applications_stated"
    if f.basis == "office_only":
        return [_row(rule, where, f.value, new, None,
                     "the prose counts one office's requests; the tables cover the whole government", f)], None
    if f.basis == "new_plus_carried":
        return [_compare(rule, where, f, both, "本年新收 + 上年结转")], "new_plus_carried"
    if new is None:
        return [_row(rule, where, f.value, None, None, "t3.new_received.total missing", f)], None
    if f.value == new:
        return [_row(rule, where, f.value, new, True, "equals 本年新收", f)], "new"
    if f.basis != "new" and both is not None and carried and f.value == both:
        return [_row(rule, where, f.value, both, True,
                     f"equals 本年新收 {new} + 上年结转 {carried}: the prose counts carried-over requests", f)], \
            "new_plus_carried"
    detail = f"prose {f.value} vs 本年新收 {new}"
    if carried:
        detail += f" (新收 + 上年结转 = {both})"
    return [_row(rule, where, f.value, new, False, detail, f)], None


def _outcomes(narr: Narrative, values: Values) -> list[dict]:
    rows = []
    for sub, f in narr.group("outcomes_stated").items():
        cat = re.sub(r"_\d+$", "", sub)
        table_rows = _OUTCOME_ROWS.get(cat)
        rule = f"narr.outcome_vs_t3.{cat}"
        if table_rows is None:
            rows.append(_row(rule, f"outcomes_stated.{sub}", f.value, None, None,
                             f"no 表三 row corresponds to '{f.detail.get('label')}'", f))
            continue
        parts = [_t3_row(values, r) for r in table_rows]
        rhs = None if any(p is None for p in parts) else as_plain(sum(parts))
        rows.append(_compare(rule, f"outcomes_stated.{sub}", f, rhs, "表三 " + " + ".join(table_rows)))
    for key, row, what in (("processed_stated", "total_processed", "表三 总计"),
                           ("carried_forward_stated", "carried_forward", "表三 结转下年度继续办理")):
        f = narr.get(key)
        if f is not None:
            rows.append(_compare(f"narr.{key.removesuffix('_stated')}_vs_t3", key, f, _t3_row(values, row), what))
    return rows


def _applicants(narr: Narrative, values: Values, basis: str | None) -> list[dict]:
    rows = []
    rows_used = ("new_received", "carried_over") if basis == "new_plus_carried" else ("new_received",)
    for sub, f in narr.group("applicants_stated").items():
        cols = _APPLICANT_COLS[1:] if sub == "legal_persons" else (sub,)
        parts = [_t3_row(values, r, c) for r in rows_used for c in cols]
        rhs = None if any(p is None for p in parts) else as_plain(sum(parts))
        rows.append(_compare(f"narr.applicants_vs_t3.{sub}", f"applicants_stated.{sub}", f, rhs,
                             "表三 " + " + ".join(rows_used) + f" ({'/'.join(cols)})"))
    return rows


def _review(narr: Narrative, values: Values) -> list[dict]:
    rows = []
    f = narr.get("review_stated")
    if f is not None:
        rows.append(_compare("narr.review_vs_t4", "review_stated", f, _num(values, "t4.review.total"),
                             "表四 行政复议 总计"))
    for sub, f in narr.group("review_results").items():
        rows.append(_compare(f"narr.review_vs_t4.{sub}", f"review_results.{sub}", f,
                             _num(values, f"t4.review.{sub}"), f"表四 行政复议 {sub}"))
    direct, after = _num(values, "t4.suit_direct.total"), _num(values, "t4.suit_after_review.total")
    for key, rhs, what in (
        ("litigation_stated", None if direct is None or after is None else direct + after,
         "表四 行政诉讼 直接起诉 + 复议后起诉"),
        ("litigation_direct_stated", direct, "表四 未经复议直接起诉 总计"),
        ("litigation_after_review_stated", after, "表四 复议后起诉 总计"),
    ):
        f = narr.get(key)
        if f is not None:
            rows.append(_compare(f"narr.{key.removesuffix('_stated')}_vs_t4", key, f, rhs, what))
    return rows


def _group_total(narr: Narrative, group: str) -> Fact | None:
    if group == "outcomes_stated":
        return narr.get("processed_stated") or narr.get("applications_stated")
    return narr.get("applications_stated")


def _breakdowns(narr: Narrative) -> list[dict]:
    """Itemised lists must not add up to more than the total they break down (seed 004: 84 of 80)."""
    rows = []
    for group in ("requests_breakdown", "channels", "applicants_stated", "topics", "outcomes_stated"):
        items = {k: f for k, f in narr.group(group).items() if isinstance(f.value, (int, float))}
        if group == "applicants_stated" and "legal_persons" in items and len(items) > 2:
            items.pop("legal_persons")  # a subtotal of the others
        total = _group_total(narr, group)
        if len(items) < 2 or total is None or not isinstance(total.value, (int, float)):
            continue
        s = as_plain(sum(f.value for f in items.values()))
        expr = "+".join(str(f.value) for f in items.values())
        first = next(iter(items.values()))
        residual = any(_RESIDUAL.search(k) for k in items)
        if s == total.value:
            ok, why = True, f"{expr} = {s} = {total.key} {total.value}"
        elif s > total.value:
            ok, why = False, f"{expr} = {s}, more than {total.key} {total.value}"
        elif residual:
            ok, why = False, f"{expr} = {s}, less than {total.key} {total.value} although the list has a residual item"
        else:
            ok, why = None, f"{expr} = {s}, less than {total.key} {total.value}; the list may not be exhaustive"
        rows.append(_row(f"narr.breakdown_sum.{group}", group, s, total.value, ok, why, first))
    return rows


def _shares(narr: Narrative) -> list[dict]:
    """A stated share must be the count over the total, rounded as printed ("13 件,占 72%": 13/18)."""
    rows = []
    for f in narr.facts:
        share, dec = f.detail.get("share"), f.detail.get("share_decimals")
        if share is None or dec is None or not isinstance(f.value, (int, float)):
            continue
        group = f.key.split(".", 1)[0]
        total = _group_total(narr, group)
        if total is None or not isinstance(total.value, (int, float)) or total.value <= 0:
            continue
        actual = f.value / total.value * 100
        ok = share_fits(f.value, total.value, share, dec)
        rows.append(_row("narr.share_vs_count", f.key, share, round(actual, 2), ok,
                         f"{f.value}/{total.value} = {actual:.2f}% vs stated {share}%", f))
    return rows


def _yoy(narr: Narrative) -> list[dict]:
    rows = []
    imp = narr.get("prev_year_applications_implied")
    pct = narr.get("yoy_growth_pct_stated")
    if imp is not None and pct is not None and pct.detail.get("decimals") is not None:
        d = imp.detail.get("percent_check") or imp.detail
        interval = d.get("interval", imp.value)
        n = d.get("n_integers", 0)
        cands = d.get("candidates", [])
        if n is None:
            ok, why = True, f"previous count at least {interval[0]} (unbounded above)"
        elif n == 0:
            ok, why = False, (f"stated growth fits no integer previous count: {imp.detail['current']} / "
                              f"(1 + {pct.value}%) lies in {interval}")
        else:
            ok, why = True, f"previous count in {interval}: {cands if n <= 5 else f'{n} integers'}"
        rows.append(_row("narr.yoy_fits_integer", "yoy_growth_pct_stated", interval, cands, ok, why, pct))
    ab = narr.get("yoy_abs_stated")
    app = narr.get("applications_stated")
    if ab is not None and pct is not None and app is not None and pct.detail.get("decimals") is not None:
        prev = app.value - ab.value
        ok = growth_fits(prev, app.value, pct.value, pct.detail["decimals"])
        rows.append(_row("narr.yoy_abs_vs_pct", "yoy_abs_stated", ab.value, pct.value, ok,
                         f"{prev} -> {app.value} is {(app.value - prev) / prev * 100 if prev else float('nan'):.2f}%",
                         ab))
    return rows


def _history(narr: Narrative, values: Values) -> list[dict]:
    rows = []
    f = narr.get("history")
    if f is None:
        return rows
    for c in f.detail.get("conflicts", []):
        rows.append(_row("narr.history_duplicates_agree", c["series"], c["values"], f.value.get(c["series"]),
                         False, f"series printed again at line {c['line']} with other values", f))
    new = _t3_row(values, "new_received")
    for label, series in f.value.items():
        if not re.search(r"申请|受理|收到", label) or re.search(r"答复|办结", label):
            continue
        year = narr.year if narr.year in series else None
        note = ""
        if year is None:
            year, note = max(series), " (report year not found; the last year printed is used)"
        rhs = new
        rows.append(_row("narr.history_vs_t3", f"history.{label}.{year}", series[year], rhs,
                         None if rhs is None else series[year] == rhs,
                         f"history {label} {year} = {series[year]} vs 本年新收 {rhs}{note}", f))
    return rows


def _normative(narr: Narrative, values: Values) -> list[dict]:
    rows = []
    for sub, f in narr.group("normative_documents_stated").items():
        rhs = _num(values, f"t2.normative_documents.{sub}")
        row = _compare(f"narr.normative_vs_t2.{sub}", f"normative_documents_stated.{sub}", f, rhs,
                       f"表二 行政规范性文件 {sub}")
        if f.detail.get("word") == "失效":
            row["detail"] += " (the prose says 失效 'expired', the table column is 废止 'repealed')"
        rows.append(row)
    return rows


def _cross_year(narr: Narrative, values: Values, prev: Values, basis: str | None) -> list[dict]:
    rows = []
    co, cf = _t3_row(values, "carried_over"), _t3_row(prev, "carried_forward")
    rows.append(_row("xyear.carried_over", "t3.carried_over.total", co, cf,
                     None if co is None or cf is None else co == cf,
                     "上年结转 (this year) vs 结转下年度继续办理 (last year's report)", table="xyear"))
    cur, last = _t3_row(values, "new_received"), _t3_row(prev, "new_received")
    if basis == "new_plus_carried":
        c2, l2 = _t3_row(values, "carried_over"), _t3_row(prev, "carried_over")
        cur = None if cur is None or c2 is None else cur + c2
        last = None if last is None or l2 is None else last + l2
    pct = narr.get("yoy_growth_pct_stated")
    if pct is not None and pct.detail.get("decimals") is not None:
        if cur is None or not last:
            rows.append(_row("xyear.yoy_pct_vs_tables", "yoy_growth_pct_stated", pct.value, None, None,
                             "table counts missing", pct, "xyear"))
        else:
            actual = (cur - last) / last * 100
            ok = growth_fits(last, cur, pct.value, pct.detail["decimals"])
            rows.append(_row("xyear.yoy_pct_vs_tables", "yoy_growth_pct_stated", pct.value, round(actual, 2), ok,
                             f"tables: {last} -> {cur} = {actual:+.2f}%; stated {pct.value:+}%", pct, "xyear"))
    ab = narr.get("yoy_abs_stated")
    if ab is not None:
        rhs = None if cur is None or last is None else cur - last
        rows.append(_row("xyear.yoy_abs_vs_tables", "yoy_abs_stated", ab.value, rhs,
                         None if rhs is None else ab.value == rhs, f"tables: {last} -> {cur}", ab, "xyear"))
    keys = [f"t2.normative_documents.{k}" for k in ("in_force", "made", "repealed")]
    p_in, made, rep = _num(prev, keys[0]), _num(values, keys[1]), _num(values, keys[2])
    now = _num(values, keys[0])
    if None not in (p_in, made, rep, now):
        exp = p_in + made - rep
        rows.append(_row("xyear.normative_documents", keys[0], now, exp, now == exp,
                         f"last year {p_in} + made {made} − repealed {rep} = {exp}; this year {now}",
                         table="xyear"))
    hist = narr.get("history")
    if hist is not None and narr.year is not None and last is not None:
        for label, series in hist.value.items():
            if re.search(r"申请|受理|收到", label) and not re.search(r"答复|办结", label) and narr.year - 1 in series:
                v = series[narr.year - 1]
                rows.append(_row("xyear.history_vs_prev_t3", f"history.{label}.{narr.year - 1}", v, last, v == last,
                                 "history printed this year vs last year's 本年新收", hist, "xyear"))
    return rows


def narrative_checks(narr: Narrative, values: dict[str, int | float | None],
                     prev_values: dict | None = None) -> list[dict]:
    """Check rows for one report. ``values``: this report's table values (``t3.new_received.total`` …);
    ``prev_values``: the same agency's previous report, for the cross-year rules."""
    values = values or {}
    rows, basis = _applications(narr, values)
    rows += _outcomes(narr, values)
    rows += _applicants(narr, values, basis or narr.value("applications_stated_basis"))
    rows += _review(narr, values)
    rows += _breakdowns(narr)
    rows += _shares(narr)
    rows += _yoy(narr)
    rows += _history(narr, values)
    rows += _normative(narr, values)
    if prev_values:
        rows += _cross_year(narr, values, prev_values, basis)
    return rows
