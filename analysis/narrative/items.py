"""Itemised statements inside the 依申请公开 passage: "LABEL N件(，占 P%)" lists.

One pattern reads every "label + count" item of the passage; the label decides what the count is
about: an outcome ("予以公开57件"), a channel ("网络渠道申请 6 件"), an applicant type ("自然人72件"),
a topic ("涉及征地拆迁的有 13 件"), or a receiving unit ("县自然资源和规划局28件"). A label that names
none of these ("咨询业务受理渠道的有 2 件") takes the kind of its neighbours in the same sentence:
reports list like with like.

Only the passage about requests is read (see :func:`zones`), which is what keeps proactive-disclosure
sentences such as "发布征地信息61条" out of the request facts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .context import Ctx
from .model import Fact
from .numbers import NUM, PERCENT, as_plain, parse_number, percent_number
from .requests import CMP, AppMatch

# Section headings end the passage, except enumerated outcomes ("（一）予以公开…") inside it.
_SECTION = re.compile(r"\([一二三四五六七八九十]{1,3}\)|(?<![第\d一二三四五六七八九十])[一二三四五六七八九十]{1,3}、")
_OUTCOME_WORDS = re.compile(r"予以公开|部分公开|不予公开|无法提供|不予处理|其他处理|结转")
_YSQ_PREFIX = re.compile(r"(?:\([一二三四五六七八九十]{1,3}\)|[一二三四五六七八九十]{1,3}、|\d[.、])\s*\**\s*$")
ZONE_MAX = 1500

ITEM = re.compile(rf"(?P<num>{NUM})\s*(?P<approx>余|多)?\s*(?P<unit>件|宗|份|个(?!百分点)|条)"
                  rf"(?P<share>\s*,?\s*(?:约)?占(?:比)?(?:为|约)?\s*{PERCENT})?")
# Where an item's label starts: after the last of these before the number.
_LABEL_STOP = ",;:。!?\n、()【】《》“”\"'\t"

# Label -> kind, tried in this order.
OUTCOMES = (
    ("granted_or_partial", r"予以公开(?:和|及|与|、|或)部分公开|全部或部分公开|公开(?:和|及)部分公开"),
    ("partially_granted", r"部分公开"),
    ("denied", r"不予公开"),
    ("granted", r"予以公开|同意公开|全部公开"),
    ("unable_not_held", r"不属于本机关|非本机关|本机关不掌握|不掌握"),
    ("not_exist", r"信息不存在|不存在"),
    ("unable", r"无法提供"),
    ("not_processed", r"不予处理"),
    ("other", r"其他处理"),
    ("needs_correction", r"补正"),
    ("transferred", r"告知|转交|转办"),
)
CARRIED = re.compile(r"结转下一?年度?|转入下一?年度?|下一?年度继续")
PROCESSED = re.compile(r"办结|答复|办理完毕|处理完毕|回复|办理")
CHANNELS = (
    ("email", r"电子邮件|邮箱"),
    ("online", r"网络|网上|在线|互联网|网站|平台|电子政务"),
    ("letter", r"信函|邮寄|来信|邮政|快递"),
    ("in_person", r"当面|现场|窗口"),
    ("fax", r"传真"),
)
APPLICANTS = (
    ("natural_person", r"自然人|公民个人|个人"),
    ("legal_persons", r"法人或其他组织|法人和其他组织|法人"),
    ("commercial", r"商业企业|企业"),
    ("research", r"科研机构"),
    ("social_org", r"社会公益组织|公益组织"),
    ("legal_service", r"法律服务机构|律师"),
    ("other_org", r"其他组织"),
)
UNIT_SUFFIX = re.compile(r"(?:政府|局|委|委员会|办|办公室|街道?|镇|乡|单位|部门|中心|院|所|处|站|队|管委会|厅|署|社区|"
                         r"村|片区|分局|公司|集团)$")
# 征收 alone is also tax/fee collection (社保费征收); it means land only next to 土地/房屋/补偿….
LAND = re.compile(r"征地|拆迁|征拆|征迁|(?:土地|房屋|集体土地|农用地|国有土地上房屋)征收|征收(?:补偿|土地|房屋|安置|拆迁)"
                  r"|安置补偿|补偿安置|棚户区改造|棚改")
LAND_AGENCY = re.compile(r"自然资源|国土|规划|征收|征迁|土地储备|拆迁|棚改")
PROACTIVE = re.compile(r"发布|公布|主动公开|公开了|推送|更新|转载|解读")
# Counted in the same breath but not disclosure requests: messages, petitions, deputies' proposals.
# ("咨询…" and "信访举报投诉类申请" can be request topics or outcomes, so they are not listed.)
_NOT_REQUESTS = re.compile(r"留言|诉求|建议|提案|来电|热线|12345")
TOPIC_HINT = re.compile(r"涉及|关于|内容|事项|方面|领域|问题")

QUAL_TOPIC = re.compile(
    r"(?:主要|大多|大部分|多数|多|集中)(?:涉及|集中在|集中于|关于|为|是|包括|围绕|是关于)\s*"
    r"(?P<topics>[^,。;:!?\n]{2,60}?)\s*(?:等)?(?:方面|领域|内容|问题|事项|类|信息)?(?=[,。;:!?\n]|$)"
)


def zones(ctx: Ctx, apps: list[AppMatch]) -> list[tuple[int, int]]:
    """Stream ranges of the passage about requests: from the stated count (or the 依申请公开 heading)
    to the next section heading, at most ZONE_MAX characters."""
    starts = []
    if apps:
        starts.append(ctx.sentence_start(apps[0].start))
    # The heading pattern is tried only where its literal tail occurs (a scan of the whole stream
    # with a pattern that starts with a numeral class is slow on long reports).
    pos = ctx.s.find("依申请公开")
    while pos != -1:
        if _YSQ_PREFIX.search(ctx.s, max(0, pos - 12), pos):
            starts.append(pos + len("依申请公开"))
        pos = ctx.s.find("依申请公开", pos + 1)
    out: list[tuple[int, int]] = []
    for a in sorted(set(starts)):
        if any(x <= a < y for x, y in out):
            continue
        b = min(len(ctx.s), a + ZONE_MAX)
        for m in _SECTION.finditer(ctx.s, a, b):
            if m.start() == a or _OUTCOME_WORDS.match(ctx.s, m.end()):
                continue
            b = m.start()
            break
        out.append((a, b))
    return out


@dataclass
class Item:
    label: str  # cleaned label
    raw_label: str
    start: int  # stream offset of the label
    end: int  # stream offset after the count (and share)
    num_start: int
    value: int | float
    approx: bool
    share: float | None
    share_decimals: int | None
    kind: str | None
    sub: str | None  # outcome/channel/applicant key, topic or unit name
    sentence: int  # stream offset of the sentence start


def _clean(label: str) -> str:
    label = re.sub(r"\s+", "", label)
    label = re.sub(r"^(?:其中|另有|此外|包括|合计|共计|共|均)+", "", label)
    stripped = re.sub(r"(?:的有|的|有|共计|共|合计|计|达|约|分别)+$", "", label)
    # "自然人为72件" -> 自然人, but "商业行为的有 1 件" keeps its 为.
    return re.sub(r"为$", "", stripped) if stripped == label else stripped


def _classify(label: str) -> tuple[str | None, str | None]:
    if re.search(r"复议|诉讼", label):
        return "review", None
    if _NOT_REQUESTS.search(label):
        return "not_request", None
    if re.search(CMP, label):
        return "yoy", None
    for key, rx in OUTCOMES:
        if re.search(rx, label):
            return "outcome", key
    if CARRIED.search(label):
        return "carried_forward", None
    if PROACTIVE.search(label):  # "在门户网站发布征地信息61条" is disclosure, not a request channel
        return "proactive", None
    channels = [k for k, rx in CHANNELS if re.search(rx, label)]
    if len(channels) == 1 and not re.search(r"收到|受理|接收", label):
        return "channel", channels[0]
    if re.search(r"(?:收到|受理|接收|新收)[^,]*申请", label):
        return "applications", None
    if PROCESSED.search(label) and not TOPIC_HINT.search(label):
        return "processed", None
    core = re.sub(r"^.*?涉及", "", label) if "涉及" in label else label
    for key, rx in APPLICANTS:
        if re.fullmatch(rf"(?:申请人)?(?:为)?(?:{rx})(?:申请人?|提出的?|提交的?|申请的?)*", core):
            return "applicant", key
    if "涉及" in label or re.search(r"关于|方面|领域|问题|类$", label):
        topic = re.sub(r"(?:等)?(?:方面|领域|问题|事项|内容)$", "", core)
        return "topic", topic
    if UNIT_SUFFIX.search(label):
        return "unit", label
    return None, None


def read_items(ctx: Ctx, zone: tuple[int, int], skip: list[tuple[int, int]]) -> list[Item]:
    a, b = zone
    items: list[Item] = []
    last_end = a
    for m in ITEM.finditer(ctx.s, a, b):
        if any(x <= m.start("num") < y for x, y in skip):
            last_end = m.end()
            continue
        i = m.start()
        while i > max(last_end, a) and ctx.s[i - 1] not in _LABEL_STOP:
            i -= 1
        raw = ctx.s[i:m.start()]
        label = _clean(raw)
        last_end = m.end()
        num = parse_number(m.group("num"))
        share = share_dec = None
        if m.group("share"):
            pm = re.search(PERCENT, m.group("share"))
            pn = percent_number(pm)
            share, share_dec = as_plain(pn.value), pn.decimals
        kind, sub = _classify(label) if label else (None, None)
        items.append(Item(label, raw, i, m.end(), m.start("num"), as_plain(num.value), bool(m.group("approx")),
                          share, share_dec, kind, sub, ctx.sentence_start(m.start())))
    # Unnamed kinds follow their neighbours in the same sentence (previous first, then next).
    for idx, it in enumerate(items):
        if it.kind is not None or not it.label:
            continue
        before = [nb for nb in items[:idx][::-1] if nb.sentence == it.sentence and nb.kind is not None]
        after = [nb for nb in items[idx + 1:] if nb.sentence == it.sentence and nb.kind is not None]
        for nb in (before[:1] or after[:1]):
            if nb.kind in ("topic", "unit"):
                it.kind, it.sub = nb.kind, it.label
    return items


def carried_after_number(ctx: Ctx, zone: tuple[int, int]) -> re.Match | None:
    """"1件结转下年度继续办理": the count printed before its label."""
    return re.compile(rf"(?P<num>{NUM})\s*件\s*(?:申请)?(?:结转|转入)(?:至)?下一?年度?").search(
        ctx.s, *zone
    )


def item_facts(ctx: Ctx, items: list[Item]) -> list[Fact]:
    facts: list[Fact] = []
    seen: set[str] = set()

    def add(key: str, it: Item, **kw) -> None:
        k, n = key, 2
        while k in seen:  # the same thing itemised twice: keep both, visibly
            k, n = f"{key}_{n}", n + 1
        seen.add(k)
        detail = {"label": it.label}
        if it.share is not None:
            detail.update(share=it.share, share_decimals=it.share_decimals)
        if it.approx:
            detail["approx"] = True
        facts.append(ctx.fact(k, it.value, it.start, it.end, detail=detail, **kw))

    for it in items:
        if it.kind == "outcome":
            add(f"outcomes_stated.{it.sub}", it)
        elif it.kind == "channel":
            add(f"channels.{it.sub}", it)
        elif it.kind == "applicant":
            add(f"applicants_stated.{it.sub}", it)
        elif it.kind == "topic":
            add(f"topics.{it.sub}", it, level="count")
        elif it.kind == "unit":
            add(f"requests_breakdown.{it.sub}", it)
        elif it.kind == "processed" and "processed_stated" not in seen:
            add("processed_stated", it)
        elif it.kind == "carried_forward" and "carried_forward_stated" not in seen:
            add("carried_forward_stated", it)
    return facts


def qualitative_topics(ctx: Ctx, zone: tuple[int, int]) -> list[Fact]:
    """"申请公开内容主要涉及土地征收、房屋征收等方面": topics without counts."""
    facts = []
    for m in QUAL_TOPIC.finditer(ctx.s, *zone):
        sent_start = ctx.sentence_start(m.start())
        if "申请" not in ctx.s[sent_start:m.start()] or PROACTIVE.search(ctx.s[sent_start:m.start()]):
            continue
        names = [t for t in re.split(r"、|和|及|以及|与|或|,", m.group("topics")) if t.strip()]
        a = ctx.clause_start(m.start(), sent_start)
        for name in names:
            name = re.sub(r"^(?:对|在|于)", "", name.strip())
            facts.append(ctx.fact(f"topics.{name}", None, a, m.end(), level="qualitative",
                                  detail={"phrase": m.group(0)}))
    return facts


def land_fact(ctx: Ctx, topic_facts: list[Fact], items: list[Item]) -> Fact | None:
    """How precisely the report says requests concern land requisition / demolition.

    count/share: a land topic with a number; qualitative: named as a main topic; proxy: only a land
    agency's share of the requests (e.g. 县自然资源和规划局28件); otherwise no fact (level "none").
    """
    counted = [f for f in topic_facts if f.level == "count" and LAND.search(f.key)]
    if counted:
        f = counted[0]
        count = sum(x.value for x in counted)
        share = f.detail.get("share") if len(counted) == 1 else None
        out = _copy(ctx, f, "land_requisition", {"count": count, "share": share}, "count")
        out.detail = {"topics": [x.key.split(".", 1)[1] for x in counted]}
        return out
    qual = [f for f in topic_facts if f.level == "qualitative" and LAND.search(f.key)]
    if qual:
        out = _copy(ctx, qual[0], "land_requisition", {"count": None, "share": None}, "qualitative")
        out.detail = {"topics": [x.key.split(".", 1)[1] for x in qual]}
        return out
    for it in items:
        if it.kind == "unit" and LAND_AGENCY.search(it.sub or ""):
            f = ctx.fact("land_requisition", {"count": None, "share": None}, it.start, it.end, level="proxy",
                         detail={"proxy_unit": it.sub, "proxy_count": it.value,
                                 "note": "only a land agency's request count is stated, not a topic count"})
            return f
    return None


def share_only_land(ctx: Ctx, zone: tuple[int, int]) -> Fact | None:
    """"涉及征地拆迁的占60%": a share without a count."""
    rx = re.compile(rf"涉及(?P<topic>[^,。;:\d]{{2,20}}?)(?:的|类)?(?:申请)?(?:约)?占(?:比)?(?:为|约)?\s*{PERCENT}")
    for m in rx.finditer(ctx.s, *zone):
        if LAND.search(m.group("topic")):
            pn = percent_number(m)
            a = ctx.clause_start(m.start(), zone[0])
            return ctx.fact("land_requisition", {"count": None, "share": as_plain(pn.value)}, a, m.end(),
                            level="share", detail={"topics": [m.group("topic")], "share_decimals": pn.decimals})
    return None


def _copy(ctx: Ctx, f: Fact, key: str, value, level: str) -> Fact:
    return Fact(key, value, None, level, f.quote, f.line, f.span, False, {}, list(f.continued))


def named_channels(ctx: Ctx, zone: tuple[int, int]) -> list[Fact]:
    """Channels named without counts ("通过当面提交、信函申请和网络申请三种形式接受…申请")."""
    facts: list[Fact] = []
    a = zone[0]
    while a < zone[1]:
        b = min(ctx.sentence_end(a), zone[1])
        sent = ctx.s[a:b]
        if "申请" in sent and re.search(r"渠道|形式|方式|通过[^。]{0,20}提交", sent):
            for key, rx in CHANNELS:
                m = re.search(rx, sent)
                if m and not any(f.key == f"channels.{key}" for f in facts):
                    facts.append(ctx.fact(f"channels.{key}", None, ctx.clause_start(a + m.start(), a),
                                          ctx.clause_end(a + m.end()), level="qualitative",
                                          detail={"word": m.group(0)}))
        a = b + 1
    return facts
