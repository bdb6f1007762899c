"""Synthetic prose: templated report passages with random numbers must round-trip.

A small generator writes a report the way the real ones are written — a title, a proactive-disclosure
section full of distractors (发布征地信息61条, 主动公开政府信息1300余条, 同比增长…), the 依申请公开
section with the stated count, its year-on-year change, topics and channels, and a closing section —
in Arabic, full-width or Chinese numerals, and broken across lines at random places as PDF text is.
What the generator put in must come out; what it did not put in (facts in distractor sentences)
must not.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.narrative import extract_narrative, narrative_checks

_DIGITS = "零一二三四五六七八九"


def to_cn(n: int, top: bool = True) -> str:
    """Chinese numeral for 0 <= n < 10^8, written independently of the code under test."""
    if n == 0:
        return "零"
    if n >= 10000:
        hi, lo = divmod(n, 10000)
        s = to_cn(hi) + "万"
        if lo:
            s += ("零" if lo < 1000 else "") + to_cn(lo, top=False)
        return s
    if n < 10:
        return _DIGITS[n]
    parts, zero = [], False
    for unit, div in (("千", 1000), ("百", 100), ("十", 10), ("", 1)):
        d = n // div % 10
        if d == 0:
            zero = bool(parts)
            continue
        if zero:
            parts.append("零")
            zero = False
        parts.append(_DIGITS[d] + unit)
    s = "".join(parts)
    return s[1:] if top and s.startswith("一十") else s  # 十二, not 一十二 (but 一万零一十)


def fullwidth(s: str) -> str:
    return s.translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789.%"})


def render(n: int, style: str) -> str:
    if style == "cn":
        return to_cn(n)
    if style == "fw":
        return fullwidth(str(n))
    return str(n)


def render_pct(p: Decimal, style: str) -> str:
    text = f"{p}"
    if style == "cn" and "." not in text:
        return "百分之" + to_cn(int(p))
    if style == "fw":
        return fullwidth(text + "%")
    return text + "%"


@dataclass
class Spec:
    """What the generator wrote: the facts expected back."""

    n: int | None = None
    basis: str = "unknown"
    pct: Decimal | None = None  # signed
    decimals: int | None = None
    abs_change: int | None = None  # signed
    flat: bool = False
    prev: int | None = None  # the true previous-year count the growth was computed from
    land: str = "none"
    land_count: int | None = None
    land_share: int | None = None
    channels: dict[str, int] = field(default_factory=dict)
    fee_zero: bool = False


DISTRACTORS = [
    "全年通过政府网站主动公开政府信息{m}余条，同比增长{q}%。",
    "区自然资源局着力推进征地拆迁信息公开，重点公开土地征收审批结果，共发布征地信息{k}条。",
    "在政民互动专栏收到并回复群众留言{k}件。",
    "全年共承办人大代表建议{k}件，政协提案{k2}件。",
    "受理各类群众诉求{k}起，办结率100%。",
    "公开房屋征收补偿方案{k}件，征地补偿安置方案公告{k2}条。",
    "主动公开政府信息{m}条，比去年增加{k}条。",
]
IN_SECTION_DISTRACTORS = [
    "同时在门户网站发布征地信息{k}条。",
    "另收到并回复群众留言{k}件。",
]


def _wrap(body: str, rng: random.Random, rate: float) -> str:
    """Break a paragraph across lines at random places, as PDF text layers do."""
    out = []
    for ch in body:
        out.append(ch)
        if rng.random() < rate:
            out.append(rng.choice(["\n", "\n\n", "\n\n第3页\n\n- 3 -\n\n"]))
    return "".join(out)


@st.composite
def reports(draw, with_requests: bool = True):
    rng = random.Random(draw(st.integers(0, 2**32 - 1)))
    style = draw(st.sampled_from(["ar", "fw", "cn"]))
    spec = Spec()
    place = draw(st.sampled_from(["东阿县", "平潭综合实验区", "茌平区"]))
    office_report = draw(st.booleans())
    title = f"{place}人民政府2023年政府信息公开工作年度报告"
    fill = {"m": rng.randint(100, 20000), "k": rng.randint(1, 300), "k2": rng.randint(1, 300),
            "q": rng.randint(1, 60)}
    paras = [title, "（一）主动公开。" + "".join(
        d.format(**fill) for d in rng.sample(DISTRACTORS, rng.randint(1, len(DISTRACTORS))))]
    if with_requests:
        n = draw(st.integers(1, 3000))
        spec.n = n
        if office_report:
            subject = "县政府办公室共"
            spec.basis = "office_only"
        else:
            subject = draw(st.sampled_from(["全县共", "全区各级行政机关共", "本机关共", ""]))
        verb = draw(st.sampled_from(["收到政府信息公开申请{n}件", "受理政府信息公开申请{n}件",
                                     "接收通过邮寄、网络提交的各类政府信息公开申请共计{n}件"]))
        sent = f"2023年，{subject}" + verb.format(n=render(n, style))
        change = draw(st.sampled_from(["pct", "abs", "flat", "none"]))
        if change == "pct":
            prev = draw(st.integers(1, 3000))
            d = draw(st.integers(0, 2))
            g = (Decimal(n) - prev) / prev * 100
            p = g.quantize(Decimal(1).scaleb(-d), rounding=ROUND_HALF_UP)
            if p == 0:
                change = "none"
            else:
                spec.pct, spec.decimals, spec.prev = p, d, prev
                word = draw(st.sampled_from(["同比增长", "同比增加了", "较上年增长"])) if p > 0 else \
                    draw(st.sampled_from(["同比下降", "同比减少了", "较去年下降"]))
                sent += f"，{word}{render_pct(abs(p), style)}"
        if change == "abs":
            a = draw(st.integers(-500, n - 1).filter(lambda x: x != 0))  # previous count n - a >= 1
            spec.abs_change, spec.prev = a, n - a
            word = "增加" if a > 0 else "减少"
            sent += f"，{draw(st.sampled_from(['比去年', '较上年', '比2022年']))}{word}{render(abs(a), style)}件"
        if change == "flat":
            spec.flat, spec.prev = True, n
            sent += "，" + draw(st.sampled_from(["与去年持平", "与上年基本持平", "同比持平"]))
        body = sent + "。"
        land = draw(st.sampled_from(["none", "qualitative", "count"]))
        if land == "qualitative":
            body += draw(st.sampled_from(["申请内容主要涉及征地拆迁、房屋征收等方面。",
                                          "申请公开内容主要集中在土地征收方面。"]))
            spec.land = "qualitative"
        elif land == "count":
            k = rng.randint(0, n)
            share = round(k * 100 / n)
            body += f"申请内容涉及征地拆迁的有{render(k, style)}件，占{share}%。"
            spec.land, spec.land_count, spec.land_share = "count", k, share
        if draw(st.booleans()):
            a = rng.randint(0, n)
            b = n - a
            body += f"其中网络申请{render(a, style)}件，信函申请{render(b, style)}件。"
            spec.channels = {"online": a, "letter": b}
        if draw(st.booleans()):
            body += rng.choice(IN_SECTION_DISTRACTORS).format(**fill)
        if draw(st.booleans()):
            body += "全年未收取政府信息公开信息处理费。"
            spec.fee_zero = True
        paras.append("（二）依申请公开。" + body)
    paras.append("（三）政府信息管理。" + "".join(
        d.format(**fill) for d in rng.sample(DISTRACTORS, rng.randint(1, 3))))
    rate = draw(st.sampled_from([0.0, 0.02, 0.08]))
    # Headings stay at line starts (as in the reports); bodies wrap anywhere.
    text = "\n".join(p[:8] + _wrap(p[8:], rng, rate) if p.startswith("（") else p for p in paras)
    return text, spec


def _assert_provenance(text: str, narr) -> None:
    lines = text.split("\n")
    for f in narr.facts:
        assert f.quote in lines[f.line - 1], (f.key, f.quote, f.line)
        for c in f.continued:
            assert c["quote"] in lines[c["line"] - 1]


@settings(max_examples=100, deadline=None)
@given(reports())
def test_synthetic_round_trip(report):
    text, spec = report
    narr = extract_narrative(text)
    _assert_provenance(text, narr)
    apps = narr.get("applications_stated")
    assert apps is not None and apps.value == spec.n
    assert apps.basis == spec.basis or (spec.basis == "unknown" and apps.basis in ("unknown", "new"))
    pct, ab = narr.get("yoy_growth_pct_stated"), narr.get("yoy_abs_stated")
    direction = narr.value("yoy_direction")
    if spec.pct is not None:
        assert pct is not None and Decimal(str(pct.value)) == spec.pct
        assert pct.detail["decimals"] == spec.decimals or Decimal(str(pct.value)) == spec.pct.normalize()
        assert direction == ("increase" if spec.pct > 0 else "decrease")
        imp = narr.get("prev_year_applications_implied")
        assert imp.derived
        lo, hi = imp.value
        if imp.detail["n_integers"] is None:  # a fall of ~100%: unbounded above
            assert lo <= spec.prev
        else:
            assert lo <= spec.prev <= hi  # the true previous count is inside the stated-precision interval
            assert spec.prev in imp.detail["candidates"] or imp.detail["n_integers"] > 5
        # ... and the growth check against the true previous report passes
        rows = narrative_checks(narr, {"t3.new_received.total": spec.n}, {"t3.new_received.total": spec.prev})
        assert {r["rule"]: r for r in rows}["xyear.yoy_pct_vs_tables"]["ok"] is True
    elif spec.abs_change is not None:
        assert pct is None and ab is not None and ab.value == spec.abs_change
        assert direction == ("increase" if spec.abs_change > 0 else "decrease")
        assert narr.get("prev_year_applications_implied").detail["integer"] == spec.prev
    elif spec.flat:
        assert pct.value == 0 and ab.value == 0 and direction == "flat"
        assert narr.get("prev_year_applications_implied").detail["integer"] == spec.n
    else:
        assert pct is None and ab is None and direction is None
    land = narr.to_json()["land_requisition"]
    assert land["level"] == spec.land
    if spec.land == "count":
        assert land["count"] == spec.land_count and land["share"] == spec.land_share
    counted = {k: f.value for k, f in narr.group("channels").items() if f.value is not None}
    assert counted == spec.channels
    assert (narr.value("fees_stated") == 0) == spec.fee_zero or narr.value("fees_stated") is None
    # Nothing from the distractors: no processed/outcome/unit facts were written.
    for key in ("processed_stated", "carried_forward_stated", "review_stated", "litigation_stated"):
        assert narr.get(key) is None, key
    assert not narr.group("outcomes_stated") and not narr.group("requests_breakdown")
    assert not narr.group("applicants_stated")


@settings(max_examples=100, deadline=None)
@given(reports(with_requests=False))
def test_distractors_never_make_request_facts(report):
    text, _ = report
    narr = extract_narrative(text)
    _assert_provenance(text, narr)
    keys = {f.key.split(".")[0] for f in narr.facts}
    assert not keys & {"applications_stated", "yoy_growth_pct_stated", "yoy_abs_stated", "yoy_direction",
                       "prev_year_applications_implied", "topics", "channels", "requests_breakdown",
                       "processed_stated", "outcomes_stated", "land_requisition", "review_stated"}
    assert narr.to_json()["land_requisition"]["level"] == "none"


def test_to_cn_helper():
    assert [to_cn(n) for n in (1, 10, 12, 20, 23, 100, 105, 110, 2010, 3000, 10010, 120000)] == [
        "一", "十", "十二", "二十", "二十三", "一百", "一百零五", "一百一十", "二千零一十", "三千", "一万零一十",
        "十二万"]


def test_office_only_count_in_whole_government_report():
    text = "某县人民政府2023年政府信息公开工作年度报告\n（二）依申请公开。2023年，县政府办公室共收到政府信息公开申请12件。"
    f = extract_narrative(text).get("applications_stated")
    assert (f.value, f.basis) == (12, "office_only")
    rows = narrative_checks(extract_narrative(text), {"t3.new_received.total": 80})
    assert rows[0]["ok"] is None


def test_new_and_new_plus_carried_bases():
    t1 = "（二）依申请公开。本年度新收政府信息公开申请30件，上年结转2件。"
    assert extract_narrative(t1).get("applications_stated").basis == "new"
    t2 = "（二）依申请公开。本年度共收到政府信息公开申请32件（含上年结转2件）。"
    n2 = extract_narrative(t2)
    assert (n2.value("applications_stated"), n2.get("applications_stated").basis) == (32, "new_plus_carried")
    rows = narrative_checks(n2, {"t3.new_received.total": 30, "t3.carried_over.total": 2})
    assert rows[0]["ok"] is True and rows[0]["rhs"] == 32


def test_qualitative_direction_and_percentage_points():
    t = "（二）依申请公开。2023年共收到政府信息公开申请40件，较去年有所下降，按时答复率比去年提高5个百分点。"
    n = extract_narrative(t)
    assert n.value("yoy_direction") == "decrease"
    assert n.get("yoy_growth_pct_stated") is None and n.get("yoy_abs_stated") is None


def test_reconsideration_none_vs_no_loss():
    n = extract_narrative("本年度未发生因政府信息公开引起的行政复议、行政诉讼。")
    assert n.value("review_stated") == 0 and n.value("litigation_stated") == 0
    n = extract_narrative("2023年因信息公开未产生行政复议和行政诉讼的败诉情况。")
    assert n.get("review_stated") is None and n.get("review_litigation_note") is not None


def test_phrasings_seen_in_other_reports():
    # absolute change followed by a bare percent
    n = extract_narrative("（二）依申请公开。本年度共收到政府信息公开申请35件，较上年度增加10件，增长40%。")
    assert (n.value("yoy_abs_stated"), n.value("yoy_growth_pct_stated")) == (10, 40)
    assert n.get("prev_year_applications_implied").detail["integer"] == 25
    rows = {r["rule"]: r for r in narrative_checks(n, {})}
    assert rows["narr.yoy_abs_vs_pct"]["ok"] is True  # 25 -> 35 is +40%
    n = extract_narrative("（二）依申请公开。共收到政府信息公开申请三十件，比上年减少三件，下降9.1%。")
    assert (n.value("applications_stated"), n.value("yoy_abs_stated"), n.value("yoy_growth_pct_stated")) == (
        30, -3, -9.1)
    assert n.value("yoy_direction") == "decrease"
    # a count without a verb, and a carried-over note inside the count
    n = extract_narrative("（二）依申请公开。2023年依申请公开数量为26件，其中上年结转1件。")
    assert n.value("applications_stated") == 26 and n.get("applications_stated").basis == "new_plus_carried"
    # channels with 当面 first; the total is not a channel
    n = extract_narrative("（二）依申请公开。全年共受理政府信息公开申请35件，其中当面申请2件、网络申请30件、信函申请3件。")
    assert {k: f.value for k, f in n.group("channels").items()} == {"in_person": 2, "online": 30, "letter": 3}
    rows = {r["rule"]: r for r in narrative_checks(n, {})}
    assert rows["narr.breakdown_sum.channels"]["ok"] is True
    # approximate counts are kept but imply nothing
    n = extract_narrative("（二）依申请公开。全年共收到政府信息公开申请100余件，同比增长20%。")
    assert n.value("applications_stated") == 100 and n.get("applications_stated").detail["approx"]
    assert n.get("prev_year_applications_implied") is None


def test_land_words_and_non_land_collection():
    n = extract_narrative("（二）依申请公开。全年共收到政府信息公开申请20件，其中涉及社保费征收的有3件，涉及房屋征收补偿的有5件。")
    land = n.to_json()["land_requisition"]
    assert (land["level"], land["count"]) == ("count", 5)
    n = extract_narrative("（二）依申请公开。全年共收到政府信息公开申请20件，其中涉及税费征收的有3件。")
    assert n.to_json()["land_requisition"]["level"] == "none"
    n = extract_narrative("（二）依申请公开。全年共收到政府信息公开申请20件，涉及征地拆迁的约占60%。")
    land = n.to_json()["land_requisition"]
    assert (land["level"], land["count"], land["share"]) == ("share", None, 60)
