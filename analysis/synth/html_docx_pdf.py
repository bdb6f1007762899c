"""HTML, DOCX and PDF renderings of the same report model.

HTML imitates a government site's article page: navigation, breadcrumb, share buttons, a script, an
iframe, the article nested in layout divs, and tables whose cells wrap their text in <p><span> with
Word-style inline CSS. DOCX has real merged cells (``cell.merge``). PDF draws each table cell's text
at its position with reportlab's built-in CID font, so the file has a text layer and no embedded font.
python-docx and reportlab are imported only when those formats are asked for.
"""

from __future__ import annotations

import html
import io
import random

from .model import Report, Table

_TD_STYLE = ("padding:5px 5px 5px 5px;border-left:1px solid windowtext;"
             "border-right:1px solid windowtext;border-top:none;border-bottom:1px solid windowtext")
_TABLE_OPEN = ('<table style="border-collapse:collapse;border:none" cellspacing="0" align="center"'
               ' border="1"><tbody>')
_P_SPAN = ('<p style="text-indent:0em;text-align:center">'
           '<span style="font-family:宋体;font-size:14px">{}</span></p>')
_SCRIPT = ('<script type="text/javascript">var _hmt = _hmt || []; (function(){var hm = '
           'document.createElement("script"); hm.src = "https://hm.example.cn/hm.js?12345678"; '
           "document.head.appendChild(hm);})();</script>")
_NAV = "".join(f'<li><a href="/{i}/">{n}</a></li>' for i, n in enumerate(("首页", "政务公开", "互动交流")))
_BREADCRUMB = ('<div class="breadcrumb">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a>'
               ' &gt; <a href="/zwgk/ndbg/">政府信息公开年报</a></div>')
_SHARE = ('<span class="share"><a href="javascript:void(0);" title="分享到微信">微信</a>'
          '<a href="javascript:void(0);" title="分享到新浪微博">微博</a>'
          '<a href="javascript:void(0);">QQ空间</a></span>')
_IFRAME = ('<div class="video"><iframe src="https://player.example.cn/embed/2024zwgk" width="640"'
           ' height="360" frameborder="0" allowfullscreen></iframe></div>')
_BLOCK_HTML = {
    "title": '<p style="text-align:center"><strong>{}</strong></p>',
    "heading": ('<p style="text-indent:2em"><strong>'
                '<span style="font-family:黑体">{}</span></strong></p>'),
    "signature": '<p style="text-align:right">{}</p>',
    "para": '<p style="text-indent:2em">'
            '<span style="font-family:仿宋_GB2312;font-size:16px">{}</span></p>',
}


def _html_table(report: Report, t: Table, rng: random.Random) -> str:
    out = [_TABLE_OPEN]
    for r, row in enumerate(t.rows):
        out.append('<tr style="height:38px"' + (' class="firstRow"' if r == 0 else "") + ">")
        for c in row:
            span = f' rowspan="{c.rowspan}"' if c.rowspan > 1 else ""
            span += f' colspan="{c.colspan}"' if c.colspan > 1 else ""
            text = html.escape(report.text_of(c))
            inner = _P_SPAN.format(text) if rng.random() < 0.5 else f'<p style="text-indent:0em">{text}</p>'
            out.append(f'<td{span} style="{_TD_STYLE}" valign="center">{inner}</td>')
        out.append("</tr>")
    out.append("</tbody></table>")
    return "".join(out)


def render_html(report: Report, rng: random.Random) -> str:
    """A full page: chrome around the article, the tables with rowspan/colspan."""
    title = html.escape(report.title)
    agency = html.escape(report.meta.agency)
    stamp = f"{report.meta.posted} 09:{rng.randint(10, 59)}"
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="zh-CN"><head><meta charset="utf-8"><title>{title}</title>',
        _SCRIPT,
        "<style>.article_title{font-size:22px} td p{margin:0}</style></head><body>",
        f'<div class="header"><div class="nav"><ul>{_NAV}</ul></div></div>',
        f'<div class="main">{_BREADCRUMB}',
        '<div class="article_component"><div class="article_title_group">',
        f'<div class="article_title text_align_center">{title}</div></div>',
        (f'<div class="article_extend"><span class="article_source">来源：{agency}</span>'
         f'<span class="article_time">时间：{stamp}</span>{_SHARE}</div>'),
        '<div class="article_content"><div class="trt-row"><div class="trt-col-24">',
        '<div class="view TRS_UEDITOR">',
    ]
    for kind, text in report.blocks:
        if kind == "table":
            parts.append(_html_table(report, report.tables[text], rng))
        else:
            parts.append(_BLOCK_HTML.get(kind, _BLOCK_HTML["para"]).format(html.escape(text)))
    parts += [
        "</div></div></div>",
        _IFRAME,
        "</div></div>",
        f'<div class="footer"><p>主办单位：{agency}　网站标识码：{rng.randint(10**9, 10**10 - 1)}</p>',
        f"<p>ICP备{rng.randint(10**7, 10**8 - 1)}号　公网安备{rng.randint(10**13, 10**14 - 1)}号</p></div>",
        "</body></html>",
    ]
    return "\n".join(parts)


