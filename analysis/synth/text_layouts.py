"""Text renderers: one report model printed the ways real reports reach us as text.

    tab_grid        a Word/PDF table exported as text: one line per grid row, cells joined by tabs,
                    merged positions left empty, sometimes a trailing empty cell (seed 000)
    cell_per_line   Word's text export: one cell per line with a leading tab, a blank line between
                    rows, a vertically merged cell continued as an empty cell (seeds 001, 004)
    markdown_pdf    markdown converted from a PDF: "##" headings, tab rows, half-width punctuation,
                    header words broken over rows ("自然" / "人"), spaces inside labels (seed 002)
    page_flip       a scraped page-flip viewer: every line wrapped at ~30 characters with blank lines
                    between, page markers "第10页" / "- 10 -", values space-separated (seed 003)
    fused_crawler   crawler text: a header block, then the whole body on one line with table cells
                    fused ("行政规范性文件6233440"), a few spaces mixed in (pt20xx corpus files)
    spaced          a PDF text layer: one line per row, label then space-separated values (hz2023)

Every renderer prints every value cell exactly as ``report.printed`` says; perturbations only move
labels, add lines that are not values, or break labels. The truth never depends on the renderer.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable

from .model import T3_OUTCOMES, GridCell, Report, Table
from .perturb import halfwidth

Style = Callable[[GridCell, str], str]


def _plain(cell: GridCell, text: str) -> str:
    return text


def _wrap(text: str, width: int) -> list[str]:
    """Break text into pieces of at most ``width`` characters, never inside a run of ASCII digits."""
    out = []
    while len(text) > width:
        cut = width
        while 0 < cut < len(text) and text[cut - 1].isdigit() and text[cut].isdigit():
            cut -= 1
        if cut == 0:
            cut = width
        out.append(text[:cut])
        text = text[cut:]
    if text:
        out.append(text)
    return out


# A token a reader would take for a value or a blank marker. Breaking a label must never leave one
# standing alone ("（四）无法提供" broken as "（四）无 / 法提供" would print a lone "无").
_VALUE_LIKE = re.compile(r"^(?:[+-]?[\d０-９][\d０-９,]*(?:\.\d+)?|[/—无-])$")


def _safe(*pieces: str) -> bool:
    return not any(_VALUE_LIKE.match(tok) for piece in pieces for tok in piece.split())


def _split_in_two(rng: random.Random, text: str) -> tuple[str, str] | None:
    """Break a label somewhere in its middle (never right after an ordinal such as "5."), or None
    when every break would leave a value-like token."""
    n = len(text)
    lo, hi = max(1, int(n * 0.4)), max(1, int(n * 0.8))
    for _ in range(4):
        cut = rng.randint(lo, hi)
        a, b = text[:cut], text[cut:]
        if a and b and _safe(a, b):
            return a, b
    return None


def _spaced_inside(rng: random.Random, text: str) -> str:
    """"社 会 公 益 组 织" or "三、本 年度办 理结果": how a PDF cell's line breaks come through."""
    out = " ".join(text) if rng.random() < 0.5 else " ".join(_split_in_two(rng, text) or (text,))
    return out if _safe(out) else text


def _outcome_stray_rows(t: Table) -> list[int]:
    """Rows whose first column is the continuation of 三、本年度办理结果: where a merged label column
    leaves a stray character (seed 001 prints "3" there)."""
    out = []
    for r, slots in enumerate(t.slots):
        if slots and slots[0].cont and slots[0].cell.ref == "t3.hdr.outcomes":
            out.append(r)
    return out


def _repeat_row(t: Table, rng: random.Random) -> int:
    """A group's first row inside 三、本年度办理结果 before which a page break repeats that label (pt2019
    prints it again before (四)); -1 if the table has no such row."""
    cand = [r for r, row in enumerate(t.rows)
            if row and row[0].kind == "group" and row[0].ref != "t3.hdr.outcomes"]
    return rng.choice(cand[1:]) if len(cand) > 1 else -1


def _values(report: Report, t: Table, r: int) -> list[str]:
    printed = report.printed
    return [printed[k] for k in t.value_refs[r]]


