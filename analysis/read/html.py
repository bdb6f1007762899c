"""HTML reader: a saved government web page -> the article's lines.

Nothing is fetched or executed: lxml parses the decoded string with ``no_network`` and no entity
resolution; scripts, styles, frames and embedded objects are dropped unread. Page chrome (nav,
header/footer, elements whose class or id says menu/nav/breadcrumb/share/footer...) is removed, then
the article is found by descending from <body> into the child that holds nearly all of the Chinese
text and numbers (and does not leave a substantial table behind).

Output: each paragraph or heading is a line (origin ``paragraph N``); each row of a data table is
ONE line with its cells joined by a tab, each cell's text written once at its own position, merged
cells not repeated (origin ``table T, row R (cells: ...)`` with the grid columns the cells occupy;
see :mod:`.lines`). A table that contains another table is layout: its cells are read as blocks.
All walks are iterative (no recursion on deep documents) and linear in the size of the page.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator

from lxml import etree

from .document import ReadError
from .lines import clean, join_pieces, row_origin
from .text import decode, normalise_newlines

_DROP_TAGS = (
    "script", "style", "iframe", "frame", "frameset", "noscript", "template", "object", "embed",
    "applet", "svg", "math", "canvas", "video", "audio", "map", "button", "select", "textarea",
    "input", "link", "meta", "base", "param", "source", "track", "img", "picture", "head", "title",
)
_CHROME_TAGS = frozenset({"nav", "header", "footer", "aside", "menu"})
_CHROME_SUBSTR = ("nav", "menu", "crumb", "share", "footer", "sidebar", "qrcode", "toolbar", "copyright")
_CHROME_TOKENS = frozenset({
    "header", "head", "foot", "side", "ewm", "bread", "position", "location", "dqwz", "pager",
    "pagination", "print", "fav", "login", "search", "skip", "topbar", "bottom", "wzdh", "weizhi",
})
_BLOCK = frozenset({
    "address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details", "dialog",
    "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3",
    "h4", "h5", "h6", "header", "hgroup", "hr", "html", "li", "main", "menu", "nav", "ol", "p", "pre",
    "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul", "legend", "br",
})
_CONTENT = re.compile(r"[\u4e00-\u9fff0-9]")
_HIDDEN = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{1,40})""", re.IGNORECASE)
_XML_DECL = re.compile(r"\s*<\?xml[^>]{0,200}\?>")
# Characters an XML tree cannot hold (lxml refuses them in strings): C0 controls but tab/newline.
_BAD_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_DIGITS = re.compile(r"\s*(\d{1,7})")
_SPAN_BUDGET = 2_000_000  # grid cells marked for row spans per table before spans are ignored


def decode_html(data: bytes) -> tuple[str, str]:
    """Decode an HTML page: BOM, then strict UTF-8, then the <meta charset>, then text.decode()."""
    if data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or b"\x00" in data[:2048]:
        return decode(data)
    try:
        return normalise_newlines(data.decode("utf-8")), "utf-8"
    except UnicodeDecodeError:
        pass
    m = _CHARSET.search(data[:4096])
    if m:
        declared = m.group(1).decode("ascii").lower()
        if declared in ("gb2312", "gbk", "x-gbk", "gb_2312-80", "cp936", "euc-cn"):
            declared = "gb18030"  # pages that say GB2312 routinely use GBK/GB18030 characters
        try:
            enc = codecs.lookup(declared).name
            return normalise_newlines(data.decode(enc)), enc
        except (LookupError, UnicodeDecodeError):
            pass
    return decode(data)


def _parse(text: str) -> etree._Element:
    text = _BAD_CHARS.sub(" ", text)
    m = _XML_DECL.match(text)
    if m:
        text = text[m.end():]
    parser = etree.HTMLParser(
        remove_comments=True, remove_pis=True, no_network=True, recover=True, collect_ids=False,
    )
    try:
        root = etree.fromstring(text, parser=parser)
    except (etree.LxmlError, ValueError) as e:
        raise ReadError(f"the HTML could not be parsed: {e}", status="malformed") from e
    if root is None:
        raise ReadError("the HTML page has no content (no elements or text)", status="empty")
    return root


