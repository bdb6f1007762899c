"""Metadata and prose of a synthetic report.

The prose is there to make the extractor's job realistic: it is full of numbers that are not table
values (dates, phone numbers, postcodes, counts of training sessions, "发布信息1300余条"), it restates
some table totals as real reports do, and its opening sentence names the report's parts, so the
words that start a table ("主动公开政府信息情况") appear once before the table itself.
"""

from __future__ import annotations

import datetime
import random

from ..template import load
from .model import Meta

# Syllables for invented place names. No character that is itself an administrative suffix (市, 县,
# 区, 州, 省, 旗, 盟) or would make one ("新区"), so a name parses as exactly one unit.
_SYL = "东西南北平安宁清河阳江泉林丰兴华永长庆昌明德和顺嘉宜临高武文金石溪桐梧柳松岚汾沂蒙潍淄滨"
_PROVINCES = ("山东省", "河南省", "江苏省", "浙江省", "福建省", "湖北省", "湖南省", "河北省", "安徽省",
              "江西省", "四川省", "广东省", "陕西省", "山西省")
_DEPARTMENTS = ("市场监督管理局", "自然资源局", "住房和城乡建设局", "教育局", "卫生健康局", "民政局",
                "人力资源和社会保障局", "交通运输局", "农业农村局", "财政局", "应急管理局", "医疗保障局",
                "司法局")
_ROADS = ("人民路", "建设路", "解放路", "文化路", "政通路", "府前街", "中心街", "和平路")
SCOPES = ("government", "office", "department", "township")
_SCOPE_P = (0.45, 0.15, 0.3, 0.1)
_SCALE_OF = {"government": ("county", "county", "county", "city"), "office": ("department",),
             "department": ("department",), "township": ("township",)}


def _name(rng: random.Random, n: int = 2) -> str:
    return "".join(rng.sample(_SYL, n))


def random_meta(rng: random.Random, template: str, scope: str | None = None) -> tuple[Meta, str]:
    """Metadata of one report, and the scale its numbers should have."""
    scope = scope or rng.choices(SCOPES, _SCOPE_P)[0]
    if scope not in SCOPES:
        raise ValueError(f"unknown scope {scope!r}; expected one of {SCOPES}")
    province = rng.choice(_PROVINCES)
    parent = _name(rng) + "市"
    region = _name(rng) + rng.choices(("县", "区", "市"), (0.5, 0.4, 0.1))[0]
    if region[:2] == parent[:2]:
        region = _name(rng) + region[-1]
    prefix = parent if rng.random() < 0.3 else ""
    if scope == "government":
        agency = f"{prefix}{region}人民政府"
    elif scope == "office":
        agency = f"{prefix}{region}人民政府办公室"
    elif scope == "department":
        agency = f"{region}{rng.choice(_DEPARTMENTS)}"
    else:
        town = _name(rng)
        agency = f"{region}{town}" + rng.choice(("镇人民政府", "乡人民政府", "街道办事处"))
    years = (2019, 2020) if template == "2019" else (2021, 2022, 2023, 2024)
    year = rng.choice(years)
    signed = datetime.date(year + 1, rng.randint(1, 3), rng.randint(1, 28))
    # Pages go online a few days after the report is signed (seed 003: signed 1-18, posted 1-26).
    posted = (signed + datetime.timedelta(days=rng.randint(0, 10))).isoformat()
    pub = signed.isoformat() if rng.random() < 0.85 else None
    meta = Meta(region, parent, province, agency, scope, year, pub, template, posted)
    return meta, rng.choice(_SCALE_OF[scope])


def title_of(rng: random.Random, meta: Meta) -> str:
    who = meta.agency
    if meta.scope == "government" and rng.random() < 0.3:
        who = meta.region  # "某某县2023年政府信息公开工作年度报告"
    return f"{who}{meta.year}年{rng.choice(('', '度'))}政府信息公开工作年度报告"


def _cn_date(iso: str) -> str:
    y, m, d = iso.split("-")
    return f"{y}年{int(m)}月{int(d)}日"


def _phone(rng: random.Random) -> str:
    return f"0{rng.randint(310, 939)}-{rng.randint(2000000, 8999999)}"


_CITE = ("和《国务院办公厅政府信息与政务公开办公室关于印发〈中华人民共和国政府信息公开工作年度报告格式〉"
         "的通知》")
_TOC = ("本报告包括总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、"
        "因政府信息公开申请行政复议、提起行政诉讼的情况、政府信息公开工作存在的主要问题及改进情况、"
        "其他需要报告的事项等六个部分。")