# -- tab grid and markdown ---------------------------------------------------------------------------
def _tab_table(report: Report, t: Table, rng: random.Random, style: Style, *, expand: bool) -> list[str]:
    """Tab-separated rows. ``expand``: every grid column gets a cell (merged ones empty), as a table
    converter prints it; else one cell per origin or rowspan continuation, as Word prints it."""
    p = report.perturb
    lines: list[str] = []
    stray = set()
    if p.stray_cells and t.name == "t3":
        rows = _outcome_stray_rows(t)
        if rows:
            stray.add(rng.choice(rows))
    split_row = -1
    if p.wrapped_labels and t.name == "t3":
        # A row broken across a page inside its cells: the label's tail comes on a line of its own
        # (seed 000: "(四) 无法提→1.本机关不→7→1…" then "→供→掌握相关政府信息→→…").
        cand = [r for r, row in enumerate(t.rows)
                if any(c.kind == "group" and c.ref != "t3.hdr.outcomes" for c in row)]
        if cand:
            split_row = rng.choice(cand)
    trailing = rng.random() < 0.5
    texts = report.cell_texts(t.name)
    plain = style is _plain
    for r, row in enumerate(t.rows):
        cells: list[str] = []
        is_label: list[bool] = []
        if expand:
            cells = [""] * t.n_cols
            is_label = [False] * t.n_cols
            for c, text in zip(row, texts[r], strict=True):
                if c.kind == "value":
                    cells[c.col] = text
                else:
                    cells[c.col] = text if plain else style(c, text)
                    is_label[c.col] = True
        else:
            for s in t.slots[r]:
                cells.append("" if s.cont else style(s.cell, report.text_of(s.cell)))
                is_label.append(not s.cont and s.cell.kind != "value")
                if not s.cont and s.cell.kind == "label" and s.cell.colspan > 1 and rng.random() < 0.3:
                    cells.append("")
                    is_label.append(False)
        if r in stray:
            cells[0] = str(rng.randint(1, 9))
        tail: list[str] = []
        if r == split_row:
            tail = [""] * len(cells)
            for i, text in enumerate(cells):
                parts = _split_in_two(rng, text) if is_label[i] and len(text) >= 4 else None
                if parts:
                    cells[i], tail[i] = parts
        if p.misaligned and r >= t.n_header and cells and cells[0] == "" and rng.random() < 0.08:
            k = 0
            while k < len(cells) and cells[k] == "":
                k += 1
            if k < len(cells):
                cells = [cells[k]] + [""] * k + cells[k + 1:]
        line = "\t".join(cells)
        if trailing and rng.random() < 0.7:
            line += "\t"
        lines.append(line)
        if tail:
            lines.append("")
            lines.append("\t".join(tail))
    return lines


def _tab_style(rng: random.Random) -> Style:
    if rng.random() < 0.4:
        return lambda c, s: halfwidth(s, space=True) if c.kind in ("label", "group") else s
    return _plain


def render_tab_grid(report: Report, rng: random.Random) -> str:
    style = _tab_style(rng)
    lines: list[str] = []
    for kind, text in report.blocks:
        if kind == "table":
            lines += _tab_table(report, report.tables[text], rng, style, expand=True)
        else:
            lines.append(text)
        lines.append("")
    return "\n".join(lines)


_ORDINAL = re.compile(r"^(\d)\.")
_GROUP_ORDINAL = re.compile(r"^(?:[(（][一二三四五六七八九十]+[)）]\s*|[一二三四五六七八九十]+、)")


def _split_ordinal(s: str) -> tuple[str, str]:
    m = _GROUP_ORDINAL.match(s)
    return (s[: m.end()], s[m.end():]) if m else ("", s)