def _remove(el: etree._Element) -> None:
    """Detach ``el`` but keep its tail text in the document."""
    parent = el.getparent()
    if parent is None:
        return
    if el.tail:
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + el.tail
        else:
            parent.text = (parent.text or "") + el.tail
    parent.remove(el)


def _count(text: str | None) -> int:
    return len(_CONTENT.findall(text)) if text else 0


class _Stats:
    """Per element, bottom-up: content characters (hanzi and digits) in its subtree, tables in it
    (itself included), and content inside data tables. ``order`` is the pre-order element list."""

    def __init__(self, root: etree._Element) -> None:
        self.order = list(root.iter(etree.Element))
        self.content: dict[etree._Element, int] = {}
        self.tables: dict[etree._Element, int] = {}
        self.table_content: dict[etree._Element, int] = {}
        content, tables, table_content = self.content, self.tables, self.table_content
        for el in reversed(self.order):  # reversed pre-order: children before parents
            n = _count(el.text)
            t = tc = 0
            for child in el:
                if child in content:
                    n += content[child]
                    t += tables[child]
                    tc += table_content[child]
                if child.tail:
                    n += _count(child.tail)
            if el.tag == "table":
                t += 1
                if t == 1:
                    tc = n
            content[el], tables[el], table_content[el] = n, t, tc

    def discount(self, el: etree._Element) -> None:
        """Take a removed element's counts off its ancestors (call before removing it)."""
        n, t, tc = self.content[el], self.tables[el], self.table_content[el]
        for a in el.iterancestors():
            if a in self.content:
                self.content[a] -= n
                self.tables[a] -= t
                self.table_content[a] -= tc


def _looks_chrome(el: etree._Element, in_article: bool) -> bool:
    tag = el.tag
    if tag in _CHROME_TAGS and not (tag in ("header", "footer") and in_article):
        return True
    attrib = el.attrib
    if not attrib:
        return False
    if "hidden" in attrib or _HIDDEN.search(attrib.get("style", "")):
        return True
    names = f"{attrib.get('class', '')} {attrib.get('id', '')}".lower()
    if not names.strip():
        return False
    if any(s in names for s in _CHROME_SUBSTR):
        return True
    return any(tok.rstrip("0123456789") in _CHROME_TOKENS for tok in re.split(r"[^a-z0-9]+", names) if tok)


def _drop_chrome(body: etree._Element, stats: _Stats) -> None:
    total = stats.content[body]
    inside = {d for a in body.iter("article", "main") for d in a.iter() if d is not a}
    doomed = []
    for el in stats.order:
        if el is body:
            continue
        small = stats.content[el] <= 0.3 * total and stats.table_content[el] < 0.2 * total + 1
        if small and _looks_chrome(el, el in inside):
            doomed.append(el)
    for el in doomed:  # pre-order: an outer element goes first, and then its inner ones no longer reach body
        stats.discount(el)
        _remove(el)


def _find_article(body: etree._Element, stats: _Stats) -> etree._Element:
    node = body
    while True:
        total = stats.content[node]
        if total == 0 or (node.tag == "table" and stats.tables[node] == 1):
            return node
        children = [c for c in node.iterchildren(etree.Element) if c in stats.content]
        if not children:
            return node
        best = max(children, key=lambda c: stats.content[c])
        left_behind = stats.table_content[node] - stats.table_content[best]
        if stats.content[best] >= 0.8 * total and left_behind <= 0.05 * total:
            node = best
        else:
            return node


def _span(value: str | None, limit: int, zero_is_limit: bool) -> int:
    if value is None:
        return 1
    m = _DIGITS.match(value)
    n = int(m.group(1)) if m else 1
    if n == 0 and zero_is_limit:
        return limit
    return max(1, min(n, limit))


