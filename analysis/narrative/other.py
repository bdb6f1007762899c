"""Reconsideration/litigation counts, information-processing fees, normative documents, on-time rate.

These are read from the whole prose, not only the 依申请公开 passage: reports state them in
section 一 (总体情况), section 四 or section 六. Patterns demand a count with a unit ("6件"), which
fused table cells ("行政复议行政诉讼结果维持…000000") never have.
"""

from __future__ import annotations

import re

from .context import Ctx
from .model import Fact
from .numbers import NUM, PERCENT, as_plain, parse_number, percent_number

_N = rf"(?P<n>{NUM})\s*(?:件|起|宗|次|个)"
REVIEW = re.compile(rf"行政复议(?:案件|申请)?\s*(?:共计|共|合计)?\s*{_N}")
LITIGATION = re.compile(
    rf"(?P<pre>复议后(?:被)?(?:提起)?|(?:未经复议)?直接(?:被)?(?:提起)?|被(?:提起)?)?行政诉讼(?:案件)?"
    rf"\s*(?:共计|共|合计)?\s*{_N}"
)
RESULTS = re.compile(rf"(?:结果)?(?P<what>维持|纠正|其他结果|尚未审结|未审结|撤销|驳回)(?:的)?\s*{_N}")
_RESULT_KEYS = {"维持": "upheld", "驳回": "upheld", "纠正": "corrected", "撤销": "corrected",
                "其他结果": "other", "尚未审结": "pending", "未审结": "pending"}
# A negation close before the mention ("本年度未发生因政府信息公开引起的行政复议"); "无法提供" and
# "无正当理由" are table labels, not negations.
NEGATED = re.compile(r"(?:未|没有|无(?!法|正当))(?:发生|出现|产生|收到|涉及|被提起|被申请|引起|引发)?")
NO_LOSS = re.compile(r"败诉|纠错|被纠正|撤销|责任追究")

FEE_ZERO = re.compile(
    r"(?:未|没有|无|不)(?:收取|收|产生)[^,。;]{0,20}?(?:处理费|费用)"
    r"|处理费(?:收入|金额)?(?:为|共计)?\s*0\s*(?:元|万元)"
    r"|无收费|未收费|零收费"
)
FEE_AMOUNT = re.compile(
    rf"(?:收取|收缴)[^,。;]{{0,20}}?处理费[^,。;\d]{{0,6}}?(?P<n>{NUM})\s*(?P<u>万元|元)"
    rf"|处理费(?:收入|金额)?(?:共计|共|合计|总计)?(?:为)?\s*(?P<n2>{NUM})\s*(?P<u2>万元|元)"
)

NORMATIVE = (
    ("in_force", re.compile(rf"现行有效(?:的)?(?:行政)?规范性文件(?:共计|共)?\s*(?P<n>{NUM})\s*件")),
    ("made", re.compile(rf"(?:制发|制定|出台|印发|新制发)(?:的)?(?:行政)?规范性文件(?:共计|共)?\s*(?P<n>{NUM})\s*件")),
    ("repealed", re.compile(rf"(?:废止|宣布废止|失效)(?:的)?(?:行政)?规范性文件(?:共计|共)?\s*(?P<n>{NUM})\s*件"
                            rf"|规范性文件[^。;]{{0,20}}?,\s*(?P<w>废止|失效)\s*(?P<n2>{NUM})\s*件")),
)
ON_TIME = re.compile(rf"(?:按时|按期|法定期限内)(?:答复|办结|回复)率(?:为|达到?)?\s*{PERCENT}")


def _int(s: str) -> int | float:
    return as_plain(parse_number(s).value)


def _item_start(ctx: Ctx, pos: int) -> int:
    """Start of a list item: "…行政复议案件2件、行政诉讼案件7件" quotes each count on its own."""
    a = ctx.clause_start(pos)
    k = ctx.s.rfind("、", a, pos)
    return k + 1 if k != -1 else a