def render_markdown_pdf(report: Report, rng: random.Random) -> str:
    p = report.perturb
    spaced: dict[str, str] = {}

    def style(c: GridCell, s: str) -> str:
        # A label prints the same way wherever it recurs in a report (表四's column labels do).
        out = spaced.get(c.ref)
        if out is not None:
            return out
        # Only 表三/表四 come through the PDF's cell boxes broken; 表二 keeps the template's wording.
        out = s
        if c.kind == "label" and c.ref.startswith("t3."):
            out = _ORDINAL.sub(r"\1. ", halfwidth(s, space=True))
        elif c.kind in ("group", "header") and c.ref != "t3.hdr.corner" and not c.ref.startswith("t2."):
            head, body = _split_ordinal(halfwidth(s, space=True) if c.kind == "group" else s)
            if 2 < len(body) <= 9 and rng.random() < 0.4:
                body = _spaced_inside(rng, body)
            out = head + body
        spaced[c.ref] = out
        return out

    lines: list[str] = []
    for kind, text in report.blocks:
        if kind == "title":
            lines.append(f"# {text}")
        elif kind == "heading":
            lines.append(("#### " if rng.random() < 0.2 else "## ") + text)
        elif kind == "table":
            t = report.tables[text]
            rows = _tab_table(report, t, rng, style, expand=False)
            if p.wrapped_labels and t.name == "t3":
                rows = _break_header_word(rows, t, report, rng)
            for i, line in enumerate(rows):
                if i and rng.random() < 0.08:
                    lines.append("")  # the converter's stray paragraph breaks between rows
                lines.append(line)
        else:
            if text.startswith("（") and len(text) < 12 and rng.random() < 0.5:
                text = f"**{text}**"
            lines.append(text)
        lines.append("")
    return "\n".join(lines)


def _break_header_word(rows: list[str], t: Table, report: Report, rng: random.Random) -> list[str]:
    """A rowspan header cell printed over its two rows: "→自然→法人或其他组织" / "→→人→商业 企业"."""
    first = t.rows[1][0]  # 自然人, spanning header rows 1 and 2
    text = report.text_of(first)
    if first.rowspan != 2 or len(text) < 2:
        return rows
    a, b = text[:-1], text[-1]
    r1 = rows[1].split("\t")
    r2 = rows[2].split("\t")
    if text in r1 and len(r2) > 1:
        i = r1.index(text)
        r1[i] = a
        j = 1 if r2[0] == "" else 0
        r2[j] = b
        rows = rows[:1] + ["\t".join(r1), "", "\t".join(r2)] + rows[3:]
    return rows


# -- one cell per line --------------------------------------------------------------------------------
def render_cell_per_line(report: Report, rng: random.Random) -> str:
    p = report.perturb
    lines: list[str] = []
    for kind, text in report.blocks:
        if kind != "table":
            lines.append(text)
            lines.append("")
            continue
        t = report.tables[text]
        stray = set()
        if p.stray_cells and t.name == "t3":
            rows = _outcome_stray_rows(t)
            if rows:
                stray.add(rng.choice(rows))
        for r, slots in enumerate(t.slots):
            for i, s in enumerate(slots):
                if s.cont:
                    cell = str(rng.randint(1, 9)) if r in stray and i == 0 else ""
                else:
                    cell = report.text_of(s.cell)
                    wrap = p.wrapped_labels and s.cell.kind == "header" and len(cell) >= 4
                    wrap = wrap and rng.random() < 0.4
                    parts = _split_in_two(rng, cell) if wrap else None
                    if parts:
                        cell = parts[0] + rng.choice(("\n", "\n\n")) + parts[1]
                lines.append("\t" + cell)
            lines.append("")
        lines.append("")
    return "\n".join(lines)


# -- page-flip viewer ---------------------------------------------------------------------------------
_NUM_SPACE = re.compile(r"(?<=[^\x00-\x7f])(\d+(?:\.\d+)?)(?=[^\x00-\x7f%])")


def _spaced_number(m: re.Match) -> str:
    return f" {m.group(1)} "


class _Pages:
    """Collects lines and drops a page marker pair every ``page_len`` lines."""

    def __init__(self, rng: random.Random, page_len: int):
        self.lines: list[str] = []
        self.page = rng.randint(1, 6)
        self.page_len = page_len
        self.count = 0

    def marker(self) -> None:
        self.lines += [f"第{self.page}页", f"- {self.page} -"]
        self.page += 1
        self.count = 0

    def add(self, line: str, breakable: bool = True) -> None:
        self.lines.append(line)
        self.count += 1
        if self.count >= self.page_len and breakable:
            self.marker()