def _cell_text(cell: etree._Element) -> str:
    """A cell's text as one line: inline runs concatenated, block parts (<p>, <br>) joined."""
    if len(cell) == 0:
        return clean(cell.text or "")
    pieces: list[str] = []
    cur: list[str] = []
    stack: list[tuple[etree._Element, bool]] = [(cell, False)]
    while stack:
        el, closing = stack.pop()
        block = el.tag in _BLOCK and el is not cell
        if closing:
            if block:
                pieces.append("".join(cur))
                cur = []
            if el is not cell and el.tail:
                cur.append(el.tail)
            continue
        if block:
            pieces.append("".join(cur))
            cur = []
        if el.text:
            cur.append(el.text)
        stack.append((el, True))
        stack.extend((c, False) for c in reversed(el) if isinstance(c.tag, str))
    pieces.append("".join(cur))
    return join_pieces(pieces)


def _table_rows(table: etree._Element, number: int) -> Iterator[tuple[str, str]]:
    rows = list(table.iter("tr"))
    taken: dict[int, set[int]] = {}  # row index -> grid columns covered by row spans from above
    budget = _SPAN_BUDGET
    for r, tr in enumerate(rows):
        above = taken.pop(r, None)
        col = 0
        texts: list[str] = []
        spans: list[tuple[int, int]] = []
        for cell in tr.iterchildren("td", "th"):
            if above:
                while col in above:
                    col += 1
            get = cell.get
            cs = _span(get("colspan"), 1000, False)
            rs = _span(get("rowspan"), len(rows) - r, True)
            if rs > 1 and cs * (rs - 1) <= budget:
                budget -= cs * (rs - 1)
                for rr in range(r + 1, r + rs):
                    taken.setdefault(rr, set()).update(range(col, col + cs))
            texts.append(_cell_text(cell))
            spans.append((col, col + cs - 1))
            col += cs
        if any(texts):
            yield "\t".join(texts), row_origin(number, r + 1, spans)


def _walk(article: etree._Element, stats: _Stats) -> Iterator[tuple[str, str]]:
    """Emit the article's lines in document order."""
    buf: list[str] = []
    para = 0
    tables = 0
    stack: list[tuple[etree._Element, bool]] = [(article, False)]
    while stack:
        el, closing = stack.pop()
        tag = el.tag
        block = tag in _BLOCK
        if closing or block or tag == "table":
            line = clean("".join(buf)) if buf else ""
            buf.clear()
            if line:
                para += 1
                yield line, f"paragraph {para}"
        if closing:
            if el is not article and el.tail:
                buf.append(el.tail)
            continue
        if tag == "table" and stats.tables.get(el, 1) == 1:
            tables += 1
            caption = el.find("caption")
            if caption is not None and _cell_text(caption):
                yield _cell_text(caption), f"table {tables}, caption"
            yield from _table_rows(el, tables)
            stack.append((el, True))
            continue
        if el.text:
            buf.append(el.text)
        stack.append((el, True))
        stack.extend((c, False) for c in reversed(el) if isinstance(c.tag, str))
    line = clean("".join(buf))
    if line:
        yield line, f"paragraph {para + 1}"


def read_html(data: bytes) -> tuple[list[tuple[str, str]], str]:
    """Return the article's ``(line, origin)`` pairs and the encoding used."""
    text, encoding = decode_html(data)
    root = _parse(text)
    title_el = root.find(".//title")
    title = clean("".join(title_el.itertext())) if title_el is not None else ""
    for el in list(root.iter(*_DROP_TAGS)):
        _remove(el)
    body = root.find("body")
    if body is None:
        body = root
    stats = _Stats(body)
    _drop_chrome(body, stats)
    article = _find_article(body, stats)
    pairs = list(_walk(article, stats))
    if title and (not pairs or pairs[0][0] != title):
        pairs.insert(0, (title, "title"))
    return pairs, encoding
