"""Stated request counts, year-on-year change, and the previous-year count they imply.

The count must be a count of *information-disclosure requests*: "收到政府信息公开申请81件",
"共收到办理依申请公开件41件", "收到70件申请" (inside the 依申请公开 section). Messages, petitions,
proposals and review applications also arrive as "收到…件" and are excluded by name.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from .context import SUBUNIT, WHOLE_SCOPE, Ctx
from .model import Fact
from .numbers import APPROX, NUM, PERCENT, as_plain, implied_previous, parse_number, percent_number

VERB = r"(?:新收|收到|受理|接收|接到|收悉)"
# Between verb and object: words such as "通过邮寄、网络提交的各类" — never a clause break, tab
# (table cell) or digit.
GAP = r"[^,。;:!?\n\t\d“”\"《》]{0,40}?"
OBJ = r"(?:依申请公开(?:政府信息)?(?:申请|件|事项)?|政府信息公开申请|信息公开申请|公开申请|申请件|申请(?!人|书|表))"
MID = r"[^,。;:!?\n\t\d“”\"《》]{0,10}?"
# "个" is left out on purpose: "…回复申请的“三个一”工作机制" would read as 三 requests.
APP_UNIT = r"(?:件|宗|份|条)"
UNIT = r"(?:件|宗|份|个(?!百分点)|条)"

APP_A = re.compile(rf"(?P<verb>{VERB})(?P<gap>{GAP})(?P<obj>{OBJ})(?P<mid>{MID})(?P<num>{NUM})\s*"
                   rf"(?P<approx>{APPROX})\s*{APP_UNIT}")
APP_B = re.compile(rf"(?P<verb>{VERB})了?(?P<gap>各类|共计|共)?\s*(?P<num>{NUM})\s*(?P<approx>{APPROX})\s*"
                   rf"(?:件|宗|份)(?P<obj>[^,。;:\n\t\d]{{0,12}}?申请(?!人|书|表))")
# "依申请公开数量为35件": a count with no verb.
APP_C = re.compile(rf"(?P<verb>)(?P<gap>)(?P<obj>依申请公开|政府信息公开申请)(?:的)?(?:总数量|数量|件数|总数)"
                   rf"(?P<mid>为|共|共计|达|是)\s*(?P<num>{NUM})\s*(?P<approx>{APPROX})\s*{APP_UNIT}")

# Other things that are "received" in these reports.
NOT_REQUESTS = re.compile(r"复议|诉讼|信访|投诉|举报|留言|诉求|建议|提案|咨询|许可|审批|来电|热线|12345|办件")

CMP = (r"(?:同比|(?:比|较|相比|与|和)(?:去年|上年|上一年|上年度|上一年度|前一年|\d{4}\s*年度?)"
       r"(?:同期)?(?:相比|比较)?)")
UP = r"(?:增长|增加|上升|提高|提升|增多)"
DOWN = r"(?:下降|减少|降低|下滑|回落)"
YOY_PCT = re.compile(rf"{CMP}\s*,?\s*(?P<dir>{UP}|{DOWN})了?\s*(?:约)?\s*{PERCENT}")
YOY_RATE = re.compile(rf"(?P<dir>增幅|增长率|降幅|下降率)(?:为|达)?\s*{PERCENT}")
YOY_ABS = re.compile(rf"{CMP}\s*,?\s*(?P<dir>{UP}|{DOWN})了?\s*(?P<num>{NUM})\s*(?:件|宗|份|个(?!百分点))")
YOY_TIMES = re.compile(rf"{CMP}\s*,?\s*(?P<dir>{UP})了?\s*(?P<num>{NUM})\s*倍")
YOY_FLAT = re.compile(r"(?:(?:与|和|同|较|比)(?:去年|上年|上一年度?|上年度|\d{4}\s*年度?)(?:同期)?(?:相比)?\s*,?\s*"
                      r"(?:基本)?(?:持平|相同|一致|相当|保持不变))|同比(?:基本)?持平")
YOY_QUAL = re.compile(rf"{CMP}\s*,?\s*(?:有所|略有|明显|大幅|显著|小幅)?(?P<dir>{UP}|{DOWN})(?![了\s]*(?:{NUM}|百分之))")

BASIS_NEW_PLUS_CARRIED = re.compile(r"(?:含|包括|包含|其中)[^,。;]{0,8}结转|结转[^,。;]{0,10}(?:在内|合计)")
# "比上年增加10件，增长40%": the percent follows the absolute change without its own comparator.
PCT_AFTER_ABS = re.compile(rf"\s*,?\s*(?:即|,)?\s*(?P<dir>{UP}|{DOWN}|增幅|降幅)了?(?:为|达)?\s*{PERCENT}")


@dataclass
class AppMatch:
    start: int
    end: int
    num_start: int
    value: int
    approx: bool
    basis: str
    subject: str


def _is_request(ctx: Ctx, m: re.Match) -> bool:
    words = (m.group("gap") or "") + m.group("obj") + (m.groupdict().get("mid") or "")
    if NOT_REQUESTS.search(words):
        return False
    if re.search(r"公开|信息", words):
        return True
    # A bare "收到70件申请" counts only inside the 依申请公开 part of the report.
    return "依申请" in ctx.s[max(0, m.start() - 400):m.end()]


def find_applications(ctx: Ctx) -> list[AppMatch]:
    found: list[AppMatch] = []
    whole = ctx.whole_government()
    for rx in (APP_A, APP_B, APP_C):
        for m in rx.finditer(ctx.s):
            if not _is_request(ctx, m):
                continue
            if any(f.start <= m.start("num") < f.end for f in found):
                continue
            num = parse_number(m.group("num"))
            if isinstance(num.value, float):
                continue
            cstart = ctx.clause_start(m.start())
            subject = ctx.s[cstart:m.start()]
            sent = ctx.s[ctx.sentence_start(m.start()):ctx.sentence_end(m.end())]
            if m.group("verb") == "新收" or "新收" in (m.group("gap") or ""):
                basis = "new"
            elif BASIS_NEW_PLUS_CARRIED.search(sent):
                basis = "new_plus_carried"
            elif whole and SUBUNIT.search(subject) and not WHOLE_SCOPE.search(subject):
                basis = "office_only"
            else:
                basis = "unknown"
            found.append(AppMatch(cstart, m.end(), m.start("num"), num.value, bool(m.group("approx")),
                                  basis, subject.strip()))
    found.sort(key=lambda a: a.start)
    # The government-wide statement comes first when a report also gives one office's count.
    found.sort(key=lambda a: 0 if WHOLE_SCOPE.search(a.subject) or a.basis != "office_only" else 1)
    return found


def application_facts(ctx: Ctx, apps: list[AppMatch]) -> list[Fact]:
    facts = []
    for a in apps:
        detail = {"subject": a.subject} if a.subject else {}
        if a.approx:
            detail["approx"] = True
        facts.append(ctx.fact("applications_stated", a.value, a.start, a.end, basis=a.basis, detail=detail))
    if apps:
        a = apps[0]
        facts.append(ctx.fact("applications_stated_basis", a.basis, a.start, a.end, basis=a.basis))
    return facts


def _yoy_region(ctx: Ctx, app: AppMatch) -> tuple[int, int]:
    """Where a growth statement about this count may sit: after it, in the same sentence, before any
    other count or "其中" breakdown; or opening the next sentence ("…81件。同比增长39.7%。")."""
    a = app.end
    end = ctx.sentence_end(a)
    if end < len(ctx.s) and ctx.s[end] != "\n" and re.match(rf"\s*{CMP}|\s*(?:增幅|降幅)", ctx.s[end + 1:]):
        end = ctx.sentence_end(end + 1)
    cut = ctx.s.find("其中", a, end)
    return a, (cut if cut != -1 else end)


def _count_between(ctx: Ctx, a: int, b: int) -> bool:
    return bool(re.search(rf"{NUM}\s*(?:余|多)?\s*{UNIT}", ctx.s[a:b]))


def yoy_facts(ctx: Ctx, app: AppMatch) -> list[Fact]:
    """Growth as stated next to the count: percent, absolute, times, flat, or direction only."""
    a, b = _yoy_region(ctx, app)
    seg = ctx.s[a:b]
    facts: list[Fact] = []
    direction: tuple[str, int, int] | None = None

    def ok(m: re.Match) -> bool:
        # No other count may sit between the stated total and its growth.
        return not _count_between(ctx, a, a + m.start())

    m = YOY_PCT.search(seg) or YOY_RATE.search(seg)
    if m and ok(m):
        n = percent_number(m)
        down = bool(re.fullmatch(DOWN, m.group("dir")) or m.group("dir") in ("降幅", "下降率"))
        pct = as_plain(-n.value if down else n.value)
        facts.append(ctx.fact("yoy_growth_pct_stated", pct, a + m.start(), a + m.end(),
                              detail={"decimals": n.decimals, "word": m.group("dir")}))
        direction = ("decrease" if down else "increase", a + m.start(), a + m.end())
    else:
        m = YOY_TIMES.search(seg)
        if m and ok(m):
            n = parse_number(m.group("num"))
            facts.append(ctx.fact("yoy_growth_pct_stated", as_plain(n.value * 100), a + m.start(), a + m.end(),
                                  detail={"decimals": 0, "word": m.group("dir"), "stated_as": "倍"}))
            direction = ("increase", a + m.start(), a + m.end())
    m = YOY_ABS.search(seg)
    if m and ok(m) and not any(f.key == "yoy_growth_pct_stated" for f in facts):
        p = PCT_AFTER_ABS.match(seg, m.end())
        if p:
            n = percent_number(p)
            down = bool(re.fullmatch(DOWN, p.group("dir")) or p.group("dir") == "降幅")
            facts.append(ctx.fact("yoy_growth_pct_stated", as_plain(-n.value if down else n.value),
                                  a + p.start("dir"), a + p.end(), detail={"decimals": n.decimals,
                                                                           "word": p.group("dir")}))
    if m and ok(m):
        n = parse_number(m.group("num"))
        down = bool(re.fullmatch(DOWN, m.group("dir")))
        facts.append(ctx.fact("yoy_abs_stated", -n.value if down else n.value, a + m.start(), a + m.end(),
                              detail={"word": m.group("dir")}))
        direction = direction or ("decrease" if down else "increase", a + m.start(), a + m.end())
    if direction is None:
        m = YOY_FLAT.search(seg)
        if m and ok(m):
            facts.append(ctx.fact("yoy_growth_pct_stated", 0, a + m.start(), a + m.end(),
                                  detail={"decimals": None, "word": "持平"}))
            facts.append(ctx.fact("yoy_abs_stated", 0, a + m.start(), a + m.end(), detail={"word": "持平"}))
            direction = ("flat", a + m.start(), a + m.end())
        else:
            m = YOY_QUAL.search(seg)
            if m and ok(m):
                down = bool(re.fullmatch(DOWN, m.group("dir")))
                direction = ("decrease" if down else "increase", a + m.start(), a + m.end())
    if direction:
        facts.append(ctx.fact("yoy_direction", direction[0], direction[1], direction[2]))
    return facts


def _exact(imp) -> list[float | None]:
    return [imp.low, None if math.isinf(imp.high) else imp.high]


def implied_fact(ctx: Ctx, app: AppMatch, yoy: list[Fact]) -> Fact | None:
    """The previous-year count the stated figures imply (derived, never a table value)."""
    by = {f.key: f for f in yoy}
    pct, ab = by.get("yoy_growth_pct_stated"), by.get("yoy_abs_stated")
    if app.approx or (pct is None and ab is None):
        return None
    detail: dict = {"current": app.value, "from": ["applications_stated"]}
    src = ab or pct
    if ab is not None:
        prev = app.value - ab.value
        detail["from"].append("yoy_abs_stated")
        detail.update(integer=prev if prev >= 0 else None, n_integers=1 if prev >= 0 else 0,
                      method="current − stated change")
        value = [prev, prev]
    if pct is not None and pct.detail.get("decimals") is not None:
        imp = implied_previous(app.value, pct.value, pct.detail["decimals"])
        if imp is None:
            return None
        pct_part = {"interval": imp.rounded(), "exact": _exact(imp),
                    "candidates": list(imp.integers), "n_integers": imp.n_integers,
                    "percent": pct.value, "decimals": pct.detail["decimals"]}
        if ab is None:
            src = pct
            detail["from"].append("yoy_growth_pct_stated")
            value = imp.rounded()
            detail.update(integer=imp.integer, n_integers=imp.n_integers, candidates=list(imp.integers),
                          exact=_exact(imp),
                          method="current / (1 + g), g within half a unit of the last printed digit")
            if imp.n_integers == 0:
                detail["note"] = "stated growth fits no integer previous count"
            elif imp.n_integers is None:
                detail["note"] = "a fall of about 100%: any previous count from the lower bound up fits"
        else:
            detail["from"].append("yoy_growth_pct_stated")
            detail["percent_check"] = pct_part
    elif pct is not None:  # 持平: previous equals current
        value = [app.value, app.value]
        detail.update(integer=app.value, n_integers=1, method="stated as flat")
        src = pct
    f = ctx.fact("prev_year_applications_implied", value, 0, 0, derived=True, detail=detail)
    # Quote the growth statement the interval is computed from.
    f.quote, f.line, f.span, f.continued = src.quote, src.line, src.span, src.continued
    return f