def render_docx(report: Report) -> bytes:
    """A Word document; tables have real merged cells."""
    import docx  # python-docx

    doc = docx.Document()
    for kind, text in report.blocks:
        if kind == "title":
            doc.add_heading(text, level=1)
        elif kind == "heading":
            doc.add_heading(text, level=2)
        elif kind == "table":
            t = report.tables[text]
            table = doc.add_table(rows=len(t.rows), cols=t.n_cols)
            table.style = "Table Grid"
            # table.cell() rebuilds the cell list on every call; take it once, fill, then merge
            # (merged regions never overlap, so the cached cells stay valid).
            grid = [[cell for cell in row.cells] for row in table.rows]
            for row in t.rows:
                for c in row:
                    grid[c.row][c.col].text = report.text_of(c)
            for row in t.rows:
                for c in row:
                    if c.rowspan > 1 or c.colspan > 1:
                        grid[c.row][c.col].merge(grid[c.row + c.rowspan - 1][c.col + c.colspan - 1])
        else:
            doc.add_paragraph(text)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


# -- PDF ----------------------------------------------------------------------------------------------
_FONT = "STSong-Light"
_PAGE_W, _PAGE_H = 595.0, 842.0  # A4 in points
_MARGIN = 56.0
_SIZE = 10.5
_LEAD = 14.0


def _wrap_width(canvas, text: str, width: float, size: float) -> list[str]:
    lines, cur = [], ""
    for ch in text:
        if cur and canvas.stringWidth(cur + ch, _FONT, size) > width:
            lines.append(cur)
            cur = ch
        else:
            cur += ch
    return lines + [cur] if cur else lines or [""]


def _col_widths(t: Table, total: float) -> list[float]:
    if t.name == "t3":
        label = [0.08, 0.1, 0.26]
        rest = (1 - sum(label)) / (t.n_cols - 3)
        return [total * f for f in label] + [total * rest] * (t.n_cols - 3)
    if t.name == "t2":
        return [total * 0.28] + [total * 0.24] * (t.n_cols - 1)
    return [total / t.n_cols] * t.n_cols


def render_pdf(report: Report) -> bytes:
    """A PDF whose text layer holds every label and value, drawn where the table cell is."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas as rl_canvas

    if _FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(_FONT))
    buf = io.BytesIO()
    cv = rl_canvas.Canvas(buf, pagesize=(_PAGE_W, _PAGE_H))
    page = [1]
    y = [_PAGE_H - _MARGIN]
    width = _PAGE_W - 2 * _MARGIN

    def new_page() -> None:
        cv.setFont(_FONT, 9)
        cv.drawCentredString(_PAGE_W / 2, _MARGIN / 2, f"- {page[0]} -")
        cv.showPage()
        page[0] += 1
        y[0] = _PAGE_H - _MARGIN

    def para(text: str, size: float = _SIZE, indent: float = 2 * _SIZE, center: bool = False) -> None:
        cv.setFont(_FONT, size)
        for i, line in enumerate(_wrap_width(cv, text, width - (indent if not center else 0), size)):
            if y[0] < _MARGIN + _LEAD:
                new_page()
                cv.setFont(_FONT, size)
            if center:
                cv.drawCentredString(_PAGE_W / 2, y[0], line)
            else:
                cv.drawString(_MARGIN + (indent if i == 0 else 0), y[0], line)
            y[0] -= size * 1.5

    for kind, text in report.blocks:
        if kind == "title":
            para(text, 16, center=True)
            y[0] -= 8
        elif kind == "table":
            _pdf_table(cv, report, report.tables[text], y, new_page, width)
            y[0] -= 6
        elif kind == "signature":
            cv.setFont(_FONT, _SIZE)
            cv.drawRightString(_PAGE_W - _MARGIN, y[0], text)
            y[0] -= _LEAD
        else:
            para(text, _SIZE + (1 if kind == "heading" else 0))
    new_page()
    cv.save()
    return buf.getvalue()


def _pdf_table(cv, report: Report, t: Table, y: list[float], new_page, width: float) -> None:
    widths = _col_widths(t, width)
    xs = [_MARGIN]
    for w in widths:
        xs.append(xs[-1] + w)
    size = 8.0
    lead = size * 1.3
    # Row heights: enough for the wrapped text of every single-row cell.
    heights = []
    for row in t.rows:
        h = lead + 6
        for c in row:
            if c.rowspan == 1:
                w = xs[c.col + c.colspan] - xs[c.col] - 4
                n = len(_wrap_width(cv, report.text_of(c), w, size))
                h = max(h, n * lead + 6)
        heights.append(h)
    tops: dict[int, float] = {}
    for r in range(len(t.rows)):
        if y[0] - heights[r] < _MARGIN:
            new_page()
        tops[r] = y[0]
        y[0] -= heights[r]
        cv.setLineWidth(0.5)
        cv.line(xs[0], tops[r], xs[-1], tops[r])
        cv.line(xs[0], y[0], xs[-1], y[0])
        for x in (xs[0], xs[-1]):
            cv.line(x, tops[r], x, y[0])
        for s in t.slots[r]:
            c = s.cell
            cv.line(xs[c.col], tops[r], xs[c.col], y[0])
            if s.cont:
                continue
            # The cell's extent on this page: its rows until the page ends.
            bottom = y[0]
            last = c.row + c.rowspan - 1
            acc = tops[r]
            for rr in range(c.row, last + 1):
                if acc - heights[rr] < _MARGIN:
                    break
                acc -= heights[rr]
                bottom = acc
            w = xs[c.col + c.colspan] - xs[c.col] - 4
            lines = _wrap_width(cv, report.text_of(c), w, size)
            block = len(lines) * lead
            ty = (tops[r] + bottom) / 2 + block / 2 - size
            cv.setFont(_FONT, size)
            for line in lines:
                cv.drawCentredString((xs[c.col] + xs[c.col + c.colspan]) / 2, ty, line)
                ty -= lead