def intro(rng: random.Random, meta: Meta) -> list[str]:
    notice = load().meta["notices"][meta.template][0]
    cite = f"{_CITE}（国办公开办函{notice}）" if rng.random() < 0.7 else ""
    paras = [(f"根据《中华人民共和国政府信息公开条例》（国务院令第711号，以下简称《条例》）{cite}要求，"
              f"{meta.agency}编制本报告。")]
    if rng.random() < 0.6:
        paras.append(_TOC)  # names the tables' headings before the tables (pt2019)
    address = f"{meta.province}{meta.parent}{meta.region}{rng.choice(_ROADS)}{rng.randint(1, 399)}号"
    paras.append(
        f"本报告中所列数据统计期限自{meta.year}年1月1日起至{meta.year}年12月31日止。"
        f"如对本报告有疑问，请与{meta.agency}联系（地址：{address}；"
        f"邮编：{rng.randint(100000, 859999)}；电话：{_phone(rng)}）。"
    )
    return paras


def overview(rng: random.Random, meta: Meta, values: dict) -> list[tuple[str, str]]:
    """Section 一、总体情况: sub-headings and paragraphs with distractor numbers."""
    y, n = meta.year, rng.randint
    new = values.get("t3.new_received.total") or 0
    done = values.get("t3.total_processed.total") or 0
    fwd = values.get("t3.carried_forward.total") or 0
    trend = f"同比{rng.choice(('增长', '下降'))}{rng.uniform(1, 60):.1f}%"
    return [
        ("heading", "一、总体情况"),
        ("para", "（一）主动公开"),
        ("para", (f"{y}年，{meta.agency}通过政府门户网站、政务新媒体等平台主动公开政府信息{n(80, 9000)}条，"
                  f"其中政策文件{n(1, 200)}件，政策解读{n(1, 90)}篇，发布工作动态{n(10, 3000)}余条。"
                  f"{y}年{n(1, 12)}月{n(1, 28)}日召开新闻发布会{n(1, 20)}场。")),
        ("para", "（二）依申请公开"),
        ("para", (f"{y}年共收到政府信息公开申请{new}件，{trend}。已按时办结{done}件，"
                  f"结转下年度继续办理{fwd}件，按时办结率100%。")),
        ("para", "（三）政府信息管理"),
        ("para", (f"组织开展政务公开业务培训{n(1, 12)}次，参训人员{n(20, 600)}人次；"
                  f"清理规范性文件{n(1, 80)}件，更新政府信息公开指南{n(1, 3)}次。")),
        ("para", "（四）平台建设"),
        ("para", (f"全年更新政府公报{n(1, 12)}期，政府网站日均访问量{n(300, 90000)}人次，"
                  f"政务新媒体发布信息{n(100, 5000)}余条，办理网民留言{n(0, 900)}件。")),
        ("para", "（五）监督保障"),
        ("para", (f"将政务公开工作纳入年度绩效考核，分值占比{n(2, 8)}%，全年开展检查{n(1, 6)}次，"
                  f"通报问题{n(0, 40)}个，未发生责任追究情况。")),
    ]


def problems(rng: random.Random, meta: Meta) -> list[tuple[str, str]]:
    return [
        ("heading", "五、存在的主要问题及改进情况"),
        ("para", (f"{meta.year}年，政府信息公开工作取得一定成效，但仍存在一些不足：一是政策解读形式较为单一；"
                  "二是基层政务公开标准化规范化水平有待提升；三是工作人员业务能力有待加强。"
                  f"{meta.year + 1}年，将开展专题培训{rng.randint(2, 6)}次，持续提升政务公开质效。")),
    ]


def other_matters(rng: random.Random, meta: Meta) -> list[tuple[str, str]]:
    fee = rng.choice(("未收取信息处理费", f"收取信息处理费{rng.randint(0, 900)}元"))
    return [
        ("heading", "六、其他需要报告的事项"),
        ("para", f"（一）收取信息处理费情况。{meta.year}年，本机关{fee}。"),
        ("para", (f"（二）人大代表建议和政协提案办理情况。全年共承办人大代表建议{rng.randint(0, 200)}件、"
                  f"政协提案{rng.randint(0, 300)}件，均已按期办结。")),
        ("para", "（三）其他需要报告的事项。无。"),
    ]


def signature(meta: Meta) -> list[tuple[str, str]]:
    out = [("signature", meta.agency)]
    if meta.publication_date:
        out.append(("signature", _cn_date(meta.publication_date)))
    return out


def t3_note(values: dict) -> str | None:
    """A footnote real reports print under 表三, with a number in it (seed 003)."""
    n = values.get("t3.other_other.total", values.get("t3.other_total.total"))
    if not n:
        return None
    return f"（其他处理情况包括{n}条“经检索，信息不存在”情况。）"