def _flip_table(
    report: Report, t: Table, rng: random.Random, width: int, style: Style
) -> list[tuple[str, bool]]:
    """Lines of one table; the flag says whether a row ends there (a page may break after it)."""
    p = report.perturb
    out: list[tuple[str, bool]] = []
    if t.name == "t2":
        for r, row in enumerate(t.rows):
            words = [style(c, report.text_of(c)) for c in row]
            if row[0].kind == "title":
                out.append((words[0].replace("条第", "条 第"), True))
            else:
                out.append((" ".join(words), True))
        return out
    for r in range(t.n_header):
        for c in t.rows[r]:
            s = style(c, report.text_of(c))
            pieces = _wrap(s, width)
            if p.wrapped_labels and len(pieces) == 1 and 4 <= len(s) <= 6 and rng.random() < 0.5:
                pieces = list(_split_in_two(rng, s) or pieces)
            out += [(x, False) for x in pieces]
    stray_rows = set()
    if p.stray_cells and t.name == "t3":
        rows = _outcome_stray_rows(t)
        stray_rows = set(rng.sample(rows, min(len(rows), 1)))
    repeat_at = _repeat_row(t, rng) if p.page_breaks and t.name == "t3" and rng.random() < 0.5 else -1
    for r in range(t.n_header, len(t.rows)):
        if r == repeat_at:
            outcomes = next(c for c in t.labels() if c.ref == "t3.hdr.outcomes")
            out.append((style(outcomes, report.text_of(outcomes)), False))
        values = " ".join(_values(report, t, r))
        labels = t.label_cells[r]
        for c in labels[:-1]:  # group labels stand on their own line above their first row
            s = style(c, report.text_of(c))
            if c.ref == "t3.hdr.outcomes" and p.wrapped_labels and rng.random() < 0.5:
                s = s[:2]  # the vertical label comes through as its first characters only ("三、")
            out.append((s, False))
        if not labels:
            out.append((values, True))
            continue
        label = style(labels[-1], report.text_of(labels[-1]))
        wrap = p.wrapped_labels and len(label) > 14 and rng.random() < 0.6
        pieces = _wrap(label, rng.randint(10, 18)) if wrap else []
        if len(pieces) > 1 and _safe(*pieces):
            out += [(x, False) for x in pieces]
            out.append((values, True))
        else:
            out.append((f"{label} {values}", True))
        if r in stray_rows:
            out.append((str(rng.randint(1, 9)), True))
    return out


_FLIP_AD = ("百万用户使用云展网进行电子翻书制作,只要您有文档,即可一键上传,"
            "自动生成链接和二维码(独立电子书),支持分享到微信和网站!")


def render_page_flip(report: Report, rng: random.Random) -> str:
    p = report.perturb
    width = rng.randint(26, 32)

    def style(c: GridCell, s: str) -> str:
        return halfwidth(s)

    def prose(s: str) -> str:
        return _NUM_SPACE.sub(_spaced_number, halfwidth(s))

    y, m, d = report.meta.posted.split("-")
    head = [report.title, "", f"发布时间:{y}-{int(m)}-{int(d)} | 杂志分类:其他", "免费制作", "更多内容", "",
            report.title, "文本内容"]
    pages = _Pages(rng, rng.randint(18, 28))
    pages.marker()
    for kind, text in report.blocks:
        if kind == "title":
            cut = text.find(str(report.meta.year))
            for part in (text[:cut], text[cut:]) if cut > 0 else (text,):
                pages.add(prose(part))
        elif kind == "table":
            for line, row_end in _flip_table(report, report.tables[text], rng, width, style):
                pages.add(line, breakable=row_end and p.page_breaks)
            if pages.count >= pages.page_len:
                pages.marker()
        else:
            for line in _wrap(prose(text), width):
                pages.add(line)
    tail = [_FLIP_AD, "收藏", "转发", "下载"]
    return "\n".join(head) + "\n" + "\n\n".join(pages.lines) + "\n\n" + "\n".join(tail) + "\n"


