"""Who published the report, for which place and year, under which template.

Everything here is read from the text as written; a field the text does not state is None. Scope
matters for analysis: a county government's report covers the whole county, its office's report
covers the office alone, and the two must never be compared as if alike.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..template import load

_HEADER_TITLE = re.compile(r"^(?:标题|title)\s*[:：]\s*(.+)$", re.MULTILINE | re.IGNORECASE)
_HEADER_DATE = re.compile(r"^(?:发布时间|发布日期|时间)\s*[:：]\s*(\d{4})-(\d{1,2})-(\d{1,2})", re.MULTILINE)
_YEAR_IN_TITLE = re.compile(r"(\d{4})\s*年")
_PERIOD_YEAR = re.compile(r"统计(?:期限|时间|区间)?[^。\n]{0,12}?(\d{4})\s*年\s*1\s*月\s*1\s*日")
_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_RANGE_BEFORE = re.compile(r"[自从至到起]\s*$")
_RANGE_AFTER = re.compile(r"^\s*[至到止起]")

# Administrative units, largest to smallest suffix first so "自治县" wins over "县".
_UNIT = re.compile(r"[\u4e00-\u9fff]{1,10}?(?:自治区|自治州|自治县|实验区|新区|开发区|示范区|省|市|州|盟|县|区|旗)")
# A place name printed before another one ("请与菏泽市鄄城县…", "山东省聊城市东阿县") is read only when
# it starts right after a clear boundary, so "现编制菏泽市" does not yield "现编制菏泽市".
_BOUNDARY = r"(?:^|(?<=[\s，,。、：:；;（）()“”\"省市与在和是为于对及由自至即向]))"
_CITY_BEFORE = re.compile(_BOUNDARY + r"([\u4e00-\u9fff]{2,4}?(?:市|州|盟))$")
_PROVINCE_BEFORE = re.compile(_BOUNDARY + r"([\u4e00-\u9fff]{2,3}?(?:省|自治区))$")

_OFFICE = re.compile(r"(?:办公室|办公厅)$")
_GOVERNMENT = re.compile(r"(?:人民政府|管理委员会|管委会|行政公署)$")
_TOWNSHIP = re.compile(r"^[\u4e00-\u9fff]{1,8}?(?:乡|镇|街道)(?:人民政府|办事处)?$")
_DEPARTMENT = re.compile(r"(?:局|委员会|委|办|中心|厅|署|院|所|站|队)$")


@dataclass
class Metadata:
    title: str | None
    agency: str | None
    region: str | None
    parent: str | None
    province: str | None
    scope: str | None
    year: int | None
    publication_date: str | None


def read_title(text: str) -> str | None:
    m = _HEADER_TITLE.search(text[:2000])
    if m:
        return m.group(1).strip()
    parts: list[str] = []
    for line in text[:3000].split("\n"):
        s = re.sub(r"\s+", "", line.strip().lstrip("#").strip())
        if not s:
            continue
        if len(s) > 60:
            break
        parts.append(s)
        if "报告" in "".join(parts):
            return "".join(parts)
        if len(parts) >= 4:
            break
    return None


def _agency_from_title(title: str | None) -> str | None:
    if not title:
        return None
    m = _YEAR_IN_TITLE.search(title)
    if not m:
        return None
    agency = title[: m.start()].strip()
    return agency or None


def split_agency(agency: str) -> tuple[list[str], str]:
    """Administrative units at the start of an agency name, and the rest ("人民政府办公室")."""
    units: list[str] = []
    pos = 0
    while True:
        m = _UNIT.match(agency, pos)
        if not m:
            break
        units.append(m.group())
        pos = m.end()
    return units, agency[pos:]


def scope_of(agency: str) -> str | None:
    units, rest = split_agency(agency)
    if not rest:
        return "government" if units else None
    if _TOWNSHIP.match(rest):
        return "township"
    if _OFFICE.search(rest):
        return "office"
    if _GOVERNMENT.search(rest):
        return "government"
    if _DEPARTMENT.search(rest):
        return "department"
    return None


def _stated_before(text: str, name: str, pattern: re.Pattern[str]) -> str | None:
    """The city/province printed immediately before ``name`` somewhere in the text."""
    pos = text.find(name)
    while pos != -1:
        window = text[max(0, pos - 12): pos]
        hit = min((h for h in (pattern.search(window, i) for i in range(len(window))) if h),
                  key=lambda h: len(h.group(1)), default=None)
        if hit:
            return hit.group(1)
        pos = text.find(name, pos + 1)
    return None


def read_year(text: str, title: str | None) -> int | None:
    if title:
        m = _YEAR_IN_TITLE.search(title)
        if m:
            return int(m.group(1))
    m = _PERIOD_YEAR.search(text)
    return int(m.group(1)) if m else None


def read_publication_date(text: str, year: int | None) -> str | None:
    """The date the report is signed with: the last full date in the text that is not an end of
    the statistics period and falls in the statistics year or the one after."""
    best = None
    for m in _DATE.finditer(text):
        y, mo, d = (int(g) for g in m.groups())
        if _RANGE_BEFORE.search(text[max(0, m.start() - 3): m.start()]) or _RANGE_AFTER.match(text[m.end():m.end() + 3]):
            continue
        if year is not None and not (year <= y <= year + 1):
            continue
        if not (1 <= mo <= 12 and 1 <= d <= 31):
            continue
        if year is not None and (y, mo) < (year, 12) and y == year:
            continue  # dates inside the statistics year are events, not the signature
        best = f"{y:04d}-{mo:02d}-{d:02d}"
    if best:
        return best
    m = _HEADER_DATE.search(text[:2000])
    return f"{int(m.group(1)):04d}-{int(m.group(2)):02d}-{int(m.group(3)):02d}" if m else None


def read_metadata(text: str) -> Metadata:
    title = read_title(text)
    agency = _agency_from_title(title)
    region = parent = province = scope = None
    if agency and not split_agency(agency)[1] and f"{agency}人民政府" in text[:5000]:
        # The title names only the place ("鄄城县2023年…"); the text says who issues it.
        agency = f"{agency}人民政府"
    if agency:
        units, _ = split_agency(agency)
        scope = scope_of(agency)
        if units:
            region = units[-1]
            if len(units) > 1:
                parent = units[-2]
    if region:
        parent = parent or _stated_before(text, region, _CITY_BEFORE)
        province = _stated_before(text, parent or region, _PROVINCE_BEFORE)
    year = read_year(text, title)
    return Metadata(title, agency, region, parent, province, scope, year, read_publication_date(text, year))


def detect_template(text: str, year: int | None) -> tuple[str, str]:
    """(template, evidence). Header words printed only by one template decide first, then the
    cited notice, then the statistics year."""
    meta = load().meta
    flat = re.sub(r"\s+", "", text)
    counts = {t: sum(1 for w in meta["markers"][t] if w in flat) for t in meta["templates"]}
    if counts["2019"] != counts["2021"]:
        t = max(counts, key=counts.get)
        return t, f"table header words of the {t} template ({counts[t]} found)"
    for t in meta["templates"]:
        if any(n in flat for n in meta["notices"][t]):
            return t, f"cites the {t} template notice"
    if year is not None:
        t = "2019" if year <= meta["year_cutover"]["last_2019_year"] else "2021"
        return t, f"statistics year {year}"
    return "2021", "no evidence; assumed the current template"