def review_facts(ctx: Ctx) -> list[Fact]:
    facts: list[Fact] = []
    for m in REVIEW.finditer(ctx.s):
        a = _item_start(ctx, m.start())
        detail = {}
        # "结果维持3件，结果纠正1件，尚未审结0件" right after, in the same sentence.
        end = ctx.sentence_end(m.end())
        stop = ctx.s.find("诉讼", m.end(), end)
        results = {}
        for r in RESULTS.finditer(ctx.s, m.end(), stop if stop != -1 else end):
            key = _RESULT_KEYS[r.group("what")]
            if key in results:
                break
            results[key] = r
        facts.append(ctx.fact("review_stated", _int(m.group("n")), a, m.end(), detail=detail))
        for key, r in results.items():
            facts.append(ctx.fact(f"review_results.{key}", _int(r.group("n")), ctx.clause_start(r.start()),
                                  r.end(), detail={"label": r.group(0)}))
        break  # the first statement; later ones are usually the table heading's echo
    for m in LITIGATION.finditer(ctx.s):
        pre = m.group("pre") or ""
        key = ("litigation_after_review_stated" if "复议" in pre
               else "litigation_direct_stated" if "直接" in pre else "litigation_stated")
        if any(f.key == key for f in facts):
            continue
        a = _item_start(ctx, m.start())
        # "复议后被提起行政诉讼4件" names its scope; otherwise the count is all suits.
        basis = {"litigation_after_review_stated": "after_review",
                 "litigation_direct_stated": "direct"}.get(key, "all")
        facts.append(ctx.fact(key, _int(m.group("n")), a, m.end(), basis=basis))
    facts.extend(_negated(ctx, {f.key for f in facts}))
    return facts


def _negated(ctx: Ctx, have: set[str]) -> list[Fact]:
    """"未发生因政府信息公开引起的行政复议、行政诉讼" -> zero counts; "…未产生行政复议和行政诉讼的
    败诉情况" says nothing about the number of cases, only that none was lost: a note, not a zero."""
    out: list[Fact] = []
    for m in re.finditer(r"行政复议|行政诉讼", ctx.s):
        a, b = ctx.clause_start(m.start()), ctx.clause_end(m.end())
        neg = NEGATED.search(ctx.s, max(a, m.start() - 25), m.start())
        if not neg or b - a > 80 or any(f.span == ctx.stream.span(a, b) for f in out):
            continue
        clause = ctx.s[a:b]
        if re.search(NUM + r"\s*件", clause):
            continue
        if NO_LOSS.search(clause):
            if "review_litigation_note" not in have:
                out.append(ctx.fact("review_litigation_note", ctx.s[a:b].strip(), a, b, level="qualitative",
                                    detail={"note": "states no lost/corrected case, not the number of cases"}))
                have.add("review_litigation_note")
            continue
        if "复议" in clause and "review_stated" not in have:
            out.append(ctx.fact("review_stated", 0, a, b, detail={"stated_as": "none"}))
            have.add("review_stated")
        if "诉讼" in clause and "litigation_stated" not in have:
            out.append(ctx.fact("litigation_stated", 0, a, b, basis="all", detail={"stated_as": "none"}))
            have.add("litigation_stated")
    return out


def fee_fact(ctx: Ctx, zones: list[tuple[int, int]]) -> Fact | None:
    """Information-processing fees (信息处理费) in yuan; 0 when the report says none were charged."""
    for m in FEE_AMOUNT.finditer(ctx.s):
        n = m.group("n") or m.group("n2")
        unit = m.group("u") or m.group("u2")
        v = parse_number(n).value * (10000 if unit == "万元" else 1)
        return ctx.fact("fees_stated", as_plain(v), ctx.clause_start(m.start()), m.end(),
                        detail={"unit": "yuan", "printed_unit": unit})
    for m in FEE_ZERO.finditer(ctx.s):
        a, b = ctx.clause_start(m.start()), ctx.clause_end(m.end())
        clause = ctx.s[a:b]
        in_zone = any(x <= m.start() < y for x, y in zones)
        # "未收取…费用" and "无收费" only count when about disclosure requests, not e.g. 行政审批.
        if "处理费" not in clause and not in_zone and not re.search(r"信息公开|申请", clause):
            continue
        return ctx.fact("fees_stated", 0, a, b, detail={"unit": "yuan", "stated_as": "none charged"})
    return None


def normative_facts(ctx: Ctx) -> list[Fact]:
    facts = []
    for key, rx in NORMATIVE:
        m = rx.search(ctx.s)
        if not m:
            continue
        n = m.group("n") or m.groupdict().get("n2")
        detail = {}
        word = m.groupdict().get("w") or (re.match(r"失效|废止|宣布废止", m.group(0)) or [None])[0]
        if word:
            detail["word"] = word
        facts.append(ctx.fact(f"normative_documents_stated.{key}", _int(n), ctx.clause_start(m.start()), m.end(),
                              detail=detail))
    return facts


def on_time_fact(ctx: Ctx, zones: list[tuple[int, int]]) -> Fact | None:
    for a, b in zones:
        m = ON_TIME.search(ctx.s, a, b)
        if m:
            pn = percent_number(m)
            return ctx.fact("answered_on_time_pct_stated", as_plain(pn.value), ctx.clause_start(m.start(), a),
                            m.end(), detail={"decimals": pn.decimals})
    return None