# -- PDF text layer, space separated ------------------------------------------------------------------
def render_spaced(report: Report, rng: random.Random) -> str:
    p = report.perturb
    inline_groups = rng.random() < 0.5
    pages = _Pages(rng, rng.randint(35, 50))
    out: list[str] = []

    def add(line: str, row_end: bool = False) -> None:
        out.append(line)
        pages.count += 1
        if p.page_breaks and row_end and pages.count >= pages.page_len:
            out.append(f"- {pages.page} -")
            pages.page += 1
            pages.count = 0

    for kind, text in report.blocks:
        if kind != "table":
            for line in _wrap(text, 34):
                add(line)
            continue
        t = report.tables[text]
        stray_rows = set()
        if p.stray_cells and t.name == "t3":
            rows = _outcome_stray_rows(t)
            stray_rows = set(rng.sample(rows, min(len(rows), 1)))
        for r, row in enumerate(t.rows):
            labels = [report.text_of(c) for c in t.label_cells[r]]
            values = _values(report, t, r)
            if not values:
                add(" ".join(labels), r >= t.n_header)
                continue
            if not labels:
                add(" ".join(values), True)
                continue
            if not inline_groups:
                for s in labels[:-1]:
                    add(s)
                labels = labels[-1:]
            label = " ".join(labels)
            vals = " ".join(values)
            wrap = p.wrapped_labels and len(labels[-1]) > 14 and rng.random() < 0.5
            parts = _split_in_two(rng, label) if wrap else None
            if parts:
                a, b = parts
                if rng.random() < 0.5:  # the values sit on the label's middle line (hz2023, row (二))
                    add(a)
                    add(vals)
                    add(b, True)
                else:
                    add(a)
                    add(f"{b} {vals}", True)
            else:
                add(f"{label} {vals}", True)
            if r in stray_rows:
                add(str(rng.randint(1, 9)), True)
    return "\n".join(out) + "\n"


# -- crawler text, fused ------------------------------------------------------------------------------
def _fused_table(report: Report, t: Table, rng: random.Random) -> str:
    p = report.perturb
    parts: list[str] = []
    sp = rng.random() < 0.5  # some pages keep a space here and there, most keep none

    def gap(prob: float) -> str:
        return " " if sp and rng.random() < prob else ""

    spaced_t4 = t.name == "t4" and rng.random() < 0.3  # pt2022 prints 表四's values space-separated
    repeat_at = _repeat_row(t, rng) if p.page_breaks and t.name == "t3" else -1
    for r, row in enumerate(t.rows):
        if r == repeat_at:
            parts.append(report.labels.get("t3.hdr.outcomes", T3_OUTCOMES))
        labels = "".join(report.text_of(c) for c in t.label_cells[r])
        values = _values(report, t, r)
        if values and t.value_refs[r][-1].endswith("_yuan") and rng.random() < 0.7:
            values[-1] += "元"  # pt2019, pt2020: "政府集中采购13575394432.52元"
        if spaced_t4 and values:
            parts.append(" " + " ".join(values) + " ")
            continue
        seg = labels + (gap(0.3) if labels and values else "")
        seg += "".join(v + gap(0.12) for v in values[:-1]) + (values[-1] if values else "")
        parts.append(seg + gap(0.2))
    return "".join(parts)


def render_fused_crawler(report: Report, rng: random.Random) -> str:
    meta = report.meta
    pub = meta.posted
    stamp = f"{pub} {rng.randint(8, 18):02d}:{rng.randint(0, 59):02d}"
    ident = rng.randint(10000, 99999)
    ym = pub[:7].replace("-", "")
    head = [
        f"标题: {report.title}",
        f"发布时间: {stamp}",
        "文号: ",
        f"发布机构: {meta.agency if rng.random() < 0.5 else ''}",
        "栏目: 政府信息公开年报",
        f"原文链接: https://www.example.gov.cn/zwgk/zfxxgk/zfxxgknb/{ym}/t{pub.replace('-', '')}_{ident}.htm",
        f"本地目录: zwgk/zfxxgk/zfxxgknb/{ym}/{ident}_{report.title}",
        "页面链接与图片详见 links.tsv(同目录)",
        "==================== 正文 ====================",
    ]
    body: list[str] = []
    if rng.random() < 0.3:
        body.append(f"当前位置： 首页政务公开政府信息公开年报 {report.title} 时间：{stamp} 微信 微博 QQ空间 ")
    sep = rng.choice(("", " "))
    for kind, text in report.blocks:
        if kind == "table":
            body.append(_fused_table(report, report.tables[text], rng))
        else:
            body.append(text + sep)
    return "\n".join(head) + "\n" + "".join(body) + "\n"


RENDERERS: dict[str, Callable[[Report, random.Random], str]] = {
    "tab_grid": render_tab_grid,
    "cell_per_line": render_cell_per_line,
    "markdown_pdf": render_markdown_pdf,
    "page_flip": render_page_flip,
    "fused_crawler": render_fused_crawler,
    "spaced": render_spaced,
}
TEXT_LAYOUTS = tuple(RENDERERS)
FUSED_LAYOUTS = ("fused_crawler",)
